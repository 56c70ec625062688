"""The report page: cover, contents, footer, no code, print styles; and its PDF, rendered to check."""

import fnmatch
import re
import shutil
import subprocess
import tomllib
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import papermill
import pytest
from conftest import needs
from PIL import Image

from tjsl_eval import __version__
from tjsl_eval.batch.manifest import data_fingerprint
from tjsl_eval.common.messages import label
from tjsl_eval.inputs.workbook import load_workbook
from tjsl_eval.render import pdf
from tjsl_eval.render.document import section_id
from tjsl_eval.render.report import SECTIONS
from tjsl_eval.render.report_page import TEMPLATE_FOLDER, export_html

ROOT = Path(__file__).parent.parent
REVIEW = {"title": "Evaluasi TJSL 2023", "organiser": "PT Contoh", "fgd_date": "2024-01-16", "venue": "Aula Kelurahan"}


def needs_chromium() -> None:
    try:
        pdf.find_chromium()
    except pdf.PdfError:
        needs("chromium")


@pytest.fixture(scope="module")
def executed(tmp_path_factory):
    """BSM-01's report notebook, executed as the batch does, and its data's fingerprint."""
    path = tmp_path_factory.mktemp("design") / "BSM-01.ipynb"
    papermill.execute_notebook(
        str(ROOT / "notebooks" / "group_report.ipynb"),
        str(path),
        parameters={"group_id": "BSM-01", "year": 2023, "workbook": "sample", **REVIEW},
        kernel_name="python3",
        progress_bar=False,
    )
    return path, data_fingerprint(load_workbook("sample").split_by_group()["BSM-01"])


@pytest.fixture(scope="module")
def page(executed):
    notebook, data_hash = executed
    html = export_html(notebook, "Bank Sampah — Evaluasi TJSL 2023", data_hash)
    written = notebook.with_suffix(".html")
    written.write_text(html, encoding="utf-8")
    return written


def test_cover_has_the_review_and_the_group(page):
    html = page.read_text(encoding="utf-8")
    cover = html.split('<header class="tjsl-cover">', 1)[1].split("</header>", 1)[0]
    group = load_workbook("sample").group("BSM-01")
    texts = [value for key, value in REVIEW.items() if key != "fgd_date"]
    for expected in (*texts, "16 Januari 2024", group["name"], "BSM-01", "Lingkungan"):
        assert expected in cover
    assert "<h1>" in cover
    for goal in group["sdgs"]:  # 11, 12, 13: a badge each, in the goal's colour, with its name
        assert f'class="tjsl-sdg tjsl-sdg-{goal}"' in cover and label("sdg", str(goal)) in cover


def test_contents_link_to_every_section(page):
    html = page.read_text(encoding="utf-8")
    contents = html.split('<nav class="tjsl-toc">', 1)[1].split("</nav>", 1)[0]
    targets = re.findall(r'href="#([^"]+)"', contents)
    assert targets == [section_id(key) for key in SECTIONS if key != "title"]
    ids = re.findall(r'<h2 class="tjsl-section" id="([^"]+)"', html)
    assert ids == targets


def test_footer_has_the_data_hash_and_the_version(page, executed):
    _, data_hash = executed
    footer = page.read_text(encoding="utf-8").split('<footer class="tjsl-footer">', 1)[1]
    assert data_hash[:12] in footer and f'data-sha256="{data_hash}"' in footer
    assert f"tjsl-eval {__version__}" in footer and "Sidik jari data" in footer


def test_no_code_no_prompts_no_remote_scripts(page):
    html = page.read_text(encoding="utf-8")
    for absent in ("jp-InputArea", "In&nbsp;[", "In [", "Out[", "GroupReport.from_parameters", "<script", '="http'):
        assert absent not in html, absent
    assert '<html lang="id">' in html


def test_every_image_has_alternative_text(page):
    """The exporter skips nbconvert's pass that gives images without alt text a placeholder."""

    class Images(HTMLParser):
        def __init__(self):
            super().__init__()
            self.alts = []

        def handle_starttag(self, tag, attrs):
            if tag == "img":
                self.alts.append(dict(attrs).get("alt"))

    images = Images()
    images.feed(page.read_text(encoding="utf-8"))
    assert len(images.alts) >= 4  # the cover's badges aside, a chart per chart section
    assert all(alt and alt.strip() for alt in images.alts), images.alts


def test_styles_for_phones_and_for_print(page):
    html = page.read_text(encoding="utf-8")
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
    assert ".tjsl-scroll{overflow-x:auto" in html and "@media (max-width:480px)" in html
    for rule in ("size:A4", "h2.tjsl-section{break-before:page", "tr,img", "break-inside:avoid", "print-color-adjust"):
        assert rule in html, rule
    assert "thead{display:table-header-group}" in html


def test_footer_follows_the_language_parameter_and_the_page_is_reproducible(executed, tmp_path):
    notebook, data_hash = executed
    assert export_html(notebook, "T", data_hash) == export_html(notebook, "T", data_hash)
    assert export_html(nbformat.read(notebook, as_version=4), "T", data_hash) == export_html(notebook, "T", data_hash)
    english = nbformat.read(notebook, as_version=4)
    english.metadata.papermill.parameters.language = "en"
    nbformat.write(english, tmp_path / "en.ipynb")
    html = export_html(tmp_path / "en.ipynb", "T", data_hash)
    assert '<html lang="en">' in html and "Data fingerprint" in html and "Sidik jari" not in html


def test_pdf_is_a4_not_blank_and_reproducible(page, tmp_path):
    needs_chromium()
    needs("pdftoppm", "pdfinfo")
    first, second = tmp_path / "first.pdf", tmp_path / "second.pdf"
    pdf.write_pdf(page, first, timeout=120)
    pdf.write_pdf(page, second, timeout=120)
    assert first.read_bytes().startswith(b"%PDF-") and first.read_bytes() == second.read_bytes()
    info = subprocess.run(["pdfinfo", str(first)], capture_output=True, text=True, check=True).stdout
    assert "(A4)" in info
    assert int(re.search(r"Pages:\s+(\d+)", info).group(1)) >= len(SECTIONS)  # a page for the cover, one per section
    subprocess.run(
        ["pdftoppm", "-png", "-r", "50", "-f", "1", "-l", "1", str(first), str(tmp_path / "page")], check=True
    )
    (png,) = tmp_path.glob("page*.png")
    grey = Image.open(png).convert("L")
    inked = sum(count for value, count in enumerate(grey.histogram()) if value < 200)
    assert inked > 0.01 * grey.width * grey.height  # the cover's text, rule and badges


def test_missing_chromium_is_a_clear_error(page, tmp_path, monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(pdf.PdfError, match="apt-get install chromium"):
        pdf.write_pdf(page, tmp_path / "out.pdf")
    assert not (tmp_path / "out.pdf").exists()


def test_fixed_dates_keep_the_length():
    printed = b"<</Producer (Skia/PDF m156)\n/CreationDate (D:20261129083111+07'00')\n/ModDate (D:20261129083111Z)>>"
    fixed = pdf.fixed_dates(printed)
    assert len(fixed) == len(printed) and b"2026" not in fixed and fixed.count(pdf.FIXED_DATE) == 2


def test_template_is_package_data():
    patterns = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"][
        "package-data"
    ]["tjsl_eval"]
    package = TEMPLATE_FOLDER.parent
    files = [p.relative_to(package).as_posix() for p in TEMPLATE_FOLDER.rglob("*") if p.is_file()]
    assert files and all(any(fnmatch.fnmatch(f, pattern) for pattern in patterns) for f in files)

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
from conftest import needs, needs_chromium
from pdf_pages import chapter_titles, first_lines, stranded_headings, thin_pages
from PIL import Image

from tjsl_eval import __version__
from tjsl_eval.batch.manifest import data_fingerprint
from tjsl_eval.common.messages import label, text
from tjsl_eval.inputs.workbook import load_workbook
from tjsl_eval.render import pdf
from tjsl_eval.render.document import section_id
from tjsl_eval.render.report import SECTIONS
from tjsl_eval.render.report_page import TEMPLATE_FOLDER, export_html, template_file

ROOT = Path(__file__).parent.parent
SAMPLE_FOLDER = ROOT / "tjsl_eval" / "data" / "sample"
GROUP_NOTEBOOK = ROOT / "notebooks" / "group_report.ipynb"
REVIEW = {"title": "Evaluasi TJSL 2023", "organiser": "PT Contoh", "fgd_date": "2024-01-16", "venue": "Aula Kelurahan"}


EVALUATOR_SHEETS = ("narasi", "dokumentasi", "penilaian_dac")  # the evaluator's own content (issue #14)


def execute(folder: Path, group_id: str, workbook: str = "sample") -> tuple[Path, str]:
    """A sample group's report notebook, executed as the batch does, and its data's fingerprint."""
    path = folder / f"{group_id}.ipynb"
    papermill.execute_notebook(
        str(GROUP_NOTEBOOK),
        str(path),
        parameters={"group_id": group_id, "year": 2023, "workbook": workbook, **REVIEW},
        kernel_name="python3",
        progress_bar=False,
    )
    return path, data_fingerprint(load_workbook(workbook).split_by_group()[group_id])


@pytest.fixture(scope="module")
def executed(tmp_path_factory):
    """BSM-01's report notebook, executed as the batch does, and its data's fingerprint."""
    return execute(tmp_path_factory.mktemp("design"), "BSM-01")


@pytest.fixture(scope="module")
def page(executed):
    notebook, data_hash = executed
    html = export_html(notebook, "Bank Sampah — Evaluasi TJSL 2023", data_hash)
    written = notebook.with_suffix(".html")
    written.write_text(html, encoding="utf-8")
    return written


@pytest.fixture(scope="module")
def other_page(tmp_path_factory):
    """KDH-08's report page: another pillar, other chapter lengths."""
    notebook, data_hash = execute(tmp_path_factory.mktemp("other"), "KDH-08")
    written = notebook.with_suffix(".html")
    written.write_text(export_html(notebook, "KDH-08", data_hash), encoding="utf-8")
    return written


@pytest.fixture(scope="module")
def figures_only_page(tmp_path_factory):
    """BSM-01's report page from the sample without the evaluator's sheets: the report issue #13 measured."""
    folder = tmp_path_factory.mktemp("figures_only")
    workbook = folder / "workbook"
    workbook.mkdir()
    for sheet in SAMPLE_FOLDER.glob("*.csv"):
        if sheet.stem not in EVALUATOR_SHEETS:
            shutil.copy(sheet, workbook)
    notebook, data_hash = execute(folder, "BSM-01", str(workbook))
    written = notebook.with_suffix(".html")
    written.write_text(export_html(notebook, "BSM-01", data_hash), encoding="utf-8")
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
    for rule in ("size:A4", ".celltag_chapter{break-before:page}", "h1,h2,h3{break-after:avoid}", "print-color-adjust"):
        assert rule in html, rule
    assert "tr,img,figure,.tjsl-keep," in html and "break-inside:avoid" in html
    assert "thead{display:table-header-group}" in html
    assert "tjsl-section{break-before" not in html  # a page per chapter, not per section


def test_the_four_chapter_cells_are_marked_for_the_page_breaks(page):
    html = page.read_text(encoding="utf-8")
    chapters = re.findall(r'<div id="cell-id=[^"]*" class="[^"]*celltag_chapter[^"]*">', html)
    assert len(chapters) == len(chapter_titles(GROUP_NOTEBOOK)) == 4
    first_sections = re.findall(r'celltag_chapter.*?<h2 class="tjsl-section" id="section-(\w+)"', html, re.DOTALL)
    assert first_sections == ["executive_summary", "profile", "budget", "ikm", "fgd"]


def test_footer_follows_the_language_parameter_and_the_page_is_reproducible(executed, tmp_path):
    notebook, data_hash = executed
    assert export_html(notebook, "T", data_hash) == export_html(notebook, "T", data_hash)
    assert export_html(nbformat.read(notebook, as_version=4), "T", data_hash) == export_html(notebook, "T", data_hash)
    english = nbformat.read(notebook, as_version=4)
    english.metadata.papermill.parameters.language = "en"
    nbformat.write(english, tmp_path / "en.ipynb")
    html = export_html(tmp_path / "en.ipynb", "T", data_hash)
    assert '<html lang="en">' in html and "Data fingerprint" in html and "Sidik jari" not in html


def test_pdf_is_a4_not_blank_and_reproducible(page, tmp_path, time_zone):
    needs_chromium()
    needs("pdftoppm", "pdfinfo")
    first, second = tmp_path / "first.pdf", tmp_path / "second.pdf"
    time_zone("UTC")
    pdf.write_pdf(page, first, timeout=120)
    time_zone("Asia/Tokyo")  # Chromium dates the PDF by the local clock: nine hours apart here
    pdf.write_pdf(page, second, timeout=120)
    assert first.read_bytes().startswith(b"%PDF-") and first.read_bytes() == second.read_bytes()
    assert_table_points_at_objects(first.read_bytes())
    info = subprocess.run(["pdfinfo", str(first)], capture_output=True, text=True, check=True).stdout
    assert "(A4)" in info
    assert int(re.search(r"Pages:\s+(\d+)", info).group(1)) >= 5  # the cover, then a page or more per chapter
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


def small_pdf(folder: Path, date: bytes, first_node: int) -> bytes:
    """A PDF laid out as Chromium writes one: an info dictionary dated ``date``, a link into
    ``folder`` and one to the web, a table header and cell numbered from ``first_node``, their
    id tree, a classic cross-reference table."""
    address = folder.resolve().as_uri().encode()
    header, cell = b"(node%08d)" % first_node, b"(node%08d)" % (first_node + 1)
    objects = [
        b"<</Producer (Skia/PDF m156)\n/CreationDate " + date + b"\n/ModDate " + date + b">>",
        b"<</Type /Annot\n/A <</S /URI\n/URI (" + address + b"/BSM-01.html#ringkasan)>>>>",
        b"<</Type /Annot\n/A <</S /URI\n/URI (https://example.org/a)>>>>",
        b"<</Type /Catalog>>",
        b"<</Type /StructElem\n/S /TH\n/ID " + header + b">>",
        b"<</Type /StructElem\n/S /TD\n/ID " + cell + b"\n/A [<</O /Table\n/Headers [" + header + b"]>>]>>",
        b"<</Limits [" + header + b" " + cell + b"]\n/Names [" + header + b" 5 0 R " + cell + b" 6 0 R]>>",
    ]
    written, offsets = b"%PDF-1.4\n", []
    for number, content in enumerate(objects, start=1):
        offsets.append(len(written))
        written += b"%d 0 obj\n%s\nendobj\n" % (number, content)
    table = b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    trailer = b"trailer\n<</Size 8\n/Root 4 0 R\n/Info 1 0 R>>\nstartxref\n%d\n%%%%EOF" % len(written)
    return written + b"xref\n0 8\n0000000000 65535 f \n" + table + trailer


def assert_table_points_at_objects(written: bytes) -> None:
    """Each object's offset in the cross-reference table is where that object starts."""
    table = int(re.search(rb"startxref\s+(\d+)", written)[1])
    assert written[table:].startswith(b"xref\n0 ")
    entries = re.findall(rb"(\d{10}) 00000 n", written[table:])
    assert entries and all(written[int(at) :].startswith(b"%d 0 obj" % n) for n, at in enumerate(entries, start=1))


def test_dates_folders_and_node_numbers_leave_no_trace_and_the_table_follows(tmp_path):
    here = small_pdf(tmp_path / "out", b"(D:20261129083111+07'00')", first_node=79)
    elsewhere = small_pdf(tmp_path / "laporan (2023) lain", b"(D:20270101000000Z)", first_node=80)
    fixed = pdf.reproducible_pdf(here, tmp_path / "out")
    assert fixed == pdf.reproducible_pdf(elsewhere, tmp_path / "laporan (2023) lain")
    assert fixed.count(pdf.FIXED_DATE) == 2 and b"2026" not in fixed and str(tmp_path).encode() not in fixed
    assert b"/URI (BSM-01.html#ringkasan)>>" in fixed and b"/URI (https://example.org/a)>>" in fixed
    assert b"/Names [(node00000001) 5 0 R (node00000002) 6 0 R]" in fixed and b"/Headers [(node00000001)]" in fixed
    assert_table_points_at_objects(here)
    assert_table_points_at_objects(fixed)
    assert pdf.reproducible_pdf(fixed, tmp_path / "out") == fixed


def test_a_pdf_without_the_expected_table_is_refused(tmp_path):
    with pytest.raises(pdf.PdfError, match="cross-reference"):
        pdf.reproducible_pdf(b"<</CreationDate (D:20261129083111Z)>>", tmp_path)


def test_a_printed_link_to_a_page_beside_it_is_relative(tmp_path):
    needs_chromium()
    needs("pdfinfo")
    folder = tmp_path / "laporan (2023) ü"
    folder.mkdir()
    (folder / "index.html").write_text(
        '<html><body><a href="portfolio.html">ringkasan</a> <a href="https://example.org/">situs</a></body></html>',
        encoding="utf-8",
    )
    pdf.write_pdf(folder / "index.html", folder / "index.pdf", timeout=120)
    listed = subprocess.run(["pdfinfo", "-url", str(folder / "index.pdf")], capture_output=True, text=True, check=True)
    assert listed.stderr == "" and listed.stdout.split()[-4:] == [
        "portfolio.html",
        "1",
        "Annotation",
        "https://example.org/",
    ]
    assert str(tmp_path).encode() not in (folder / "index.pdf").read_bytes()
    assert_table_points_at_objects((folder / "index.pdf").read_bytes())


def test_template_and_every_data_file_are_package_data():
    patterns = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"][
        "package-data"
    ]["tjsl_eval"]
    package = ROOT / "tjsl_eval"
    data = [
        p.relative_to(package).as_posix()
        for p in package.rglob("*")
        if p.is_file() and p.suffix not in {".py", ".pyc"} and "__pycache__" not in p.parts
    ]
    assert any(TEMPLATE_FOLDER in (package / f).parents for f in data)
    assert [f for f in data if not any(fnmatch.fnmatch(f, pattern) for pattern in patterns)] == []


def printed_pages(report: Path, scratch: Path) -> tuple[Path, list[str]]:
    """``report`` printed to PDF, checked: each chapter starts a page, no page is less than a third full
    but a chapter's last, and no heading (a section's, the evaluator's notes' or photos') is left at the
    bottom of a page. The PDF and each page's first line."""
    needs_chromium()
    needs("pdftoppm", "pdftotext")
    printed = scratch / "report.pdf"
    pdf.write_pdf(report, printed, timeout=120)
    titles = chapter_titles(GROUP_NOTEBOOK)
    firsts = first_lines(printed)
    assert [title for title in titles if any(first.startswith(title) for first in firsts)] == titles, firsts
    assert thin_pages(printed, scratch, titles) == []
    headings = [text(f"section.{key}", "id", year=2024) for key in SECTIONS if key != "title"]
    headings += [text("evaluator.notes", "id"), text("evaluator.photos", "id")]
    assert stranded_headings(printed, scratch, headings) == []
    return printed, firsts


def test_pdf_of_the_figures_has_half_as_many_pages_as_sections(figures_only_page, tmp_path):
    """Issue #13's measure (the report was 13 pages then): about half as many pages as sections."""
    _, firsts = printed_pages(figures_only_page, tmp_path)
    assert len(firsts) <= 0.5 * len(SECTIONS), firsts


@pytest.mark.parametrize("report", ["page", "other_page"])
def test_pdf_with_the_evaluators_content_is_dense(report, request, tmp_path):
    """With the evaluator's narrative, photos and judgement: still at most three pages for five sections,
    chapters on pages of their own, full pages, no stranded heading."""
    _, firsts = printed_pages(request.getfixturevalue(report), tmp_path)
    assert len(firsts) <= 0.6 * len(SECTIONS), firsts


@pytest.mark.parametrize("kept", [True, False])
def test_a_heading_is_kept_with_the_chart_below_it(kept, tmp_path):
    """The print CSS moves a heading to the next page with a chart that does not fit under it (a chart is an
    image, without text: stranded_headings looks at the ink); without the keep rule, the heading is stranded."""
    needs_chromium()
    needs("pdftoppm", "pdftotext")
    chart = tmp_path / "chart.png"
    Image.new("RGB", (400, 240), (31, 95, 139)).save(chart)
    unkept = "" if kept else "<style>@media print{h1,h2,h3{break-after:auto}}</style>"
    page = tmp_path / "page.html"
    page.write_text(
        f'<!DOCTYPE html><html lang="id"><head><meta charset="utf-8"><style>{template_file("static/page.css")}'
        f'</style>{unkept}</head><body><div style="height:240mm"></div><h2 class="tjsl-section">Capaian indikator'
        f'</h2><img class="tjsl-chart" alt="" src="{chart.name}" style="height:60mm;max-height:none"></body></html>',
        encoding="utf-8",
    )
    printed = tmp_path / "page.pdf"
    pdf.write_pdf(page, printed, timeout=120)
    assert stranded_headings(printed, tmp_path, ["Capaian indikator"]) == ([] if kept else [(1, "Capaian indikator")])
    assert first_lines(printed)[1].startswith("Capaian indikator") == kept

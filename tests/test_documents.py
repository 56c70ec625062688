"""The files of record (issue #24): the Word reports as LibreOffice prints them and the PDF/A reports, page by
page: no word broken, no "Rp" parted from its amount, no nearly empty page, contents with the right page numbers,
fonts embedded, PDF/A-3b with the figures attached; with and without a brand; byte-identical reruns."""

import html
import io
import itertools
import json
import re
import shutil
import subprocess
from pathlib import Path

import docx
import pytest
import yaml
from click.testing import CliRunner
from conftest import needs, needs_pdf_engine
from pdf_pages import lowest_ink, page_images, page_margins_mm

from tjsl_eval.cli import main
from tjsl_eval.render.pdf import ATTACHMENT_NAME

GROUPS = ("BSM-01", "KSB-04")
BRAND = {"name": "PT Contoh Energi", "logo": "logo.png", "primary_color": "#0B4F6C", "accent_color": "#F29E4C"}
REVIEW = {"title": "Evaluasi TJSL 2023", "organiser": "PT Contoh", "fgd_date": "2024-01-16", "venue": "Balikpapan"}
THIRD = 1 / 3


def run_review(folder: Path, groups: tuple[str, ...], **extra) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    params = folder / "review.yaml"
    values = {**REVIEW, "evaluated_year": 2023, "workbook": "sample", "output_folder": "out", "groups": list(groups)}
    params.write_text(yaml.safe_dump({**values, **extra}, allow_unicode=True), encoding="utf-8")
    result = CliRunner().invoke(main, ["run", str(params), "--jobs", "2", "--format", "html,pdf,docx", "--force"])
    assert result.exit_code == 0, result.output
    return folder / "out"


def logo_png(path: Path) -> None:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (240, 80), "white")
    ImageDraw.Draw(image).rectangle((10, 10, 70, 70), fill=(11, 79, 108))
    image.save(path, "PNG")


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    """Two sample groups and the portfolio with a brand (run twice), and one group without a brand: every
    .docx and .pdf by name, and the output folders."""
    needs_pdf_engine()
    folder = tmp_path_factory.mktemp("documents")
    (folder / "branded").mkdir()
    logo_png(folder / "branded" / "logo.png")
    branded = run_review(folder / "branded", GROUPS, brand=BRAND)
    files = {path.name: path.read_bytes() for path in branded.iterdir() if path.suffix in (".docx", ".pdf")}
    again = run_review(folder / "branded", GROUPS, brand=BRAND)
    plain = run_review(folder / "plain", ("KDH-08",))
    return {"branded": branded, "plain": plain, "files": files, "again": again}


def documents(made) -> list[Path]:
    return [
        path for out in (made["branded"], made["plain"]) for path in sorted(out.iterdir()) if path.suffix == ".docx"
    ]


@pytest.fixture(scope="module")
def printed_docx(made, tmp_path_factory) -> dict[Path, Path]:
    """Every .docx as LibreOffice prints it (with the Carlito fonts: Calibri's metrics)."""
    needs("soffice", "pdftotext", "pdftoppm")
    folder = tmp_path_factory.mktemp("libreoffice")
    sources = documents(made)
    for out in {path.parent for path in sources}:
        subprocess.run(
            ["soffice", f"-env:UserInstallation=file://{folder}/profile", "--headless", "--convert-to", "pdf",
             "--outdir", str(folder / out.parent.name), *[str(p) for p in sources if p.parent == out]],
            check=True, capture_output=True, timeout=600,
        )  # fmt: skip
    return {path: folder / path.parent.parent.name / f"{path.stem}.pdf" for path in sources}


def words_and_lines(pdf: Path) -> tuple[set[str], list[list[str]]]:
    """The words pdftotext reads in ``pdf``, and each line's words."""
    out = subprocess.run(["pdftotext", "-bbox-layout", str(pdf), "-"], capture_output=True, text=True).stdout
    lines = [
        [html.unescape(word) for word in re.findall(r"<word [^>]*>([^<]*)</word>", line)]
        for line in re.findall(r"<line[^>]*>(.*?)</line>", out, re.DOTALL)
    ]
    return {word for line in lines for word in line}, lines


def broken_words(pdf: Path, texts: list[str]) -> list[str]:
    """The words of ``texts`` that ``pdf`` shows in pieces (a break right after a hyphen is fine, and pdftotext
    reads an arrow from another font apart from the figure beside it)."""
    shown_words, _ = words_and_lines(pdf)
    words = {word.rstrip(",;") for word in shown_words}  # the HTML report lists some values without the commas
    tokens = {token.rstrip(",;") for shown in texts for token in re.split(r"[\s\u00a0]+", shown) if token}
    return sorted(token for token in tokens if token not in words and not _in_pieces(token, words))


def _in_pieces(token: str, words: set[str]) -> bool:
    """Whether ``token`` is shown as consecutive words, each ending at a hyphen (or an arrow) but the last:
    "FGD-2023-" and "DINAS-LINGKUNGAN" for "FGD-2023-DINAS-LINGKUNGAN"."""
    parts = re.findall(r"[▲▼]|[^-▲▼]+-?|-", token)
    reachable = {0}  # how many parts can be shown as whole words
    for end in range(1, len(parts) + 1):
        if any("".join(parts[start:end]) in words for start in reachable if start < end):
            reachable.add(end)
    return len(parts) in reachable


def rupiah_at_line_ends(pdf: Path) -> list[list[str]]:
    """The lines that end with "Rp" (its amount on the next line)."""
    _, lines = words_and_lines(pdf)
    return [line for line in lines if line and line[-1] in ("Rp", "+Rp", "−Rp")]


def thin_pages(pdf: Path, scratch: Path) -> list[tuple[int, float]]:
    """The pages but the last whose content (below the running header, above the footer) ends above a third."""
    top_mm, _ = page_margins_mm()
    images = page_images(pdf, scratch, 30)
    shares = [lowest_ink(image, top_mm - 2) or 0.0 for image in images]
    return [(number, round(share, 2)) for number, share in enumerate(shares[:-1], 1) if share < THIRD]


def cell_texts(path: Path) -> list[str]:
    return [cell.text for table in docx.Document(path).tables for row in table.rows for cell in row.cells]


def test_word_tables_show_every_word_whole_and_rupiah_with_its_amount(printed_docx):
    for source, printed in printed_docx.items():
        assert broken_words(printed, cell_texts(source)) == [], source.name
        assert rupiah_at_line_ends(printed) == [], source.name


def test_word_pages_are_never_nearly_empty(printed_docx, tmp_path):
    """Every group report and both portfolios (with and without the brand's logo on the cover)."""
    for source, printed in printed_docx.items():
        assert thin_pages(printed, tmp_path) == [], f"{source.parent.parent.name}/{source.name}"


def test_the_samples_kdh_08_word_report_has_no_nearly_empty_page(tmp_path):
    """The sample's KDH-08, whose survey export adds a table: the page estimate drifts over its last landscape
    pages; turning back to portrait for the sign-off alone left the glossary's last row on a page 8 % full."""
    needs("soffice", "pdftoppm")
    sample = Path(__file__).resolve().parent.parent / "params"
    shutil.copytree(sample / "surveys", tmp_path / "surveys")
    values = yaml.safe_load((sample / "review-2023.yaml").read_text(encoding="utf-8"))
    assert thin_pages(word_report_printed(tmp_path, values, "KDH-08"), tmp_path) == []


def test_a_section_straddling_the_turn_to_landscape_moves_whole(tmp_path):
    """A synthetic group (seed 7) whose independence section began on the last portrait page before the FGD
    register's landscape pages: the estimate placed its table on the page before, so only its chart moved, and
    LibreOffice printed the table's last rows on a portrait page 10 % full. The section now moves from its
    heading."""
    from tjsl_eval.inputs.synthetic import write_synthetic_workbook

    needs("soffice", "pdftoppm")
    write_synthetic_workbook(tmp_path / "review.xlsx", 12, (2021, 2023), seed=7)
    values = {**REVIEW, "evaluated_year": 2023, "workbook": "review.xlsx"}
    assert thin_pages(word_report_printed(tmp_path, values, "GRP-0008"), tmp_path) == []


def word_report_printed(folder: Path, review: dict, group_id: str) -> Path:
    """One group's Word report made from the params ``review`` in ``folder``, printed to PDF by LibreOffice."""
    params = folder / "review.yaml"
    values = {**review, "output_folder": "out", "groups": [group_id]}
    params.write_text(yaml.safe_dump(values, allow_unicode=True), encoding="utf-8")
    result = CliRunner().invoke(main, ["run", str(params), "--format", "docx", "--force"])
    assert result.exit_code == 0, result.output
    command = ["soffice", f"-env:UserInstallation={(folder / 'profile').as_uri()}", "--headless", "--convert-to"]
    subprocess.run([*command, "pdf", "--outdir", str(folder), str(folder / "out" / f"{group_id}.docx")], check=True)
    return folder / f"{group_id}.pdf"


def test_word_page_numbers_sit_at_the_right_edge_of_portrait_and_landscape_pages(printed_docx):
    """The footer has no tab stop set for the portrait page: "Halaman x dari y" ends at the right margin of the
    landscape pages too (LibreOffice's print, pdftotext's word boxes; a margin is under 80 pt)."""
    word = r'<word xMin="[\d.]+" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>'
    for source, printed in printed_docx.items():
        out = subprocess.run(["pdftotext", "-bbox", str(printed), "-"], capture_output=True, text=True).stdout
        pages = re.findall(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', out, re.DOTALL)
        assert any(float(width) > float(height) for width, height, _ in pages), source.name  # landscape too
        for number, (width, _, words) in enumerate(pages, 1):
            found = re.findall(word, words)
            totals = [float(x_max) for (_, before), (x_max, _) in itertools.pairwise(found) if before == "dari"]
            assert totals and float(width) - max(totals) < 80, (source.name, number, width, totals)


def test_word_report_captions_header_footer_and_quiet_tables(made):
    word = docx.Document(made["branded"] / "KSB-04.docx")
    captions = [p.text for p in word.paragraphs if p.style.name == "Caption"]
    figures = [c for c in captions if c.startswith("Gambar ")]
    assert figures and [int(c.split()[1].rstrip(".")) for c in figures] == list(range(1, len(figures) + 1))
    xml = word.element.xml
    assert " SEQ Gambar \\* ARABIC " in xml and 'TOC \\h \\z \\c "Gambar"' in xml
    header = word.sections[0].header
    assert "PT Contoh Energi" in header.paragraphs[-1].text and header.part.related_parts  # name and logo
    footer = word.sections[0].footer._element.xml
    assert " PAGE " in footer and " NUMPAGES " in footer and "Halaman" in footer
    tint = "".join(f"{round(c + (255 - c) * 0.86):02X}" for c in (0x0B, 0x4F, 0x6C))  # of BRAND's primary_color
    assert "Table Grid" not in xml and f'w:fill="{tint}"' in xml  # no full grid; header in the brand's tint
    used = ("Normal", "Heading 1", "Heading 2", "Title", "Caption")
    assert {word.styles[name].font.name for name in used} == {"Calibri"}  # one family for body and headings
    assert all(t.rows[0]._tr.trPr.xpath("./w:tblHeader") for t in word.tables[1:])


def test_no_pdf_page_is_nearly_empty(made, tmp_path):
    """KDH-08's findings table, kept whole, would leave a page 29 % full, and the portfolio's all-groups table,
    on a landscape page, one 13 % full: each is laid out again, that table let to break or in portrait."""
    needs("pdftoppm")
    printed = sorted([*made["branded"].glob("*.pdf"), *made["plain"].glob("*.pdf")])
    assert len(printed) == len(GROUPS) + 3  # the branded groups and portfolio, KDH-08 and its portfolio
    assert {pdf.name: thin_pages(pdf, tmp_path) for pdf in printed} == {pdf.name: [] for pdf in printed}


@pytest.mark.parametrize("name", ["BSM-01.pdf", "KSB-04.pdf", "portfolio.pdf"])
def test_pdf_pages_words_and_contents(made, name, tmp_path):
    needs("pdftotext", "pdftoppm", "pdffonts")
    printed = made["branded"] / name
    source = printed.with_suffix(".docx")
    assert broken_words(printed, cell_texts(source)) == [] and rupiah_at_line_ends(printed) == []
    assert thin_pages(printed, tmp_path) == []
    pages = subprocess.run(["pdftotext", "-layout", str(printed), "-"], capture_output=True, text=True).stdout
    pages = pages.split("\f")[:-1]
    contents_line = r"^\s*(?:\d+\. )?(\S.*?\S) ?\.{3,} ?(\d+)\s*$"
    listed = re.findall(contents_line, pages[0], re.MULTILINE)
    assert len(listed) >= 5
    pages[0] = re.sub(contents_line, "", pages[0], flags=re.MULTILINE)  # the executive summary follows the contents
    for title, number in listed:
        heading_pages = [i for i, page in enumerate(pages, 1) if re.search(rf"^\s*{re.escape(title)}", page, re.M)]
        assert int(number) in heading_pages, (title, number, heading_pages)
    assert all(f"Halaman {i} dari {len(pages)}" in page for i, page in enumerate(pages, 1))
    fonts = subprocess.run(["pdffonts", str(printed)], capture_output=True, text=True, check=True).stdout
    rows = fonts.splitlines()[2:]
    assert rows and all(row.split()[-5] == "yes" for row in rows)  # emb
    families = {row.split()[0].split("+")[-1].split("-")[0] for row in rows}
    # one family, the page numbers too (the HTML's own @page rule for a browser's print had them in DejaVu Sans);
    # the portfolio's ▲ ▼ ★, which Carlito lacks, are drawn in DejaVu Sans
    assert families == {"Carlito"} or (name == "portfolio.pdf" and families == {"Carlito", "DejaVu"}), families


def test_pdf_is_pdf_a_3b_with_its_figures_attached(made):
    import pikepdf

    out = made["branded"]
    review = json.loads((out / "metrics.json").read_text(encoding="utf-8"))
    printed = [(f"{g}.pdf", review["groups"][g], review["groups"][g]["report_date"]) for g in GROUPS]
    printed.append(("portfolio.pdf", review, REVIEW["fgd_date"]))  # the review as a whole is not approved
    for name, expected, report_date in printed:  # dated by the report date: the approval's, else the FGD's
        with pikepdf.open(out / name) as document:
            xmp = document.Root.Metadata.read_bytes()
            assert b'pdfaid:part="3"' in xmp and b'pdfaid:conformance="B"' in xmp
            intent = document.Root.OutputIntents[0]
            assert intent.S == "/GTS_PDFA1" and intent.DestOutputProfile.N == 3
            attached = {key: spec.get_file().read_bytes() for key, spec in document.attachments.items()}
            assert json.loads(attached[ATTACHMENT_NAME]) == expected
            info = document.docinfo
            assert str(info["/Author"]) == REVIEW["organiser"]
            assert str(info["/CreationDate"]).startswith("D:" + report_date.replace("-", ""))
            assert str(document.Root.Lang) == "id" and str(info["/Subject"]).endswith(REVIEW["title"])


def test_brand_reaches_every_page(made):
    import pikepdf

    with pikepdf.open(made["branded"] / "KSB-04.pdf") as branded, pikepdf.open(made["plain"] / "KDH-08.pdf") as plain:
        for document, images in ((branded, True), (plain, False)):
            for page in document.pages[1:]:  # the running header: the logo beside the report's title
                shown = [name for name, x in page.Resources.get("/XObject", {}).items() if x.Subtype == "/Image"]
                assert bool(shown) or not images
    plain_word = docx.Document(made["plain"] / "KDH-08.docx")
    assert not plain_word.sections[0].header.part.related_parts  # no logo without a brand


def test_two_runs_give_the_same_bytes_for_every_docx_and_pdf(made):
    again = {path.name: path.read_bytes() for path in made["again"].iterdir() if path.suffix in (".docx", ".pdf")}
    assert again.keys() == made["files"].keys() and len(again) == 6
    assert [name for name in again if again[name] != made["files"][name]] == []


def test_logo_bytes_are_in_the_word_header(made):
    word = docx.Document(made["branded"] / "BSM-01.docx")
    images = [part.blob for part in word.sections[0].header.part.related_parts.values()]
    logo = (made["branded"].parent / "logo.png").read_bytes()
    from PIL import Image

    assert any(Image.open(io.BytesIO(blob)).size == Image.open(io.BytesIO(logo)).size for blob in images)


def test_charts_in_the_brand_colours_in_word_and_pdf(made):
    """The notebooks draw the charts in the brand's colours (``chart_brand``), so every format shows them: the
    realized budget in the primary colour, the planned in the accent, bars below target in a warning colour
    unlike the accent (orange, as the reports' own warning colour is)."""
    import pikepdf
    from PIL import Image

    def colours(images) -> set[tuple[int, int, int]]:
        return {colour for image in images for _, colour in image.convert("RGB").getcolors(1 << 20) or []}

    def word_pictures(path: Path):
        logo = (made["branded"].parent / "logo.png").read_bytes()
        parts = docx.Document(path).part.related_parts.values()
        return [Image.open(io.BytesIO(p.blob)) for p in parts if p.content_type == "image/png" and p.blob != logo]

    primary, accent, warning = (11, 79, 108), (242, 158, 76), (192, 57, 43)  # BRAND's, and the warning kept apart
    branded, plain = (
        colours(word_pictures(made[kind] / name))
        for kind, name in (("branded", "KSB-04.docx"), ("plain", "KDH-08.docx"))
    )
    assert {primary, accent, warning} <= branded
    assert not {primary, accent} & plain and (31, 95, 153) in plain  # without a brand, the reports' own blue
    with pikepdf.open(made["branded"] / "KSB-04.pdf") as document:
        shown = [x for page in document.pages for x in page.Resources.get("/XObject", {}).values()]
        assert {accent, warning} <= colours(pikepdf.PdfImage(x).as_pil_image() for x in shown if x.Subtype == "/Image")

"""Word reports and FGD decks: read back with python-docx and python-pptx, opened by LibreOffice,
in the company's reference documents, byte-identical, and hostile text kept literal."""

import copy
import io
import json
import re
import subprocess
import zipfile
from pathlib import Path

import docx
import openpyxl
import pptx
import pytest
import yaml
from click.testing import CliRunner
from conftest import needs
from docx.shared import Inches, Pt
from PIL import Image
from test_hostile import PAYLOADS, hostile_workbook

from tjsl_eval.cli import main
from tjsl_eval.common.formatting import date as format_date
from tjsl_eval.common.messages import text
from tjsl_eval.common.zips import reproducible_zip
from tjsl_eval.inputs.workbook import load_workbook
from tjsl_eval.methods.dac import dac_judgements
from tjsl_eval.methods.metrics import format_figure
from tjsl_eval.render import evaluator
from tjsl_eval.render.brand_css import unbroken
from tjsl_eval.render.document import (
    Document,
    Narrative,
    Photo,
    RichParagraph,
    Run,
    Table,
    to_html,
)
from tjsl_eval.render.docx_report import docx_bytes
from tjsl_eval.render.pptx_deck import pptx_bytes
from tjsl_eval.render.report import CHAPTERS, SECTIONS, GroupReport

GROUPS = ("BSM-01", "KDH-08")
HYPERLINK = '=HYPERLINK("http://evil.example/x","klik di sini")'
REVIEW = {"title": "Review <b>2023</b>", "organiser": "Unit", "fgd_date": "2024-01-16", "venue": "Balikpapan"}


def invoke(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def write_params(folder: Path, **extra) -> Path:
    params = folder / "review.yaml"
    values = {**REVIEW, "evaluated_year": 2023, "workbook": "sample", "output_folder": "out", **extra}
    params.write_text(yaml.safe_dump(values, allow_unicode=True), encoding="utf-8")
    return params


@pytest.fixture(scope="module")
def office_run(tmp_path_factory):
    """Two groups of the sample in every format but PDF (the params' ``formats``), run twice (the second forced)."""
    folder = tmp_path_factory.mktemp("office")
    params = write_params(folder, groups=list(GROUPS), formats=["html", "docx", "pptx"])
    first = invoke("run", params, "--jobs", 2)
    assert first.exit_code == 0, first.output
    out = folder / "out"
    made = {path.name: path.read_bytes() for path in out.iterdir() if path.suffix in (".docx", ".pptx")}
    forced = invoke("run", params, "--jobs", 2, "--force")
    assert forced.exit_code == 0, forced.output
    return params, out, made


def metrics(out: Path) -> dict:
    return json.loads((out / "metrics.json").read_text(encoding="utf-8"))


def test_every_format_written_linked_and_hashed(office_run):
    _, out, made = office_run
    names = {f"{name}.{kind}" for name in (*GROUPS, "portfolio") for kind in ("docx", "pptx")}
    assert set(made) == names
    index = (out / "index.html").read_text(encoding="utf-8")
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    for name in GROUPS:
        assert f'href="{name}.docx"' in index and f'href="{name}.pptx"' in index
        assert {f"{name}.docx", f"{name}.pptx"} <= set(manifest["groups"][name]["outputs"])
    assert 'href="portfolio.docx"' in index and "portfolio.pptx" in manifest["portfolio"]["outputs"]


def test_two_runs_give_the_same_bytes(office_run):
    _, out, made = office_run
    assert {name: (out / name).read_bytes() for name in made} == made


def test_missing_word_file_makes_the_report_stale(office_run):
    params, out, _ = office_run
    (out / "BSM-01.docx").unlink()
    assert "BSM-01: stale — BSM-01.docx is missing" in invoke("status", params).output
    again = invoke("run", params)
    assert "1 reports written, 1 already up to date" in again.output, again.output
    assert (out / "BSM-01.docx").exists()


def test_packages_have_fixed_dates_and_properties(office_run):
    _, out, _ = office_run
    for name in ("BSM-01.docx", "BSM-01.pptx", "portfolio.docx"):
        with zipfile.ZipFile(out / name) as package:
            assert {entry.date_time for entry in package.infolist()} == {(1980, 1, 1, 0, 0, 0)}
            assert not [entry for entry in package.namelist() if "thumbnail" in entry]
            core = package.read("docProps/core.xml").decode()
        assert "2000-01-01T00:00:00Z" in core and "python-docx" not in core and "Steve Canny" not in core
    properties = docx.Document(out / "BSM-01.docx").core_properties
    assert properties.author == "tjsl-eval" and properties.created.year == 2000 and "BSM-01" not in properties.author


def test_word_report_headings_tables_and_pictures(office_run):
    _, out, _ = office_run
    figures = metrics(out)["groups"]["BSM-01"]
    word = docx.Document(out / "BSM-01.docx")
    headings = [(p.style.name, p.text) for p in word.paragraphs if p.style.name.startswith("Heading")]
    sample = load_workbook("sample")
    report = GroupReport(sample.for_group("BSM-01"), "BSM-01", 2023, "id", review=REVIEW)
    expected = []
    for chapter, keys in CHAPTERS.items():
        expected.append(("Heading 1", text(f"chapter.{chapter}", "id")))
        expected += [("Heading 2", report.section(key).title) for key in keys]
    assert [h for h in headings if h[0] in ("Heading 1", "Heading 2")] == expected
    assert len(expected) == len(SECTIONS) - 1 + len(CHAPTERS)  # every section but the cover
    summary = next(t for t in word.tables if t.rows[0].cells[0].text == text("summary.metric", "id"))
    assert summary.rows[0]._tr.trPr.xpath("./w:tblHeader")  # the header row repeats on each page
    rows = {row.cells[0].text: row for row in summary.rows[1:]}
    for key in ("budget_absorption_pct", "indicator_achievement_pct", "ikm_score", "sroi_ratio", "budget_realized"):
        row = rows[text(f"metric.{key}", "id")]
        assert row.cells[1].text == unbroken(format_figure(key, figures[key], "id"))  # no break inside an amount
        assert row.cells[2].text == unbroken(format_figure(key, figures["previous_year"][key], "id"))
        assert row.cells[1].paragraphs[0].alignment == docx.enum.text.WD_ALIGN_PARAGRAPH.RIGHT
    html_pictures = (out / "BSM-01.html").read_text(encoding="utf-8").count("<img ")  # charts and photos
    assert len(word.inline_shapes) == html_pictures > 0
    captions = [p.text for p in word.paragraphs if p.style.name == "Caption"]
    assert any(re.fullmatch(rf"Gambar \d+\. {re.escape(text('chart.budget_title', 'id'))}", c) for c in captions)
    xml = word.element.xml
    assert 'TOC \\o "1-2"' in xml and 'w:dirty="true"' in xml  # a contents field Word updates
    footer = word.sections[0].footer._element.xml
    data_hash = json.loads((out / "manifest.json").read_text())["groups"]["BSM-01"]["inputs"]["data"]
    assert data_hash[:12] in footer and " PAGE " in footer
    section = word.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)


def shapes_inside(deck) -> list[str]:
    """The shapes of the deck that reach past its slide, as ``slide: name``."""
    width, height = deck.slide_width, deck.slide_height
    return [
        f"{number}: {shape.name}"
        for number, slide in enumerate(deck.slides, 1)
        for shape in slide.shapes
        if shape.left < 0 or shape.top < 0 or shape.left + shape.width > width or shape.top + shape.height > height
    ]


def slide_title(slide) -> str:
    """A slide's title: the reference layout's title placeholder, or the built-in design's title box."""
    if slide.shapes.title is not None:
        return slide.shapes.title.text_frame.text
    return next((shape.text_frame.text for shape in slide.shapes if shape.name == "Title"), "")


def test_deck_is_16_9_designed_slides_with_native_charts_of_the_figures(office_run):
    """The group deck (#25): at most 12 slides, the key figures as large numbers, the budget as a native chart whose
    series are metrics.json's figures; the programme's deck at most 15 slides."""
    _, out, _ = office_run
    figures = metrics(out)["groups"]["BSM-01"]
    deck = pptx.Presentation(out / "BSM-01.pptx")
    assert deck.slide_width * 9 == deck.slide_height * 16
    assert 8 <= len(deck.slides) <= 12
    assert shapes_inside(deck) == []
    texts = " ".join(shape.text_frame.text for slide in deck.slides for shape in slide.shapes if shape.has_text_frame)
    for key in ("indicator_achievement_pct", "ikm_score", "sroi_ratio", "budget_absorption_pct"):
        assert format_figure(key, figures[key], "id") in texts
    assert text(f"stage.{figures['independence_stage']}", "id") in texts
    assert "Bank Sampah Berseri Baru Tengah" in slide_title(deck.slides[0])
    budget = next(shape.chart for slide in deck.slides for shape in slide.shapes if shape.has_chart)
    before = figures["previous_year"]
    assert [list(series.values) for series in budget.plots[0].series] == [
        [before["budget_planned"], figures["budget_planned"]],
        [before["budget_realized"], figures["budget_realized"]],
    ]
    programme = pptx.Presentation(out / "portfolio.pptx")
    assert 4 <= len(programme.slides) <= 15 and shapes_inside(programme) == []
    charts = [shape.chart for slide in programme.slides for shape in slide.shapes if shape.has_chart]
    ranked = {chart.plots[0].series[0].name: chart.plots[0].series[0].values for chart in charts}
    for key in ("ikm_score", "indicator_achievement_pct"):  # the run's groups among the programme's
        values = {round(value, 6) for value in ranked[text(f"metric.{key}", "id")]}
        assert {round(entry[key], 6) for entry in metrics(out)["groups"].values()} <= values


def inked_share(png: Path) -> float:
    grey = Image.open(png).convert("L")
    return sum(count for value, count in enumerate(grey.histogram()) if value < 200) / (grey.width * grey.height)


@pytest.mark.parametrize("name", ["BSM-01.docx", "BSM-01.pptx", "portfolio.docx", "portfolio.pptx"])
def test_libreoffice_opens_and_prints_every_page(office_run, name, tmp_path):
    needs("soffice", "pdftoppm", "pdfinfo")
    _, out, _ = office_run
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{tmp_path}/profile", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp_path), str(out / name)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    printed = tmp_path / name.replace(Path(name).suffix, ".pdf")
    info = subprocess.run(["pdfinfo", str(printed)], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    width, height = map(float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info).groups())
    if name.endswith(".pptx"):
        assert pages == len(pptx.Presentation(out / name).slides) and abs(width / height - 16 / 9) < 0.01
    else:
        assert pages >= 5 and round(width) == 595 and round(height) == 842  # A4 portrait
    subprocess.run(["pdftoppm", "-png", "-r", "20", str(printed), str(tmp_path / "page")], check=True)
    shares = [inked_share(png) for png in sorted(tmp_path.glob("page*.png"))]
    assert len(shares) == pages and min(shares) > 0.002, shares


def reference_docx(path: Path, with_table_grid: bool = True) -> Path:
    """A company's letter template: Georgia headings, Courier New body, Letter paper, a letterhead, some body text."""
    word = docx.Document()
    word.styles["Normal"].font.name = "Courier New"
    word.styles["Heading 1"].font.name = "Georgia"
    word.styles["Heading 1"].font.size = Pt(21)
    section = word.sections[0]
    section.page_width, section.page_height = Inches(8.5), Inches(11)
    section.left_margin = Inches(1.7)
    section.header.paragraphs[0].text = "KOP SURAT PT CONTOH ENERGI"
    word.add_paragraph("Isi templat yang harus hilang")
    if not with_table_grid:
        grid = word.styles["Table Grid"].element
        grid.getparent().remove(grid)
    word.save(path)
    return path


@pytest.fixture(scope="module")
def sample_document():
    sample = load_workbook("sample")
    return GroupReport(sample.for_group("KDH-08"), "KDH-08", 2023, "id", review=REVIEW).document()


@pytest.mark.parametrize("with_table_grid", [True, False])
def test_word_report_uses_the_reference_styles(sample_document, tmp_path, with_table_grid):
    reference = reference_docx(tmp_path / "kop.docx", with_table_grid)
    word = docx.Document(io.BytesIO(docx_bytes(sample_document, "f" * 64, reference)))
    assert word.styles["Normal"].font.name == "Courier New"
    assert word.styles["Heading 1"].font.name == "Georgia" and word.styles["Heading 1"].font.size == Pt(21)
    assert "KOP SURAT PT CONTOH ENERGI" in word.sections[0].header.paragraphs[0].text
    assert word.sections[0].page_width == Inches(8.5) and word.sections[0].left_margin == Inches(1.7)
    assert "Isi templat yang harus hilang" not in [p.text for p in word.paragraphs]
    assert any(p.style.name == "Heading 1" for p in word.paragraphs) and len(word.tables) > 5
    assert docx_bytes(sample_document, "f" * 64, reference) == docx_bytes(sample_document, "f" * 64, reference)


def test_deck_uses_the_reference_master_and_size(sample_document, tmp_path):
    company = pptx.Presentation()
    company.slide_width, company.slide_height = pptx.util.Inches(10), pptx.util.Inches(6.25)  # 16:10
    company.slide_layouts[5].name = "PT Contoh: judul saja"
    company.slide_layouts[0].name = "PT Contoh: sampul"
    company.slides.add_slide(company.slide_layouts[1]).shapes.title.text = "Slide templat"
    company.save(tmp_path / "company.pptx")
    deck = pptx.Presentation(io.BytesIO(pptx_bytes(sample_document, "f" * 64, tmp_path / "company.pptx")))
    assert (deck.slide_width, deck.slide_height) == (pptx.util.Inches(10), pptx.util.Inches(6.25))
    layouts = [slide.slide_layout.name for slide in deck.slides]
    assert layouts[0] == layouts[-1] == "PT Contoh: sampul" and layouts[1] == "Title and Content"  # the summary
    assert set(layouts[2:-1]) == {"PT Contoh: judul saja"}
    titles = [slide.shapes.title.text_frame.text for slide in deck.slides if slide.shapes.title is not None]
    assert "Slide templat" not in titles and len(titles) == len(deck.slides) >= 8
    assert shapes_inside(deck) == []


@pytest.mark.parametrize(
    "kind, content, reason",
    [
        ("docx", None, "does not exist"),
        ("docx", b"just text", "not a valid Word document"),
        ("pptx", b"PK\x03\x04 broken", "not a valid PowerPoint presentation"),
    ],
)
def test_unusable_reference_is_refused_before_any_work(tmp_path, kind, content, reason):
    reference = tmp_path / f"company.{kind}"
    if content is not None:
        reference.write_bytes(content)
    params = write_params(tmp_path, **{f"{kind}_reference": f"company.{kind}"})
    result = invoke("run", params, "--format", f"html,{kind}")
    assert result.exit_code == 1
    assert str(reference) in result.output and reason in result.output and "Traceback" not in result.output
    assert not (tmp_path / "out").exists()


def test_a_word_file_given_as_deck_reference_is_refused(tmp_path):
    reference_docx(tmp_path / "company.pptx")  # a .docx under a .pptx name
    result = invoke("run", write_params(tmp_path, pptx_reference="company.pptx"), "--format", "html,pptx")
    assert result.exit_code == 1 and "not a PowerPoint presentation" in result.output


def test_unknown_format_is_a_usage_error(tmp_path):
    params = write_params(tmp_path)
    result = invoke("run", params, "--format", "html,odt")
    assert result.exit_code == 2 and "html, pdf, docx, pptx" in result.output
    bad = write_params(tmp_path, formats=["html", "odt"])
    result = invoke("run", bad)
    assert result.exit_code == 1 and "formats" in result.output and "odt" in result.output


def hostile_document(folder: Path) -> Document:
    """BSM-01's report from the sample with the browser test's payloads in every text, and a formula-looking input."""
    path = hostile_workbook(folder)
    book = openpyxl.load_workbook(path)
    sheet = book["masukan_fgd"]
    column = [cell.value for cell in sheet[1]].index("masukan") + 1
    for row in range(2, sheet.max_row + 1):
        cell = sheet.cell(row, column)
        cell.value, cell.data_type = HYPERLINK, "s"  # text, not a formula
    book.save(path)
    workbook = load_workbook(str(path))
    return GroupReport(workbook.for_group("BSM-01"), "BSM-01", 2023, "id", review=REVIEW).document()


def package_text(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return "".join(
            package.read(name).decode("utf-8")
            for name in package.namelist()
            if name.endswith(".rels") or name.endswith(".xml")
        )


def test_hostile_text_stays_literal_in_both_formats(tmp_path):
    document = hostile_document(tmp_path)
    word_bytes, deck_bytes = docx_bytes(document, "0" * 64), pptx_bytes(document, "0" * 64)
    word = docx.Document(io.BytesIO(word_bytes))
    word_text = "\n".join(
        [p.text for p in word.paragraphs] + [c.text for t in word.tables for r in t.rows for c in r.cells]
    )
    deck = pptx.Presentation(io.BytesIO(deck_bytes))
    deck_text = "\n".join(
        [s.text_frame.text for slide in deck.slides for s in slide.shapes if s.has_text_frame]
        + [slide.notes_slide.notes_text_frame.text for slide in deck.slides if slide.has_notes_slide]
        + [c.text for slide in deck.slides for s in slide.shapes if s.has_table for r in s.table.rows for c in r.cells]
    )
    for shown in (word_text, deck_text):
        assert HYPERLINK in shown
        for payload in PAYLOADS:
            assert payload in shown
    for data in (word_bytes, deck_bytes):
        xml = package_text(data)
        assert "HYPERLINK" not in re.sub(r"<w:t[ >][^<]*</w:t>|<a:t>[^<]*</a:t>", "", xml)  # only as text
        assert "evil.example" not in re.sub(r"<w:t[ >][^<]*</w:t>|<a:t>[^<]*</a:t>", "", xml)
        assert 'TargetMode="External"' not in xml and "<w:hyperlink" not in xml and "hlinkClick" not in xml
    instructions = re.findall(r"<w:instrText[^>]*>([^<]*)<", package_text(word_bytes))
    assert sorted(set(i.strip().split()[0] for i in instructions)) == ["NUMPAGES", "PAGE", "SEQ", "TOC"]  # the report's


def test_reproducible_zip_fixes_times_and_embedded_workbooks():
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as package:
        package.writestr("docProps/core.xml", "<dcterms:created xsi:type='x'>2026-11-30T10:00:00Z</dcterms:created>")
    outer = io.BytesIO()
    with zipfile.ZipFile(outer, "w") as package:
        package.writestr(zipfile.ZipInfo("ppt/embeddings/Sheet1.xlsx", (2026, 11, 30, 10, 0, 0)), inner.getvalue())
        package.writestr(zipfile.ZipInfo("[Content_Types].xml", (2026, 11, 30, 10, 0, 2)), "<Types/>")
    fixed = reproducible_zip(outer.getvalue())
    with zipfile.ZipFile(io.BytesIO(fixed)) as package:
        assert [e.filename for e in package.infolist()] == ["ppt/embeddings/Sheet1.xlsx", "[Content_Types].xml"]
        assert {e.date_time for e in package.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        embedded = zipfile.ZipFile(io.BytesIO(package.read("ppt/embeddings/Sheet1.xlsx")))
        assert "2000-01-01T00:00:00Z" in embedded.read("docProps/core.xml").decode()
    assert reproducible_zip(fixed) == fixed


def test_long_tables_show_six_rows_and_every_row_in_the_notes(sample_document):
    """A table too long for a slide shows six rows (the late activities first) and the count of the rest; every
    row is in the speaker notes."""
    document = copy.deepcopy(sample_document)
    section = document.sections()["activities"]
    rows = [(f"Kegiatan nomor {n}", "1 Januari 2023", "31 Maret 2023", "Selesai", "100,0 %") for n in range(60)]
    position = next(i for i, block in enumerate(section.blocks) if isinstance(block, Table))
    section.blocks[position] = Table(section.blocks[position].headers, rows, numeric=(4,))
    deck = pptx.Presentation(io.BytesIO(pptx_bytes(document, "0" * 64)))
    slide = next(s for s in deck.slides if slide_title(s) == section.title)
    (table,) = [shape.table for shape in slide.shapes if shape.has_table]
    assert [table.cell(r, 0).text for r in range(1, len(table.rows))] == [row[0] for row in rows[:6]]
    assert text("deck.more_in_notes", "id", count=54) in [s.text_frame.text for s in slide.shapes if s.has_text_frame]
    notes = slide.notes_slide.notes_text_frame.text
    assert all(f"{row[0]} |" in notes for row in rows)
    assert shapes_inside(deck) == []


def photo(colour: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), colour).save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


def test_narrative_and_photos_in_both_formats(sample_document):
    """The blocks the evaluator's narrative and photos become: Word's list and quote styles, bold and
    italic runs, pictures with captions; one or two slides of photos in the deck."""
    narrative = Narrative(
        [
            RichParagraph(
                [Run("Kelompok "), Run("sangat aktif", bold=True), Run(" dan "), Run("mandiri", italic=True)]
            ),
            RichParagraph([Run("Pemilahan sampah rutin")], "bullet"),
            RichParagraph([Run("Nasabah bertambah <script>")], "bullet"),
            RichParagraph([Run("Terus dampingi kelompok ini.")], "quote"),
        ]
    )
    photos = [Photo(photo(colour), f"Foto {n}: kegiatan") for n, colour in enumerate(["red", "green"] * 5, 1)]
    document = copy.deepcopy(sample_document)
    document.sections()["findings"].blocks[1:1] = [narrative, *photos]
    word = docx.Document(io.BytesIO(docx_bytes(document, "0" * 64)))
    styled = {p.text: p.style.name for p in word.paragraphs}
    assert styled["Pemilahan sampah rutin"] == "List Bullet" and styled["Terus dampingi kelompok ini."] == "Quote"
    first = next(p for p in word.paragraphs if p.text.startswith("Kelompok sangat aktif"))
    assert [(r.text, bool(r.bold), bool(r.italic)) for r in first.runs][1:4:2] == [
        ("sangat aktif", True, False),
        ("mandiri", False, True),
    ]
    assert "Nasabah bertambah <script>" in styled
    assert (
        sum(p.style.name == "Caption" and re.match(r"Gambar \d+\. Foto ", p.text) is not None for p in word.paragraphs)
        == 10
    )
    deck = pptx.Presentation(io.BytesIO(pptx_bytes(document, "0" * 64)))
    photo_slides = [s for s in deck.slides if slide_title(s) == text("deck.photos", "id")]
    assert 1 <= len(photo_slides) and len(deck.slides) <= 12 and shapes_inside(deck) == []  # as many as room allows
    pictures = [sum(shape.shape_type == 13 for shape in slide.shapes) for slide in photo_slides]
    assert pictures == [4] * len(photo_slides)
    html = to_html([narrative]).markup
    assert "<ul><li>Pemilahan sampah rutin</li><li>Nasabah bertambah &lt;script&gt;</li></ul>" in html
    assert "<strong>sangat aktif</strong>" in html and "<blockquote>" in html


def test_the_sample_narrative_photos_and_judgement_reach_word_and_the_deck(office_run, tmp_path):
    """The evaluator's content of the sample (sheets narasi, dokumentasi, penilaian_dac) in the files the run wrote:
    the same text and photos as the HTML report, in Word's styles and on the deck's slides."""
    _, out, _ = office_run
    sample = load_workbook("sample")
    stories = {entry.section: entry.text for entry in evaluator.narrative(sample, "BSM-01", 2023)}
    shown = list(evaluator.photos(sample, "BSM-01", 2023))
    assert len(shown) == 3 and {"budget", "activities", "conclusion"} <= set(stories)
    word = docx.Document(out / "BSM-01.docx")
    paragraphs = [p.text for p in word.paragraphs]
    assert stories["activities"] in paragraphs
    conclusion = next(p for p in word.paragraphs if p.text.startswith("Kelompok siap dikurangi"))
    assert [(r.text, bool(r.bold)) for r in conclusion.runs][1] == ("siap dikurangi pendampingannya", True)
    assert "— Evaluator (rekaan)" in paragraphs
    quote = next(p for p in word.paragraphs if p.text.startswith("Dulu sampah kami buang ke parit."))
    assert quote.style.name == "Quote"
    captions = [p.text for p in word.paragraphs if p.style.name == "Caption"]
    for photo in shown:
        assert any(c.endswith(f". {photo.caption} ({format_date(photo.date, 'id')})") for c in captions)
    html = (out / "BSM-01.html").read_text(encoding="utf-8")
    assert html.count('<figure class="tjsl-photo">') == len(shown)
    deck = pptx.Presentation(out / "BSM-01.pptx")
    on_slides = " ".join(s.text_frame.text for slide in deck.slides for s in slide.shapes if s.has_text_frame)
    notes = " ".join(slide.notes_slide.notes_text_frame.text for slide in deck.slides if slide.has_notes_slide)
    assert "siap dikurangi pendampingannya" in notes and stories["activities"] in notes  # the conclusion: closing
    assert text("deck.discussion", "id") in on_slides
    photo_slides = [s for s in deck.slides if slide_title(s) == text("deck.photos", "id")]
    assert sum(shape.shape_type == 13 for slide in photo_slides for shape in slide.shapes) == len(shown)
    judged = GroupReport(sample.for_group("KSB-04"), "KSB-04", 2023, "id", review=REVIEW).document()
    dac = docx.Document(io.BytesIO(docx_bytes(judged, "0" * 64)))
    table = next(t for t in dac.tables if t.rows[0].cells[0].text == text("dac.criterion", "id"))
    assert table.rows[0].cells[-1].text == text("dac.judged", "id")
    cells = [row.cells[-1].text for row in table.rows[1:]]
    justification = dac_judgements(sample, "KSB-04", 2023)["dampak"].justification
    assert any(text("dac.differs", "id") in cell and justification in cell for cell in cells)
    assert text("dac.judgement_stands", "id") in [p.text for p in dac.paragraphs]

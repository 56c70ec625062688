"""The FGD decks as a room sees them (#25), read back with python-pptx: slide counts within the
limits, text sizes, native charts carrying the figures of metrics.json, slide numbers, nothing
outside a slide, the draft mark, bilingual, the same bytes on every build, LibreOffice's print."""

import io
import re
import subprocess

import pptx
import pytest
from conftest import needs
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pptx.util import Pt

from tjsl_eval.common.messages import text
from tjsl_eval.inputs.synthetic import write_synthetic_workbook
from tjsl_eval.inputs.workbook import load_workbook
from tjsl_eval.methods import evaluation
from tjsl_eval.render.deck_design import SMALL_TEXT
from tjsl_eval.render.deck_portfolio import ranked
from tjsl_eval.render.document import Table
from tjsl_eval.render.portfolio_report import PortfolioReport
from tjsl_eval.render.pptx_deck import pptx_bytes
from tjsl_eval.render.report import GroupReport

REVIEW = {"title": "Evaluasi TJSL 2023", "organiser": "Unit TJSL", "fgd_date": "2024-01-16", "venue": "Balikpapan"}


@pytest.fixture(scope="module")
def sample():
    return load_workbook("sample")


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    """A synthetic review of 30 groups (as ``tjsl-eval sample --groups 30`` writes it)."""
    return load_workbook(str(write_synthetic_workbook(tmp_path_factory.mktemp("s") / "review.xlsx", 30, seed=3)))


def group_deck(workbook, group_id: str, language: str = "id"):
    document = GroupReport(workbook.for_group(group_id), group_id, 2023, language, review=REVIEW).document()
    return document, pptx.Presentation(io.BytesIO(pptx_bytes(document, "0" * 64)))


def portfolio_deck(workbook, language: str = "id"):
    document = PortfolioReport(workbook, 2023, language, review=REVIEW).document()
    return document, pptx.Presentation(io.BytesIO(pptx_bytes(document, "0" * 64)))


def readability_problems(deck) -> list[str]:
    """Runs below 18 pt (14 pt in tables, charts, footers, captions, badges), shapes past the slide, slides without
    a slide number, pictures of charts."""
    problems = []
    for number, slide in enumerate(deck.slides, 1):
        xml = slide.shapes._spTree.xml
        if 'type="slidenum"' not in xml:
            problems.append(f"{number}: no slide number")
        for shape in slide.shapes:
            inside = 0 <= shape.left and 0 <= shape.top
            inside = inside and shape.left + shape.width <= deck.slide_width
            if not inside or shape.top + shape.height > deck.slide_height:
                problems.append(f"{number}: {shape.name} outside the slide")
            if shape.has_text_frame:
                least = 14 if shape.name in SMALL_TEXT else 18
                runs = [run for paragraph in shape.text_frame.paragraphs for run in paragraph.runs]
            elif shape.has_table:
                least = 14
                runs = [
                    r for row in shape.table.rows for c in row.cells for p in c.text_frame.paragraphs for r in p.runs
                ]
            elif shape.has_chart:
                least, runs = 14, []
                sizes = [int(size) for size in re.findall(r'<a:defRPr[^>]* sz="(\d+)"', shape.chart._chartSpace.xml)]
                if not sizes or min(sizes) < 1400:
                    problems.append(f"{number}: chart text {sizes}")
            else:
                runs = []
            for run in runs:
                if run.text.strip() and (run.font.size is None or run.font.size < Pt(least)):
                    problems.append(f"{number}: {shape.name} {run.text[:30]!r} at {run.font.size}")
    return problems


def charts(deck) -> list:
    return [shape.chart for slide in deck.slides for shape in slide.shapes if shape.has_chart]


@pytest.mark.parametrize("language", ["id", "en"])
def test_group_deck_is_readable_and_within_twelve_slides(sample, language):
    document, deck = group_deck(sample, "KSB-04", language)
    assert deck.slide_width * 9 == deck.slide_height * 16
    assert 8 <= len(deck.slides) <= 12
    assert readability_problems(deck) == []
    shown = "\n".join(s.text_frame.text for slide in deck.slides for s in slide.shapes if s.has_text_frame)
    assert "Kampung Siaga Bencana" in shown and text("deck.discussion", language) in shown
    assert (text("deck.draft", language) in shown) == document.draft  # not approved in the sample: a draft
    assert "SDG 13" in " ".join(s.text_frame.text for s in deck.slides[0].shapes if s.has_text_frame)
    notes = " ".join(slide.notes_slide.notes_text_frame.text for slide in deck.slides if slide.has_notes_slide)
    (findings,) = [block for block in document.sections()["findings"].blocks if isinstance(block, Table)]
    column = [str(header) for header in findings.headers].index(text("finding.finding", language))
    assert findings.rows and all(str(row[column]) in notes for row in findings.rows)  # every finding in the notes


def test_every_chart_is_native_with_the_figures_of_metrics_json(sample):
    """The budget chart's series are the group's planned and realised budget of last year and this year, as
    ``group_metrics`` (metrics.json's entry) has them; a realisation outside the absorption band is warned of."""
    entry = evaluation.group_metrics(sample, "KSB-04", 2023, as_of=evaluation.judged_at(REVIEW["fgd_date"], 2023))
    _, deck = group_deck(sample, "KSB-04")
    for slide in deck.slides:  # pictures are photos only: no chart is an image
        if any(shape.shape_type == MSO_SHAPE_TYPE.PICTURE for shape in slide.shapes):
            assert text("deck.photos", "id") in [s.text_frame.text for s in slide.shapes if s.has_text_frame]
    (budget,) = charts(deck)
    planned, realized = budget.plots[0].series
    before = entry["previous_year"]
    assert list(planned.values) == [before["budget_planned"], entry["budget_planned"]]
    assert list(realized.values) == [before["budget_realized"], entry["budget_realized"]]
    assert list(budget.plots[0].categories) == ["2022", "2023"]
    assert budget.plots[0].data_labels.number_format == '[$-421]"Rp "#,##0'
    warned = realized.points[1].format.fill.fore_color.rgb  # 54.9 % absorbed: outside 80–100 %
    assert str(warned) == "C0392B" and entry["budget_absorption_pct"] < 80


def test_portfolio_ranking_charts_carry_every_group_figure(sample):
    document, deck = portfolio_deck(sample)
    assert len(deck.slides) <= 15 and readability_problems(deck) == []
    entries = document.figures["group_entries"]
    found = {chart.plots[0].series[0].name: chart for chart in charts(deck) if len(chart.plots[0].series) == 1}
    key = "indicator_achievement_pct"
    chart = found[text(f"metric.{key}", "id")]
    assert list(chart.plots[0].series[0].values) == [entry[key] for _, entry in ranked(entries, key)]
    assert len(chart.plots[0].series[0].values) == len([e for e in entries.values() if e[key] is not None])


def test_thirty_groups_stay_within_the_limits(synthetic):
    document, deck = portfolio_deck(synthetic, "en")
    assert len(document.figures["group_entries"]) >= 25
    assert len(deck.slides) <= 15 and readability_problems(deck) == []
    assert all(len(chart.plots[0].categories) <= 10 for chart in charts(deck))  # five best, five lowest
    for group_id in synthetic.group_ids[:3]:
        _, deck = group_deck(synthetic, group_id)
        assert len(deck.slides) <= 12 and readability_problems(deck) == []


def test_draft_mark_on_the_first_slide_and_same_bytes_twice(sample):
    document = GroupReport(sample.for_group("BSM-01"), "BSM-01", 2023, "en", review=REVIEW).document()
    document.draft = True  # no approval yet (the report's Document.draft)
    first = pptx_bytes(document, "0" * 64)
    assert first == pptx_bytes(document, "0" * 64)
    deck = pptx.Presentation(io.BytesIO(first))
    cover = " ".join(s.text_frame.text for s in deck.slides[0].shapes if s.has_text_frame)
    assert "DRAFT" in cover


def test_reference_layouts_and_placeholders_are_used(sample, tmp_path):
    company = pptx.Presentation()
    company.slide_width, company.slide_height = pptx.util.Inches(13.333), pptx.util.Inches(7.5)
    company.slide_layouts[0].name = "PT Contoh: sampul"
    company.slide_layouts[5].name = "PT Contoh: judul saja"
    company.save(tmp_path / "company.pptx")
    document = GroupReport(sample.for_group("KSB-04"), "KSB-04", 2023, "id", review=REVIEW).document()
    deck = pptx.Presentation(io.BytesIO(pptx_bytes(document, "0" * 64, tmp_path / "company.pptx")))
    layouts = [slide.slide_layout.name for slide in deck.slides]
    assert layouts[0] == layouts[-1] == "PT Contoh: sampul" and layouts[1] == "Title and Content"
    assert set(layouts[2:-1]) == {"PT Contoh: judul saja"}
    assert all(slide.shapes.title is not None and slide.shapes.title.text_frame.text for slide in deck.slides)
    (messages,) = [shape for shape in deck.slides[1].placeholders if shape.placeholder_format.idx == 1]
    assert messages.text_frame.paragraphs[0].runs[0].font.size >= Pt(18)  # the key messages in the layout's own
    assert all(
        not shape.is_placeholder or shape.text_frame.text
        for slide in deck.slides
        for shape in slide.shapes
        if shape.has_text_frame
    )  # no empty placeholder shows its prompt
    assert readability_problems(deck) == []


def test_libreoffice_prints_every_slide_of_the_sample_deck(sample, tmp_path):
    needs("soffice", "pdftoppm", "pdfinfo")
    from test_office import inked_share

    _, deck = group_deck(sample, "KSB-04")
    deck.save(tmp_path / "KSB-04.pptx")
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(tmp_path / "KSB-04.pptx"),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    subprocess.run(["pdftoppm", "-png", "-r", "20", str(tmp_path / "KSB-04.pdf"), str(tmp_path / "p")], check=True)
    shares = [inked_share(png) for png in sorted(tmp_path.glob("p*.png"))]
    assert len(shares) == len(deck.slides) and min(shares) > 0.02, shares


def test_the_brand_colours_font_and_logo(sample, tmp_path):
    """The params' brand on the built-in design: the title bar in its primary colour, its font, its PNG logo on
    every slide."""
    from PIL import Image

    from tjsl_eval.inputs.brand import Brand

    Image.new("RGB", (400, 120), "purple").save(tmp_path / "logo.png")
    brand = Brand("PT Contoh", tmp_path / "logo.png", "#7A1F3D", "#E0B84C", "Carlito")
    document = GroupReport(sample.for_group("KSB-04"), "KSB-04", 2023, "id", review=REVIEW).document()
    deck = pptx.Presentation(io.BytesIO(pptx_bytes(document, "0" * 64, brand=brand)))
    for slide in deck.slides:
        assert sum(shape.shape_type == MSO_SHAPE_TYPE.PICTURE and shape.top < Pt(80) for shape in slide.shapes) == 1
    bar = deck.slides[1].shapes[0]
    assert str(bar.fill.fore_color.rgb) == "7A1F3D" and bar.top == 0 and bar.width == deck.slide_width
    fonts = {
        run.font.name
        for s in deck.slides[1].shapes
        if s.has_text_frame
        for p in s.text_frame.paragraphs
        for run in p.runs
    }
    assert fonts == {"Carlito"} and readability_problems(deck) == []

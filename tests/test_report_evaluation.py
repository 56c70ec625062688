"""Issue #23 on the sample's group reports: they open on an executive summary, every finding has a code, a
specific recommendation, an owner (or says it has none) and a deadline, last year's are followed up, a report
without approval is marked DRAF, and no tool word or raw data key reaches the reader in any format."""

from __future__ import annotations

import datetime as dt
import io
import re
import subprocess
from functools import cache
from pathlib import Path

import docx
import pptx
import pytest
import yaml
from conftest import needs, needs_pdf_engine

from tjsl_eval.common.messages import text
from tjsl_eval.inputs.workbook import load_workbook
from tjsl_eval.render.document import Light, Table, flat_blocks, to_html
from tjsl_eval.render.docx_report import docx_bytes
from tjsl_eval.render.pdf import Record, pdf_bytes
from tjsl_eval.render.pptx_deck import pptx_bytes
from tjsl_eval.render.report import SECTIONS, GroupReport

FORBIDDEN = yaml.safe_load((Path(__file__).parent / "data" / "forbidden_words.yaml").read_text(encoding="utf-8"))
REVIEW = {"title": "Evaluasi TJSL 2023", "organiser": "PT Contoh", "fgd_date": "2024-01-16", "venue": "Balikpapan"}
LANGUAGES = ("id", "en")


@cache
def sample():
    return load_workbook("sample")


@cache
def report(group_id: str, language: str) -> GroupReport:
    return GroupReport(sample().for_group(group_id), group_id, 2023, language, review=dict(REVIEW))


def tables(group_id: str, language: str, key: str) -> list[Table]:
    return [block for block in flat_blocks(report(group_id, language).section(key).blocks) if isinstance(block, Table)]


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_report_opens_on_the_executive_summary(language):
    made = report("KSB-04", language)
    document = made.document()
    assert document.chapters[0].sections[0].key == "executive_summary" == SECTIONS[1]
    html = to_html([block for section in document.sections().values() for block in section.blocks]).markup
    first = re.search(r'<h2 class="tjsl-section" id="section-(\w+)"', html)
    assert first[1] == "executive_summary"
    status, messages, top = tables("KSB-04", language, "executive_summary")
    assert isinstance(status.rows[0][0], Light) and status.rows[0][0].light == made.figures["status"]["light"]
    assert 3 <= len(messages.rows) <= 5 and all(len(row) == 5 for row in messages.rows)  # figure, target, last year
    assert [row[0] for row in top.rows] == [finding["code"] for finding in made.figures["findings"][:3]]
    assert document.chapters[-1].sections[-1].key == "signoff"


@pytest.mark.parametrize("language", LANGUAGES)
def test_last_years_recommendations_are_followed_up_with_an_overdue_one_marked(language):
    (follow_up,) = tables("KSB-04", language, "follow_up")
    assert len(follow_up.rows) == len(report("KSB-04", language).figures["follow_up_previous"]) > 0
    overdue = text("evaluation_report.finding.overdue", language, status="")
    marked = [row[5] for row in follow_up.rows if isinstance(row[5], Light) and row[5].light == "merah"]
    assert marked and all(overdue in cell.text for cell in marked)


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_report_without_approval_is_a_draft_and_an_approved_one_is_not(language):
    draft, approved = report("KSB-04", language), report("BSM-01", language)
    assert draft.document().draft and not approved.document().draft
    mark = text("evaluation_report.cover.draft", language)
    assert mark in draft.html("title").markup and 'class="tjsl-draft"' in draft.html("title").markup
    assert 'class="tjsl-draft"' not in approved.html("title").markup
    assert approved.document().report_date and approved.document().report_date in approved.html("title").markup
    (signoff,) = tables("BSM-01", language, "signoff")
    assert [row[1] for row in signoff.rows] == [a["name"] for a in approved.figures["approvals"]]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("group_id", load_workbook("sample").group_ids)
def test_findings_have_a_code_an_owner_and_recommendations_of_their_own(group_id, language):
    made = report(group_id, language)
    found = made.figures["findings"]
    if not found:
        return
    (table,) = tables(group_id, language, "findings")
    codes = [row[0] for row in table.rows]
    assert codes == [finding["code"] for finding in found] and len(set(codes)) == len(codes)
    recommendations = [row[3] for row in table.rows]
    assert len(set(recommendations)) == len(recommendations), recommendations
    no_owner = text("evaluation_report.finding.no_owner", language)
    for finding, row in zip(found, table.rows, strict=True):
        assert row[4] == ((finding["follow_up"] or {}).get("owner") or no_owner)


def test_every_table_has_a_caption():
    for language in LANGUAGES:
        document = report("KSB-04", language).document()
        for section in document.sections().values():
            for block in flat_blocks(section.blocks):
                assert not isinstance(block, Table) or block.caption, (language, section.key, block.headers)


@cache
def data_words(group_id: str) -> frozenset[str]:
    """Every word the evaluator typed about the group (their texts may hold any word, a key's too)."""
    found = set()
    for table in sample().for_group(group_id).tables.values():
        for column in table.columns:
            for value in table[column]:
                if isinstance(value, str):
                    found.update(re.findall(r"[\w-]+", value.lower()))
    return frozenset(found)


def offending(shown: str, group_id: str, language: str, html: bool = False) -> list[str]:
    """The forbidden words in ``shown`` (but those the group's own data has: the check cannot tell them apart)."""
    words = FORBIDDEN["both"]["tool"] + FORBIDDEN["both"]["keys"] + FORBIDDEN.get(language, {}).get("keys", [])
    found = [
        word
        for word in words
        if word.lower() not in data_words(group_id)
        and re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", shown, re.IGNORECASE)
    ]
    if not html:
        found += [words for words in FORBIDDEN["both"]["html_only"] if words in shown]
    return found


def html_text(group_id: str, language: str) -> str:
    document = report(group_id, language).document()
    markup = to_html([block for section in document.sections().values() for block in section.blocks]).markup
    markup = re.sub(r"<(style|script)>.*?</\1>", " ", markup, flags=re.DOTALL)
    markup = re.sub(r'src="data:[^"]*"', "", markup)
    return re.sub(r"<[^>]+>", "\n", markup).replace("&quot;", '"').replace("&#x27;", "'").replace("&amp;", "&")


def docx_text(group_id: str, language: str) -> str:
    word = docx.Document(io.BytesIO(docx_bytes(report(group_id, language).document(), "0" * 64)))
    parts = [paragraph.text for paragraph in word.paragraphs]
    parts += [cell.text for table in word.tables for row in table.rows for cell in row.cells]
    for section in word.sections:
        parts += [paragraph.text for paragraph in section.header.paragraphs + section.footer.paragraphs]
    return "\n".join(parts)


def pptx_text(group_id: str, language: str) -> str:
    deck = pptx.Presentation(io.BytesIO(pptx_bytes(report(group_id, language).document(), "0" * 64)))
    parts = []
    for slide in deck.slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                parts += [paragraph.text for paragraph in shape.text_frame.paragraphs]
            if shape.has_table:
                parts += [cell.text for row in shape.table.rows for cell in row.cells]
        if slide.has_notes_slide:
            parts.append(slide.notes_slide.notes_text_frame.text)
    return "\n".join(parts)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("group_id", ["BSM-01", "KSB-04"])
def test_no_tool_word_or_raw_key_reaches_the_reader(group_id, language):
    assert offending(html_text(group_id, language), group_id, language, html=True) == []
    assert offending(docx_text(group_id, language), group_id, language) == []
    assert offending(pptx_text(group_id, language), group_id, language) == []


def test_no_tool_word_or_raw_key_in_the_printed_report(tmp_path):
    """The report's page printed as the batch prints it (pdftotext): the tool words and keys, which no data
    holds here."""
    needs_pdf_engine()
    needs("pdftotext")
    for language in LANGUAGES:
        document = report("KSB-04", language).document()
        body = to_html([block for section in document.sections().values() for block in section.blocks]).markup
        page = f'<html lang="{language}"><body>{body}</body></html>'
        record = Record("KSB-04", "PT Contoh", "Evaluasi", language, dt.date(2024, 1, 16), "{}", draft=document.draft)
        printed = tmp_path / f"{language}.pdf"
        printed.write_bytes(pdf_bytes(page, record))
        shown = subprocess.run(["pdftotext", str(printed), "-"], capture_output=True, text=True, check=True).stdout
        assert "DRAF" in shown  # the draft mark of a report not approved
        words = FORBIDDEN["both"]["tool"] + FORBIDDEN["both"]["keys"]
        assert [word for word in words if re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", shown, re.I)] == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_portfolio_opens_on_its_summary_and_closes_on_its_sign_off(language):
    from tjsl_eval.render.portfolio_report import PortfolioReport

    summary = PortfolioReport(sample(), 2023, language, review=dict(REVIEW))
    document = summary.document()
    keys = [section.key for chapter in document.chapters for section in chapter.sections]
    assert keys[0] == "executive_summary" and keys[-3:] == ["method", "glossary", "signoff"]
    assert document.draft  # the sample's whole review has no approved row
    assert 'class="tjsl-draft"' in summary.title().markup
    shown = summary.executive_summary().markup
    assert text("evaluation_report.top.title", language) in shown and "tjsl-light" in shown
    assert offending(summary.method().markup, "BSM-01", language, html=True) == []


def test_the_fgd_section_lists_every_earlier_input_still_open_with_overdue_ones_marked():
    """KSB-04's BPBD inputs of the 2021 and 2022 FGDs, overdue, appear in its own FGD section (issue #23)."""
    made = report("KSB-04", "id")
    _, still_open = tables("KSB-04", "id", "fgd")
    earlier = [row for row in made.figures["fgd_open_inputs"] if row["year"] < 2023]
    assert [row[0] for row in still_open.rows] == [row["year"] for row in earlier] == [2021, 2022]
    assert all(isinstance(row[4], Light) and row[4].light == "merah" for row in still_open.rows)
    counts = text("evaluation_report.fgd.counts", "id", new=2, open=2, overdue=2)
    assert counts in made.html("fgd").markup

"""The Word report's page grouping on a small constructed case (issue #24): a wide table that needs landscape
pages, after a table that fits the portrait page but begins on a page of short text and runs over onto the
next, takes that page's text along rather than leave it alone on a nearly empty page (the portfolio's
evaluator's note, left on a page 30 % full)."""

import docx
from docx.oxml.ns import qn

from tjsl_eval.inputs.brand import DEFAULT_BRAND
from tjsl_eval.render.document import Paragraph, Table
from tjsl_eval.render.docx_pages import ends_page, last_page
from tjsl_eval.render.docx_report import THIN, Writing, _a4_portrait, _write_paragraph, _write_table

LONG = "temuan yang perlu ditindaklanjuti oleh kelompok dan pendamping " * 3


def sections(word) -> list[list]:
    """The body's paragraphs and tables, section by section."""
    found = [[]]
    for element in word.element.body:
        if element.tag in (qn("w:p"), qn("w:tbl")):
            found[-1].append(element)
            if element.tag == qn("w:p") and ends_page(element):
                found.append([])
    return found


def test_a_landscape_table_takes_along_the_page_it_would_leave_nearly_empty():
    word = docx.Document()
    _a4_portrait(word.sections[0])
    out = Writing(word, "id", DEFAULT_BRAND, house=True)
    for number in range(41 + 12):  # a full page, then a third of one: the evaluator's note
        _write_paragraph(out, Paragraph(f"Kalimat {number} catatan evaluator."))
    findings = Table(["Kelompok", "Temuan", "Tentang"], [(f"Kelompok {n}", "3 Tinggi", LONG) for n in range(18)])
    _write_table(out, findings)  # fits a portrait page; begins after the note and runs over onto the next
    wide = Table([f"Kolom {n}" for n in range(12)], [[f"{n},5 %" for n in range(12)]] * 3)
    _write_table(out, wide)  # twelve columns: landscape
    portrait, landscape = sections(word)
    section = word.sections[0]
    height = (section.page_height - section.top_margin - section.bottom_margin) / 12700
    width = (section.page_width - section.left_margin - section.right_margin) / 12700
    fill, _ = last_page(portrait[:-1], height, width)  # without the paragraph that ends the section
    assert fill >= THIN  # the portrait pages end full: the note went on with the tables
    moved = "".join(node.text or "" for element in landscape for node in element.iter(qn("w:t")))
    assert "Kalimat 52" in moved and "Kalimat 0 " not in moved
    assert word.sections[0].orientation == 0 and word.sections[1].orientation == 1

"""The Word report's page grouping on a small constructed case (issue #24): a wide table that needs landscape
pages, after a table that fits the portrait page but begins on a page of short text and runs over onto the
next, takes that page's text along rather than leave it alone on a nearly empty page (the portfolio's
evaluator's note, left on a page 30 % full)."""

import io
import re

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


def chart_png(height_px: int) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (600, height_px), "navy").save(buffer, "PNG")
    return buffer.getvalue()


def test_a_picture_s_height_is_estimated_as_libreoffice_lays_it_out(tmp_path):
    """A picture alone in its paragraph takes its height, its line's descent and the paragraph's spacing: the
    estimate (docx_pages) and LibreOffice's print agree within a point, for small and tall pictures."""
    import subprocess

    from conftest import needs
    from docx.shared import Cm

    from tjsl_eval.render.docx_pages import paragraph_height
    from tjsl_eval.render.docx_report import _body_style, _house_styles

    needs("soffice", "pdftotext")
    word = docx.Document()
    _a4_portrait(word.sections[0])
    _house_styles(word, DEFAULT_BRAND)
    body = _body_style(word)
    estimated = [paragraph_height(word.add_paragraph("MARK0", style=body)._p, 481)]
    for number, height in enumerate((150, 300, 600), 1):
        picture = word.add_paragraph("", style=body)
        picture.add_run().add_picture(io.BytesIO(chart_png(height)), width=Cm(12))
        estimated.append(paragraph_height(picture._p, 481))
        estimated.append(paragraph_height(word.add_paragraph(f"MARK{number}", style=body)._p, 481))
    word.save(tmp_path / "pictures.docx")
    subprocess.run(
        ["soffice", f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless", "--convert-to", "pdf"]
        + ["--outdir", str(tmp_path), str(tmp_path / "pictures.docx")],
        check=True,
        capture_output=True,
        timeout=180,
    )
    boxes = subprocess.run(
        ["pdftotext", "-bbox", str(tmp_path / "pictures.pdf"), "-"], capture_output=True, text=True
    ).stdout
    tops = [float(top) for top in re.findall(r'yMin="([0-9.]+)"[^>]*>MARK\d<', boxes)]
    laid_out = [after - before for before, after in zip(tops, tops[1:], strict=False)]
    estimate = [estimated[2 * n] + estimated[2 * n + 1] for n in range(3)]  # a mark's line and the picture after it
    assert len(laid_out) == 3 and all(abs(a - b) <= 1.0 for a, b in zip(laid_out, estimate, strict=True)), (
        laid_out,
        estimate,
    )


def test_a_chart_taller_than_a_landscape_page_is_printed_smaller_or_on_portrait_pages():
    from tjsl_eval.render.charts import SHRINK_LIMIT
    from tjsl_eval.render.docx_report import CHART_WIDTH, _page_height_pt, _write_picture

    word = docx.Document()
    _a4_portrait(word.sections[0])
    out = Writing(word, "id", DEFAULT_BRAND, house=True)
    _write_table(out, Table([f"Kolom {n}" for n in range(12)], [[f"{n},5 %" for n in range(12)]] * 3))  # landscape
    assert out.landscape
    _write_picture(out, chart_png(620), "Sedikit lebih tinggi", CHART_WIDTH)  # 600 × 620 px: 16.5 cm tall
    _write_picture(out, chart_png(900), "Jauh lebih tinggi", CHART_WIDTH)  # 24 cm
    shapes = word.inline_shapes
    room = _page_height_pt(word, landscape=True) * 12700
    assert shapes[0].height <= room and shapes[0].width >= CHART_WIDTH * SHRINK_LIMIT  # smaller, text still ≥ 7 pt
    assert shapes[1].width == CHART_WIDTH and not out.landscape  # too tall even so: on a portrait page, whole
    assert [section.orientation for section in word.sections] == [1, 0]  # the table turned the first section

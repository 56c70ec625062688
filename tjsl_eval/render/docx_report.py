"""A report (:class:`~tjsl_eval.render.document.Document`) as an editable Word document.

Written with python-docx, in the company's reference document when there is one (its styles,
fonts, letterhead, page size and margins; its body text is dropped), else in python-docx's
template on A4 portrait. The cover, a table of contents field Word updates, Heading 1 per
chapter and Heading 2 per section, real tables (header row repeated on each page, numbers
right-aligned), charts as pictures with their title as a caption, and the data fingerprint and
page number in the footer. Every text is written as literal text: never a field, a link or a
formula. Each kind of block has its writer in :data:`BLOCK_WRITERS`.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from pathlib import Path

from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt, RGBColor
from docx.table import _Cell

from tjsl_eval.common.files import write_atomic
from tjsl_eval.common.messages import text
from tjsl_eval.common.xml_text import xml_safe_copy
from tjsl_eval.render.document import (
    Beside,
    Chart,
    Cover,
    Document,
    Gallery,
    Heading,
    Judgement,
    Light,
    Narrative,
    Paragraph,
    Photo,
    Raw,
    Table,
)
from tjsl_eval.render.office import column_widths, drop_thumbnail, open_reference, saved, set_core_properties

LIGHT_FILLS = {"hijau": "CDEBD3", "kuning": "FBE7A6", "merah": "F6C1BB", "none": "E4E4E4"}
HEADER_FILL = "DCE6F0"
BANNER_FILL = "FFF4D6"
LABEL_COLOUR = RGBColor(0x1F, 0x5F, 0x8B)
CHART_WIDTH = Cm(16)
SMALL_TABLE_COLUMNS = 6  # wider tables are set in a smaller font to fit the page
WIDE_TABLE_COLUMNS = 8  # wider tables go on landscape pages


def docx_bytes(report: Document, fingerprint: str, reference: Path | None = None) -> bytes:
    """The Word document of ``report``, in ``reference``'s styles when given; the same bytes for the same report."""
    report = xml_safe_copy(report)  # no text can make the writer fail
    word = open_reference(reference, "docx")
    body = word.element.body
    for child in list(body):  # the template's own text goes; its last section (page, margins) stays
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    if reference is None:
        _a4_portrait(word.sections[0])
    drop_thumbnail(word.part.package)
    _write_footer(word.sections[-1], word, fingerprint, report.language)  # before any section is added: they share it
    _write_cover(word, report)
    for chapter in report.chapters:
        _add_paragraph(word, chapter.title, _paragraph_style(word, "Heading 1"))
        for section in chapter.sections:
            for block in section.blocks:
                BLOCK_WRITERS[type(block)](word, block)
    _update_fields_on_open(word)
    set_core_properties(
        word.core_properties, report.cover.title, report.front.review_title, report.language, f"sha256:{fingerprint}"
    )
    return saved(word)


def write_docx(report: Document, path: Path, fingerprint: str, reference: Path | None = None) -> None:
    """Write ``report`` to ``path`` (atomically) as a Word document."""
    write_atomic(path, docx_bytes(report, fingerprint, reference))


def _a4_portrait(section) -> None:
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(22)
    section.top_margin, section.bottom_margin = Mm(22), Mm(20)


def _paragraph_style(word, name: str):
    """The paragraph style ``name`` of the document; one based on Normal is added when the
    reference lacks it (a heading gets its outline level, for the navigation pane and the contents)."""
    styles = word.styles
    try:
        return styles[name]
    except KeyError:
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = styles["Normal"]
        if name.startswith("Heading "):
            level = int(name.split()[1])
            style.font.bold = True
            style.font.size = Pt({1: 16, 2: 13}.get(level, 12))
            style.paragraph_format.space_before = Pt(12)
            style.paragraph_format.keep_with_next = True
            outline = OxmlElement("w:outlineLvl")
            outline.set(qn("w:val"), str(level - 1))
            style.element.get_or_add_pPr().append(outline)
        elif name == "Caption":
            style.font.italic = True
            style.font.size = Pt(9)
        return style


def _add_paragraph(word, words: str, style):
    """A paragraph of ``words`` in ``style`` (set by its id: python-docx's style setter searches every style)."""
    paragraph = word.add_paragraph(words)
    paragraph._p.get_or_add_pPr().style = style.style_id
    return paragraph


def _body_style(word):
    """The body text style: "Body Text" when the document has it, else "Normal"."""
    try:
        return word.styles["Body Text"]
    except KeyError:
        return word.styles["Normal"]


def _shade(properties, fill: str) -> None:
    """A background colour on a paragraph's or a cell's properties."""
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    properties.append(shading)


def _write_cover(word, report: Document) -> None:
    """The cover: the review's title, the report's, its facts as a table, the notice, the contents field."""
    cover, language = report.front, report.language
    if cover.review_title:
        _add_paragraph(word, cover.review_title, _paragraph_style(word, "Subtitle"))
    _add_paragraph(word, cover.title, _paragraph_style(word, "Title"))
    _write_table(word, Table(["", ""], [(name, str(value)) for name, value in cover.facts]), header=False)
    if cover.notice:
        _write_paragraph(word, Paragraph(cover.notice, "banner"))
    _add_paragraph(
        word, cover.contents_title or text("contents.title", language), _paragraph_style(word, "TOC Heading")
    )
    _write_contents_field(word, report)
    word.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _field(paragraphs: Sequence, instruction: str, shown: Sequence[str], dirty: bool = False) -> None:
    """A Word field made by the report (``instruction``, e.g. ``PAGE``) over ``paragraphs``, showing
    ``shown`` (a text per paragraph) until Word updates it."""

    def mark(paragraph, kind: str) -> None:
        character = OxmlElement("w:fldChar")
        character.set(qn("w:fldCharType"), kind)
        if kind == "begin" and dirty:
            character.set(qn("w:dirty"), "true")
        paragraph.add_run()._r.append(character)

    mark(paragraphs[0], "begin")
    code = OxmlElement("w:instrText")
    code.set(qn("xml:space"), "preserve")
    code.text = f" {instruction} "
    paragraphs[0].add_run()._r.append(code)
    mark(paragraphs[0], "separate")
    for paragraph, words in zip(paragraphs, shown, strict=True):
        paragraph.add_run(words)
    mark(paragraphs[-1], "end")


def _write_contents_field(word, report: Document) -> None:
    """The table of contents: a TOC field of Heading 1–2, marked to be updated when the document is
    opened; until then it lists the chapters and sections (without page numbers)."""
    entries = [
        entry
        for chapter in report.chapters
        for entry in [(chapter.title, 0), *((section.title, 1) for section in chapter.sections)]
    ]
    paragraphs = [_add_paragraph(word, "", _body_style(word)) for _ in entries]
    for paragraph, (_, level) in zip(paragraphs, entries, strict=True):
        paragraph.paragraph_format.left_indent = Cm(0.8 * level)
        paragraph.paragraph_format.space_after = Pt(0)
    _field(paragraphs, 'TOC \\o "1-2" \\h \\z \\u', [title for title, _ in entries], dirty=True)


def _update_fields_on_open(word) -> None:
    """Ask Word to update the fields (the contents' page numbers) when it opens the document."""
    settings = word.settings.element
    if settings.find(qn("w:updateFields")) is None:
        update = OxmlElement("w:updateFields")
        update.set(qn("w:val"), "true")
        settings.append(update)


def _write_footer(section, word, fingerprint: str, language: str) -> None:
    """The data fingerprint and the page number in the footer (after the reference's own footer)."""
    footer = section.footer
    paragraph = footer.add_paragraph() if footer.paragraphs[0].text else footer.paragraphs[0]
    paragraph._p.get_or_add_pPr().style = _paragraph_style(word, "Footer").style_id
    run = paragraph.add_run(f"{text('footer.data', language)}: {fingerprint[:16]}…   ")
    run.font.size = Pt(8)
    _field([paragraph], "PAGE", ["1"])


def _write_heading(word, block: Heading) -> None:
    _add_paragraph(word, block.title, _paragraph_style(word, f"Heading {min(block.level, 9)}"))


def _write_paragraph(word, block: Paragraph) -> None:
    paragraph = _add_paragraph(word, "", _body_style(word))
    if block.lead:
        paragraph.add_run(block.lead + " ").bold = True
    run = paragraph.add_run(block.text)
    if block.kind == "note":
        run.italic = True
        run.font.color.rgb = RGBColor(0x55, 0x55, 0x55)
    elif block.kind == "banner":
        run.bold = True
        _shade(paragraph._p.get_or_add_pPr(), BANNER_FILL)
    elif block.kind.endswith("-label"):  # over the evaluator's narrative or photos
        run.bold = True
        run.font.color.rgb = LABEL_COLOUR
        paragraph.paragraph_format.keep_with_next = True


def _write_chart(word, block: Chart) -> None:
    _write_picture(word, block.png, block.title, CHART_WIDTH)


def _write_picture(word, image: bytes, caption: str, width: int) -> None:
    """A picture kept with its caption below it (Word's "Caption" style)."""
    picture = _add_paragraph(word, "", _body_style(word))
    picture.paragraph_format.keep_with_next = True
    picture.add_run().add_picture(io.BytesIO(image), width=width)
    _add_paragraph(word, caption, _paragraph_style(word, "Caption"))


def _write_cell(cell, value: object, numeric: bool, bold: bool, size: Pt | None) -> None:
    paragraph = cell.paragraphs[0]
    run = paragraph.add_run(str(value))
    run.bold = bold or None
    if size:
        run.font.size = size
    if numeric:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    light = value.light if isinstance(value, Judgement) else value
    if isinstance(light, Light):
        _shade(cell._tc.get_or_add_tcPr(), LIGHT_FILLS.get(light.light, LIGHT_FILLS["none"]))


def _write_wide_table(word, block: Table) -> None:
    """A table of many columns on landscape pages of their own (the same margins, header and footer),
    the headings just before it moved along, so that none stays alone at the foot of a page."""
    body = word.element.body
    headings = []
    while len(body) > 1 and _is_heading(word, body[-2]):  # body[-1] is the last section's properties
        headings.insert(0, body[-2])
        body.remove(body[-2])
    _new_section(word, WD_ORIENT.LANDSCAPE)
    for heading in headings:
        body.sectPr.addprevious(heading)
    _write_table(word, block)
    _new_section(word, WD_ORIENT.PORTRAIT)


def _is_heading(word, element) -> bool:
    style = element.style if element.tag == qn("w:p") else None
    return bool(style) and word.styles.get_by_id(style, WD_STYLE_TYPE.PARAGRAPH).name.startswith("Heading")


def _new_section(word, orientation) -> None:
    last = word.sections[-1]
    section = word.add_section(WD_SECTION.NEW_PAGE)
    short, long = sorted((last.page_width, last.page_height))
    section.orientation = orientation
    section.page_width, section.page_height = (long, short) if orientation == WD_ORIENT.LANDSCAPE else (short, long)


def _write_any_table(word, block: Table) -> None:
    if len(block.headers) > WIDE_TABLE_COLUMNS:
        _write_wide_table(word, block)
    else:
        _write_table(word, block)


def _write_table(word, block: Table, header: bool = True) -> None:
    """A real Word table: header row repeated on each page and shaded, numbers right-aligned, footer row bold."""
    rows = [list(row) for row in block.rows] + ([list(block.footer)] if block.footer is not None else [])
    columns = len(block.headers)
    table = word.add_table(rows=len(rows) + header, cols=columns)
    try:
        table._tbl.tblPr.style = word.styles["Table Grid"].style_id  # by id: python-docx's setter is slow
    except KeyError:
        _borders(table)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    size = Pt(8) if columns > SMALL_TABLE_COLUMNS else Pt(9.5)
    cells = [[_Cell(tc, table) for tc in tr.tc_lst] for tr in table._tbl.tr_lst]  # python-docx's .cells is slow
    if header:
        table._tbl.tr_lst[0].get_or_add_trPr().append(OxmlElement("w:tblHeader"))
        for index, (cell, value) in enumerate(zip(cells[0], block.headers, strict=True)):
            _write_cell(cell, value, index in block.numeric, True, size)
            _shade(cell._tc.get_or_add_tcPr(), HEADER_FILL)
    footer_index = len(rows) - 1 if block.footer is not None else -1
    for row_index, values in enumerate(rows):
        for index, value in enumerate(values):
            _write_cell(
                cells[row_index + header][index], value, index in block.numeric, row_index == footer_index, size
            )
    _column_widths(word, table, cells, [block.headers, *rows])
    _add_paragraph(word, "", _body_style(word)).paragraph_format.space_after = Pt(2)


def _column_widths(word, table, cells: list[list], rows: list) -> None:
    """Columns as wide as their text needs, across the text width."""
    section = word.sections[-1]
    available = section.page_width - section.left_margin - section.right_margin
    table.autofit = False
    widths = column_widths([[str(value) for value in row] for row in rows], available)
    for grid, width in zip(table._tbl.tblGrid.gridCol_lst, widths, strict=True):
        grid.w = width  # LibreOffice reads the grid, Word the cells
    for row in cells:
        for cell, width in zip(row, widths, strict=True):
            cell.width = width


def _borders(table) -> None:
    """Thin borders on every cell, for a reference document without the "Table Grid" style."""
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        line = OxmlElement(f"w:{edge}")
        for name, value in (("val", "single"), ("sz", "4"), ("space", "0"), ("color", "999999")):
            line.set(qn(f"w:{name}"), value)
        borders.append(line)
    table._tbl.tblPr.append(borders)


LIST_STYLES = {"bullet": "List Bullet", "number": "List Number", "quote": "Quote"}
PHOTO_WIDTH = Cm(12)


def _write_narrative(word, block: Narrative) -> None:
    """The evaluator's text: paragraphs in the body style, list items and quotes in Word's list and quote styles."""
    for paragraph in block.paragraphs:
        style = _paragraph_style(word, LIST_STYLES[paragraph.kind]) if paragraph.kind in LIST_STYLES else None
        written = _add_paragraph(word, "", style or _body_style(word))
        for run in paragraph.runs:
            added = written.add_run(run.text)
            added.bold, added.italic = run.bold or None, run.italic or None
    if block.author:
        author = _add_paragraph(word, f"— {block.author}", _body_style(word))
        author.alignment = WD_ALIGN_PARAGRAPH.RIGHT


def _write_photo(word, block: Photo) -> None:
    _write_picture(word, block.image, block.label, PHOTO_WIDTH)


def _write_gallery(word, block: Gallery) -> None:
    for photo in block.photos:
        _write_photo(word, photo)


def _write_beside(word, block: Beside) -> None:
    """The parts one after the other (a page is too narrow to set a chart beside a table)."""
    for part in block.parts:
        for child in part:
            BLOCK_WRITERS[type(child)](word, child)


def _skip(word, block: Raw) -> None:
    """Markup only the HTML report has (a script)."""


BLOCK_WRITERS: dict[type, Callable] = {
    Heading: _write_heading,
    Paragraph: _write_paragraph,
    Table: _write_any_table,
    Chart: _write_chart,
    Narrative: _write_narrative,
    Photo: _write_photo,
    Gallery: _write_gallery,
    Beside: _write_beside,
    Raw: _skip,
    Cover: lambda word, block: None,  # the cover is written first, by _write_cover
}

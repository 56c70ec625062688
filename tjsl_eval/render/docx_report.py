"""A report (:class:`~tjsl_eval.render.document.Document`) as an editable Word document.

Written with python-docx, in the company's reference document when there is one (its styles,
fonts, letterhead, page size and margins; its body text is dropped), else in python-docx's
template on A4 portrait in the brand's font and colours (:mod:`tjsl_eval.inputs.brand`). The cover,
a table of contents field Word updates and the lists of tables and figures, Heading 1 per chapter and
Heading 2 per section, real tables (columns as wide as their longest word, measured with Carlito's
metrics; header row repeated on each page; numbers right-aligned; "Rp" never parted from its amount;
"Tabel n." above), charts and photos as pictures with "Gambar n." below, landscape pages for the tables
that need the width, the report and review (with the logo, and DRAF on a draft) in the header, the data
fingerprint and "Halaman x dari y" in the footer. Every text from the data is written as literal text:
never a field, a link or a formula. Each kind of block has its writer in :data:`BLOCK_WRITERS`.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Emu, Inches, Mm, Pt, RGBColor
from docx.table import _Cell

from tjsl_eval.common.files import write_atomic
from tjsl_eval.common.messages import text
from tjsl_eval.common.xml_text import xml_safe_copy
from tjsl_eval.inputs.brand import DEFAULT_BRAND, Brand
from tjsl_eval.render.brand_css import tint, unbroken
from tjsl_eval.render.charts import PRINT_WIDTH_IN, SHRINK_LIMIT
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
    flat_blocks,
)
from tjsl_eval.render.docx_pages import (
    EMU_PER_PT,
    ends_page,
    last_page,
    paragraph_height,
    table_height,
)
from tjsl_eval.render.office import drop_thumbnail, open_reference, saved, set_core_properties
from tjsl_eval.render.tables import is_wide
from tjsl_eval.render.text_widths import longest_word, text_width

LIGHT_FILLS = {"hijau": "CDEBD3", "kuning": "FBE7A6", "merah": "F6C1BB", "none": "E4E4E4"}
BANNER_FILL = "FFF4D6"
RULE_COLOUR = "C8D0D8"  # the thin rules between a table's rows
DRAFT_COLOUR = RGBColor(0xB0, 0x00, 0x20)
CHART_WIDTH = Inches(PRINT_WIDTH_IN)
CAPTION_ROOM_PT = 30.0  # a figure's caption, below it
BODY_SIZE = Pt(10)
TABLE_SIZES = (9.0, 8.0, 7.5)  # pt: a table is set in the largest that lets every column hold its longest word
CELL_PADDING_PT = 2 * 5.4 + 3  # Word's cell margins (0.19 cm a side) and slack for LibreOffice's rounding
LANDSCAPE_GAIN = 1.1  # a long table goes landscape where that takes this many times fewer pages (estimated)
LONG = 1.15  # a long table is estimated longer than this many portrait pages (one of about a page stays portrait)
NATURAL_WIDTH_PT = 200  # a column's text is counted up to this width when the room left is shared out
LOGO_BOXES = {"cover": (Mm(80), Mm(16)), "header": (Mm(45), Mm(8))}  # width, height: a logo fits in its box
THIN = 0.5  # no page but the last may end above a third of its height: estimated (docx_pages), with room to spare
FULL = 0.85  # a page estimated fuller may run over: a line or two alone on the next page
STYLED = ("Normal", "Heading 1", "Heading 2", "Heading 3", "Title", "Subtitle", "Caption", "TOC Heading")


@dataclass
class Writing:
    """The document being written and what its writers share: its language and brand, whether the house
    styles apply (no reference document), the captions numbered so far, the page orientation now."""

    word: object
    language: str
    brand: Brand
    house: bool
    logo: bytes | None = None  # the brand's logo as PNG (an SVG one drawn: python-docx places raster pictures)
    tables: list[str] = field(default_factory=list)
    figures: list[str] = field(default_factory=list)
    landscape: bool = False
    last_section: bool = False  # the report's last section (the sign-off) stays on the pages before it


def docx_bytes(
    report: Document, fingerprint: str, reference: Path | None = None, brand: Brand = DEFAULT_BRAND
) -> bytes:
    """The Word document of ``report``, in ``reference``'s styles when given (else the house styles in the
    ``brand``'s font and colours); the same bytes for the same report."""
    report = xml_safe_copy(report)  # no text can make the writer fail
    word = open_reference(reference, "docx")
    body = word.element.body
    for child in list(body):  # the template's own text goes; its last section (page, margins) stays
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    if reference is None:
        _a4_portrait(word.sections[0])
        _house_styles(word, brand)
    drop_thumbnail(word.part.package)
    out = Writing(word, report.language, brand, reference is None, brand.logo_png())
    _write_header(out, report)  # before any section is added: they share header and footer
    _write_footer(out, fingerprint)
    _write_cover(out, report)
    for chapter in report.chapters:
        _orient(out, landscape=False, chapter=True)
        _add_paragraph(word, chapter.title, _paragraph_style(word, "Heading 1"))
        for section in chapter.sections:
            out.last_section = section is report.chapters[-1].sections[-1]
            for block in section.blocks:
                BLOCK_WRITERS[type(block)](out, block)
    _update_fields_on_open(word)
    set_core_properties(
        word.core_properties, report.cover.title, report.front.review_title, report.language, f"sha256:{fingerprint}"
    )
    return saved(word)


def write_docx(
    report: Document, path: Path, fingerprint: str, reference: Path | None = None, brand: Brand = DEFAULT_BRAND
) -> None:
    """Write ``report`` to ``path`` (atomically) as a Word document."""
    write_atomic(path, docx_bytes(report, fingerprint, reference, brand))


def _a4_portrait(section) -> None:
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(20)
    section.top_margin, section.bottom_margin = Mm(22), Mm(20)
    section.header_distance, section.footer_distance = Mm(10), Mm(10)


def _house_styles(word, brand: Brand) -> None:
    """One family (the brand's font) for body and headings, headings in the brand's colour, a compact body."""
    defaults = word.styles.element.find(qn("w:docDefaults"))
    _set_family(defaults.find(qn("w:rPrDefault")).find(qn("w:rPr")), brand.font)
    for name in STYLED:
        style = _paragraph_style(word, name)
        _set_family(style.element.get_or_add_rPr(), brand.font)
        if name.startswith(("Heading", "Title", "TOC")):
            style.font.color.rgb = RGBColor(*brand.rgb("primary"))
    normal = word.styles["Normal"]
    normal.font.size = BODY_SIZE
    normal.paragraph_format.space_after = Pt(4)
    normal.paragraph_format.line_spacing = 1.1
    caption = word.styles["Caption"]
    caption.font.size, caption.font.bold, caption.font.italic = Pt(9), False, False
    caption.font.color.rgb = RGBColor(0x33, 0x3D, 0x47)


def _set_family(properties, family: str) -> None:
    """Set a run-properties element's fonts to ``family`` (theme fonts, e.g. Cambria for the body, dropped)."""
    fonts = properties.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        properties.insert(0, fonts)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(slot), family)


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
    paragraph = word.add_paragraph(unbroken(words))
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


def _write_cover(out: Writing, report: Document) -> None:
    """The cover: the logo, the review's title, the report's, its facts as a table, the notice, the contents
    field and the lists of tables and figures; then a page break, unless the lists run over onto a page they
    would leave nearly empty."""
    word, cover, language = out.word, report.front, report.language
    if out.logo:
        _add_logo(_add_paragraph(word, "", _body_style(word)).add_run(), out.logo, LOGO_BOXES["cover"])
    if cover.review_title:
        _add_paragraph(word, cover.review_title, _paragraph_style(word, "Subtitle"))
    _add_paragraph(word, cover.title, _paragraph_style(word, "Title"))
    _write_table(out, Table(["", ""], [(name, str(value)) for name, value in cover.facts]), header=False)
    if cover.notice:
        _write_paragraph(out, Paragraph(cover.notice, "banner"))
    _add_paragraph(
        word, cover.contents_title or text("contents.title", language), _paragraph_style(word, "TOC Heading")
    )
    _write_contents_field(word, report)
    tables, figures = _captions(report, language)
    for kind, captions in (("table", tables), ("figure", figures)):
        if captions:
            _add_paragraph(word, text(f"documents.list_of_{kind}s", language), _paragraph_style(word, "TOC Heading"))
            _write_list_field(word, _sequence(kind, language), captions)
    portrait = _page_height_pt(word, landscape=False), _text_width_pt(word, landscape=False)
    if last_page(_since_section_start(word.element.body), *portrait)[0] >= THIN:  # else chapter 1 follows on
        word.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _captions(report: Document, language: str) -> tuple[list[str], list[str]]:
    """Every numbered table's and figure's caption as it will be written ("Tabel 1. …"), in order."""
    blocks = [block for chapter in report.chapters for section in chapter.sections for block in section.blocks]
    tables, figures = [], []
    for block in flat_blocks(blocks):
        if isinstance(block, Table) and _table_caption(block):
            tables.append(_caption_text("table", len(tables) + 1, _table_caption(block), language))
        elif isinstance(block, (Chart, Photo)):
            title = block.title if isinstance(block, Chart) else block.label
            figures.append(_caption_text("figure", len(figures) + 1, title, language))
    return tables, figures


def _table_caption(block: Table) -> str:
    return getattr(block, "caption", "")  # Table.caption: what the table shows (issue #23)


def _caption_text(kind: str, number: int, caption: str, language: str) -> str:
    return f"{text(f'documents.{kind}', language, number=number)} {caption}"


def _sequence(kind: str, language: str) -> str:
    """The SEQ field's name of a kind of caption: "Tabel"/"Gambar" (Indonesian), "Table"/"Figure"."""
    return text(f"documents.{kind}", language, number="").rstrip(" .")


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


def _write_list_field(word, sequence: str, captions: list[str]) -> None:
    """A list of tables or figures: a TOC field of the captions numbered by ``sequence``, updated when the
    document is opened; until then it lists the captions."""
    paragraphs = [_add_paragraph(word, "", _body_style(word)) for _ in captions]
    for paragraph in paragraphs:
        paragraph.paragraph_format.space_after = Pt(0)
    _field(paragraphs, f'TOC \\h \\z \\c "{sequence}"', captions, dirty=True)


def _update_fields_on_open(word) -> None:
    """Ask Word to update the fields (the contents' page numbers) when it opens the document."""
    settings = word.settings.element
    if settings.find(qn("w:updateFields")) is None:
        update = OxmlElement("w:updateFields")
        update.set(qn("w:val"), "true")
        settings.append(update)


def _edge_paragraph(out: Writing, part, style: str):
    """A new paragraph in a header or footer (after the reference's own letterhead). It has no tab stop: the
    landscape sections share it, and a stop at the portrait page's right edge would sit mid-page on them."""
    paragraph = part.add_paragraph() if part.paragraphs[0].text else part.paragraphs[0]
    paragraph._p.get_or_add_pPr().style = _paragraph_style(out.word, style).style_id
    return paragraph


def _write_header(out: Writing, report: Document) -> None:
    """The brand's logo, the report's and the review's titles, and DRAF on a draft, on every page."""
    paragraph = _edge_paragraph(out, out.word.sections[-1].header, "Header")
    if out.logo:
        _add_logo(paragraph.add_run(), out.logo, LOGO_BOXES["header"])
        paragraph.add_run("  ")
    if getattr(report, "draft", False):  # Document.draft: no approval yet (issue #23)
        draft = paragraph.add_run(text("documents.draft", out.language) + "  ")
        draft.bold, draft.font.size, draft.font.color.rgb = True, Pt(10), DRAFT_COLOUR
    names = (out.brand.name, report.front.title)
    titles = paragraph.add_run(" · ".join(name for name in names if name))
    titles.font.size = Pt(8)
    titles.font.color.rgb = RGBColor(*out.brand.rgb("primary"))
    if report.front.review_title:  # on a line of its own: a long report title then never wraps into it
        review = paragraph.add_run()
        review.add_break()
        review.add_text(report.front.review_title)
        review.font.size, review.font.color.rgb = Pt(8), RGBColor(*out.brand.rgb("primary"))
    _rule_below(paragraph, out.brand.primary_color.lstrip("#").upper())


def _rule_below(paragraph, colour: str) -> None:
    """A thin rule in ``colour`` (hex RRGGBB) under ``paragraph``, a little below its text (the header's, as the
    PDF's running header has)."""
    borders = _borders("w:pBdr", "bottom", 4, colour, space=4)
    later = ("w:shd", "w:tabs", "w:suppressAutoHyphens", "w:spacing", "w:ind", "w:jc", "w:rPr", "w:sectPr")
    paragraph._p.get_or_add_pPr().insert_element_before(borders, *later)


def _add_logo(run, png: bytes, box: tuple[int, int]) -> None:
    """The logo as large as ``box`` (width, height) allows, its proportions kept: as high as the box, unless
    that would make it wider (a very wide logo)."""
    from PIL import Image

    width, height = box
    with Image.open(io.BytesIO(png)) as image:
        wide = image.width * height > image.height * width
    run.add_picture(io.BytesIO(png), **({"width": width} if wide else {"height": height}))


def _write_footer(out: Writing, fingerprint: str) -> None:
    """The short data fingerprint and "Halaman x dari y", at the right edge of portrait and landscape pages
    alike (after the reference's own footer)."""
    paragraph = _edge_paragraph(out, out.word.sections[-1].footer, "Footer")
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    before, rest = text("documents.page", out.language, page="\0", pages="\1").split("\0")
    between, after = rest.split("\1")
    data = paragraph.add_run(text("documents.data", out.language, fingerprint=fingerprint[:12]) + " · " + before)
    data.font.size = Pt(8)
    _field([paragraph], "PAGE", ["1"])
    paragraph.add_run(between)
    _field([paragraph], "NUMPAGES", ["1"])
    if after:
        paragraph.add_run(after)
    for run in paragraph.runs:
        run.font.size = Pt(8)


def _write_heading(out: Writing, block: Heading) -> None:
    if block.level <= 2 and not out.last_section:  # a turn for the last section would end a page early
        _orient(out, landscape=False)
    _add_paragraph(out.word, block.title, _paragraph_style(out.word, f"Heading {min(block.level, 9)}"))


def _write_paragraph(out: Writing, block: Paragraph) -> None:
    paragraph = _add_paragraph(out.word, "", _body_style(out.word))
    if block.lead:
        paragraph.add_run(unbroken(block.lead) + " ").bold = True
    run = paragraph.add_run(unbroken(block.text))
    if block.kind == "note":
        run.italic = True
        run.font.color.rgb = RGBColor(0x55, 0x55, 0x55)
    elif block.kind == "banner":
        run.bold = True
        _shade(paragraph._p.get_or_add_pPr(), BANNER_FILL)
    elif block.kind.endswith("-label"):  # over the evaluator's narrative or photos
        run.bold = True
        run.font.color.rgb = RGBColor(*out.brand.rgb("primary"))
        paragraph.paragraph_format.keep_with_next = True


def _write_chart(out: Writing, block: Chart) -> None:
    _write_picture(out, block.png, block.title, CHART_WIDTH)


def _write_picture(out: Writing, image: bytes, caption: str, width: int) -> None:
    """A picture kept with its numbered caption below it ("Gambar n.", Word's Caption style). On landscape pages,
    one taller than the page (a ranking of many groups) is printed smaller, down to :data:`SHRINK_LIMIT` of its
    width, else on portrait pages."""
    picture = _add_paragraph(out.word, "", _body_style(out.word))
    picture.paragraph_format.keep_with_next = True
    shape = picture.add_run().add_picture(io.BytesIO(image), width=width)
    if out.landscape:  # room for it with its caption and the headings kept with it
        width_pt = _text_width_pt(out.word, landscape=True)
        headings = _headings_at_end(out.word, _since_section_start(out.word.element.body)[:-1])
        room = _page_height_pt(out.word, landscape=True) - CAPTION_ROOM_PT
        room -= sum(paragraph_height(heading, width_pt) for heading in headings)
        scale = min(1.0, room / (shape.height / EMU_PER_PT))
        if scale >= SHRINK_LIMIT:
            shape.width, shape.height = round(shape.width * scale), round(shape.height * scale)
        else:
            picture._p.getparent().remove(picture._p)
            _orient(out, landscape=False, forced=True)
            out.word.element.body.sectPr.addprevious(picture._p)
    out.figures.append(caption)
    _write_caption(out, "figure", len(out.figures), caption)


def _write_caption(out: Writing, kind: str, number: int, caption: str):
    """A caption "Tabel n. …" / "Gambar n. …" whose number is a SEQ field (its cached value the right number)."""
    paragraph = _add_paragraph(out.word, "", _paragraph_style(out.word, "Caption"))
    label, _ = text(f"documents.{kind}", out.language, number="\0").split("\0")
    paragraph.add_run(label).bold = True
    _field([paragraph], f"SEQ {_sequence(kind, out.language)} \\* ARABIC", [str(number)])
    paragraph.runs[-2].bold = True  # the cached number
    paragraph.add_run(".").bold = True
    paragraph.add_run(" " + unbroken(caption))
    return paragraph


def _write_cell(cell, value: object, numeric: bool, bold: bool, size: float) -> None:
    paragraph = cell.paragraphs[0]
    paragraph.paragraph_format.space_after = Pt(0)
    paragraph.paragraph_format.line_spacing = 1.0
    run = paragraph.add_run(unbroken(str(value)))
    run.bold = bold or None
    run.font.size = Pt(size)
    if numeric:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    light = value.light if isinstance(value, Judgement) else value
    if isinstance(light, Light):
        _shade(cell._tc.get_or_add_tcPr(), LIGHT_FILLS.get(light.light, LIGHT_FILLS["none"]))


def _orient(out: Writing, landscape: bool, chapter: bool = False, forced: bool = False) -> None:
    """Continue on landscape (or portrait) pages: a new section on a new page when the orientation changes,
    which takes the headings just before it along, so that none stays alone at a page's foot. Where the
    page so ended would stay nearly empty (:func:`~tjsl_eval.render.docx_pages.last_page`), what is on it
    moves to the landscape pages too (:func:`_moved_along`); back to portrait, the landscape pages go on where
    the last of them would end above :data:`THIN` (also for a new chapter) or, but for a new chapter, beyond
    :data:`FULL` (unless ``forced``: what follows cannot go on a landscape page)."""
    if out.landscape == landscape:
        return
    word, body = out.word, out.word.element.body
    height, width = _page_height_pt(word, out.landscape), _text_width_pt(word, out.landscape)
    since = _since_section_start(body)
    fill, _ = last_page(since, height, width)
    if not landscape and not forced and (fill < THIN or fill > FULL and not chapter):  # the landscape pages go on
        return
    moved = _moved_along(word, body, since, height, width) if landscape else _headings_at_end(word, since)
    orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    out.landscape = landscape
    if len(moved) == len(since):  # the section holds nothing else yet: it turns, no page is left behind
        _turn(word.sections[-1], orientation)
        return
    for element in moved:
        body.remove(element)
    _new_section(word, orientation)
    for element in moved:
        body.sectPr.addprevious(element)
        if landscape and element.tag == qn("w:tbl"):  # laid out for a portrait page: widened to this one
            _widen(element, _text_width_pt(word, landscape=True))


def _moved_along(word, body, since: list, height: float, width: float) -> list:
    """The end of ``since`` that moves to the landscape pages with the table that needs them: where the page left
    behind would end above :data:`THIN`, the last page's elements (with the figure above and the headings before
    them), and again the page before while the page left behind would still (a table that begins on one page and
    runs over onto the next leaves the first ending where the table began); then the rest of their section from
    its heading, where the page left behind stays full enough (the estimate may place a page's end a block or two
    off, and the section's start is a safe place to part). Else the headings at its end."""
    kept = len(since)
    fill, tail = last_page(since, height, width)
    while kept and fill < THIN:
        kept -= len(_with_its_figure(body, tail)) if tail else kept
        kept -= len(_headings_at_end(word, since[:kept]))
        fill, tail = last_page(since[:kept], height, width)
    if kept < len(since):
        heading = next((at for at in range(kept - 1, -1, -1) if _is_section_heading(word, since[at])), None)
        if heading is not None and last_page(since[:heading], height, width)[0] >= THIN:
            kept = heading
    return since[kept - len(_headings_at_end(word, since[:kept])) :]


def _headings_at_end(word, elements: list) -> list:
    """The headings at the end of ``elements``: they go where what follows them goes."""
    at = len(elements)
    while at and _is_heading(word, elements[at - 1]):
        at -= 1
    return elements[at:]


def _is_table_or_figure(element) -> bool:
    return element.tag == qn("w:tbl") or bool(element.findall(".//" + qn("w:drawing")))


def _with_its_figure(body, tail: list) -> list:
    """``tail`` and, when it opens on a figure's caption, the figure above it: a chart never stays on a page
    of its own while its caption and table move on (the page estimate can place the break between them)."""
    at = list(body).index(tail[0])
    while at > 0 and body[at - 1].tag == qn("w:p") and _is_table_or_figure(body[at - 1]):
        at -= 1
        tail = [body[at], *tail]
    return tail


def _since_section_start(body) -> list:
    """The body's paragraphs and tables after the last section break (or page break)."""
    elements = [child for child in body if child.tag in (qn("w:p"), qn("w:tbl"))]
    starts = [i for i, element in enumerate(elements) if element.tag == qn("w:p") and ends_page(element)]
    return elements[starts[-1] + 1 :] if starts else elements


def _is_section_heading(word, element) -> bool:
    """A heading of a chapter or of one of its sections (not of a part of a section)."""
    return _style_name(word, element) in ("Heading 1", "Heading 2")


def _is_heading(word, element) -> bool:
    return _style_name(word, element).startswith("Heading")


def _style_name(word, element) -> str:
    """The name of a paragraph's style ("" for a table or a paragraph in the default style)."""
    style = element.style if element.tag == qn("w:p") else None
    return word.styles.get_by_id(style, WD_STYLE_TYPE.PARAGRAPH).name if style else ""


def _new_section(word, orientation) -> None:
    word.add_section(WD_SECTION.NEW_PAGE)
    _turn(word.sections[-1], orientation)


def _turn(section, orientation) -> None:
    short, long = sorted((section.page_width, section.page_height))
    section.orientation = orientation
    section.page_width, section.page_height = (long, short) if orientation == WD_ORIENT.LANDSCAPE else (short, long)


def _page_height_pt(word, landscape: bool) -> float:
    """The height of the text on a portrait or landscape page, in points."""
    section = word.sections[-1]
    short, long = sorted((section.page_width, section.page_height))
    return ((short if landscape else long) - section.top_margin - section.bottom_margin) / 12700


def _text_width_pt(word, landscape: bool) -> float:
    """The width of the text on a portrait or landscape page, in points."""
    section = word.sections[-1]
    short, long = sorted((section.page_width, section.page_height))
    return ((long if landscape else short) - section.left_margin - section.right_margin) / 12700


def _column_needs(rows: list[list[str]], size: float, header: bool) -> list[float]:
    """Each column's least width (its longest word, bold in the header row) in points, cell margins included."""
    return [
        max(longest_word(row[i], size, bold=header and r == 0) for r, row in enumerate(rows)) + CELL_PADDING_PT
        for i in range(len(rows[0]))
    ]


def table_layout(out: Writing, block: Table, rows: list[list[str]], header: bool) -> tuple[bool, float, list[float]]:
    """Whether a table goes on a landscape page, its font size and its columns' widths (points), which fill
    the text width of the page it is printed on: the portrait page and the largest of :data:`TABLE_SIZES`
    where every column holds its longest word; else landscape (also for a wide table of text:
    :func:`~tjsl_eval.render.tables.is_wide`, and for a long table whose text columns are so narrow on a
    portrait page that it would take :data:`LANDSCAPE_GAIN` more pages than on landscape ones). A table that
    follows on landscape pages is laid out on one (:func:`_orient` keeps them on where turning back would
    leave a page nearly empty); a table without a header row (the cover's) stays on the page it is on."""
    if out.landscape:
        return _fitted(out, rows, header, landscape=True)
    if not header:
        return _fitted(out, rows, header, landscape=False)
    if is_wide(block.headers, block.rows):
        return _fitted(out, rows, header, landscape=True)
    portrait = _fitted(out, rows, header, landscape=False)
    if portrait[0]:  # too wide for a portrait page
        return portrait
    landscape = _fitted(out, rows, header, landscape=True)
    pages = [_pages(out, rows, layout) for layout in (portrait, landscape)]
    return landscape if pages[0] > LONG and pages[0] > LANDSCAPE_GAIN * pages[1] else portrait


def _fitted(out: Writing, rows: list[list[str]], header: bool, landscape: bool) -> tuple[bool, float, list[float]]:
    """The largest of :data:`TABLE_SIZES` where every column holds its longest word on a portrait (or
    landscape) page, and the columns' widths; a portrait page too narrow at the smallest size gives landscape."""
    room = _text_width_pt(out.word, landscape)
    for size in TABLE_SIZES:
        needs = _column_needs(rows, size, header)
        if sum(needs) <= room or (size == TABLE_SIZES[-1] and (landscape or not header)):
            return landscape, size, _shared_out(rows, size, needs, room)
    return _fitted(out, rows, header, landscape=True)


def _pages(out: Writing, rows: list[list[str]], layout: tuple[bool, float, list[float]]) -> float:
    """How many pages (a fraction) a table laid out so takes, estimated."""
    landscape, size, widths = layout
    return table_height(rows, size, widths, CELL_PADDING_PT) / _page_height_pt(out.word, landscape)


def _shared_out(rows: list[list[str]], size: float, needs: list[float], room: float) -> list[float]:
    """Columns of at least ``needs``, the room left shared out in proportion to how much more their text
    would take on one line (each counted up to :data:`NATURAL_WIDTH_PT`)."""
    wants = [
        max(min(max(text_width(row[i], size) for row in rows) + CELL_PADDING_PT, NATURAL_WIDTH_PT) - need, 0.0)
        for i, need in enumerate(needs)
    ]
    left = max(room - sum(needs), 0.0)
    total = sum(wants)
    return [
        need + (left * want / total if total else left / len(needs)) for need, want in zip(needs, wants, strict=True)
    ]


def _write_table(out: Writing, block: Table, header: bool = True) -> None:
    """A real Word table, its numbered caption above: header row repeated on each page and shaded, numbers
    right-aligned, footer row bold, columns as wide as their text needs; on a landscape page if it needs it."""
    word = out.word
    rows = [list(row) for row in block.rows] + ([list(block.footer)] if block.footer is not None else [])
    texts = [[unbroken(str(value)) for value in row] for row in ([block.headers] if header else []) + rows]
    landscape, size, widths = table_layout(out, block, texts, header)
    caption = _table_caption(block) if header else ""
    if header and landscape:  # back to portrait pages at the next section (_write_heading)
        _orient(out, landscape=True)
    if caption:
        out.tables.append(caption)
        _write_caption(out, "table", len(out.tables), caption).paragraph_format.keep_with_next = True
    columns = len(block.headers)
    table = word.add_table(rows=len(rows) + header, cols=columns)
    if out.house or "Table Grid" not in [style.name for style in word.styles]:
        _quiet_borders(table)
    else:
        table._tbl.tblPr.style = word.styles["Table Grid"].style_id  # by id: python-docx's setter is slow
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    cells = [[_Cell(tc, table) for tc in tr.tc_lst] for tr in table._tbl.tr_lst]  # python-docx's .cells is slow
    if header:
        table._tbl.tr_lst[0].get_or_add_trPr().append(OxmlElement("w:tblHeader"))
        for index, (cell, value) in enumerate(zip(cells[0], block.headers, strict=True)):
            _write_cell(cell, value, index in block.numeric, True, size)
            properties = cell._tc.get_or_add_tcPr()
            _shade(properties, tint(out.brand))
            _cell_rule(properties, "bottom", 8, out.brand.primary_color.lstrip("#"))
    footer_index = len(rows) - 1 if block.footer is not None else -1
    for row_index, values in enumerate(rows):
        for index, value in enumerate(values):
            _write_cell(
                cells[row_index + header][index], value, index in block.numeric, row_index == footer_index, size
            )
    _set_widths(table, cells, widths)
    _add_paragraph(word, "", _body_style(word)).paragraph_format.space_after = Pt(2)


def _set_widths(table, cells: list[list], widths: list[float]) -> None:
    """The columns' widths in the grid (LibreOffice lays tables out from it), in every cell (Word) and, summed,
    as the table's own width (``tblW``: without it Word and LibreOffice may size the table anew)."""
    table.autofit = False
    twips = [round(width * 20) for width in widths]
    table_width = table._tbl.tblPr.find(qn("w:tblW"))
    table_width.set(qn("w:type"), "dxa")
    table_width.set(qn("w:w"), str(sum(twips)))
    for grid, width in zip(table._tbl.tblGrid.gridCol_lst, twips, strict=True):
        grid.w = width * 635  # EMU
    for row in cells:
        for cell, width in zip(row, twips, strict=True):
            cell.width = width * 635


def _widen(table, room_pt: float) -> None:
    """A written table's columns widened in proportion to fill ``room_pt`` (each stays wider than its words)."""
    grid = table.tblGrid.gridCol_lst
    scale = room_pt * 20 / sum(column.w for column in grid) * 635
    for column in grid:
        column.w = round(column.w * scale / 635) * 635
    twips = [column.w // 635 for column in grid]
    table.tblPr.find(qn("w:tblW")).set(qn("w:w"), str(sum(twips)))
    for row in table.tr_lst:
        for cell, width in zip(row.tc_lst, twips, strict=True):
            cell.get_or_add_tcPr().width = Emu(width * 635)


def _quiet_borders(table) -> None:
    """Thin horizontal rules between rows and under the table; no vertical lines, no box."""
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        line = OxmlElement(f"w:{edge}")
        shown = edge in ("bottom", "insideH")
        for name, value in (("val", "single" if shown else "nil"), ("sz", "4"), ("space", "0"), ("color", RULE_COLOUR)):
            line.set(qn(f"w:{name}"), value)
        borders.append(line)
    table._tbl.tblPr.append(borders)


def _cell_rule(properties, edge: str, size: int, colour: str) -> None:
    """A rule on one edge of a cell (``size`` in eighths of a point)."""
    borders = _borders("w:tcBorders", edge, size, colour)
    shading = properties.find(qn("w:shd"))
    (shading.addprevious if shading is not None else properties.append)(borders)


def _borders(tag: str, edge: str, size: int, colour: str, space: int = 0):
    """A borders element (``w:pBdr``, ``w:tcBorders``) with one single rule on ``edge``: ``size`` in eighths of a
    point, ``space`` in points from the text, ``colour`` hex RRGGBB."""
    borders, line = OxmlElement(tag), OxmlElement(f"w:{edge}")
    for name, value in (("val", "single"), ("sz", str(size)), ("space", str(space)), ("color", colour)):
        line.set(qn(f"w:{name}"), value)
    borders.append(line)
    return borders


LIST_STYLES = {"bullet": "List Bullet", "number": "List Number", "quote": "Quote"}
PHOTO_WIDTH = Cm(12)


def _write_narrative(out: Writing, block: Narrative) -> None:
    """The evaluator's text: paragraphs in the body style, list items and quotes in Word's list and quote styles."""
    word = out.word
    for paragraph in block.paragraphs:
        style = _paragraph_style(word, LIST_STYLES[paragraph.kind]) if paragraph.kind in LIST_STYLES else None
        written = _add_paragraph(word, "", style or _body_style(word))
        for run in paragraph.runs:
            added = written.add_run(unbroken(run.text))
            added.bold, added.italic = run.bold or None, run.italic or None
    if block.author:
        author = _add_paragraph(word, f"— {block.author}", _body_style(word))
        author.alignment = WD_ALIGN_PARAGRAPH.RIGHT


def _write_photo(out: Writing, block: Photo) -> None:
    _write_picture(out, block.image, block.label, PHOTO_WIDTH)


def _write_gallery(out: Writing, block: Gallery) -> None:
    for photo in block.photos:
        _write_photo(out, photo)


def _write_beside(out: Writing, block: Beside) -> None:
    """The parts one after the other (a page is too narrow to set a chart beside a table)."""
    for part in block.parts:
        for child in part:
            BLOCK_WRITERS[type(child)](out, child)


def _skip(out: Writing, block: Raw) -> None:
    """Markup only the HTML report has (a script)."""


BLOCK_WRITERS: dict[type, Callable] = {
    Heading: _write_heading,
    Paragraph: _write_paragraph,
    Table: _write_table,
    Chart: _write_chart,
    Narrative: _write_narrative,
    Photo: _write_photo,
    Gallery: _write_gallery,
    Beside: _write_beside,
    Raw: _skip,
    Cover: lambda out, block: None,  # the cover is written first, by _write_cover
}

"""Where the pages of a Word document being written end, estimated from its XML (a word processor lays it out
only when it is opened): each paragraph's lines at its font size, each picture's height, each table row's
tallest cell. The Word writer asks how full the last page is before it starts landscape (or portrait) pages,
so that it never leaves a page that ends above a third of its height.

An estimate, measured with Carlito's metrics (Calibri's); LibreOffice's layout of the sample's reports stays
within a few lines of it.
"""

from __future__ import annotations

from functools import cache

from docx.oxml.ns import qn

from tjsl_eval.render.text_widths import BREAKABLE, text_width

LINE = 1.34  # a line's height, times the font size (Carlito's 1.22 at the body's line spacing, 1.1)
CELL_LINE = 1.22  # a line's height in a table cell (single spacing: Carlito's), times the font size
PARAGRAPH_GAP_PT = 4.0  # the body's spacing after a paragraph
PICTURE_DESCENT = 0.52  # below a picture alone in its paragraph, its line's descent: this times the font size
ROW_PADDING_PT = 0.5
DEFAULT_SIZE_PT = 10.0
# The styles' font sizes and spacing (before and after) in the house template (python-docx's)
STYLE_SIZES_PT = {"Title": 26.0, "Subtitle": 12.0, "Heading1": 14.0, "Heading2": 13.0, "Heading3": 10.0}
STYLE_SIZES_PT |= {"TOCHeading": 14.0, "Caption": 9.0}
STYLE_GAPS_PT = {"Title": 15.0, "Heading1": 24.0, "Heading2": 10.0, "Heading3": 10.0, "TOCHeading": 24.0}
KEPT_WITH_NEXT = ("Title", "Subtitle", "Heading1", "Heading2", "Heading3", "Caption")  # they go where what follows goes
EMU_PER_PT = 12700


def _size_pt(element, style: str) -> float:
    """The font size of a paragraph (its first sized run, else its style's)."""
    size = element.find(f".//{qn('w:sz')}")
    if size is not None:
        return int(size.get(qn("w:val"))) / 2
    return STYLE_SIZES_PT.get(style, DEFAULT_SIZE_PT)


def _lines(words: str, size: float, width_pt: float) -> int:
    """How many lines ``words`` take in ``width_pt``: broken at spaces, each line filled as far as its next word
    goes (as a word processor does; a word wider than the line takes one)."""
    space = _width(" ", size)
    lines, used = 1, 0.0
    for word in BREAKABLE.split(words.strip()):
        width = _width(word, size)
        if used and used + space + width > width_pt:
            lines, used = lines + 1, width
        else:
            used += (space if used else 0.0) + width
    return lines


@cache
def _width(word: str, size: float) -> float:
    return text_width(word, size)


def _gap_pt(element, style: str) -> float:
    """The spacing before and after a paragraph: its own (``w:spacing``, e.g. the contents' entries, none),
    else its style's."""
    spacing = element.find(f"{qn('w:pPr')}/{qn('w:spacing')}")
    if spacing is not None and spacing.get(qn("w:after")) is not None:
        return sum(int(spacing.get(qn(f"w:{side}"), 0)) for side in ("before", "after")) / 20
    return STYLE_GAPS_PT.get(style, PARAGRAPH_GAP_PT)


def paragraph_height(element, width_pt: float) -> float:
    """A paragraph's height in points: its text's lines, its pictures, its spacing."""
    style_element = element.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
    style = style_element.get(qn("w:val")) if style_element is not None else ""
    pictures = sum(int(extent.get("cy")) / EMU_PER_PT for extent in element.iter(qn("wp:extent")))
    words = "".join(node.text or "" for node in element.iter(qn("w:t")))
    size = _size_pt(element, style)
    gap = _gap_pt(element, style)
    text = _lines(words, size, width_pt) * size * LINE if words or not pictures else 0.0
    return pictures + (text or size * PICTURE_DESCENT) + gap


def row_heights(table) -> list[float]:
    """Each row's height in points: its tallest cell's lines in that cell's width."""
    heights = []
    for row in table.iter(qn("w:tr")):
        tallest = 0.0
        for cell in row.iter(qn("w:tc")):
            width = cell.find(f"{qn('w:tcPr')}/{qn('w:tcW')}")
            width_pt = int(width.get(qn("w:w"))) / 20 - 11 if width is not None else 100.0
            size = _size_pt(cell, "")
            lines = sum(
                _lines("".join(t.text or "" for t in p.iter(qn("w:t"))), size, width_pt) for p in cell.iter(qn("w:p"))
            )
            tallest = max(tallest, lines * size * CELL_LINE)
        heights.append(tallest + ROW_PADDING_PT)
    return heights


def table_height(rows: list[list[str]], size: float, widths_pt: list[float], padding_pt: float) -> float:
    """A table's height in points, before it is written: each row's tallest cell's lines in its column's width
    (``padding_pt`` of which the cell's margins take)."""
    return sum(
        max(_lines(words, size, width - padding_pt) for words, width in zip(row, widths_pt, strict=True))
        * size
        * CELL_LINE
        + ROW_PADDING_PT
        for row in rows
    )


def ends_page(element) -> bool:
    """A paragraph that ends a section (its properties) or holds a page break: what follows starts a page."""
    properties = element.find(qn("w:pPr"))
    ends_section = properties is not None and properties.find(qn("w:sectPr")) is not None
    return ends_section or any(br.get(qn("w:type")) == "page" for br in element.iter(qn("w:br")))


def _headings_before(elements: list) -> list:
    """The headings (and captions) at the end of ``elements``."""
    kept = []
    for element in reversed(elements):
        style = element.find(f"{qn('w:pPr')}/{qn('w:pStyle')}") if element.tag == qn("w:p") else None
        if style is None or style.get(qn("w:val")) not in KEPT_WITH_NEXT:
            break
        kept.insert(0, element)
    return kept


def last_page(elements: list, page_height_pt: float, width_pt: float) -> tuple[float, list]:
    """How full (0 to 1) the last page of ``elements`` (the body's paragraphs and tables, in order) is, and
    the elements on it: those that start on it, and a table that runs over onto it, with its headings."""
    used, on_page = 0.0, []
    for element in elements:
        if element.tag == qn("w:tbl"):
            for height in row_heights(element):
                if used + height > page_height_pt:  # its rows run over: it and its headings count as on the page
                    used, on_page = 0.0, [*_headings_before(on_page)]
                used += height
            on_page.append(element)
            continue
        height = paragraph_height(element, width_pt)
        if used + height > page_height_pt and used:
            used, on_page = 0.0, []
        used += height
        on_page.append(element)
        if ends_page(element):
            used, on_page = 0.0, []
    return min(used / page_height_pt, 1.0), on_page

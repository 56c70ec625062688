"""What a fast reader cannot see in a spreadsheet: error values (``#DIV/0!``), formulas saved without a result,
and numbers formatted as a percentage (0.2 shown as 20 %).

python-calamine reads error cells and unsaved formula results as blanks and drops number formats. These
marks are found by a targeted look at the file's XML, read in chunks: in an ``.xlsx``/``.xlsm`` sheet only
around the cells that hold a formula, an error or a percent style (found with plain byte searches, so a sheet
without any costs one pass of ``bytes.find``), in an ``.ods`` only when its content has any of them. The same
pass finds how far each sheet's cells reach, so that a sheet too large for calamine's grid is refused before
calamine builds it. Positions are ``(row number, column index)``: the row as the spreadsheet program shows it,
the column counted from A = 0.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from xml.etree import ElementTree

from tjsl_eval.common import limits
from tjsl_eval.inputs.packages import Package

_PERCENT_BUILTIN_FORMATS = {9, 10}  # 0% and 0.00%
_CELL_REFERENCE = re.compile(rb'\br="([A-Z]{1,3})([0-9]+)"')
_CELL_TYPE = re.compile(rb'\bt="([a-z]+)"')
_FORMULA = re.compile(rb"<f\b[^>]*?(?:/>|>(.*?)</f>)", re.S)
_VALUE = re.compile(rb"<v\b[^>]*?(?:/>|>(.*?)</v>)", re.S)
_REFERENCE = re.compile(rb' r="([A-Z]+)([0-9]+)"')  # a cell's position, as every writer puts it
_TAG = re.compile(rb"<(?:[\w.-]+:)?(row|c)(?=[\s/>])([^>]*)>")  # a row or cell, with any prefix
_TAG_REFERENCE = re.compile(rb"""\br\s*=\s*["']([A-Za-z]*)([0-9]*)["']""")
_UNREFERENCED_CELL = re.compile(rb'<c(?! r="[A-Z])[\s>]')  # a cell whose reference is not its first attribute
_MORE_DIGITS = {digits: re.compile(rb' r="[A-Z]+[0-9]{%d}' % (digits + 1)) for digits in range(1, 9)}
_TWO_LETTERS = re.compile(rb' r="[A-Z]{2}')
_THREE_LETTERS = re.compile(rb' r="[A-Z]{3}')


@dataclass
class SheetMarks:
    """The marks of one sheet, and how far its cells reach (what calamine's grid of it will hold)."""

    problems: dict[tuple[int, int], str] = field(default_factory=dict)  # cells that hold no usable value
    percent_cells: set[tuple[int, int]] = field(default_factory=set)
    rows: int = 0  # the last row holding a cell (1-based; 0: none)
    columns: int = 0  # the columns from A to the last one holding a cell

    def reach(self, rows: int, columns: int) -> None:
        self.rows, self.columns = max(self.rows, rows), max(self.columns, columns)


def is_percent_format(number_format: str) -> bool:
    """True for a number format that shows a fraction as a percentage (0.2 as 20%): a ``%`` that is not
    quoted or escaped. ``General" %"`` only appends the sign, so its 20 is 20 %."""
    return "%" in re.sub(r'"[^"]*"|\\.', "", number_format)


@dataclass
class XlsxParts:
    """Where an .xlsx/.xlsm package keeps each sheet, and its percent styles."""

    sheets: dict[str, str]  # sheet name -> part name
    percent_styles: set[bytes]


def xlsx_parts(package: Package) -> XlsxParts:
    """Each sheet's part and the percent styles, found through the package's relationships (the workbook part
    need not be ``xl/workbook.xml``), in the transitional or the Strict namespace."""
    main = package.main_part()
    related = package.related(main)
    sheets = {}
    for sheet in package.xml(main).iter():
        if _local(sheet.tag) == "sheet":
            relation = next((v for k, v in sheet.attrib.items() if _local(k) == "id" and "relationships" in k), "")
            if relation in related:
                sheets[sheet.get("name", "")] = related[relation][1]
    styles = next((part for kind, part in related.values() if kind.endswith("/styles")), None)
    try:
        percent_styles = _percent_styles(package.xml(styles)) if styles and package.has(styles) else set()
    except ValueError as error:  # a number format id that is not a number
        raise package.damaged(styles, error) from None
    return XlsxParts(sheets, percent_styles)


def xlsx_marks(package: Package, part: str, sheet: str, percent_styles: set[bytes]) -> SheetMarks:
    """The marks of one .xlsx sheet and how far its cells reach, its part read in chunks (memory bounded
    whatever its size). A first pass bounds the reach cheaply (the digits and letters of the references); only
    when that bound is over :data:`limits.SHEET_CELLS` is the exact reach found, by a second pass. Cells are
    placed by their reference; a part with a cell without one (which no common program writes) is read again,
    tag by tag."""
    marks = _xlsx_scan(package, part, sheet, percent_styles, _bound_by_references)
    if marks.rows * marks.columns > limits.SHEET_CELLS:
        marks = _xlsx_scan(package, part, sheet, percent_styles, _reach_by_references)
    return marks


def _xlsx_scan(package: Package, part: str, sheet: str, percent_styles: set[bytes], reach) -> SheetMarks:
    marks = SheetMarks()
    for segment in _segments(package, part, sheet):
        if not reach(segment, marks):
            return _xlsx_marks_in_order(package, part, sheet, percent_styles)
        _sheet_marks(segment, percent_styles, marks)
    return marks


def _xlsx_marks_in_order(package: Package, part: str, sheet: str, percent_styles: set[bytes]) -> SheetMarks:
    marks, row, column = SheetMarks(), 0, 0
    for segment in _segments(package, part, sheet):
        for tag in _TAG.finditer(segment):
            reference = _TAG_REFERENCE.search(tag.group(2))
            letters, digits = reference.groups() if reference else (b"", b"")
            if tag.group(1) == b"row":
                row, column = _row_number(digits) if digits else row + 1, 0
                continue
            row = _row_number(digits) if digits else row
            column = _column_index(letters.upper()) + 1 if letters else column + 1
            marks.reach(row, column)
        _sheet_marks(segment, percent_styles, marks)
    return marks


def _segments(package: Package, part: str, sheet: str):
    """The part's bytes in pieces cut before a cell or row, so that each piece holds whole cells."""
    carry = b""
    for chunk in package.chunks(part, sheet):
        buffer = carry + chunk
        cut = max(buffer.rfind(b"<c "), buffer.rfind(b"<row"))
        cut = cut if cut > 0 else buffer.rfind(b"<")  # tags with a prefix: whole tags, if not whole cells
        if cut <= 0:
            carry = buffer
            continue
        yield buffer[:cut]
        carry = buffer[cut:]
    yield carry


def _bound_by_references(segment: bytes, marks: SheetMarks) -> bool:
    """A bound of how far the cells of ``segment`` reach, from the digits of its rows' numbers and the letters of
    its cells' references (a few passes of bytes.count and re.search); False when a cell has no reference."""
    if not _every_cell_referenced(segment):
        return False
    last_row = segment.rfind(b'<row r="')  # rows come in order: the last one has the most digits, or else
    digits = segment.find(b'"', last_row + 8) - last_row - 8 if last_row != -1 else len(str(marks.rows))
    digits = min(max(digits, 1), 8)
    if _MORE_DIGITS[digits].search(segment):  # a cell has more: the exact pass will say how many
        digits = 8
    columns = 26 if not _TWO_LETTERS.search(segment) else 702 if not _THREE_LETTERS.search(segment) else 16_384
    marks.reach(10**digits - 1, columns)
    return True


def _reach_by_references(segment: bytes, marks: SheetMarks) -> bool:
    """How far the cells of ``segment`` reach, from their references; False when a cell has none (or the tags
    carry a prefix), so that they must be counted in order."""
    if not _every_cell_referenced(segment):
        return False
    references = _REFERENCE.findall(segment)
    if references:
        letters, digits = zip(*references, strict=True)
        marks.reach(max(map(_row_number, set(digits))), max(map(_column_index, set(letters))) + 1)
    return True


def _every_cell_referenced(segment: bytes) -> bool:
    """True when each cell of ``segment`` is an unprefixed ``<c r="…"``, its reference first, as every common
    program writes it (anything else, a prefix included, is counted in order)."""
    return b":c" not in segment and _UNREFERENCED_CELL.search(segment) is None


def _row_number(digits: bytes) -> int:
    """A row number as written (one of more than 18 digits as 10**18: far beyond any limit)."""
    return int(digits) if len(digits) <= 18 else 10**18


def _column_index(letters: bytes) -> int:
    index = 0
    for letter in letters:
        index = index * 26 + letter - 64
    return index - 1


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _percent_styles(styles: ElementTree.Element) -> set[bytes]:
    """The cell style indices (``s="…"``) whose number format is a percentage."""
    percent_formats = set(_PERCENT_BUILTIN_FORMATS)
    cell_formats = None
    for element in styles.iter():
        if _local(element.tag) == "numFmt" and is_percent_format(element.get("formatCode", "")):
            percent_formats.add(int(element.get("numFmtId", "-1")))
        elif _local(element.tag) == "cellXfs":
            cell_formats = element
    if cell_formats is None:
        return set()
    return {
        str(index).encode()
        for index, style in enumerate(e for e in cell_formats if _local(e.tag) == "xf")
        if int(style.get("numFmtId", "0")) in percent_formats
    }


def _cells_around(xml: bytes, needle: bytes) -> list[tuple[int, int]]:
    """The spans of the ``<c …>`` elements (cells) in which ``needle`` occurs."""
    spans, position = [], xml.find(needle)
    while position != -1:
        start = xml.rfind(b"<c ", 0, position)
        opening_end = xml.find(b">", start)
        if start != -1 and opening_end != -1:
            end = opening_end + 1 if xml[opening_end - 1 : opening_end] == b"/" else xml.find(b"</c>", opening_end) + 4
            if position < end:
                spans.append((start, end))
        position = xml.find(needle, position + len(needle))
    return spans


def _position(cell: bytes) -> tuple[int, int] | None:
    match = _CELL_REFERENCE.search(cell[: cell.find(b">") + 1])
    if match is None:
        return None
    return int(match.group(2)), _column_index(match.group(1))


def _sheet_marks(xml: bytes, percent_styles: set[bytes], marks: SheetMarks) -> None:
    for start, end in sorted(set(_cells_around(xml, b"<f") + _cells_around(xml, b't="e"'))):
        cell = xml[start:end]
        position = _position(cell)
        message = _cell_problem(cell)
        if position is not None and message:
            marks.problems[position] = message
    for style in percent_styles:
        for start, end in _cells_around(xml, b's="' + style + b'"'):
            cell = xml[start:end]
            position = _position(cell)
            kind = _CELL_TYPE.search(cell[: cell.find(b">") + 1])
            if position is not None and (kind is None or kind.group(1) == b"n") and _VALUE.search(cell):
                marks.percent_cells.add(position)


def _cell_problem(cell: bytes) -> str | None:
    """Why a cell holding a formula or an error has no usable value (None when it has one)."""
    opening = cell[: cell.find(b">") + 1]
    kind = _CELL_TYPE.search(opening)
    formula = _FORMULA.search(cell[len(opening) :])
    value = _VALUE.search(cell[len(opening) :])
    saved = html.unescape(value.group(1).decode("utf-8", "replace")) if value and value.group(1) else ""
    text = "=" + html.unescape(formula.group(1).decode("utf-8", "replace")) if formula and formula.group(1) else ""
    shown = f"the formula {text}" if text else "a formula"
    if kind is not None and kind.group(1) == b"e":
        return (
            f"holds {shown}, whose result is the Excel error {saved}" if formula else f"holds the Excel error {saved}"
        )
    if formula and not saved and (kind is None or kind.group(1) != b"str"):
        return f"holds {shown} with no saved result: open and save the file in Excel, or type the value"
    return None


# ---- OpenDocument (.ods)

_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
_CALC_EXTENSION = "urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0"
_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"


_ODS_MARKERS = (b'value-type="error"', b'value-type="percentage"', b"table:formula=", b"-spanned=")
_ODS_START = re.compile(rb"<table:table(-row)?(?=[\s/>])([^>]*)>")  # a table or a row (not a cell, not a group)
_ODS_NAME = re.compile(rb'table:name="([^"]*)"')
_ODS_ROWS_REPEATED = re.compile(rb'number-rows-repeated="([0-9]+)"')
_ODS_COLUMNS_REPEATED = re.compile(rb'number-columns-repeated="([0-9]+)"')
_ODS_CELLS = (b"<table:table-cell", b"<table:covered-table-cell")


@dataclass
class _OdsWalk:
    """Where the walk through an .ods content is: each sheet's marks and merged ranges so far, the sheet, row
    and column it is at."""

    sheets: dict[str, SheetMarks] = field(default_factory=dict)
    merges: dict[str, list[tuple[int, int, int, int]]] = field(default_factory=dict)
    marks: SheetMarks = field(default_factory=SheetMarks)
    name: str = ""
    row: int = 0
    column: int = 0


def ods_marks(package: Package) -> tuple[dict[str, SheetMarks], dict[str, list[tuple[int, int, int, int]]]]:
    """The marks of every sheet of an .ods workbook, how far its cells reach, and its merged ranges (0-based,
    inclusive corners), by sheet name. The reach comes from a pass over the content row by row (repeated rows
    and cells counted, not expanded); the content is walked as XML only when it has an error, formula,
    percentage or merged cell."""
    sheets, marked = _ods_reach(package)
    if not marked:
        return sheets, {}
    parser = ElementTree.XMLPullParser(events=("start", "end"))
    walk = _OdsWalk(sheets)
    try:
        for chunk in package.chunks("content.xml"):
            parser.feed(chunk)
            _walk_ods(parser.read_events(), walk)
        parser.close()
        _walk_ods(parser.read_events(), walk)
    except (ElementTree.ParseError, ValueError) as error:
        raise package.damaged("content.xml", f"not well-formed XML: {error}") from None
    return walk.sheets, {sheet: ranges for sheet, ranges in walk.merges.items() if ranges}


def _ods_segments(package: Package):
    """The content's bytes in pieces cut after a row, so that each piece holds whole rows."""
    carry = b""
    for chunk in package.chunks("content.xml"):
        buffer = carry + chunk
        cut = buffer.rfind(b"</table:table-row>")
        if cut == -1:
            carry = buffer
            continue
        cut += len(b"</table:table-row>")
        yield buffer[:cut]
        carry = buffer[cut:]
    yield carry


def _ods_reach(package: Package) -> tuple[dict[str, SheetMarks], bool]:
    """How far each sheet's values reach, as calamine will place them: rows and cells that hold a value
    (``office:value-type``) counted with their repeats; empty ones (LibreOffice repeats an empty row to the end
    of the sheet) only move the position. Each row is looked at once, by byte searches. Also whether the
    content has an error, formula, percentage or merged cell."""
    sheets: dict[str, SheetMarks] = {}
    marks, row, marked = SheetMarks(), 0, False
    for segment in _ods_segments(package):
        marked = marked or any(marker in segment for marker in _ODS_MARKERS)
        for piece in segment.split(b"</table:table-row>"):  # each piece ends with the body of one row
            body, rows = None, 1
            if piece.startswith(b"<table:table-row") and b"/" not in piece[: piece.find(b">")]:  # the usual row
                end = piece.find(b">")
                attributes, body = piece[16:end], piece[end + 1 :]
                repeated = _ODS_ROWS_REPEATED.search(attributes) if b"repeated" in attributes else None
                rows = int(repeated.group(1)) if repeated else 1
            for tag in _ODS_START.finditer(piece) if body is None else ():
                attributes = tag.group(2)
                if tag.group(1) is None:
                    name = _ODS_NAME.search(attributes)
                    found = html.unescape(name.group(1).decode("utf-8", "replace")) if name else ""
                    marks, row, body = sheets.setdefault(found, SheetMarks()), 0, None
                    continue
                repeated = _ODS_ROWS_REPEATED.search(attributes) if b"repeated" in attributes else None
                rows = int(repeated.group(1)) if repeated else 1
                if attributes.endswith(b"/"):
                    row += rows
                else:
                    body = piece[tag.end() :]
            if body is not None:
                if b"office:value-type" in body:
                    marks.reach(row + rows, _ods_width(body))
                row += rows
    return sheets, marked


def _ods_width(row: bytes) -> int:
    """The columns a row's cells span, up to its last cell holding a value (every ``<table:`` element of the
    row is counted as a cell: never fewer than calamine places)."""
    while row.endswith(b"/>"):
        last = max(row.rfind(start) for start in _ODS_CELLS)
        if last == -1 or b"office:value-type" in row[last:]:
            break
        row = row[:last].rstrip()
    cells = row.count(b"<table:")
    if b"columns-repeated" in row:
        cells += sum(int(repeats) - 1 for repeats in _ODS_COLUMNS_REPEATED.findall(row))
    return cells


def _walk_ods(events, walk: _OdsWalk) -> None:
    table_tag, row_tag = f"{{{_TABLE}}}table", f"{{{_TABLE}}}table-row"
    for event, element in events:
        if event == "start":
            if element.tag == table_tag:
                walk.name, walk.row = element.get(f"{{{_TABLE}}}name", ""), 0
                walk.marks = walk.sheets.setdefault(walk.name, SheetMarks())
            continue
        if element.tag == row_tag:
            walk.column = 0
            for cell in element:
                _ods_cell(cell, walk, walk.merges.setdefault(walk.name, []))
            walk.row += int(element.get(f"{{{_TABLE}}}number-rows-repeated", "1"))
            element.clear()  # keeps memory flat however long the sheet
        elif element.tag == table_tag:
            element.clear()


def _ods_cell(cell: ElementTree.Element, walk: _OdsWalk, merges: list[tuple[int, int, int, int]]) -> None:
    repeated = int(cell.get(f"{{{_TABLE}}}number-columns-repeated", "1"))
    if cell.tag.endswith("table-cell") and repeated == 1:
        position = (walk.row + 1, walk.column)
        kind = cell.get(f"{{{_CALC_EXTENSION}}}value-type") or cell.get(f"{{{_OFFICE}}}value-type")
        formula = cell.get(f"{{{_TABLE}}}formula")
        shown = f"the formula {formula.split(':', 1)[-1]}" if formula else ""
        if kind == "error":
            error = "".join(cell.itertext()).strip()
            walk.marks.problems[position] = (
                f"holds {shown}, whose result is the Excel error {error}" if formula else f"holds the error {error}"
            )
        elif formula and kind is None:
            walk.marks.problems[position] = (
                f"holds {shown} with no saved result: open and save the file again, or type the value"
            )
        elif kind == "percentage":
            walk.marks.percent_cells.add(position)
        rows = int(cell.get(f"{{{_TABLE}}}number-rows-spanned", "1"))
        columns = int(cell.get(f"{{{_TABLE}}}number-columns-spanned", "1"))
        if rows > 1 or columns > 1:
            merges.append((walk.row, walk.column, walk.row + rows - 1, walk.column + columns - 1))
    walk.column += repeated

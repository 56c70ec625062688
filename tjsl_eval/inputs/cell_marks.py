"""What a fast reader cannot see in a spreadsheet: error values (``#DIV/0!``), formulas saved without a result,
and numbers formatted as a percentage (0.2 shown as 20 %).

python-calamine reads error cells and unsaved formula results as blanks and drops number formats. These
marks are found by a targeted look at the file's XML: in an ``.xlsx``/``.xlsm`` sheet only around the cells
that hold a formula, an error or a percent style (found with plain byte searches, so a sheet without any
costs one pass of ``bytes.find``), in an ``.ods`` only when its content has any of them. Positions are
``(row number, column index)``: the row as the spreadsheet program shows it, the column counted from A = 0.
"""

from __future__ import annotations

import html
import re
import zipfile
from dataclasses import dataclass, field
from xml.etree import ElementTree

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_RELATIONSHIP = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_PERCENT_BUILTIN_FORMATS = {9, 10}  # 0% and 0.00%
_CELL_REFERENCE = re.compile(rb'\br="([A-Z]{1,3})([0-9]+)"')
_CELL_TYPE = re.compile(rb'\bt="([a-z]+)"')
_FORMULA = re.compile(rb"<f\b[^>]*?(?:/>|>(.*?)</f>)", re.S)
_VALUE = re.compile(rb"<v\b[^>]*?(?:/>|>(.*?)</v>)", re.S)


@dataclass
class SheetMarks:
    """The marks of one sheet."""

    problems: dict[tuple[int, int], str] = field(default_factory=dict)  # cells that hold no usable value
    percent_cells: set[tuple[int, int]] = field(default_factory=set)


def is_percent_format(number_format: str) -> bool:
    """True for a number format that shows a fraction as a percentage (0.2 as 20%): a ``%`` that is not
    quoted or escaped. ``General" %"`` only appends the sign, so its 20 is 20 %."""
    return "%" in re.sub(r'"[^"]*"|\\.', "", number_format)


def xlsx_marks(path: str) -> dict[str, SheetMarks]:
    """The marks of every sheet of an .xlsx/.xlsm workbook, by sheet name (sheets without any are left out)."""
    marks = {}
    with zipfile.ZipFile(path) as archive:
        percent_styles = _percent_styles(archive)
        for name, part in _sheet_parts(archive).items():
            try:
                xml = archive.read(part)
            except KeyError:
                continue
            found = _sheet_marks(xml[xml.find(b"<sheetData") : xml.rfind(b"</sheetData>")], percent_styles)
            if found.problems or found.percent_cells:
                marks[name] = found
    return marks


def _sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Each worksheet's name and the zip entry of its XML."""
    workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    relations = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {rel.get("Id"): rel.get("Target", "") for rel in relations}
    parts = {}
    for sheet in workbook.iter(f"{_MAIN}sheet"):
        target = targets.get(sheet.get(_RELATIONSHIP), "")
        parts[sheet.get("name", "")] = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    return parts


def _percent_styles(archive: zipfile.ZipFile) -> set[bytes]:
    """The cell style indices (``s="…"``) whose number format is a percentage."""
    try:
        styles = ElementTree.fromstring(archive.read("xl/styles.xml"))
    except KeyError:
        return set()
    percent_formats = set(_PERCENT_BUILTIN_FORMATS)
    for number_format in styles.iter(f"{_MAIN}numFmt"):
        if is_percent_format(number_format.get("formatCode", "")):
            percent_formats.add(int(number_format.get("numFmtId", "-1")))
    cell_formats = styles.find(f"{_MAIN}cellXfs")
    if cell_formats is None:
        return set()
    return {
        str(index).encode()
        for index, style in enumerate(cell_formats.findall(f"{_MAIN}xf"))
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
    index = 0
    for letter in match.group(1):
        index = index * 26 + letter - 64
    return int(match.group(2)), index - 1


def _sheet_marks(xml: bytes, percent_styles: set[bytes]) -> SheetMarks:
    marks = SheetMarks()
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
    return marks


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


@dataclass
class _OdsWalk:
    """Where the walk through an .ods table is: its marks so far, row and column."""

    marks: SheetMarks = field(default_factory=SheetMarks)
    row: int = 0
    column: int = 0


def ods_marks(path: str) -> tuple[dict[str, SheetMarks], dict[str, list[tuple[int, int, int, int]]]]:
    """The marks of every sheet of an .ods workbook, and its merged ranges (0-based, inclusive corners), by
    sheet name. The content is searched for an error, formula, percentage or merged cell in chunks, and
    walked (streaming, row by row) only when it has one."""
    with zipfile.ZipFile(path) as archive:
        if not _has_ods_markers(archive):
            return {}, {}
        with archive.open("content.xml") as content:
            return _walk_ods(content)


def _has_ods_markers(archive: zipfile.ZipFile) -> bool:
    with archive.open("content.xml") as content:
        tail = b""
        while chunk := content.read(1 << 20):
            window = tail + chunk
            if any(marker in window for marker in _ODS_MARKERS):
                return True
            tail = window[-32:]
    return False


def _walk_ods(content) -> tuple[dict[str, SheetMarks], dict[str, list[tuple[int, int, int, int]]]]:
    marks: dict[str, SheetMarks] = {}
    merges: dict[str, list[tuple[int, int, int, int]]] = {}
    table_tag, row_tag = f"{{{_TABLE}}}table", f"{{{_TABLE}}}table-row"
    name, walk = "", _OdsWalk()
    for event, element in ElementTree.iterparse(content, events=("start", "end")):
        if event == "start":
            if element.tag == table_tag:
                name, walk = element.get(f"{{{_TABLE}}}name", ""), _OdsWalk()
            continue
        if element.tag == row_tag:
            walk.column = 0
            for cell in element:
                _ods_cell(cell, walk, merges.setdefault(name, []))
            walk.row += int(element.get(f"{{{_TABLE}}}number-rows-repeated", "1"))
            element.clear()  # keeps memory flat however long the sheet
        elif element.tag == table_tag:
            if walk.marks.problems or walk.marks.percent_cells:
                marks[name] = walk.marks
            element.clear()
    return marks, {sheet: ranges for sheet, ranges in merges.items() if ranges}


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

"""Read raw cells from a spreadsheet (.xlsx, .xlsm, .xls, .ods) or a folder of .csv files, without
interpreting them.

Spreadsheets are read with python-calamine, from cell A1 (``skip_empty_area=False``), so a cell's position
is its row and column as the spreadsheet program shows them, whatever blank rows, hidden rows or empty
leading columns the sheet has. What calamine cannot see (error values, formulas without a saved result,
percent formats, merged cells in .ods) comes from :mod:`tjsl_eval.inputs.cell_marks`.

Nothing is handed to calamine before it is known to fit the limits of :mod:`tjsl_eval.common.limits`: a
regular file of a bounded size, of the kind its name says (:mod:`tjsl_eval.inputs.file_kinds`), whose zip
parts are sound and bounded (:mod:`tjsl_eval.inputs.packages`), and each sheet's cells reaching no farther
than ``SHEET_CELLS`` from A1 (found in its XML). Sheets outside the contract are never read.
"""

from __future__ import annotations

import csv
import io
import stat
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from tjsl_eval.common import limits
from tjsl_eval.common.problems import InputError, Problem
from tjsl_eval.inputs import cell_marks, file_kinds, packages
from tjsl_eval.inputs.packages import megabytes
from tjsl_eval.inputs.xls_reach import xls_reach

if TYPE_CHECKING:
    import pandas as pd

SPREADSHEET_SUFFIXES = file_kinds.SPREADSHEET_SUFFIXES
_KIND = file_kinds.KIND
_SHEET_KINDS = {"ChartSheet": "a chart sheet", "DialogSheet": "a dialog sheet", "MacroSheet": "a macro sheet"}
_AGAIN = "save the workbook again from the spreadsheet program and validate again"


@dataclass
class RawSheet:
    """A sheet as written: its name, header row and the data rows below it (blank rows left out).

    ``cells`` holds the data rows' values, one row per entry of ``row_numbers`` (the row numbers the
    spreadsheet program shows) and one column per sheet column from A (or per CSV column).
    """

    name: str
    file: str  # the file to name in problems: the workbook, or the CSV file of this sheet
    header: list[object]
    header_row: int = 1
    row_numbers: np.ndarray = field(default_factory=lambda: np.array([], dtype=np.int64))
    cells: np.ndarray = field(default_factory=lambda: np.empty((0, 0), dtype=object))
    percent_cells: set[tuple[int, int]] = field(default_factory=set)  # (row, column index) formatted as %
    cell_problems: dict[tuple[int, int], str] = field(default_factory=dict)  # cells that hold no usable value
    loader: Callable[[], RawSheet] | None = None  # reads the cells, when :func:`read_sheets` has not yet
    kind: str = ""  # what a sheet that is not a worksheet is ("a chart sheet"): it has no cells

    def loaded(self) -> RawSheet:
        """The sheet with its cells: :func:`read_sheets` gives each sheet's name at once, and its cells only when
        asked, so that one sheet's raw cells at a time are in memory. Raises :class:`InputError`."""
        return self.loader() if self.loader else self

    def column(self, index: int | None) -> np.ndarray:
        """The values of one column in the data rows (blank cells ``''``; a column beyond the sheet's: all blank)."""
        if index is None or index >= self.cells.shape[1]:
            return np.full(len(self.row_numbers), "", dtype=object)
        return self.cells[:, index]


def read_sheets(path: Path) -> list[RawSheet]:
    """Every sheet of ``path`` (a spreadsheet or a folder of .csv files), in file order, its cells read on
    :meth:`RawSheet.loaded`."""
    if path.is_dir():
        files = sorted(path.glob("*.csv"))
        for file in files:
            _check_file(file)
        return [_csv_sheet(file) for file in files]
    if not path.exists():
        raise InputError([Problem(str(path), message="file not found")])
    _check_file(path)
    if path.suffix.lower() == ".csv":
        return [_csv_sheet(path)]
    return _read_spreadsheet(path)


def _check_file(path: Path) -> None:
    """A regular file (not a pipe, which would hang the reading, nor a device) within the size limit."""
    try:
        status = path.stat()
    except OSError as error:
        raise InputError([Problem(str(path), message=f"cannot be read ({error.strerror})")]) from None
    if not stat.S_ISREG(status.st_mode):
        message = "is not a regular file (but a pipe, a device, a socket or a folder): give the path of the file itself"
        raise InputError([Problem(str(path), message=message)])
    if status.st_size > limits.WORKBOOK_FILE_BYTES:
        message = (
            f"is {megabytes(status.st_size)}, over the limit of {megabytes(limits.WORKBOOK_FILE_BYTES)} "
            f"(WORKBOOK_FILE_BYTES in tjsl_eval/common/limits.py; 1,000 groups take 6.4 MB): keep only the "
            f"review's sheets in it"
        )
        raise InputError([Problem(str(path), message=message)])


def _csv_sheet(path: Path) -> RawSheet:
    def load() -> RawSheet:
        with _reading(path, path.stem):
            return _read_csv(path)

    return RawSheet(path.stem, str(path), [], loader=load)


def _read_spreadsheet(path: Path) -> list[RawSheet]:
    from python_calamine import CalamineError, CalamineWorkbook, SheetTypeEnum

    suffix = path.suffix.lower()
    expected = "a spreadsheet (.xlsx, .xlsm, .xls or .ods)"
    if suffix not in SPREADSHEET_SUFFIXES:
        raise InputError([Problem(str(path), message=f"is not {expected} nor a folder of .csv files")])
    file_kinds.check_kind(path, suffix)
    failure = f"cannot be opened as {_KIND[suffix]}"
    with _reading(path, None):
        marks, merges, parts = _before_calamine(path, suffix)
        try:
            book = CalamineWorkbook.from_path(str(path))
            kinds = {sheet.name: sheet.typ for sheet in book.sheets_metadata}
        except (CalamineError, OSError, ValueError, KeyError) as error:
            raise InputError([Problem(str(path), message=f"{failure} ({error})")]) from None

    def load(name: str) -> RawSheet:
        with _reading(path, name):
            found = marks.get(name) or _xlsx_sheet_marks(path, parts, name)
            _check_reach(str(path), name, found.rows, found.columns)
            try:
                sheet = book.get_sheet_by_name(name)
                _check_reach(str(path), name, sheet.total_height, sheet.total_width)  # .xls: known once read
                ranges = sheet.merged_cell_ranges or merges.get(name, [])
                grid = sheet.to_python(skip_empty_area=False)
            except CalamineError as error:
                raise InputError([Problem(str(path), name, message=f"{failure} ({error})")]) from None
            return _sheet(name, str(path), grid, found, ranges)

    return [
        RawSheet(name, str(path), [], loader=lambda name=name: load(name))
        if kind == SheetTypeEnum.WorkSheet
        else RawSheet(name, str(path), [], kind=_SHEET_KINDS.get(str(kind).rpartition(".")[2], "not a worksheet"))
        for name, kind in kinds.items()
    ]


@contextmanager
def _reading(path: Path, sheet: str | None) -> Iterator[None]:
    """Running out of memory while reading the workbook (or one sheet) is a problem of that file, not a crash."""
    try:
        yield
    except MemoryError:
        message = (
            "could not be read: the computer ran out of memory; close other programs, or keep only the review's "
            "sheets in the workbook (docs/trust.md lists what a workbook may hold)"
        )
        raise InputError([Problem(str(path), sheet, message=message)]) from None


def _before_calamine(
    path: Path, suffix: str
) -> tuple[dict[str, cell_marks.SheetMarks], dict[str, list], cell_marks.XlsxParts | None]:
    """What is known before calamine opens the file: in an .ods every sheet's marks, reach and merged ranges
    (calamine reads every sheet of it at once: each is checked first); in an .xlsx where its sheets are, its
    other parts (which calamine reads on opening) read through once to check their real size and data; in an
    .xls every sheet's reach (calamine reads them all on opening too)."""
    if suffix == ".ods":
        with packages.open_package(path) as package:
            marks, merges = cell_marks.ods_marks(package)
        for name, found in marks.items():
            _check_reach(str(path), name, found.rows, found.columns)
        return marks, merges, None
    if suffix in (".xlsx", ".xlsm"):
        with packages.open_package(path) as package:
            parts = cell_marks.xlsx_parts(package)
            sheets = {packages.normal(part) for part in parts.sheets.values()}
            for name, info in package.parts.items():
                if name not in sheets and name.endswith((".xml", ".rels")):
                    package.verify(info.filename)
        return {}, {}, parts
    for name, (rows, columns) in (xls_reach(path) or {}).items():  # calamine builds every sheet on opening
        _check_reach(str(path), name, rows, columns)
    return {}, {}, None  # .xls: error values read as blanks, percent formats are lost (see docs/workbook.md)


def _xlsx_sheet_marks(path: Path, parts: cell_marks.XlsxParts | None, name: str) -> cell_marks.SheetMarks:
    """The marks and reach of one .xlsx sheet (none for an .xls, whose reach is checked once calamine has it)."""
    if parts is None:
        return cell_marks.SheetMarks()
    if name not in parts.sheets:
        raise InputError([Problem(str(path), name, message="its part cannot be found in the file: " + _AGAIN)])
    with packages.open_package(path) as package:
        return cell_marks.xlsx_marks(package, parts.sheets[name], name, parts.percent_styles)


def _check_reach(file: str, sheet: str, rows: int, columns: int) -> None:
    """Refuse a sheet whose cells reach so far that its grid, from A1, would hold more than the limit."""
    if rows * columns > limits.SHEET_CELLS:
        message = (
            f"holds cells as far as row {rows:,} and column {column_letters(columns - 1)}: {rows * columns:,} cells "
            f"from A1, over the limit of {limits.SHEET_CELLS:,} (SHEET_CELLS in tjsl_eval/common/limits.py; the "
            f"largest sheet of 1,000 groups has 1.1 million): delete what lies far from the data (Ctrl+End goes to "
            f"the last cell), empty texts and formulas included, or split the sheet"
        )
        raise InputError([Problem(file, sheet, message=message)])


def _sheet(name: str, file: str, grid: list[list[object]], marks: cell_marks.SheetMarks, merges) -> RawSheet:
    """A :class:`RawSheet` from the sheet's rows read from A1 (``grid[i][j]`` is row ``i + 1``, column ``j``)."""
    problems = dict(marks.problems)
    cells = _as_array(grid)
    occupied = _occupied_rows(cells)
    width = cells.shape[1] if cells.ndim == 2 else 0
    merged_rows = _mark_merged(merges, problems, len(cells), width)
    for row_number, _ in problems:
        if row_number <= len(occupied):
            occupied[row_number - 1] = True
    marked = sorted({row for row, _ in problems} | merged_rows)
    candidates = np.flatnonzero(occupied)
    header_index = int(min([*candidates[:1], *(row - 1 for row in marked[:1])], default=0))
    header = list(cells[header_index]) if header_index < len(cells) else []
    data_rows = candidates[candidates > header_index]
    extra = [row for row in marked if row - 1 > header_index and row > len(cells)]  # merges below the last value
    sheet = RawSheet(name, file, header, header_index + 1, cell_problems=problems, percent_cells=marks.percent_cells)
    sheet.row_numbers = np.concatenate([data_rows + 1, np.array(extra, dtype=np.int64)]).astype(np.int64)
    sheet.cells = np.vstack([cells[data_rows], np.full((len(extra), width), "", dtype=object)])
    return sheet


def _as_array(grid: list[list[object]]) -> np.ndarray:
    """The rows as a 2-D object array, short rows padded with ``''``."""
    width = max(map(len, grid), default=0)
    if any(len(row) != width for row in grid):
        grid = [list(row) + [""] * (width - len(row)) for row in grid]
    cells = np.empty((len(grid), width), dtype=object)
    if grid and width:
        cells[:] = grid
    return cells


def _occupied_rows(cells: np.ndarray) -> np.ndarray:
    """True for each row with a cell that is not empty (rows of only spaces are left to the loader): column by
    column, each looked at only in the rows that are empty so far."""
    occupied = np.zeros(len(cells), dtype=bool)
    empty = np.arange(len(cells))
    for column in range(cells.shape[1] if cells.ndim == 2 else 0):
        occupied[empty] = cells[empty, column] != ""
        empty = empty[~occupied[empty]]
        if not len(empty):
            break
    return occupied


def _mark_merged(merges, problems: dict[tuple[int, int], str], rows: int, columns: int) -> set[int]:
    """Cells a merge covers read as blank: each one is a problem. Returns the rows they are on. A merge is
    clipped to the sheet's ``rows`` and ``columns`` that hold cells (``A5:XFD1048576`` covers no more than
    the data), so that the work is bounded by the sheet's real content."""
    covered_rows = set()
    for (first_row, first_column), (last_row, last_column) in _corners(merges):
        shown = f"{column_letters(first_column)}{first_row + 1}:{column_letters(last_column)}{last_row + 1}"
        message = f"is covered by the merged cells {shown}: unmerge them and fill in each cell"
        for row in range(first_row, min(last_row, rows - 1) + 1):
            covered = range(first_column + (row == first_row), min(last_column, columns - 1) + 1)
            problems.update(dict.fromkeys(((row + 1, column) for column in covered), message))
            if covered:
                covered_rows.add(row + 1)
    return covered_rows


def _corners(merges) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """Merged ranges as ``((row, column), (row, column))``, 0-based (calamine's form), from either form."""
    return [m if isinstance(m[0], tuple) else ((m[0], m[1]), (m[2], m[3])) for m in merges]


def column_letters(column: int) -> str:
    """The spreadsheet letters of a 0-based column index (0 is A, 26 is AA)."""
    letters = ""
    column += 1
    while column:
        column, remainder = divmod(column - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _read_csv(path: Path) -> RawSheet:
    """A CSV file (UTF-8, ``,``, ``;`` or tab as Excel writes them), read by pandas' C parser."""
    import pandas as pd

    content = path.read_bytes()
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputError(
            [Problem(str(path), message=f"is not UTF-8 text (byte {error.start}): save it from Excel as 'CSV UTF-8'")]
        ) from None
    header_line = text.partition("\n")[0]
    delimiter = max(",;\t", key=header_line.count)  # Excel writes ';' in locales with a decimal comma
    try:
        frame = pd.read_csv(  # from the bytes: pandas would encode text back to UTF-8 first
            io.BytesIO(content),
            encoding="utf-8-sig",
            sep=delimiter,
            header=None,
            dtype=object,
            na_filter=False,
            skip_blank_lines=False,
        )
        cells = _frame_cells(frame)  # without na_filter a blank line or a short row reads as ''
    except (pd.errors.ParserError, pd.errors.EmptyDataError):  # rows of unequal length, or no text at all
        cells = _as_array(list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)))
    sheet = RawSheet(path.stem, str(path), list(cells[0]) if len(cells) else [])
    occupied = np.flatnonzero(_occupied_rows(cells[1:])) + 1 if len(cells) > 1 else np.array([], dtype=np.int64)
    sheet.row_numbers = (occupied + 1).astype(np.int64)
    every_row = len(occupied) == len(cells) - 1
    sheet.cells = cells[1:] if every_row else cells[occupied]  # a view when no row is blank: no copy
    return sheet


def _frame_cells(frame: pd.DataFrame) -> np.ndarray:
    """The frame's values as a 2-D object array, each column moved out of the frame in turn, so that the cells
    are not held twice."""
    cells = np.empty(frame.shape, dtype=object)
    for index in range(frame.shape[1]):
        cells[:, index] = frame.pop(frame.columns[0]).to_numpy(dtype=object)
    return cells

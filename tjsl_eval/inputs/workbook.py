"""Load a review workbook into typed tables, collecting every problem in one pass."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from pandas.api.extensions import ExtensionArray

from tjsl_eval.common.problems import InputError, Problem
from tjsl_eval.inputs import cells, columns, photos
from tjsl_eval.inputs.readers import RawSheet, column_letters, read_sheets
from tjsl_eval.inputs.schema import (
    CHOICES_SHEET,
    INSTRUCTIONS_SHEET,
    SHARED_SHEETS,
    SHEETS,
    Column,
    Sheet,
    is_example_marker,
)
from tjsl_eval.inputs.sources import SAMPLE_NAME, resolve_workbook_path
from tjsl_eval.inputs.survey_exports import join_exports
from tjsl_eval.inputs.survey_params import SurveyExport

_TEMPLATE_SHEETS = {*INSTRUCTIONS_SHEET.values(), CHOICES_SHEET}  # the template's own sheets: not data, not noted

_DTYPES = {
    "integer": "Int64",
    "number": "float64",
    "money": "float64",
    "percent": "float64",
    "date": "datetime64[ns]",
    "sdgs": "object",
}


@dataclass
class Workbook:
    """The typed tables of a review workbook, one DataFrame per sheet of the contract.

    Columns carry the canonical English names of :mod:`tjsl_eval.inputs.schema`, enumerations
    their canonical Indonesian values, and each frame's index is the row number as
    Excel shows it. A sheet the file does not have is an empty frame. The ``photos`` table
    also has the column ``sha256``, the hash of each photo file's bytes; its ``file`` paths are
    relative to ``folder``, the folder that holds the workbook. The tables are not changed once the
    workbook is made (:meth:`rows` keeps the selections it makes).
    """

    source: str
    tables: dict[str, pd.DataFrame]
    notes: list[str] = field(default_factory=list)
    folder: Path | None = None
    _keys: dict = field(default_factory=dict, init=False, repr=False, compare=False)  # sheet: (group ids, years)
    _selections: dict = field(default_factory=dict, init=False, repr=False, compare=False)  # rows() made so far

    def __getstate__(self) -> dict:
        """Pickled (the run's cache) without the selections :meth:`rows` keeps."""
        return {**self.__dict__, "_keys": {}, "_selections": {}}

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update({"_keys": {}, "_selections": {}, **state})

    def __getitem__(self, sheet: str) -> pd.DataFrame:
        return self.tables[sheet]

    @property
    def group_ids(self) -> list[str]:
        return list(self.tables["groups"]["group_id"])

    def group(self, group_id: str) -> pd.Series:
        """The ``groups`` row of one group (KeyError if there is none)."""
        rows = self.rows("groups", group_id)
        if rows.empty:
            raise KeyError(group_id)
        return rows.iloc[0]

    def rows(self, sheet: str, group_id: str, year: int | None = None) -> pd.DataFrame:
        """The rows of ``sheet`` about one group (and one year when given). Each selection is made once per
        workbook: the methods ask for the same rows many times."""
        key = (sheet, group_id, year)
        if key not in self._selections:
            table = self.tables[sheet]
            if sheet not in self._keys:
                years = table["year"].to_numpy("float64", na_value=np.nan) if "year" in table else None
                self._keys[sheet] = (table["group_id"].to_numpy(object), years)
            ids, years = self._keys[sheet]
            keep = ids == group_id
            if year is not None:
                keep &= years == year
            self._selections[key] = table.iloc[np.flatnonzero(keep)]
        return self._selections[key]

    def years(self) -> list[int]:
        """Every year that any sheet has data for, ascending."""
        found: set[int] = set()
        for table in self.tables.values():
            if "year" in table:
                found.update(int(y) for y in table["year"].dropna())
        return sorted(found)

    def for_group(self, group_id: str) -> Workbook:
        """A workbook of one group's rows only (the rows of :data:`SHARED_SHEETS` about everyone included)."""
        return self._rows(self.group_rows()[group_id])

    def group_rows(self) -> dict[str, dict[str, np.ndarray]]:
        """The positions of each group's rows in each sheet, ascending (the rows of :data:`SHARED_SHEETS` with a
        blank group id are in every group's), in one pass over each sheet."""
        none = np.array([], dtype=np.intp)
        positions: dict[str, dict[str, np.ndarray]] = {group_id: {} for group_id in self.group_ids}
        for name, table in self.tables.items():
            by_group = table.groupby("group_id", sort=False).indices if not table.empty else {}
            shared = np.flatnonzero(table["group_id"].isna().to_numpy()) if name in SHARED_SHEETS else none
            for group_id, sheets in positions.items():
                own = by_group.get(group_id, none)
                sheets[name] = np.union1d(own, shared) if shared.size else own
        return positions

    def for_groups(self, group_ids: list[str]) -> Workbook:
        """A workbook of some groups' rows only (their ``groups`` rows, and the rows of :data:`SHARED_SHEETS`
        about everyone once), in the workbook's order."""
        wanted = set(group_ids)
        positions = {}
        for name, table in self.tables.items():
            keep = table["group_id"].isin(wanted).to_numpy(copy=True)
            if name in SHARED_SHEETS:
                keep |= table["group_id"].isna().to_numpy()
            positions[name] = np.flatnonzero(keep)
        return self._rows(positions)

    def split_by_group(self) -> dict[str, Workbook]:
        """:meth:`for_group` for every group at once: each sheet's rows are put in group order once, so that
        each group's rows are a slice of them."""
        positions = self.group_rows()
        ordered, bounds = {}, {}
        for name, table in self.tables.items():
            rows = [group[name] for group in positions.values()]
            ordered[name] = table.iloc[np.concatenate(rows)] if rows else table.iloc[:0]
            bounds[name] = np.cumsum([0, *map(len, rows)])
        return {
            group_id: Workbook(
                self.source,
                {name: ordered[name].iloc[bounds[name][i] : bounds[name][i + 1]] for name in self.tables},
                list(self.notes),
                self.folder,
            )
            for i, group_id in enumerate(positions)
        }

    def _rows(self, positions: dict[str, np.ndarray]) -> Workbook:
        """A workbook of the rows at ``positions`` in each sheet."""
        return Workbook(
            self.source,
            {name: self.tables[name].iloc[rows] for name, rows in positions.items()},
            list(self.notes),
            self.folder,
        )


def load_workbook(workbook: str | Path, exports: tuple[SurveyExport, ...] = ()) -> Workbook:
    """Load and validate a workbook (with the survey ``exports`` of its review joined to its ``survey`` sheet);
    raise :class:`InputError` listing every problem."""
    loaded, problems = validate_workbook(workbook, exports)
    if problems:
        raise InputError(problems)
    return loaded


def validate_workbook(
    workbook: str | Path, exports: tuple[SurveyExport, ...] = ()
) -> tuple[Workbook | None, list[Problem]]:
    """Load a workbook and return it with every problem found (the workbook is None if any); the rows of the
    survey ``exports`` (see :mod:`tjsl_eval.inputs.survey_exports`) join its ``survey`` sheet."""
    path = resolve_workbook_path(workbook)
    label = SAMPLE_NAME if str(workbook) == SAMPLE_NAME else str(workbook)
    try:
        raw_sheets = read_sheets(path)
    except InputError as error:
        return None, error.problems
    problems: list[Problem] = []
    notes: list[str] = []
    matched = _match_sheets(raw_sheets, problems, notes)
    tables: dict[str, pd.DataFrame] = {}
    headers: dict[str, dict[str, str]] = {}
    for sheet in SHEETS:
        raw = matched.get(sheet.name)
        if raw is None:
            if sheet.required:
                problems.append(
                    Problem(
                        label,
                        sheet.name_id,
                        message=(f"the required sheet '{sheet.name_id}' (or '{sheet.name}') is missing"),
                    )
                )
            tables[sheet.name] = _empty_table(sheet)
            headers[sheet.name] = {c.name: c.name_id for c in sheet.columns}
            continue
        try:
            loaded = raw.loaded()
        except InputError as error:
            return None, error.problems
        tables[sheet.name], headers[sheet.name] = _parse_sheet(sheet, loaded, problems, notes)
        del loaded  # one sheet's raw cells at a time
    if "groups" in matched and tables["groups"].empty:
        raw = matched["groups"]
        problems.append(
            Problem(
                raw.file,
                raw.name,
                message=(
                    "expected at least one group: add one row per group below the header "
                    "(the template's example row does not count)"
                ),
            )
        )
    from tjsl_eval.inputs import rules  # pandera is imported only when a workbook is validated

    problems += rules.check(tables, headers, matched)
    if exports:
        tables["survey"], found = join_exports(tables, exports, notes)
        problems += found
    folder = photos.workbook_folder(path)
    raw_photos = matched.get("photos")
    problems += photos.check_photos(
        tables["photos"],
        folder,
        raw_photos.file if raw_photos else label,
        raw_photos.name if raw_photos else "dokumentasi",
        headers["photos"]["file"],
    )
    problems = sorted(set(problems), key=_problem_order)
    return (None if problems else Workbook(label, tables, notes, folder)), problems


def _problem_order(problem: Problem) -> tuple:
    sheet_rank = {s.name_id: i for i, s in enumerate(SHEETS)}
    return (
        problem.sheet is not None,
        sheet_rank.get(problem.sheet or "", len(SHEETS)),
        problem.sheet or "",
        problem.row or 0,
        problem.column or "",
        problem.message,
    )


def _match_sheets(raw_sheets: list[RawSheet], problems: list[Problem], notes: list[str]) -> dict[str, RawSheet]:
    by_token = {}
    for sheet in SHEETS:
        by_token[sheet.name] = by_token[sheet.name_id] = sheet
    matched: dict[str, RawSheet] = {}
    for raw in raw_sheets:
        token = cells.normalize_token(raw.name)
        if token in _TEMPLATE_SHEETS:
            continue  # the template's instructions and drop-down lists, not data
        sheet = by_token.get(token)
        if sheet is None:
            notes.append(f"sheet '{raw.name}' is not part of the contract and was not read")
        elif raw.kind:
            message = (
                f"is {raw.kind}, not a sheet of cells: put the data of '{sheet.name_id}' in a worksheet of that name "
                f"(and rename the chart)"
            )
            problems.append(Problem(raw.file, raw.name, message=message))
        elif sheet.name in matched:
            problems.append(
                Problem(
                    raw.file,
                    raw.name,
                    message=(
                        f"expected one sheet for '{sheet.name_id}', but sheet '{matched[sheet.name].name}' "
                        f"already holds it: keep one of the two"
                    ),
                )
            )
        else:
            matched[sheet.name] = raw
    return matched


def _match_columns(sheet: Sheet, raw: RawSheet, problems: list[Problem], notes: list[str]) -> dict[str, int]:
    by_token = {}
    for column in sheet.columns:
        by_token[column.name] = by_token[column.name_id] = column
    positions: dict[str, int] = {}
    for index, header in enumerate(raw.header):
        letters = column_letters(index)
        if (raw.header_row, index) in raw.cell_problems:
            unusable = raw.cell_problems[(raw.header_row, index)]
            problems.append(
                Problem(raw.file, raw.name, raw.header_row, letters, f"expected a column name; the cell {unusable}")
            )
            continue
        if cells.is_blank(header):
            if not all(cells.is_blank(value) for value in raw.column(index)):
                message = f"expected a column name on row {raw.header_row} above these values"
                problems.append(Problem(raw.file, raw.name, raw.header_row, letters, message))
            continue
        column = by_token.get(cells.normalize_token(header))
        if column is None:
            notes.append(f"sheet '{raw.name}': column '{header}' is not part of the contract and was not read")
        elif column.name in positions:
            problems.append(
                Problem(
                    raw.file,
                    raw.name,
                    raw.header_row,
                    str(header),
                    (
                        f"expected each column once, but '{column.name_id}' is also column "
                        f"{column_letters(positions[column.name])}"
                    ),
                )
            )
        else:
            positions[column.name] = index
    for column in sheet.columns:
        if column.name not in positions and not column.optional:
            problems.append(
                Problem(
                    raw.file,
                    raw.name,
                    raw.header_row,
                    column.name_id,
                    (
                        f"the required column '{column.name_id}' (or '{column.name}') is missing: expected "
                        f"{column.expected()}"
                    ),
                )
            )
    return positions


def _parse_sheet(
    sheet: Sheet, raw: RawSheet, problems: list[Problem], notes: list[str]
) -> tuple[pd.DataFrame, dict[str, str]]:
    positions = _match_columns(sheet, raw, problems, notes)
    header_names = {
        c.name: (str(raw.header[positions[c.name]]).strip() if c.name in positions else c.name_id)
        for c in sheet.columns
    }
    kept = _without_examples(raw, positions.get("group_id"), notes)
    row_numbers = raw.row_numbers[kept]
    at = _cell_positions(raw, row_numbers)
    found: list[tuple[int, Problem]] = []  # (position of the row, problem)
    data: dict[str, pd.Series] = {}
    blank = np.ones(len(row_numbers), dtype=bool)
    for column in sheet.columns:
        index = positions.get(column.name)
        if index is None and not column.optional:  # reported once, as missing: not once per row
            data[column.name] = pd.Series(columns.filled(column, len(row_numbers)))
            continue
        values = raw.column(index)[kept]
        percent = np.zeros(len(values), dtype=bool)
        unusable = {
            at[row]: message for (row, where), message in raw.cell_problems.items() if where == index and row in at
        }
        for row, where in raw.percent_cells:
            if where == index and row in at:
                percent[at[row]] = True
        values[list(unusable)] = ""  # reported below as unusable, not as blank
        header = header_names[column.name]

        def report(position: int, message: str, header: str = header, unusable: dict = unusable) -> None:
            if position not in unusable:
                found.append((position, Problem(raw.file, raw.name, int(row_numbers[position]), header, message)))

        data[column.name], column_blank = columns.parse_column(column, values, percent, report)
        blank &= column_blank
        for position, message in unusable.items():
            problem = f"expected {column.expected()}; the cell {message}"
            found.append((position, Problem(raw.file, raw.name, int(row_numbers[position]), header, problem)))
            data[column.name].iloc[position] = column.default
            blank[position] = False
    spaces_only = [p for p in np.flatnonzero(blank) if all(cells.is_blank(v) for v in raw.cells[kept[p]])]
    dropped = set(spaces_only)
    problems += [problem for position, problem in found if position not in dropped]
    return _table(sheet, data, row_numbers, spaces_only), header_names


def _cell_positions(raw: RawSheet, row_numbers: np.ndarray) -> dict[int, int]:
    """The position in ``row_numbers`` of each row that holds an unusable or percent-formatted cell."""
    marked = {row for row, _ in raw.cell_problems} | {row for row, _ in raw.percent_cells}
    if not marked:
        return {}
    where = np.searchsorted(row_numbers, sorted(marked))
    return {
        row: int(position)
        for row, position in zip(sorted(marked), where, strict=True)
        if position < len(row_numbers) and row_numbers[position] == row
    }


def _without_examples(raw: RawSheet, group_id_at: int | None, notes: list[str]) -> np.ndarray:
    """The positions of the sheet's data rows that are not the template's example rows: those whose group id
    cell holds an example marker (``#CONTOH`` or ``#EXAMPLE``, never a valid id); each one skipped is noted."""
    everything = np.arange(len(raw.row_numbers))
    if group_id_at is None:
        return everything
    codes, ids = pd.factorize(raw.column(group_id_at))
    markers = np.flatnonzero([is_example_marker(value) for value in ids])
    examples = np.isin(codes, markers)
    for row_number in raw.row_numbers[examples]:
        notes.append(f"sheet '{raw.name}', row {row_number}: the template's example row was skipped")
    return everything[~examples]


def _table(sheet: Sheet, data: dict[str, pd.Series], row_numbers: np.ndarray, dropped: list[int]) -> pd.DataFrame:
    """The typed table of a sheet from its parsed columns (taken out of ``data``), without the rows at the
    positions ``dropped``: each column is given its type in turn and its parsed values let go, so that the
    sheet is not held twice."""
    keep = np.delete(np.arange(len(row_numbers)), dropped) if dropped else slice(None)
    arrays = {column.name: _typed(column, data.pop(column.name).iloc[keep]) for column in sheet.columns}
    return pd.DataFrame(arrays, index=pd.Index(row_numbers[keep].astype(np.int64), name="row"), copy=False)


def _typed(column: Column, series: pd.Series) -> ExtensionArray | np.ndarray:
    dtype = _DTYPES.get(column.kind, "str")
    if dtype == "datetime64[ns]":
        return pd.to_datetime(series).astype(dtype).array
    return series.astype(dtype).array


def _empty_table(sheet: Sheet) -> pd.DataFrame:
    return _table(sheet, {c.name: pd.Series([], dtype=object) for c in sheet.columns}, np.array([], np.int64), [])

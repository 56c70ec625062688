"""Parse a whole column of raw cells at once, as evaluators type them.

A column's cells are factorised (``pandas.factorize``: one hash pass in C) and its distinct values read at
once with numpy and pandas' string operations where they take a common form (numbers stored as numbers, plain
digits, ISO dates, text, valid group ids); every other distinct value (``Rp 12.500.000``, ``17 Januari 2023``,
``Selesai``, a misspelt id) is read once by the per-cell parsers of :mod:`tjsl_eval.inputs.cells`, whatever
the number of cells holding it, and each cell that cannot be read gets the parser's message. A column mixing
numbers, text and booleans is read cell by cell.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
from pandas.api.types import infer_dtype

from tjsl_eval.inputs import cells
from tjsl_eval.inputs.schema import GROUP_ID_PATTERN, RESERVED_IDS, Column, is_group_id

_NUMERIC = {"integer", "number", "money", "percent"}
_STORED_NUMBERS = {"floating", "integer", "mixed-integer-float"}  # numbers as read, without booleans
_MISSING = {"date": np.datetime64("NaT"), "integer": np.nan, "number": np.nan, "money": np.nan, "percent": np.nan}
_PLAIN_INTEGER = r"-?[0-9]{1,15}"  # read by every numeric parser as the same whole number
_PLAIN_DECIMAL = r"-?[0-9]{1,15}(?:\.[0-9]{1,2})?"  # read by every decimal parser as the same number
_ISO_DATE = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"
_FACTORISABLE = {*_STORED_NUMBERS, "string", "date", "datetime"}  # one kind of value: equal values are alike


def parse_column(
    column: Column, values: np.ndarray, percent: np.ndarray, on_error: Callable[[int, str], None]
) -> tuple[pd.Series, np.ndarray]:
    """The typed values of a column (its default for blank cells) and which cells are blank;
    ``on_error(position, message)`` is told of each cell that cannot be read as the column's type (which
    then holds None, or the default if blank)."""
    if infer_dtype(values, skipna=False) == "string":  # text only (every cell of a CSV file): blanks are text too
        typed, blank, one_by_one = _parse_texts(column, values, percent, on_error)
    else:
        typed, blank, one_by_one = _parse_values(column, values, percent, on_error)
    for position in one_by_one:
        if cells.is_blank(values[position]):
            blank[position] = True
            continue
        try:
            typed[position] = _parse(column, values[position], bool(percent[position]))
        except cells.CellError as error:
            typed[position] = _MISSING.get(column.kind)
            on_error(int(position), _message(column, error))
    blanks = np.flatnonzero(blank)
    typed[blanks] = filled(column, len(blanks))
    if not column.blank_allowed:
        for position in blanks:
            on_error(int(position), f"a value is required: expected {column.expected()}")
    return pd.Series(typed), blank


def _parse_texts(
    column: Column, values: np.ndarray, percent: np.ndarray, on_error: Callable[[int, str], None]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A column of text cells parsed value by distinct value, blanks (``''``, only spaces) among them: the typed
    values, which cells are blank and the positions of the cells to parse one by one (percent-formatted)."""
    codes, uniques = pd.factorize(values)  # text only: no missing value to give the -1 code
    parsed, errors = _parse_distinct(column, uniques, "string")
    typed = parsed[codes]
    blank = np.isin(codes, _codes(errors, blank=True))
    one_by_one = np.flatnonzero(~blank & percent)  # a percent format changes the value: few cells
    wrong = np.isin(codes, _codes(errors, blank=False)) & ~blank & ~percent
    _report(np.flatnonzero(wrong), codes[wrong], errors, on_error)
    return typed, blank, one_by_one


def _parse_values(
    column: Column, values: np.ndarray, percent: np.ndarray, on_error: Callable[[int, str], None]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:func:`_parse_texts` for a column of numbers, dates or booleans (as read from a spreadsheet), parsed value
    by distinct value when all its cells that are not blank hold one kind of value, else cell by cell."""
    blank = values == ""  # as read; None, NaN and spaces only are found among the distinct values below
    typed = filled(column, len(values))
    one_by_one = np.flatnonzero(~blank & percent)
    positions = np.flatnonzero(~blank & ~percent)
    present = values[positions]
    kind = infer_dtype(present, skipna=False) if len(present) else "empty"
    if kind in _FACTORISABLE:
        codes, uniques = pd.factorize(present, use_na_sentinel=False)  # NaN a value of its own, not -1
        parsed, errors = _parse_distinct(column, uniques, kind)
        typed[positions] = parsed[codes]
        blank[positions[np.isin(codes, _codes(errors, blank=True))]] = True
        wrong = np.isin(codes, _codes(errors, blank=False))
        _report(positions[wrong], codes[wrong], errors, on_error)
    else:
        one_by_one = np.union1d(one_by_one, positions)
    return typed, blank, one_by_one


def _codes(errors: dict[int, str | None], blank: bool) -> list[int]:
    """The codes of the distinct values that are blanks (only spaces), or else of those that cannot be read."""
    return [code for code, message in errors.items() if (message is None) == blank]


def _report(
    positions: np.ndarray, codes: np.ndarray, errors: dict[int, str | None], on_error: Callable[[int, str], None]
) -> None:
    """Each cell at ``positions`` told of the message of its value (``codes``), value by value, top to bottom."""
    order = np.argsort(codes, kind="stable")
    for position, code in zip(positions[order], codes[order], strict=True):
        on_error(int(position), errors[int(code)])


def _parse_distinct(column: Column, uniques: np.ndarray, kind: str) -> tuple[np.ndarray, dict[int, str | None]]:
    """Each distinct value parsed, and the message of each one that cannot be (None: only spaces, a blank).

    The values that the whole-column readers of :data:`_READERS` accept are read at C speed; every other one
    (and each that they refuse) by the per-cell parsers, which say what is wrong with it."""
    parsed = filled(column, len(uniques))
    errors: dict[int, str | None] = {}
    read = _READERS.get(column.kind)
    if read and (kind == "string" or (column.kind in _NUMERIC and kind in _STORED_NUMBERS)):
        usable = read(column, uniques, parsed)
        remaining = np.flatnonzero(~usable)
    else:
        remaining = range(len(uniques))
    for index in remaining:
        value = uniques[index]
        if cells.is_blank(value):
            errors[index] = None
            continue
        try:
            parsed[index] = _parse(column, value, False)
        except cells.CellError as error:
            parsed[index] = _MISSING.get(column.kind)
            errors[index] = _message(column, error)
    return parsed, errors


def _read_numbers(column: Column, uniques: np.ndarray, parsed: np.ndarray) -> np.ndarray:
    """Numbers as stored, and text of plain digits (as in CSV files, with at most two decimals for a column that
    is not of whole numbers), into ``parsed``: which of ``uniques`` were read."""
    if uniques.dtype == object and len(uniques) and isinstance(uniques[0], str):
        pattern = _PLAIN_INTEGER if column.kind == "integer" else _PLAIN_DECIMAL
        plain = pd.Series(uniques, dtype=object).str.fullmatch(pattern).to_numpy(dtype=bool)
        numbers = np.full(len(uniques), np.nan)
        numbers[plain] = uniques[plain].astype(float)
    else:
        numbers = uniques.astype(float)
    usable = np.isfinite(numbers)
    if column.kind == "integer":
        usable &= (numbers == np.floor(numbers)) & (np.abs(numbers) <= cells.LARGEST_INTEGER)
    parsed[usable] = numbers[usable]
    return usable


def _read_texts(column: Column, uniques: np.ndarray, parsed: np.ndarray) -> np.ndarray:
    """Text (and group ids that are valid) without surrounding spaces into ``parsed``: which of ``uniques`` were
    read (not those of only spaces, an error value typed as text or an id that is not valid)."""
    texts = pd.Series(uniques, dtype=object).str.strip()
    usable = (texts != "") & ~texts.isin(cells.EXCEL_ERRORS) & ~texts.str.contains(cells.CONTROL_CHARACTERS)
    if column.kind == "identifier":
        usable &= texts.str.fullmatch(GROUP_ID_PATTERN).astype(bool) & ~texts.str.lower().isin(RESERVED_IDS)
    usable = usable.to_numpy(dtype=bool)
    parsed[usable] = texts.to_numpy()[usable]
    return usable


def _read_dates(column: Column, uniques: np.ndarray, parsed: np.ndarray) -> np.ndarray:
    """ISO dates (``2023-01-17``, as in CSV files) of real calendar days in the accepted years into ``parsed``:
    which of ``uniques`` were read."""
    iso = pd.Series(uniques, dtype=object).str.fullmatch(_ISO_DATE).to_numpy(dtype=bool)
    dates = pd.to_datetime(pd.Series(uniques[iso], dtype=object), format="%Y-%m-%d", errors="coerce").to_numpy()
    earliest, latest = np.datetime64(cells.EARLIEST_DATE, "ns"), np.datetime64(cells.LATEST_DATE, "ns")
    within = (dates >= earliest) & (dates <= latest)  # False for NaT: not a calendar day
    usable = np.zeros(len(uniques), dtype=bool)
    usable[np.flatnonzero(iso)[within]] = True
    parsed[usable] = dates[within]
    return usable


_READERS = {
    "integer": _read_numbers,
    "number": _read_numbers,
    "money": _read_numbers,
    "percent": _read_numbers,
    "text": _read_texts,
    "identifier": _read_texts,
    "date": _read_dates,
}


def filled(column: Column, size: int) -> np.ndarray:
    """An array for a column's typed values, each its default (or missing): dates and numbers in their numpy
    type, so that the table needs no conversion cell by cell (whole numbers as float64, exact up to
    :data:`cells.LARGEST_INTEGER`, which the loader turns into Int64 at once); the rest as objects."""
    if column.kind in _MISSING:
        default = _MISSING[column.kind] if column.default is None else column.default
        return np.full(size, default, dtype="datetime64[ns]" if column.kind == "date" else float)
    typed = np.empty(size, dtype=object)
    typed.fill(column.default)
    return typed


def _message(column: Column, error: cells.CellError) -> str:
    return f"expected {column.expected()}; {error}"


def _parse(column: Column, value: object, percent: bool) -> object:
    """One value through the per-cell parsers; an error value written as text is refused as such."""
    if isinstance(value, str) and value.strip() in cells.EXCEL_ERRORS:
        raise cells.CellError(f"the cell holds the Excel error {value.strip()}")
    if column.kind in ("enum", "identifier"):
        text = cells.parse_text(value)
        if column.kind == "identifier":
            if not is_group_id(text):
                raise cells.CellError(f"found {text!r}")
            return text
        token = cells.normalize_token(text)
        for canonical, aliases in column.choices.items():
            if token == canonical or token in aliases:
                return canonical
        raise cells.CellError(f"found {text!r}")
    if column.kind == "percent":
        return cells.parse_percent(value, percent)
    return _PARSERS[column.kind](value)


_PARSERS = {
    "text": cells.parse_text,
    "integer": cells.parse_integer,
    "number": cells.parse_number,
    "money": cells.parse_money,
    "date": cells.parse_date,
    "sdgs": cells.parse_sdgs,
}

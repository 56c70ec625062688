"""Parse a whole column of raw cells at once, as evaluators type them.

The usual cells (numbers stored as numbers, plain digits, ISO and ``dd/mm/yyyy`` dates, dates stored as
dates, enumerations in any case and spacing, text) are typed with pandas and numpy operations on the whole
column; every other cell (``Rp 12.500.000``, ``17 Januari 2023``, ``8; 11``, a mistake) goes through the
per-cell parsers of :mod:`tjsl_eval.inputs.cells`, which say what was wrong. Both give the same values.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import numpy as np
import pandas as pd

from tjsl_eval.inputs import cells
from tjsl_eval.inputs.schema import GROUP_ID_PATTERN, RESERVED_IDS, Column, is_group_id

_NUMERIC = {"integer", "number", "money", "percent"}
_NUMBER, _TEXT, _DATE = 1, 2, 3  # what a cell holds as read (0: anything else, e.g. a bool)
_KINDS = {float: _NUMBER, int: _NUMBER, str: _TEXT, dt.date: _DATE, dt.datetime: _DATE}
_PLAIN_INTEGER = r"\s*-?\d{1,15}\s*"
_DATE_TEXT = {r"\s*\d{4}-\d{2}-\d{2}\s*": "%Y-%m-%d", r"\s*\d{1,2}/\d{1,2}/\d{4}\s*": "%d/%m/%Y"}
_EARLIEST, _LATEST = np.datetime64(cells.EARLIEST_DATE, "ns"), np.datetime64(cells.LATEST_DATE, "ns")


def blank_mask(values: np.ndarray) -> np.ndarray:
    """True for each blank cell: empty, None, NaN or only spaces (:func:`cells.is_blank`, on a column)."""
    return np.fromiter(
        (v is None or v == "" or (type(v) is str and v.isspace()) or (type(v) is float and v != v) for v in values),
        dtype=bool,
        count=len(values),
    )


def parse_column(
    column: Column, values: np.ndarray, percent: np.ndarray, on_error: Callable[[int, str], None]
) -> pd.Series:
    """The typed values of a column (its default for blank cells); ``on_error(position, message)`` is told of
    each cell that cannot be read as the column's type (which then holds None, or the default if blank)."""
    blank = blank_mask(values)
    kinds = np.fromiter((_KINDS.get(type(v), 0) for v in values), dtype=np.int8, count=len(values))
    if column.kind == "date":
        typed = np.full(len(values), np.datetime64("NaT"), dtype="datetime64[ns]")
    else:
        typed = np.empty(len(values), dtype=object)
        typed.fill(column.default)
    done = blank.copy()
    fast = _FAST.get(column.kind)
    if fast is not None:
        fast(column, values, kinds, ~blank & ~percent, typed, done)
    for position in np.flatnonzero(blank & ~column.blank_allowed):
        on_error(int(position), f"a value is required: expected {column.expected()}")
    for position in np.flatnonzero(~done):
        try:
            typed[position] = _slow(column, values[position], bool(percent[position]))
        except cells.CellError as error:
            typed[position] = None
            on_error(int(position), f"expected {column.expected()}; {error}")
    return pd.Series(typed)


def _slow(column: Column, value: object, percent: bool) -> object:
    """One cell through the per-cell parsers."""
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
    parsers = {
        "text": cells.parse_text,
        "integer": cells.parse_integer,
        "number": cells.parse_number,
        "money": cells.parse_money,
        "percent": lambda v: cells.parse_percent(v, percent),
        "date": cells.parse_date,
        "sdgs": cells.parse_sdgs,
    }
    return parsers[column.kind](value)


def _numbers(column: Column, values, kinds, todo, typed, done) -> None:
    """Numbers stored as numbers, and plain digits as text."""
    stored = todo & (kinds == _NUMBER)
    as_text = todo & (kinds == _TEXT)
    if as_text.any():
        plain = pd.Series(values[as_text], dtype=object).str.fullmatch(_PLAIN_INTEGER).to_numpy(dtype=bool)
        stored[np.flatnonzero(as_text)[plain]] = True
    numbers = values[stored].astype(float)
    usable = np.isfinite(numbers)
    if column.kind == "integer":
        usable &= (numbers == np.floor(numbers)) & (np.abs(numbers) <= cells.LARGEST_INTEGER)
    positions = np.flatnonzero(stored)[usable]
    typed[positions] = numbers[usable].astype(np.int64) if column.kind == "integer" else numbers[usable]
    done[positions] = True


def _dates(column: Column, values, kinds, todo, typed, done) -> None:
    """Dates stored as dates, and ISO or dd/mm/yyyy text; a date outside the contract's years is left to
    the per-cell parser, which says so."""
    found = np.full(len(values), np.datetime64("NaT"), dtype="datetime64[ns]")
    stored = todo & (kinds == _DATE)
    if stored.any():
        days = pd.to_datetime(pd.Series(values[stored], dtype=object), errors="coerce").dt.normalize()
        found[stored] = days.to_numpy(dtype="datetime64[ns]")
    as_text = todo & (kinds == _TEXT)
    if as_text.any():
        text = pd.Series(values[as_text], index=np.flatnonzero(as_text), dtype=object)
        for pattern, date_format in _DATE_TEXT.items():
            matching = text[text.str.fullmatch(pattern).astype(bool)]
            if not matching.empty:
                days = pd.to_datetime(matching.str.strip(), format=date_format, errors="coerce")
                found[matching.index.to_numpy()] = days.to_numpy(dtype="datetime64[ns]")
    usable = ~np.isnat(found) & (found >= _EARLIEST) & (found <= _LATEST)
    typed[usable] = found[usable]
    done[usable] = True


def _texts(column: Column, values, kinds, todo, typed, done) -> None:
    """Text, its surrounding spaces removed (identifiers checked as well, enumerations matched in any case)."""
    as_text = todo & (kinds == _TEXT)
    if not as_text.any():
        return
    where = np.flatnonzero(as_text)
    text = pd.Series(values[as_text], dtype=object).str.strip()
    if column.kind == "identifier":
        usable = (text.str.fullmatch(GROUP_ID_PATTERN).astype(bool) & ~text.str.lower().isin(RESERVED_IDS)).to_numpy()
        result = text.to_numpy(dtype=object)
    elif column.kind == "enum":
        canonical = {alias: value for value, aliases in column.choices.items() for alias in (value, *aliases)}
        tokens = text.str.lower().str.replace(r"[\s\-]+", "_", regex=True).map(canonical)
        usable = tokens.notna().to_numpy(dtype=bool)
        result = tokens.to_numpy(dtype=object)
    else:
        usable = np.ones(len(text), dtype=bool)
        result = text.to_numpy(dtype=object)
    typed[where[usable]] = result[usable]
    done[where[usable]] = True


_FAST = {
    **dict.fromkeys(_NUMERIC, _numbers),
    "date": _dates,
    "text": _texts,
    "identifier": _texts,
    "enum": _texts,
}

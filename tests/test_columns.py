"""A whole column parsed at once reads every cell as the per-cell parsers do, with the same messages."""

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from tjsl_eval.inputs import cells, columns
from tjsl_eval.inputs.schema import Column

TEXTS = [
    *["", " ", "  x ", "#N/A", " #DIV/0! ", "index", "Index", " GRP-0001 ", "GRP-0001", "GRP 01", "-", "Kelompok Maju"],
    *["2023-02-30", "1989-12-31", "1990-01-01", "2100-12-31", "2101-01-01", "2023-1-5", " 2023-01-05 ", "2023-01-05"],
    *["17 Januari 2023", "17 Foo 2023", "0000-01-01", "2023-01-01 00:00", "２０２３-０１-０１", "١٢", "TRUE", "12%"],
    *["12.5", "1.500", "1,5", "Rp 1.000", "Rp 12.500,-", "-0", "+5", "1e3", "nan", "inf", "0.1", "00.5", "007"],
    *["10000000000000000", "999999999999999", "1000000000000000", "-12.34", "12.345", "-0.00", "3"],
]
SPREADSHEET_VALUES = [*TEXTS[:12], 12.5, 3.0, 7, -4, 0.2, float(10**16), True, dt.datetime(2023, 1, 5), ""]
MISSING = [None, float("nan")]  # a cell a reader could give as missing rather than as ''
NUMBERS_AND_MISSING = [12.5, None, 3.0, float("nan"), 7, "", 0.2]
FLOATS_AND_NAN = [12.5, float("nan"), 3.0, 7.25, float("nan"), 0.2]  # one kind of value: factorised
KINDS = ["text", "identifier", "integer", "number", "money", "percent", "date"]


def per_cell(column: Column, values: list) -> tuple[list, dict[int, str]]:
    """Each cell through the per-cell parsers: its typed value (the default when blank) and its message."""
    typed, messages = [], {}
    for position, value in enumerate(values):
        if cells.is_blank(value):
            typed.append(column.default)
            if not column.blank_allowed:
                messages[position] = f"a value is required: expected {column.expected()}"
            continue
        try:
            typed.append(columns._parse(column, value, False))
        except cells.CellError as error:
            typed.append(None)
            messages[position] = f"expected {column.expected()}; {error}"
    return typed, messages


def same(typed: object, expected: object) -> bool:
    if expected is None or (isinstance(expected, float) and np.isnan(expected)):
        return bool(pd.isna(typed))
    if isinstance(expected, dt.date):
        return pd.Timestamp(typed) == pd.Timestamp(expected)
    if isinstance(expected, str):
        return isinstance(typed, str) and typed == expected
    return typed == expected


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(
    "values",
    [
        TEXTS * 2,
        SPREADSHEET_VALUES * 2,
        [*TEXTS, *MISSING],
        [*SPREADSHEET_VALUES, *MISSING],
        NUMBERS_AND_MISSING,
        FLOATS_AND_NAN,
    ],
    ids=["csv", "spreadsheet", "text-and-missing", "spreadsheet-and-missing", "numbers-and-missing", "floats-and-nan"],
)
@pytest.mark.parametrize("blank", [None, "blank"])
def test_whole_column_reads_as_each_cell(kind, values, blank):
    column = Column("value", "nilai", kind, blank=blank)
    messages: dict[int, str] = {}
    typed, is_blank = columns.parse_column(
        column, np.array(values, dtype=object), np.zeros(len(values), dtype=bool), messages.__setitem__
    )
    expected, expected_messages = per_cell(column, values)
    assert messages == expected_messages
    assert list(is_blank) == [cells.is_blank(value) for value in values]
    pairs = zip(values, typed, expected, strict=True)
    assert [(value, got, want) for value, got, want in pairs if not same(got, want)] == []

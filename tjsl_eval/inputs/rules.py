"""Range, uniqueness and cross-sheet rules of the contract, checked with pandera.

Cells that could not be parsed are already reported by the loader (and are blank
here), so these rules see only typed values.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

import pandas as pd

from tjsl_eval.common.problems import Problem
from tjsl_eval.inputs.readers import RawSheet
from tjsl_eval.inputs.schema import SHEETS, Column, Sheet


@contextmanager
def _without_hypothesis() -> Iterator[None]:
    """``hypothesis`` unimportable for the moment: pandera imports it, when installed (it is, as a test
    dependency), for data synthesis that tjsl-eval never uses, and that import costs a quarter of a second and
    tens of megabytes of every validation. pandera has no setting to skip it, so while pandera's modules are
    first imported, ``sys.modules['hypothesis']`` is ``None`` (Python's own way to make an import fail); after
    that ``import hypothesis`` works as usual (only pandera's own data synthesis, ``schema.example()``, stays
    off in that process). A process that has already imported hypothesis keeps it, and pandera with it."""
    if "hypothesis" in sys.modules:
        yield
        return
    sys.modules["hypothesis"] = None  # type: ignore[assignment]
    try:
        yield
    finally:
        if sys.modules.get("hypothesis", "") is None:
            del sys.modules["hypothesis"]


with _without_hypothesis():
    import pandera.backends.pandas.builtin_checks  # noqa: F401  (pandera imports it on the first validation)
    import pandera.pandas as pa
    from pandera.errors import SchemaErrors


def check(
    tables: dict[str, pd.DataFrame], headers: dict[str, dict[str, str]], raw_sheets: dict[str, RawSheet]
) -> list[Problem]:
    """Every rule violation in the typed ``tables`` as problems naming sheet, row and column.

    ``headers`` maps each sheet's canonical column names to the headers the user wrote
    and ``raw_sheets`` each canonical sheet name to the sheet as read.
    """
    group_ids = set(tables["groups"]["group_id"].dropna())
    problems = []
    for sheet in SHEETS:
        table = tables[sheet.name]
        if sheet.name not in raw_sheets or table.empty:
            continue
        schema = _schema(sheet, group_ids)
        try:
            schema.validate(table, lazy=True)
        except SchemaErrors as errors:
            problems += _problems(errors.failure_cases, sheet, table, headers[sheet.name], raw_sheets[sheet.name])
    return problems


def _schema(sheet: Sheet, group_ids: set[str]) -> pa.DataFrameSchema:
    checked = {c.name: _checks(sheet, c, group_ids) for c in sheet.columns}
    columns = {  # a column without a rule is left out: pandera would only look at its type, already set
        name: pa.Column(checks=checks, nullable=True, coerce=False) for name, checks in checked.items() if checks
    }
    checks = []
    if sheet.name == "activities":
        checks.append(
            pa.Check(
                lambda t: (
                    t["planned_end"].isna() | t["planned_start"].isna() | (t["planned_end"] >= t["planned_start"])
                ),
                error="planned_end|expected a date not before the planned start",
            )
        )
    if sheet.name == "beneficiaries":
        checks.append(
            pa.Check(
                lambda t: t[["men", "women", "total"]].isna().any(axis=1) | (t["men"] + t["women"] == t["total"]),
                error="total|expected the total of men and women (laki_laki + perempuan)",
            )
        )
    if len(sheet.unique) > 1:
        checks.append(
            pa.Check(
                lambda t, keys=list(sheet.unique): ~t.duplicated(subset=keys, keep=False) | t[keys].isna().any(axis=1),
                error=f"{sheet.unique[-1]}|expected each combination of "
                f"{', '.join(sheet.column(k).name_id for k in sheet.unique)} only once",
            )
        )
    return pa.DataFrameSchema(columns, checks=checks)


def _checks(sheet: Sheet, column: Column, group_ids: set[str]) -> list[pa.Check]:
    checks = []
    bounds = [(column.ge, "ge"), (column.gt, "gt"), (column.le, "le")]
    for bound, method in bounds:
        if bound is not None:
            checks.append(getattr(pa.Check, method)(bound, error=f"expected {column.expected()}", ignore_na=True))
    if column.name == "group_id" and sheet.name != "groups":
        checks.append(  # a function of its own, not Check.isin: pandera copies a check's values for every sheet
            pa.Check(
                lambda s: s.isin(group_ids), ignore_na=True, error="expected a group id listed in the sheet 'kelompok'"
            )
        )
    if sheet.unique == (column.name,):
        checks.append(
            pa.Check(
                lambda s: ~s.duplicated(keep=False) | s.isna(),
                error="expected each value only once (this one is repeated)",
            )
        )
    return checks


def _problems(
    failures: pd.DataFrame, sheet: Sheet, table: pd.DataFrame, headers: dict[str, str], raw: RawSheet
) -> list[Problem]:
    problems = []
    for failure in failures.itertuples(index=False):
        if failure.index is None or pd.isna(failure.index):
            continue  # dtype notes; the loader has already typed every column
        message = str(failure.check)
        column = failure.column
        if "|" in message:  # sheet-wide checks name the column they report on
            column, message = message.split("|", 1)
        if failure.schema_context == "DataFrameSchema" and failure.column != column:
            continue  # a sheet-wide check lists every column of a failing row: report it once
        value = table.at[int(failure.index), column]
        found = "" if "each" in message else f"; found {_shown(value)}"
        problems.append(Problem(raw.file, raw.name, int(failure.index), headers[column], message + found))
    return problems


def _shown(value: object) -> str:
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    if isinstance(value, float) and value.is_integer():
        return f"{value:.0f}"
    return repr(value) if isinstance(value, str) else str(value)

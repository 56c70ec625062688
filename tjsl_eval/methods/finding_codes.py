"""The check of sheet ``tindak_lanjut``: each row's finding code must be one the review computes for that group and
year. A code that is not is a located problem (file, sheet, row, column), naming the codes the group's year has and
the group whose code it is, if another's."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from tjsl_eval.common import codes
from tjsl_eval.common.problems import Problem
from tjsl_eval.inputs.schema import SHEETS_BY_NAME
from tjsl_eval.inputs.settings import MethodSettings
from tjsl_eval.inputs.workbook import Workbook
from tjsl_eval.methods import metrics
from tjsl_eval.methods.evaluation import method_results
from tjsl_eval.methods.findings import fgd_inputs, findings

SHEET = SHEETS_BY_NAME["follow_up"]
SHOWN_CODES = 12  # codes listed in a problem's message at most


def finding_codes(
    workbook: Workbook, group_id: str, year: int, methods: MethodSettings, as_of: dt.date | None = None
) -> set[str]:
    """The codes a finding of the group's year can have: those of its findings as judged at that year's FGD (and at
    ``as_of``, the review's FGD date, when given), and those of every input about the group raised up to that year
    (an input closed since is no finding any more, but its follow-up row stays valid)."""
    results = method_results(workbook, group_id, year, methods)
    dates = {metrics.fgd_date_of(workbook.tables["fgd_feedback"], year).date(), *([as_of] if as_of else [])}
    found = {f.code for date in dates for f in findings(workbook, group_id, year, results, date, methods)}
    inputs = fgd_inputs(workbook, group_id)
    return found | set(inputs.loc[inputs["year"] <= year, "code"])


def code_problems(workbook: Workbook, methods: MethodSettings, as_of: dt.date | None = None) -> list[Problem]:
    """A problem for each row of ``tindak_lanjut`` whose code is not one of :func:`finding_codes` of its group and
    year (codes are compared in capitals)."""
    rows = workbook.tables["follow_up"]
    if rows.empty:
        return []
    known: dict[tuple[str, int], set[str]] = {}
    problems = []

    def codes_of(group_id: str, year: int) -> set[str]:
        if (group_id, year) not in known:
            known[group_id, year] = finding_codes(workbook, group_id, year, methods, as_of)
        return known[group_id, year]

    fgd_codes = {group_id: set(fgd_inputs(workbook, group_id)["code"]) for group_id in set(rows["group_id"])}
    for row, group_id, year, code in zip(rows.index, rows["group_id"], rows["year"], rows["finding_code"], strict=True):
        if pd.isna(group_id) or pd.isna(year) or pd.isna(code):
            continue  # reported by the loader
        code, year = str(code).strip().upper(), int(year)
        if code in fgd_codes[group_id] or code in codes_of(group_id, year):
            continue
        listed = sorted(codes_of(group_id, year))
        shown = ", ".join(listed[:SHOWN_CODES]) + (", ..." if len(listed) > SHOWN_CODES else "") or "none"
        owners = [g for g in workbook.group_ids if g != group_id and code in _codes_of_others(workbook, g, year)]
        whose = f" ({code} is a finding of {', '.join(owners)})" if owners else ""
        message = f"expected a finding code of {group_id} in {year}: {shown}; found {code!r}{whose}"
        problems.append(
            Problem(_file(workbook), SHEET.name_id, int(row), SHEET.column("finding_code").name_id, message)
        )
    return problems


def _file(workbook: Workbook) -> str:
    """The file that holds the sheet: the workbook, or the sheet's CSV file in a folder of CSV files."""
    folder = Path(workbook.source)
    if folder.is_dir():
        return next(
            (str(folder / f"{name}.csv") for name in (SHEET.name_id, SHEET.name) if (folder / f"{name}.csv").exists()),
            workbook.source,
        )
    return workbook.source


def _codes_of_others(workbook: Workbook, group_id: str, year: int) -> set[str]:
    """Another group's codes for the message, cheaply: its FGD inputs' codes and the codes that do not depend on a
    row's name (its indicators' and activities' codes are made the same way)."""
    inputs = fgd_inputs(workbook, group_id)
    indicators = workbook.rows("indicators", group_id, year)["indicator"]
    activities = workbook.rows("activities", group_id, year)["activity"]
    return {
        *inputs.loc[inputs["year"] <= year, "code"],
        *codes.unique([codes.code("IND", name) for name in indicators]),
        *codes.unique([codes.code("KEG", name) for name in activities]),
    }

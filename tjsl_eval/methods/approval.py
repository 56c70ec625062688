"""Sign-off of a group's report (sheet ``pengesahan``): who prepared, reviewed and approved it, whether it is
approved (else the report is a draft) and its date (rules: docs/methods.md, "Sign-off and report date")."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from tjsl_eval.inputs.schema import APPROVAL_ROLES
from tjsl_eval.inputs.workbook import Workbook
from tjsl_eval.methods import metrics

ROLES = tuple(APPROVAL_ROLES)  # disusun, diperiksa, disetujui: the order of the sign-off block


def approval_rows(workbook: Workbook, group_id: str, year: int) -> pd.DataFrame:
    """The approval rows that sign the group's report of ``year``: those of the group and those of the whole review
    (blank group id), of that year or of every year (blank year). For each role the group's own rows replace the
    whole review's."""
    table = workbook.tables["approval"]
    rows = table[
        (table["group_id"].eq(group_id) | table["group_id"].isna()) & (table["year"].eq(year) | table["year"].isna())
    ]
    own = rows[rows["group_id"].notna()]
    rows = rows[rows["group_id"].notna() | ~rows["role"].isin(own["role"])]
    order = rows["role"].map(ROLES.index)
    return rows.assign(order=order).sort_values(["order", "date"], kind="stable")


def approvals(workbook: Workbook, group_id: str, year: int) -> list[dict[str, object]]:
    """``metrics.json``'s ``approvals``: {role, name, position, date (ISO), place}, prepared first."""
    rows = approval_rows(workbook, group_id, year)
    signed = metrics.records(rows, ("role", "name", "position", "date", "place"))
    for row in signed:
        row["date"] = row["date"].date().isoformat()
    return signed


def is_approved(signed: list[dict[str, object]]) -> bool:
    """True when an ``disetujui`` (approved) row signs the report."""
    return any(row["role"] == "disetujui" for row in signed)


def report_date(signed: list[dict[str, object]], configured: dt.date | None, fgd_date: dt.date) -> str:
    """The report's date (ISO): the latest approval date, else the params' ``report_date``, else the FGD date.
    Never the clock: the same data give the same date."""
    approved = [row["date"] for row in signed if row["role"] == "disetujui"]
    if approved:
        return max(approved)
    return (configured or fgd_date).isoformat()

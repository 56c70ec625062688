"""Sign-off of a group's report (sheet ``pengesahan``): who prepared, reviewed and approved it, whether it is
approved (else the report is a draft) and its date (rules: docs/methods.md, "Sign-off and report date")."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from tjsl_eval.inputs.schema import APPROVAL_ROLES
from tjsl_eval.inputs.workbook import Workbook
from tjsl_eval.methods import metrics

ROLES = tuple(APPROVAL_ROLES)  # disusun, diperiksa, disetujui: the order of the sign-off block


FIELDS = ("role", "name", "position", "date", "place")


def approvals(workbook: Workbook, group_id: str, year: int) -> list[dict[str, object]]:
    """``metrics.json``'s ``approvals``: the rows that sign the group's report of ``year`` as {role, name, position,
    date (ISO), place}, prepared first (then by date). A row signs it when its group id is the group's or blank (the
    whole review) and its year is ``year`` or blank (every review); for each role, the group's own rows replace the
    whole review's."""
    table = workbook.tables["approval"]
    rows = [
        row
        for row in metrics.records(table, ("group_id", "year", *FIELDS))
        if (row["group_id"] == group_id or pd.isna(row["group_id"])) and (row["year"] == year or pd.isna(row["year"]))
    ]
    own = {row["role"] for row in rows if not pd.isna(row["group_id"])}
    kept = [row for row in rows if not pd.isna(row["group_id"]) or row["role"] not in own]
    kept.sort(key=lambda row: (ROLES.index(row["role"]), row["date"]))
    return [{key: row["date"].date().isoformat() if key == "date" else row[key] for key in FIELDS} for row in kept]


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

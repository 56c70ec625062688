"""The FGD follow-up register: every stakeholder input across groups and years, and (a second sheet) every
recommendation of the review's findings with its owner, deadline and status."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from tjsl_eval.common.messages import label, text
from tjsl_eval.inputs.workbook import Workbook
from tjsl_eval.methods.metrics import OPEN_FOLLOW_UP
from tjsl_eval.render.exports import write_xlsx_sheets

COLUMNS = (
    "year",
    "fgd_date",
    "stakeholder",
    "stakeholder_type",
    "group_id",
    "group_name",
    "criterion",
    "feedback",
    "recommendation",
    "follow_up",
    "due_date",
    "overdue",
)
# The report's register table: the export's columns without type and id, plus "from an earlier FGD".
SHOWN_COLUMNS = (*(c for c in COLUMNS if c not in ("stakeholder_type", "group_id")), "carried_over")


def fgd_register(workbook: Workbook, evaluated_year: int, as_of: dt.date) -> pd.DataFrame:
    """One row per FGD input, with ``open``, ``overdue`` (open past its due date at ``as_of``)
    and ``carried_over`` (still open from an earlier year's FGD); those carried over come first,
    then the newest year. A blank ``group_id`` is an input about the whole programme."""
    feedback = workbook.tables["fgd_feedback"]
    names = dict(zip(workbook.tables["groups"]["group_id"], workbook.tables["groups"]["name"], strict=True))
    register = feedback.assign(
        group_name=feedback["group_id"].map(names),
        open=feedback["follow_up"].isin(OPEN_FOLLOW_UP),
    )
    register["overdue"] = register["open"] & register["due_date"].notna() & (register["due_date"] < pd.Timestamp(as_of))
    register["carried_over"] = register["open"] & (register["year"] < evaluated_year)
    register = register.sort_values(
        ["carried_over", "year", "fgd_date", "group_id", "row"],
        ascending=[False, False, True, True, True],
        na_position="last",
        kind="stable",
    )
    return register.reset_index()  # "row": the input's row in the workbook's FGD sheet


def counts_by(register: pd.DataFrame, column: str) -> pd.DataFrame:
    """Inputs, open and overdue inputs per value of ``column`` (e.g. stakeholder, criterion)."""
    grouped = register.groupby(register[column].fillna("-"), sort=True)
    counts = pd.DataFrame(
        {"inputs": grouped.size(), "open": grouped["open"].sum(), "overdue": grouped["overdue"].sum()}
    )
    return counts.astype(int).sort_values("inputs", ascending=False, kind="stable").reset_index()


RECOMMENDATION_COLUMNS = (
    "year",
    "group_id",
    "group_name",
    "code",
    "severity",
    "finding",
    "criterion",
    "recommendation",
    "owner",
    "deadline",
    "status",
    "overdue",
    "recurs",
)


def recommendation_rows(groups: dict[str, dict], language: str) -> list[list[object]]:
    """One row per finding of the groups' ``metrics.json`` entries, last year's first (with whether each recurs),
    then this year's: the evaluator's own recommendation (sheet ``tindak_lanjut``) where given, else the computed
    one; "no owner yet" where the finding has no follow-up row or no owner."""
    rows = []
    for key in ("follow_up_previous", "findings"):
        for group_id, entry in groups.items():
            year = entry["year"] - 1 if key == "follow_up_previous" else entry["year"]
            for finding in entry.get(key) or []:
                rows.append(_recommendation_row(group_id, entry["name"], year, finding, language))
    return rows


def _recommendation_row(group_id: str, name: str, year: int, finding: dict, language: str) -> list[object]:
    follow_up = finding["follow_up"] or {}
    deadline = follow_up.get("deadline")
    values = {
        "year": year,
        "group_id": group_id,
        "group_name": name,
        "code": finding["code"],
        "severity": label("severity", finding["severity"], language),
        "finding": text(f"findings.kind.{finding['kind']}", language),
        "criterion": label("criterion", finding["criterion"], language) if finding["criterion"] else None,
        "recommendation": follow_up.get("recommendation") or text(f"recommendation.{finding['kind']}", language),
        "owner": follow_up.get("owner") or text("findings.register.no_owner", language),
        "deadline": dt.date.fromisoformat(deadline) if deadline else None,
        "status": label("follow_up", follow_up["status"], language) if follow_up else None,
        "overdue": text("register.yes" if finding["overdue"] else "register.no", language),
        "recurs": None
        if "recurs" not in finding
        else text("register.yes" if finding["recurs"] else "register.no", language),
    }
    return [values[column] for column in RECOMMENDATION_COLUMNS]


def export_register(
    register: pd.DataFrame, path: Path, language: str, recommendations: list[list[object]] | None = None
) -> None:
    """``fgd_register.xlsx``: one row per input, filters on, header frozen, in the report's language; with
    ``recommendations`` (:func:`recommendation_rows`), a second sheet of them."""
    headers = [text(f"register.{column}", language) for column in COLUMNS]

    def cell(row: pd.Series, column: str) -> object:
        value = row[column]
        if column in ("fgd_date", "due_date"):
            return None if pd.isna(value) else value.date()
        if column in ("stakeholder_type", "criterion", "follow_up"):
            return None if pd.isna(value) else label(column, value, language)
        if column == "group_id" and pd.isna(value):
            return text("fgd.programme_wide", language)
        if column == "overdue":
            return text("register.yes" if value else "register.no", language)
        if column == "year":
            return int(value)
        return None if pd.isna(value) else value

    rows = [[cell(row, column) for column in COLUMNS] for _, row in register.iterrows()]
    sheets = [(text("register.sheet", language), headers, rows, [8, 12, 28, 14, 12, 30, 14, 60, 50, 12, 12, 10])]
    if recommendations is not None:
        titles = [text(f"findings.register.{column}", language) for column in RECOMMENDATION_COLUMNS]
        widths = [8, 12, 30, 30, 10, 30, 14, 60, 24, 12, 12, 10, 10]
        sheets.append((text("findings.register.sheet", language), titles, recommendations, widths))
    write_xlsx_sheets(path, sheets)

"""The follow-up of findings across years (sheet ``tindak_lanjut``): each finding joined to its row by group, year
and code, last year's findings with whether they recur, and the follow-up figures (rules: docs/methods.md,
"Follow-up of recommendations")."""

from __future__ import annotations

import pandas as pd

from tjsl_eval.inputs.workbook import Workbook
from tjsl_eval.methods import metrics

FIELDS = ("owner", "deadline", "status", "recommendation", "note")


def follow_up_rows(workbook: Workbook, group_id: str, year: int) -> dict[str, dict[str, object]]:
    """The group's follow-up rows of ``year`` by finding code: {owner, deadline (ISO or None), status,
    recommendation, note} (blank text is None)."""
    rows = workbook.rows("follow_up", group_id, year)
    joined = {}
    for row in metrics.records(rows, ("finding_code", *FIELDS)):
        code = str(row.pop("finding_code")).strip().upper()
        values = {key: None if pd.isna(value) else value for key, value in row.items()}
        if values["deadline"] is not None:
            values["deadline"] = values["deadline"].date().isoformat()
        joined[code] = values
    return joined


def is_overdue(follow_up: dict[str, object] | None, report_date: str) -> bool:
    """True when the follow-up's deadline is before the report date and its status is not ``selesai``."""
    return bool(
        follow_up and follow_up["deadline"] and follow_up["deadline"] < report_date and follow_up["status"] != "selesai"
    )


def joined(found: list[dict], rows: dict[str, dict[str, object]], report_date: str) -> list[dict]:
    """Each finding (``as_dict``) with ``follow_up`` (its row, or None) and ``overdue``."""
    return [
        {
            **finding,
            "follow_up": rows.get(finding["code"]),
            "overdue": is_overdue(rows.get(finding["code"]), report_date),
        }
        for finding in found
    ]


def previous(
    found_before: list[dict], rows: dict[str, dict[str, object]], codes_now: set[str], report_date: str
) -> list[dict]:
    """``follow_up_previous``: last year's findings joined to last year's rows, overdue at this report's date, each
    with ``recurs`` (a finding with the same code is found this year)."""
    return [{**finding, "recurs": finding["code"] in codes_now} for finding in joined(found_before, rows, report_date)]


def figures(found: list[dict], found_before: list[dict] | None) -> dict[str, object]:
    """``recommendations_previous`` (last year's findings), ``recommendations_done`` (those whose follow-up is
    ``selesai``), ``recommendations_followed_up_pct`` (done / previous × 100, None without last year's findings),
    ``recommendations_overdue`` (this year's and last year's findings whose follow-up is overdue) and
    ``recommendations_without_owner`` (this year's findings with no row, or a row without an owner)."""
    before = found_before or []
    done = sum(1 for f in before if f["follow_up"] and f["follow_up"]["status"] == "selesai")
    return {
        "recommendations_previous": len(before),
        "recommendations_done": done,
        "recommendations_followed_up_pct": done / len(before) * 100 if before else None,
        "recommendations_overdue": sum(1 for f in [*found, *before] if f["overdue"]),
        "recommendations_without_owner": sum(1 for f in found if not (f["follow_up"] and f["follow_up"]["owner"])),
    }

"""Who benefits (sheet ``penerima_manfaat``): men and women, people with disabilities and other vulnerable people,
per category (members, direct and indirect beneficiaries), for a group's year and summed for the programme."""

from __future__ import annotations

import pandas as pd

from tjsl_eval.inputs.schema import BENEFICIARY_CATEGORIES
from tjsl_eval.inputs.workbook import Workbook
from tjsl_eval.methods import metrics

CATEGORY_KEYS = {category: aliases[0] for category, aliases in BENEFICIARY_CATEGORIES.items()}  # members, direct...
COUNTS = ("men", "women", "with_disability", "other_vulnerable", "total")


def _count(value: object) -> int | None:
    return None if pd.isna(value) else int(value)


def beneficiaries(workbook: Workbook, group_id: str, year: int) -> dict[str, dict[str, int | None]] | None:
    """``metrics.json``'s ``beneficiaries``: {members|direct|indirect: {men, women, with_disability,
    other_vulnerable, total}} for the categories the sheet has (total = men + women when blank); None without rows."""
    rows = workbook.rows("beneficiaries", group_id, year)
    if rows.empty:
        return None
    found = {}
    for row in metrics.records(rows, ("category", *COUNTS)):
        counts = {key: _count(row[key]) for key in COUNTS}
        if counts["total"] is None:
            counts["total"] = counts["men"] + counts["women"]
        found[CATEGORY_KEYS[row["category"]]] = counts
    return {key: found[key] for key in CATEGORY_KEYS.values() if key in found}


def _pct(part: int, whole: int) -> float | None:
    return part / whole * 100 if whole else None


def programme_beneficiaries(entries: list[dict]) -> dict[str, dict[str, object]] | None:
    """The groups' ``beneficiaries`` summed per category, with ``women_pct`` (women / total) and ``vulnerable_pct``
    ((with disability + other vulnerable) / total: a person counted in both counts twice); a blank count adds
    nothing. None when no group has any."""
    summed: dict[str, dict[str, int]] = {}
    for entry in entries:
        for category, counts in (entry.get("beneficiaries") or {}).items():
            total = summed.setdefault(category, dict.fromkeys(COUNTS, 0))
            for key in COUNTS:
                total[key] += counts[key] or 0
    if not summed:
        return None
    return {
        category: {
            **counts,
            "women_pct": _pct(counts["women"], counts["total"]),
            "vulnerable_pct": _pct(counts["with_disability"] + counts["other_vulnerable"], counts["total"]),
        }
        for category, counts in ((key, summed[key]) for key in CATEGORY_KEYS.values() if key in summed)
    }

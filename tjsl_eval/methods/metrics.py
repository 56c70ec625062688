"""Per-group, per-year evaluation metrics (budget, indicators, activities, FGD inputs).

Every function takes the already-typed rows of one group and one year. A figure that
cannot be computed (no rows, nothing measured, a zero plan) is ``None``, never 0.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd

from tjsl_eval.common import formatting
from tjsl_eval.common.messages import label, text
from tjsl_eval.inputs.workbook import Workbook

OPEN_FOLLOW_UP = ("belum", "proses")
METRIC_KEYS = (
    "budget_planned",
    "budget_realized",
    "budget_absorption_pct",
    "indicator_achievement_pct",
    "indicators_met",
    "indicators_measured",
    "activity_completion_pct",
    "fgd_inputs",
    "fgd_open",
    "fgd_inputs_new",
    "fgd_open_earlier",
    "fgd_overdue_earlier",
)


# The six headline figures of a group's year: its progress (money, results, activities), then the three methods.
HEADLINE_KEYS = (
    "budget_absorption_pct",
    "indicator_achievement_pct",
    "activity_completion_pct",
    "ikm_score",
    "sroi_ratio",
    "independence_index",
)
MONEY_KEYS = ("budget_planned", "budget_realized", "sroi_present_value", "sroi_net_present_value")
SCORE_KEYS = ("ikm_score", "independence_index")  # indexes on a 0–100 scale, shown with 2 decimals
LABEL_KEYS = {"ikm_band": "ikm_band", "independence_stage": "stage", "pillar": "pillar"}


def format_figure(key: str, value: object, language: str = "id") -> str:
    """A ``metrics.json`` figure for readers: Rupiah for amounts, ``85,0 %`` for ``*_pct``,
    ``1,83 : 1`` for the SROI ratio, labels for bands and stages, plain numbers otherwise."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return "–"
    if key in LABEL_KEYS:
        return label(LABEL_KEYS[key], str(value), language)
    if key.endswith("_pct"):
        return formatting.percent(value, language)
    if key in MONEY_KEYS:
        return formatting.rupiah(value, language)
    if key == "sroi_ratio":
        return f"{formatting.number(value, language, 2)} : 1"
    if key in SCORE_KEYS:
        return formatting.number(value, language, 2)
    return formatting.number(value, language)


def format_change(key: str, now: object, before: object, language: str = "id") -> str:
    """The change of a figure since last year, signed (``+12,1 poin``, ``−Rp 500.000``);
    a dash when either year has no figure or the figure is not a number."""
    numeric = (int, float)
    if not isinstance(now, numeric) or not isinstance(before, numeric) or pd.isna(now) or pd.isna(before):
        return "–"
    difference = now - before
    sign = "+" if difference > 0 else "−" if difference < 0 else ""
    if key.endswith("_pct") or key in SCORE_KEYS:
        return f"{sign}{formatting.number(abs(difference), language, 1)} {text('summary.points', language)}"
    if key in MONEY_KEYS:
        return sign + formatting.rupiah(abs(difference), language)
    return sign + formatting.number(abs(difference), language, 2 if key == "sroi_ratio" else 0)


def _ratio_pct(numerator: float, denominator: float) -> float | None:
    return None if not denominator else numerator / denominator * 100


@dataclass(frozen=True)
class BudgetSummary:
    """Plan, realization and absorption of one group's budget for one year, from its budget ``rows``."""

    planned: float | None
    realized: float | None
    absorption_pct: float | None
    rows: pd.DataFrame = field(repr=False, compare=False)

    @cached_property
    def by_category(self) -> pd.DataFrame:
        """Columns category, planned, realized, absorption_pct: one row per category, sorted (made when asked)."""
        columns = ["category", "planned", "realized", "absorption_pct"]
        if self.rows.empty:
            return pd.DataFrame(columns=columns)
        frame = self.rows.assign(realized=self.rows["realized"].fillna(0.0), category=self.rows["category"].fillna("-"))
        by_category = frame.groupby("category", sort=True)[["planned", "realized"]].sum().reset_index()
        by_category["absorption_pct"] = [
            _ratio_pct(r, p) for r, p in zip(by_category["realized"], by_category["planned"], strict=True)
        ]
        return by_category[columns]


def budget_summary(rows: pd.DataFrame) -> BudgetSummary:
    """Totals and absorption % = realized / planned × 100, overall and by category.

    A blank realization counts as nothing spent yet.
    """
    if rows.empty:
        return BudgetSummary(None, None, None, rows)
    planned, realized = float(rows["planned"].sum()), float(rows["realized"].sum())  # blanks count as 0
    return BudgetSummary(planned, realized, _ratio_pct(realized, planned), rows)


def indicator_achievement(target: float, actual: float | None, direction: str) -> float | None:
    """Achievement % of one indicator: actual / target × 100 when higher is better
    (``naik``); (2 × target − actual) / target × 100, floored at 0, when lower is better."""
    if actual is None or pd.isna(actual):
        return None
    if direction == "turun":
        return max(0.0, (2 * target - actual) / target * 100)
    return actual / target * 100


def indicator_table(rows: pd.DataFrame) -> pd.DataFrame:
    """The indicator rows with an ``achievement_pct`` column added (NaN when not measured)."""
    achievement = [
        indicator_achievement(t, a, d)
        for t, a, d in zip(rows["target"], rows["actual"], rows["direction"], strict=True)
    ]
    return rows.assign(achievement_pct=pd.Series(achievement, index=rows.index, dtype="float64"))


@dataclass(frozen=True)
class IndicatorSummary:
    """The group's indicator achievement: mean over measured indicators, each capped at 100."""

    achievement_pct: float | None
    met: int
    measured: int


def indicator_summary(rows: pd.DataFrame) -> IndicatorSummary:
    achieved = indicator_table(rows)["achievement_pct"].dropna()
    if achieved.empty:
        return IndicatorSummary(None, 0, 0)
    return IndicatorSummary(float(achieved.clip(upper=100).mean()), int((achieved >= 100).sum()), int(achieved.size))


def activity_completion_pct(rows: pd.DataFrame) -> float | None:
    """Share of non-cancelled activities that are ``selesai``, in %."""
    active = rows[rows["status"] != "batal"]
    return _ratio_pct(float((active["status"] == "selesai").sum()), float(len(active)))


def fgd_counts(rows: pd.DataFrame) -> tuple[int, int]:
    """Number of FGD inputs and of those still open (``belum`` or ``proses``)."""
    return len(rows), int(rows["follow_up"].isin(OPEN_FOLLOW_UP).sum())


def records(rows: pd.DataFrame, columns: tuple[str, ...]) -> list[dict[str, object]]:
    """The rows' values of ``columns``, a dict per row (Python scalars, as ``itertuples`` gives them)."""
    values = zip(*(rows[column].tolist() for column in columns), strict=True)
    return [dict(zip(columns, row, strict=True)) for row in values]


def fgd_date_of(feedback: pd.DataFrame, year: int) -> pd.Timestamp:
    """The date of the FGD that reviewed ``year``: the earliest FGD date of that year's inputs, else the year's last
    day (no input of that year yet)."""
    dates = feedback["fgd_date"].to_numpy("datetime64[ns]")[
        feedback["year"].to_numpy("float64", na_value=np.nan) == year
    ]
    dates = dates[~np.isnat(dates)]
    return pd.Timestamp(dates.min()) if dates.size else pd.Timestamp(year, 12, 31)


def earlier_fgd_counts(feedback: pd.DataFrame, year: int, fgd_date: pd.Timestamp) -> tuple[int, int]:
    """Of the inputs raised at FGDs before the one that reviewed ``year`` (their year before ``year``): how many are
    still open, and how many of those were past their due date at ``fgd_date``."""
    earlier = (feedback["year"].to_numpy("float64", na_value=np.nan) < year) & np.isin(
        feedback["follow_up"].to_numpy(object), OPEN_FOLLOW_UP
    )
    due = feedback["due_date"].to_numpy("datetime64[ns]")[earlier]
    return int(earlier.sum()), int((due < fgd_date.to_datetime64()).sum())  # NaT is never before a date


def has_data(workbook: Workbook, group_id: str, year: int) -> bool:
    """True when any sheet has a row about the group for the year."""
    return any(not workbook.rows(sheet, group_id, year).empty for sheet in workbook.tables if sheet != "groups")


def year_metrics(workbook: Workbook, group_id: str, year: int) -> dict[str, float | int | None]:
    """The figures of one group for one year, keyed as in ``metrics.json``."""
    budget = budget_summary(workbook.rows("budget", group_id, year))
    indicators = indicator_summary(workbook.rows("indicators", group_id, year))
    inputs, still_open = fgd_counts(workbook.rows("fgd_feedback", group_id, year))
    fgd_date = fgd_date_of(workbook.tables["fgd_feedback"], year)
    open_earlier, overdue_earlier = earlier_fgd_counts(workbook.rows("fgd_feedback", group_id), year, fgd_date)
    return {
        "budget_planned": budget.planned,
        "budget_realized": budget.realized,
        "budget_absorption_pct": budget.absorption_pct,
        "indicator_achievement_pct": indicators.achievement_pct,
        "indicators_met": indicators.met,
        "indicators_measured": indicators.measured,
        "activity_completion_pct": activity_completion_pct(workbook.rows("activities", group_id, year)),
        "fgd_inputs": inputs,
        "fgd_open": still_open,
        "fgd_inputs_new": inputs,
        "fgd_open_earlier": open_earlier,
        "fgd_overdue_earlier": overdue_earlier,
    }

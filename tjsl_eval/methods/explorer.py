"""The review explorer's model: filters, the programme's key figures and the group table for
a selection of groups, a group's trend, the comparison of two to four groups, and SROI
what-ifs. Plain Python on the same functions as the reports and ``metrics.json``
(``portfolio``, ``evaluation``, ``yoy``, ``sroi``); the widgets only show what it computes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

import pandas as pd

from tjsl_eval.inputs.settings import MethodSettings
from tjsl_eval.inputs.workbook import Workbook
from tjsl_eval.methods import metrics, portfolio, sroi, yoy

# The group table's figures (each with last year beside it): the programme's, per group; the
# comparison's: those, with the band, present value and stage beside the figure they qualify.
TABLE_KEYS = tuple(
    k for k in portfolio.PROGRAMME_KEYS if k not in ("groups", "members", "budget_planned", "fgd_inputs")
)
BESIDE = {
    "ikm_score": ("ikm_band",),
    "sroi_ratio": ("sroi_present_value",),
    "independence_index": ("independence_stage",),
}
COMPARED_KEYS = tuple(k for key in portfolio.PROGRAMME_KEYS[2:] for k in (key, *BESIDE.get(key, ())))
TREND_KEYS = ("budget_absorption_pct", "indicator_achievement_pct", "activity_completion_pct", "independence_index")
SORTABLE = ("name", "pillar", "kelurahan", *TABLE_KEYS, "better", "worse")
MIN_COMPARED, MAX_COMPARED = 2, 4


@dataclass(frozen=True)
class Filters:
    """What the explorer shows: groups of these pillars, kelurahan and SDGs, or these groups
    (an empty choice selects everything; choices of different kinds must all match)."""

    pillars: tuple[str, ...] = ()
    kelurahan: tuple[str, ...] = ()
    sdgs: tuple[int, ...] = ()
    groups: tuple[str, ...] = ()


def filter_choices(workbook: Workbook) -> dict[str, list]:
    """The values each filter offers: pillars, kelurahan, SDGs (sorted) and group ids (in the workbook's order)."""
    groups = workbook.tables["groups"]
    return {
        "pillars": sorted(groups["pillar"].dropna().unique()),
        "kelurahan": sorted(groups["kelurahan"].dropna().unique()),
        "sdgs": sorted({int(goal) for goals in groups["sdgs"] for goal in goals}),
        "groups": list(groups["group_id"]),
    }


def filtered_groups(workbook: Workbook, filters: Filters) -> list[str]:
    """The ids of the groups the filters select, in the workbook's order."""
    groups = workbook.tables["groups"]
    keep = pd.Series(True, index=groups.index)
    if filters.pillars:
        keep &= groups["pillar"].isin(filters.pillars)
    if filters.kelurahan:
        keep &= groups["kelurahan"].isin(filters.kelurahan)
    if filters.sdgs:
        wanted = set(filters.sdgs)
        keep &= groups["sdgs"].map(lambda goals: bool(wanted.intersection(goals)))
    if filters.groups:
        keep &= groups["group_id"].isin(filters.groups)
    return list(groups.loc[keep, "group_id"])


@dataclass
class ReviewFigures:
    """Every group's ``metrics.json`` entries by year (then group), and what the explorer shows from them
    (every figure; the findings, which it does not show, may be left out).

    ``yearly`` holds the years known so far; another year of :attr:`years` is made by ``compute_year`` (every
    group's entries for it) the first time it is asked for, and a group's every year by ``compute_group`` (its
    trend), so that a review whose figures are not cached opens with its own year only.
    """

    workbook: Workbook
    yearly: dict[int, dict[str, dict]]
    methods: MethodSettings = field(default_factory=MethodSettings)
    review_years: list[int] | None = None  # the years the review has figures for; by default those of ``yearly``
    compute_year: Callable[[int], dict[str, dict]] | None = None
    compute_group: Callable[[str], dict[int, dict]] | None = None
    _groups: dict[str, dict[int, dict]] = field(default_factory=dict, init=False, repr=False)

    @property
    def years(self) -> list[int]:
        return sorted(self.yearly if self.review_years is None else self.review_years)

    def of_year(self, year: int) -> dict[str, dict]:
        """Every group's entry for ``year`` (made now when not yet known; empty for a year without figures)."""
        if year not in self.yearly and self.compute_year is not None and year in self.years:
            self.yearly[year] = self.compute_year(year)
        return self.yearly.get(year, {})

    def entries(self, year: int, group_ids: list[str]) -> dict[str, dict]:
        """The entries of ``group_ids`` for ``year`` (empty for a year without figures)."""
        of_year = self.of_year(year)
        return {g: of_year[g] for g in group_ids if g in of_year}

    def programme(self, year: int, group_ids: list[str]) -> dict[str, yoy.Change]:
        """The selection's key figures (as the programme view computes them), each against last year's (from
        each entry's ``previous_year``: the same figures as last year's entries)."""
        selection = self.workbook.for_groups(group_ids)
        entries = self.entries(year, group_ids)
        now = portfolio.programme_figures(selection, year, entries)
        before = None
        if year - 1 in self.years:
            last_year = {g: entry["previous_year"] for g, entry in entries.items() if entry["previous_year"]}
            before = portfolio.programme_figures(selection, year - 1, last_year)
        return portfolio.programme_changes(now, before)

    def group_table(
        self, year: int, group_ids: list[str], sort_by: str = "name", descending: bool = False
    ) -> pd.DataFrame:
        """One row per group (index: group id): name, pillar, kelurahan, and for each of
        :data:`TABLE_KEYS` the figure, ``<key>_before`` (last year) and ``<key>_verdict``;
        ``better`` and ``worse`` count the judged figures that changed. Sorted by any column
        of :data:`SORTABLE`, groups without the figure last."""
        if sort_by not in SORTABLE:
            raise ValueError(f"sort_by: expected one of {', '.join(SORTABLE)}, found {sort_by!r}")
        entries = self.entries(year, group_ids)
        table = portfolio.entries_table(entries)
        columns = ["name", "pillar", "kelurahan"]
        columns += [f"{key}{suffix}" for key in TABLE_KEYS for suffix in ("", "_before", "_verdict")]
        if table.empty:
            return pd.DataFrame(columns=[*columns, "better", "worse"]).rename_axis("group_id")
        kelurahan = self.workbook.tables["groups"].set_index("group_id")["kelurahan"]
        table["kelurahan"] = kelurahan.reindex(table.index)
        changes = {group_id: yoy.changes(entry, entry["previous_year"]) for group_id, entry in entries.items()}
        for key in TABLE_KEYS:
            table[f"{key}_before"] = [changes[g][key].before for g in table.index]
            table[f"{key}_verdict"] = [changes[g][key].verdict for g in table.index]
        scores = [yoy.score(changes[g]) for g in table.index]
        table["better"], table["worse"] = [s[0] for s in scores], [s[1] for s in scores]
        table = table[[*columns, "better", "worse"]]
        return table.sort_values(sort_by, ascending=not descending, na_position="last", kind="stable")

    def comparison(self, year: int, group_ids: list[str]) -> dict[str, dict[str, yoy.Change]]:
        """Two to four groups side by side: for each, every figure of :data:`COMPARED_KEYS`
        this year and last year (a verdict for the judged ones)."""
        chosen = list(dict.fromkeys(group_ids))
        if not MIN_COMPARED <= len(chosen) <= MAX_COMPARED:
            raise ValueError(f"expected {MIN_COMPARED} to {MAX_COMPARED} different groups to compare, found {chosen}")
        compared = {}
        for group_id, entry in self.entries(year, chosen).items():
            before = entry["previous_year"]
            judged = yoy.changes(entry, before)
            compared[group_id] = {key: judged.get(key) or _unjudged(key, entry, before) for key in COMPARED_KEYS}
        return compared

    def group_years(self, group_id: str) -> dict[int, dict]:
        """One group's entry for every year of :attr:`years`."""
        if self.compute_group is None or all(year in self.yearly for year in self.years):
            return {year: self.yearly[year][group_id] for year in self.years}
        if group_id not in self._groups:
            self._groups[group_id] = self.compute_group(group_id)
        return self._groups[group_id]

    def trend(self, group_id: str, keys: tuple[str, ...] = TREND_KEYS) -> pd.DataFrame:
        """One group's figures over every year the explorer has (index: year)."""
        entries = self.group_years(group_id)
        return pd.DataFrame(
            {key: [entries[year][key] for year in self.years] for key in keys},
            index=pd.Index(self.years, name="year"),
        ).astype("float64")


def _unjudged(key: str, entry: dict, before: dict | None) -> yoy.Change:
    """A figure with no direction of good (a band, a stage): new, the same, or changed."""
    previous = None if before is None else before.get(key)
    verdict = "baru" if before is None else "tetap" if previous == entry[key] else "berubah"
    return yoy.Change(key, entry[key], previous, None, verdict)


# SROI what-if: the adjustments a slider can set, with their range.
ADJUSTMENTS = {
    "deadweight": (0, 100),
    "attribution": (0, 100),
    "displacement": (0, 100),
    "drop_off": (0, 100),
    "duration_years": (1, 10),
}


class WhatIf:
    """A scenario for one group's SROI: its outcomes with adjustments changed, at another
    discount rate. Results are :func:`~tjsl_eval.methods.sroi.compute_sroi` and
    :func:`~tjsl_eval.methods.sroi.sensitivity` of the scenario's rows, beside the workbook's."""

    def __init__(self, rows: pd.DataFrame, investment: float | None, discount_rate_pct: float):
        self.original = rows.reset_index(drop=True)
        self.rows = self.original.copy()
        self.investment = investment
        self.original_rate_pct = float(discount_rate_pct)
        self.rate_pct = float(discount_rate_pct)

    @classmethod
    def of_group(cls, workbook: Workbook, group_id: str, year: int, methods: MethodSettings) -> WhatIf:
        """The group's SROI rows for ``year``; investment and rate as the report has them."""
        investment = metrics.budget_summary(workbook.rows("budget", group_id, year)).realized
        return cls(workbook.rows("sroi", group_id, year), investment, methods.sroi_discount_rate_pct)

    @property
    def outcomes(self) -> list[str]:
        return list(self.original["outcome"].astype(str))

    def set_rate(self, percent: float) -> None:
        """The discount rate, in percent (3.5 = 3.5 %), from 0 to 100."""
        if not 0 <= percent <= 100:
            raise ValueError(f"discount rate: expected a percentage from 0 to 100, found {percent!r}")
        self.rate_pct = float(percent)

    def set(self, adjustment: str, value: float, outcome: int | None = None) -> None:
        """Set ``adjustment`` (see :data:`ADJUSTMENTS`) of one outcome (its position), or of every outcome."""
        if adjustment not in ADJUSTMENTS:
            raise ValueError(f"adjustment: expected one of {', '.join(ADJUSTMENTS)}, found {adjustment!r}")
        low, high = ADJUSTMENTS[adjustment]
        if not low <= value <= high:
            raise ValueError(f"{adjustment}: expected a value from {low} to {high}, found {value!r}")
        if adjustment == "duration_years" and value != int(value):
            raise ValueError(f"duration_years: expected a whole number of years, found {value!r}")
        positions = self.rows.index if outcome is None else [outcome]
        self.rows[adjustment] = self.rows[adjustment].astype("float64")
        self.rows.loc[positions, adjustment] = value
        self.rows[adjustment] = self.rows[adjustment].astype(self.original[adjustment].dtype)

    def value(self, adjustment: str, outcome: int | None = None, scenario: bool = True) -> tuple[float, float]:
        """The lowest and highest value of ``adjustment`` over the outcome(s), in the scenario or the workbook."""
        column = (self.rows if scenario else self.original)[adjustment].astype("float64")
        values = column if outcome is None else column.iloc[[outcome]]
        return float(values.min()), float(values.max())

    def reset(self) -> None:
        """Back to the workbook's values and the review's rate."""
        self.rows = self.original.copy()
        self.rate_pct = self.original_rate_pct

    def result(self, scenario: bool = True) -> sroi.SroiResult:
        """:func:`~tjsl_eval.methods.sroi.compute_sroi` of the scenario (or of the workbook's values)."""
        if not scenario:
            return self._original_result
        return sroi.compute_sroi(self.rows, self.investment, self.rate_pct / 100)

    def sensitivity(self, scenario: bool = True) -> pd.DataFrame:
        """:func:`~tjsl_eval.methods.sroi.sensitivity` around the scenario (or the workbook's values)."""
        if not scenario:
            return self._original_sensitivity
        return sroi.sensitivity(self.rows, self.investment, discount_rate=self.rate_pct / 100)

    @cached_property
    def _original_result(self) -> sroi.SroiResult:
        return sroi.compute_sroi(self.original, self.investment, self.original_rate_pct / 100)

    @cached_property
    def _original_sensitivity(self) -> pd.DataFrame:
        return sroi.sensitivity(self.original, self.investment, discount_rate=self.original_rate_pct / 100)

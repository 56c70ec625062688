"""The programme as a whole: totals by pillar and kelurahan, programme figures year over
year, SDG coverage, band and stage distributions, and the groups that need attention."""

from __future__ import annotations

import datetime as dt
from statistics import fmean

import pandas as pd

from tjsl_eval.inputs.settings import MethodSettings
from tjsl_eval.inputs.workbook import Workbook
from tjsl_eval.methods import metrics, yoy
from tjsl_eval.methods.beneficiaries import programme_beneficiaries
from tjsl_eval.methods.evaluation import all_group_metrics, yearly_group_metrics
from tjsl_eval.methods.findings import SEVERITIES

PROGRAMME_KEYS = (
    "groups",
    "members",
    "budget_planned",
    "budget_realized",
    "budget_absorption_pct",
    "indicator_achievement_pct",
    "activity_completion_pct",
    "fgd_inputs",
    "fgd_open",
    "fgd_open_earlier",
    "fgd_overdue_earlier",
    "ikm_score",
    "sroi_ratio",
    "independence_index",
)
FOLLOW_UP_KEYS = ("recommendations_followed_up_pct", "recommendations_overdue", "recommendations_without_owner")
PROGRAMME_DIRECTIONS = {"groups": None, "members": None, **yoy.DIRECTIONS}


def active_groups(workbook: Workbook, year: int) -> list[str]:
    """Groups with any data for ``year`` (:func:`~tjsl_eval.methods.metrics.has_data`, for every group at once)."""
    active = set()
    for sheet, table in workbook.tables.items():
        if sheet != "groups":
            active.update(table.loc[table["year"] == year, "group_id"].dropna())
    return [g for g in workbook.group_ids if g in active]


def _mean(values: list[object]) -> float | None:
    present = [v for v in values if v is not None]
    return fmean(present) if present else None


def _total(values: list[object]) -> float | None:
    present = [v for v in values if v is not None]
    return float(sum(present)) if present else None


def programme_figures(workbook: Workbook, year: int, entries: dict[str, dict]) -> dict[str, object]:
    """The programme's figures for a year, from its active groups' ``metrics.json`` entries
    (sums of money, means of percentages and indexes; the SROI ratio is Σ PV / Σ investment), with the follow-up of
    recommendations (:func:`follow_up_figures`) and who benefits (summed, with the shares of women and of vulnerable
    people)."""
    ids = [g for g in active_groups(workbook, year) if g in entries]
    active = [entries[g] for g in ids]
    planned = _total([e["budget_planned"] for e in active])
    realized = _total([e["budget_realized"] for e in active])
    with_sroi = [e for e in active if e["sroi_ratio"] is not None]
    feedback = workbook.tables["fgd_feedback"]
    of_year = feedback[feedback["year"] == year]
    members = workbook.tables["groups"].set_index("group_id")["members"]
    open_earlier, overdue_earlier = metrics.earlier_fgd_counts(feedback, year, metrics.fgd_date_of(feedback, year))
    return {
        "year": year,
        "groups": len(active),
        "members": int(members.reindex(ids).fillna(0).sum()),
        "budget_planned": planned,
        "budget_realized": realized,
        "budget_absorption_pct": realized / planned * 100 if planned and realized is not None else None,
        "indicator_achievement_pct": _mean([e["indicator_achievement_pct"] for e in active]),
        "activity_completion_pct": _mean([e["activity_completion_pct"] for e in active]),
        "fgd_inputs": len(of_year),
        "fgd_open": int(of_year["follow_up"].isin(metrics.OPEN_FOLLOW_UP).sum()),
        "fgd_open_earlier": open_earlier,
        "fgd_overdue_earlier": overdue_earlier,
        "ikm_score": _mean([e["ikm_score"] for e in active]),
        "sroi_ratio": (
            sum(e["sroi_present_value"] for e in with_sroi) / sum(e["budget_realized"] for e in with_sroi)
            if with_sroi
            else None
        ),
        "independence_index": _mean([e["independence_index"] for e in active]),
        **follow_up_figures(active),
        "beneficiaries": programme_beneficiaries(active),
    }


def follow_up_figures(entries: list[dict]) -> dict[str, object]:
    """The programme's ``recommendations_followed_up_pct`` (Σ done / Σ last year's findings × 100),
    ``recommendations_overdue`` and ``recommendations_without_owner`` (sums) from the groups' entries; None each
    when the entries have no findings (the explorer's)."""
    judged = [e for e in entries if "recommendations_previous" in e]
    if not judged:
        return dict.fromkeys(FOLLOW_UP_KEYS)
    previous = sum(e["recommendations_previous"] for e in judged)
    done = sum(e["recommendations_done"] for e in judged)
    return {
        "recommendations_followed_up_pct": done / previous * 100 if previous else None,
        "recommendations_overdue": sum(e["recommendations_overdue"] for e in judged),
        "recommendations_without_owner": sum(e["recommendations_without_owner"] for e in judged),
    }


def programme_changes(now: dict[str, object], before: dict[str, object] | None) -> dict[str, yoy.Change]:
    """Each programme figure against the year before, judged by its direction of good."""
    return {
        key: yoy.Change(
            key,
            now[key],
            None if before is None else before[key],
            None if before is None or now[key] is None or before[key] is None else now[key] - before[key],
            yoy.verdict(
                now[key], None if before is None else before[key], PROGRAMME_DIRECTIONS.get(key), new=before is None
            ),
        )
        for key in PROGRAMME_KEYS
    }


def entry_years(workbook: Workbook, year: int) -> list[int]:
    """The years a review computes every group's figures for: each year with data up to
    ``year``, ``year`` itself and the year before it (for the year-over-year view)."""
    return sorted({*(y for y in workbook.years() if y <= year), year, year - 1})


def group_entries(
    data: Workbook,
    group_id: str,
    years: list[int],
    methods: MethodSettings,
    as_of: dt.date,
    with_findings: bool = True,
    report_date: dt.date | None = None,
) -> dict[int, dict]:
    """One group's ``metrics.json`` entry for each of ``years``, from ``data`` (the group's rows); ``report_date``:
    the params' ``report_date``."""
    return yearly_group_metrics(data, group_id, years, methods, as_of, with_findings, report_date)


def yearly_entries(
    workbook: Workbook, years: list[int], methods: MethodSettings, as_of: dt.date, report_date: dt.date | None = None
) -> dict[int, dict[str, dict]]:
    """``metrics.json`` entries of every group, for each of ``years`` (a group without data in
    a year has empty figures; :func:`programme_figures` counts only active groups)."""
    by_group = {
        group_id: group_entries(data, group_id, years, methods, as_of, report_date=report_date)
        for group_id, data in workbook.split_by_group().items()
    }
    return by_year(by_group, years)


def by_year(by_group: dict[str, dict[int, dict]], years: list[int]) -> dict[int, dict[str, dict]]:
    """Entries kept by group, then year, rearranged by year, then group (in the same group order)."""
    return {year: {group_id: entries[year] for group_id, entries in by_group.items()} for year in years}


def breakdown(workbook: Workbook, entries: dict[str, dict], column: str) -> pd.DataFrame:
    """Groups, members and budget per pillar or kelurahan (``column`` of the groups sheet)."""
    groups = workbook.tables["groups"].set_index("group_id")
    rows = []
    for value, ids in groups[groups.index.isin(list(entries))].groupby(column, sort=True).groups.items():
        planned = _total([entries[g]["budget_planned"] for g in ids])
        realized = _total([entries[g]["budget_realized"] for g in ids])
        rows.append(
            {
                column: value,
                "groups": len(ids),
                "members": int(groups.loc[list(ids), "members"].fillna(0).sum()),
                "budget_planned": planned,
                "budget_realized": realized,
                "budget_absorption_pct": realized / planned * 100 if planned and realized is not None else None,
            }
        )
    return pd.DataFrame(rows)


def sdg_coverage(workbook: Workbook, group_ids: list[str]) -> pd.DataFrame:
    """Each SDG goal the groups contribute to, with how many groups do."""
    groups = workbook.tables["groups"].set_index("group_id").loc[group_ids]
    counts: dict[int, int] = {}
    for goals in groups["sdgs"]:
        for goal in goals:
            counts[goal] = counts.get(goal, 0) + 1
    return pd.DataFrame(sorted(counts.items()), columns=["goal", "groups"])


def distribution(entries: dict[str, dict], key: str, categories: tuple[str, ...]) -> dict[str, int]:
    """How many groups fall in each category of ``key`` (e.g. IKM band), ``None`` for no figure."""
    counts = dict.fromkeys([*categories, None], 0)
    for entry in entries.values():
        counts[entry[key] if entry[key] in categories else None] += 1
    return counts


def attention_order(entries: dict[str, dict]) -> list[str]:
    """Groups with findings, the most severe first (by count of high, then medium findings)."""

    def weight(group_id: str) -> tuple[int, ...]:
        severities = [f["severity"] for f in entries[group_id]["findings"]]
        return tuple(-severities.count(s) for s in SEVERITIES)

    return sorted((g for g in entries if entries[g]["findings"]), key=weight)


def metrics_table(
    workbook: Workbook, year: int, methods: MethodSettings | None = None, as_of: dt.date | None = None
) -> pd.DataFrame:
    """Every group's figures for ``year`` side by side: one row per group (index: group id),
    one column per ``metrics.json`` figure — the starting point for comparing groups."""
    return entries_table(all_group_metrics(workbook, year, methods, as_of))


# Entry keys that are not one figure per group (lists and mappings): left out of the table.
NOT_TABULATED = (
    "findings",
    "previous_year",
    "follow_up_previous",
    "approvals",
    "status",
    "ikm_sample",
    "beneficiaries",
)


def entries_table(entries: dict[str, dict]) -> pd.DataFrame:
    """Groups' ``metrics.json`` entries as a table: one row per group (index: group id), one
    column per figure, ``findings`` counted (when the entries have them: the explorer's leave them out)."""
    rows = {}
    for group_id, entry in entries.items():
        rows[group_id] = {k: v for k, v in entry.items() if k not in NOT_TABULATED}
        if "findings" in entry:
            rows[group_id]["findings"] = len(entry["findings"])
    return pd.DataFrame.from_dict(rows, orient="index").rename_axis("group_id")

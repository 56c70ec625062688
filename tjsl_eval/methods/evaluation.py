"""The evaluation of one group and year, its ``metrics.json`` entry: the methods (IKM, SROI, independence), the
six OECD-DAC criteria (:mod:`~tjsl_eval.methods.dac`) and the overall status, the findings
(:mod:`~tjsl_eval.methods.findings`) with their follow-up, the IKM sample, who benefits and the sign-off.

Findings and criteria carry codes and figures; the report turns them into text in the reader's language.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from tjsl_eval.inputs.settings import MethodSettings
from tjsl_eval.inputs.workbook import Workbook
from tjsl_eval.methods import approval, follow_up, metrics
from tjsl_eval.methods.beneficiaries import beneficiaries
from tjsl_eval.methods.dac import Criterion, dac_criteria, overall_status
from tjsl_eval.methods.findings import findings, open_inputs
from tjsl_eval.methods.ikm import compute_ikm
from tjsl_eval.methods.independence import (
    independence_index,
    independence_trend,
    ready_to_graduate,
    stage_change,
)
from tjsl_eval.methods.results import MethodResults
from tjsl_eval.methods.sampling import ikm_sample
from tjsl_eval.methods.sroi import compute_sroi


def method_results(
    workbook: Workbook, group_id: str, year: int, methods: MethodSettings, trend: pd.DataFrame | None = None
) -> MethodResults:
    """Compute the three methods; the SROI investment is the group's realized budget for the year. ``trend``:
    the group's :func:`independence_trend` when already computed (it does not depend on the year)."""
    investment = metrics.budget_summary(workbook.rows("budget", group_id, year)).realized
    weights, thresholds = methods.independence_weights or None, methods.independence_thresholds
    if trend is None:
        trend = group_independence_trend(workbook, group_id, methods)
    return MethodResults(
        ikm=compute_ikm(
            workbook.rows("survey", group_id, year),
            methods.ikm_weight_rounding,
            methods.ikm_band_table,
            methods.ikm_min_respondents,
        ),
        sroi=compute_sroi(workbook.rows("sroi", group_id, year), investment, methods.sroi_discount_rate_pct / 100),
        independence=independence_index(workbook.rows("independence", group_id, year), weights, thresholds),
        independence_trend=trend,
        ready_to_graduate=ready_to_graduate(trend, year),
        stage_change=stage_change(trend, year),
    )


def group_independence_trend(workbook: Workbook, group_id: str, methods: MethodSettings) -> pd.DataFrame:
    """The group's independence index and stage over every year of the workbook."""
    weights, thresholds = methods.independence_weights or None, methods.independence_thresholds
    return independence_trend(workbook.rows("independence", group_id), weights, thresholds)


METHOD_KEYS = (
    "ikm_score",
    "ikm_band",
    "ikm_respondents",
    "sroi_ratio",
    "sroi_present_value",
    "sroi_net_present_value",
    "independence_index",
    "independence_stage",
)


def method_figures(results: MethodResults) -> dict[str, object]:
    """The methods' figures as ``metrics.json`` holds them (None when not computable)."""
    ikm, sroi, independence = results.ikm, results.sroi, results.independence
    return {
        "ikm_score": None if ikm.score is None else float(ikm.score),
        "ikm_band": ikm.band,
        "ikm_respondents": ikm.respondents,
        "sroi_ratio": sroi.ratio,
        "sroi_present_value": sroi.present_value,
        "sroi_net_present_value": sroi.net_present_value,
        "independence_index": independence.index,
        "independence_stage": independence.stage,
    }


def cost_per_member(workbook: Workbook, group_id: str, year: int) -> float | None:
    """Realized budget per group member (the efficiency criterion's cost per beneficiary)."""
    members = workbook.group(group_id)["members"]
    realized = metrics.budget_summary(workbook.rows("budget", group_id, year)).realized
    return None if realized is None or pd.isna(members) or not members else realized / members


def default_as_of(year: int) -> dt.date:
    """The date follow-ups are judged at when the review has no FGD date: the year's last day."""
    return dt.date(year, 12, 31)


def judged_at(fgd_date: str | None, year: int) -> dt.date:
    """The date follow-ups are judged overdue at: the review's FGD date (ISO text), else
    :func:`default_as_of`."""
    return dt.date.fromisoformat(fgd_date) if fgd_date else default_as_of(year)


def group_metrics(
    workbook: Workbook,
    group_id: str,
    year: int,
    methods: MethodSettings | None = None,
    as_of: dt.date | None = None,
    report_date: dt.date | None = None,
) -> dict[str, object]:
    """One group's ``metrics.json`` entry: profile, the year's figures and findings, and the
    year before (``previous_year`` is None when the group has no data for that year)."""
    return yearly_group_metrics(workbook, group_id, [year], methods, as_of, report_date=report_date)[year]


def yearly_group_metrics(
    workbook: Workbook,
    group_id: str,
    years: list[int],
    methods: MethodSettings | None = None,
    as_of: dt.date | None = None,
    with_findings: bool = True,
    report_date: dt.date | None = None,
) -> dict[int, dict[str, object]]:
    """:func:`group_metrics` for each of ``years``, each year's figures computed once (a year's are the next
    year's ``previous_year``); without their ``findings``, follow-up, status and sign-off when not ``with_findings``
    (the explorer's). ``as_of``: the review's FGD date, which findings are judged at; ``report_date``: the params'
    ``report_date`` (see :func:`~tjsl_eval.methods.approval.report_date`)."""
    methods = methods or MethodSettings()
    group = workbook.group(group_id)
    trend = group_independence_trend(workbook, group_id, methods)
    computed: dict[int, tuple[dict[str, object], MethodResults]] = {}

    def figures(year: int) -> tuple[dict[str, object], MethodResults]:
        if year not in computed:
            results = method_results(workbook, group_id, year, methods, trend)
            computed[year] = (
                {
                    **metrics.year_metrics(workbook, group_id, year),
                    **method_figures(results),
                    "ikm_sample": ikm_sample(results.ikm.respondents, group["members"]),
                    "beneficiaries": beneficiaries(workbook, group_id, year),
                },
                results,
            )
        return computed[year]

    judged: dict[int, tuple[list[Criterion], list[dict], list[dict]]] = {}

    def found(year: int) -> tuple[list[Criterion], list[dict], list[dict]]:
        """The year's DAC criteria, findings (``as_dict``) and FGD inputs still open, judged at ``as_of``."""
        if year not in judged:
            (now, results), date = figures(year), as_of or default_as_of(year)
            criteria = dac_criteria(workbook, group_id, year, results, methods, date, now)
            inputs = open_inputs(workbook, group_id, year, date)
            found_now = findings(workbook, group_id, year, results, date, methods, criteria, inputs)
            judged[year] = criteria, [f.as_dict() for f in found_now], inputs
        return judged[year]

    entries = {}
    for year in years:
        now, _ = figures(year)
        entry = {"name": group["name"], "pillar": group["pillar"], "year": year, **now}
        previous = year - 1
        has_previous = metrics.has_data(workbook, group_id, previous)
        if with_findings:
            entry.update(_judged(workbook, group_id, year, found(year), as_of or default_as_of(year), report_date))
            entry.update(_followed(workbook, group_id, year, found(previous)[1] if has_previous else None, entry))
        entry["previous_year"] = {"year": previous, **figures(previous)[0]} if has_previous else None
        entries[year] = entry
    return entries


def _judged(
    workbook: Workbook,
    group_id: str,
    year: int,
    judged: tuple[list[Criterion], list[dict], list[dict]],
    as_of: dt.date,
    configured: dt.date | None,
) -> dict[str, object]:
    """The entry's status, findings joined to their follow-up, the FGD inputs still open, sign-off and report
    date."""
    criteria, found, inputs = judged
    signed = approval.approvals(workbook, group_id, year)
    dated = approval.report_date(signed, configured, as_of)
    return {
        "status": overall_status(criteria),
        "findings": follow_up.joined(found, follow_up.follow_up_rows(workbook, group_id, year), dated),
        "fgd_open_inputs": inputs,
        "approved": approval.is_approved(signed),
        "approvals": signed,
        "report_date": dated,
    }


def _followed(
    workbook: Workbook, group_id: str, year: int, found_before: list[dict] | None, entry: dict[str, object]
) -> dict[str, object]:
    """``follow_up_previous`` (last year's findings joined to last year's follow-up rows; None when the group has no
    data for last year) and the follow-up figures."""
    before = None
    if found_before is not None:
        rows = follow_up.follow_up_rows(workbook, group_id, year - 1)
        codes_now = {finding["code"] for finding in entry["findings"]}
        before = follow_up.previous(found_before, rows, codes_now, entry["report_date"])
    return {"follow_up_previous": before, **follow_up.figures(entry["findings"], before)}


def all_group_metrics(
    workbook: Workbook, year: int, methods: MethodSettings | None = None, as_of: dt.date | None = None
) -> dict[str, dict[str, object]]:
    """:func:`group_metrics` of every group, each computed on that group's rows only (so the
    cost grows with the number of groups, not with its square)."""
    return {
        group_id: group_metrics(data, group_id, year, methods, as_of)
        for group_id, data in workbook.split_by_group().items()
    }

"""The evaluation of one group and year: the methods (IKM, SROI, independence), the six
OECD-DAC criteria with a traffic light each, and the findings for the FGD.

Findings and criteria carry codes and figures (for ``metrics.json``); the report turns
them into text in the reader's language.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from tjsl_eval.inputs.settings import MethodSettings
from tjsl_eval.inputs.workbook import Workbook
from tjsl_eval.methods import metrics
from tjsl_eval.methods.ikm import IkmResult, compute_ikm
from tjsl_eval.methods.independence import (
    IndependenceResult,
    independence_index,
    independence_trend,
    ready_to_graduate,
    stage_change,
)
from tjsl_eval.methods.sroi import SroiResult, compute_sroi

SEVERITIES = ("tinggi", "sedang", "rendah")  # high, medium, low: the order findings are listed in
CRITERIA = ("relevansi", "koherensi", "efektivitas", "efisiensi", "dampak", "keberlanjutan")
ABSORPTION_LOW, ABSORPTION_HIGH, INDICATOR_LOW = 80.0, 100.0, 80.0


@dataclass(frozen=True)
class MethodResults:
    """IKM, SROI and independence of one group and year."""

    ikm: IkmResult
    sroi: SroiResult
    independence: IndependenceResult
    independence_trend: pd.DataFrame  # year, index, stage over every year the workbook has
    ready_to_graduate: bool
    stage_change: str | None  # naik, turun, tetap; None without a previous year


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


@dataclass(frozen=True)
class Finding:
    """One finding: a stable ``code``, its severity and the figures that are its evidence."""

    code: str
    severity: str
    evidence: dict[str, object] = field(default_factory=dict)

    def as_dict(self) -> dict[str, object]:
        return {"code": self.code, "severity": self.severity, "evidence": self.evidence}


def open_overdue(feedback: pd.DataFrame, as_of: dt.date) -> pd.DataFrame:
    """FGD inputs still open (``belum`` or ``proses``) whose due date is before ``as_of``."""
    due = pd.to_datetime(feedback["due_date"])
    return feedback[feedback["follow_up"].isin(metrics.OPEN_FOLLOW_UP) & due.notna() & (due < pd.Timestamp(as_of))]


def findings(
    workbook: Workbook,
    group_id: str,
    year: int,
    results: MethodResults,
    as_of: dt.date,
    methods: MethodSettings | None = None,
) -> list[Finding]:
    """Every finding of the year, most severe first; each names its evidence.

    ``as_of`` is the date overdue follow-ups are judged at (the review's FGD date); ``methods`` gives the DAC
    thresholds that an evaluator's differing judgement (sheet ``penilaian_dac``) is compared with.
    """
    found: list[Finding] = []
    budget = metrics.budget_summary(workbook.rows("budget", group_id, year))
    if budget.absorption_pct is not None and budget.absorption_pct > ABSORPTION_HIGH:
        found.append(
            Finding(
                "budget_over_spent",
                "tinggi",
                {"absorption_pct": budget.absorption_pct, "planned": budget.planned, "realized": budget.realized},
            )
        )
    elif budget.absorption_pct is not None and budget.absorption_pct < ABSORPTION_LOW:
        found.append(
            Finding(
                "budget_under_spent",
                "sedang",
                {"absorption_pct": budget.absorption_pct, "planned": budget.planned, "realized": budget.realized},
            )
        )
    indicators = metrics.indicator_table(workbook.rows("indicators", group_id, year))
    low = indicators[indicators["achievement_pct"] < INDICATOR_LOW]
    found += [
        Finding("indicator_below_target", "sedang", evidence)
        for evidence in _records(low, ("indicator", "achievement_pct", "target", "actual", "unit"))
    ]
    ikm = results.ikm
    if ikm.band in ("C", "D"):
        found.append(
            Finding(
                "ikm_low",
                "tinggi" if ikm.band == "D" else "sedang",
                {"score": float(ikm.score), "band": ikm.band, "respondents": ikm.respondents},
            )
        )
    if ikm.respondents and ikm.small_sample:
        found.append(Finding("ikm_small_sample", "rendah", {"respondents": ikm.respondents}))
    if results.sroi.ratio is not None and results.sroi.ratio < 1:
        found.append(
            Finding(
                "sroi_below_one",
                "tinggi",
                {
                    "ratio": results.sroi.ratio,
                    "present_value": results.sroi.present_value,
                    "investment": results.sroi.investment,
                },
            )
        )
    if results.stage_change == "turun":
        before = results.independence_trend.set_index("year").loc[year - 1]
        found.append(
            Finding(
                "independence_fell",
                "sedang",
                {
                    "stage_before": before["stage"],
                    "index_before": before["index"],
                    "stage": results.independence.stage,
                    "index": results.independence.index,
                },
            )
        )
    for evidence in _records(
        open_overdue(workbook.rows("fgd_feedback", group_id), as_of),
        ("year", "stakeholder", "feedback", "due_date", "follow_up"),
    ):
        evidence.update(year=int(evidence["year"]), due_date=evidence["due_date"].date().isoformat())
        found.append(Finding("follow_up_overdue", "tinggi", evidence))
    if not workbook.rows("dac_judgement", group_id, year).empty:
        criteria = dac_criteria(workbook, group_id, year, results, methods or MethodSettings(), as_of)
        found += [
            Finding(
                "dac_judgement",
                JUDGEMENT_SEVERITY[criterion.judged],
                {
                    "criterion": criterion.name,
                    "light": criterion.light,
                    "judged": criterion.judged,
                    "justification": criterion.justification,
                },
            )
            for criterion in criteria
            if criterion.judgement_differs
        ]
    return sorted(found, key=lambda finding: SEVERITIES.index(finding.severity))


def _records(rows: pd.DataFrame, columns: tuple[str, ...]) -> list[dict[str, object]]:
    """The rows' values of ``columns``, a dict per row (Python scalars, as ``itertuples`` gives them)."""
    values = zip(*(rows[column].tolist() for column in columns), strict=True)
    return [dict(zip(columns, row, strict=True)) for row in values]


JUDGEMENT_SEVERITY = {"merah": "tinggi", "kuning": "sedang", "hijau": "rendah"}


@dataclass(frozen=True)
class Judgement:
    """The evaluator's own traffic light for a DAC criterion (sheet ``penilaian_dac``) and why."""

    criterion: str
    light: str
    justification: str


def dac_judgements(workbook: Workbook, group_id: str, year: int) -> dict[str, Judgement]:
    """The evaluator's judgements of one group and year, by criterion."""
    rows = workbook.rows("dac_judgement", group_id, year)
    return {row["criterion"]: Judgement(**row) for row in _records(rows, ("criterion", "light", "justification"))}


@dataclass(frozen=True)
class Criterion:
    """One OECD-DAC criterion: its traffic light (``hijau``, ``kuning``, ``merah``, or None
    for no evidence), the figure it is judged by, the FGD inputs tagged with it, and the
    evaluator's own light and justification when the workbook has them (``judged`` stands)."""

    name: str
    light: str | None
    figure: float | None
    inputs: pd.DataFrame
    judged: str | None = None
    justification: str | None = None

    @property
    def judgement_differs(self) -> bool:
        """True when the evaluator's light is not the computed one."""
        return self.judged is not None and self.judged != self.light


def _light_at_least(value: float | None, green: float, amber: float) -> str | None:
    if value is None or pd.isna(value):
        return None
    return "hijau" if value >= green else "kuning" if value >= amber else "merah"


def _light_within(value: float | None, green: list[float], amber: list[float]) -> str | None:
    if value is None or pd.isna(value):
        return None
    return "hijau" if green[0] <= value <= green[1] else "kuning" if amber[0] <= value <= amber[1] else "merah"


def _light_of_inputs(inputs: pd.DataFrame, as_of: dt.date) -> str | None:
    """Relevance and coherence: green when every tagged input is followed up, amber while some
    are open, red when one is open past its due date; no tagged input is no evidence."""
    if inputs.empty:
        return None
    if not open_overdue(inputs, as_of).empty:
        return "merah"
    return "kuning" if inputs["follow_up"].isin(metrics.OPEN_FOLLOW_UP).any() else "hijau"


def dac_criteria(
    workbook: Workbook, group_id: str, year: int, results: MethodResults, methods: MethodSettings, as_of: dt.date
) -> list[Criterion]:
    """The six criteria with the evidence the workbook has for each (thresholds from ``methods``)."""
    feedback = workbook.tables["fgd_feedback"]
    about = feedback[(feedback["year"] == year) & ((feedback["group_id"] == group_id) | feedback["group_id"].isna())]
    thresholds = methods.dac_thresholds
    figures = metrics.year_metrics(workbook, group_id, year)
    judged = {
        "efektivitas": (
            figures["indicator_achievement_pct"],
            _light_at_least(figures["indicator_achievement_pct"], **thresholds["effectiveness"]),
        ),
        "efisiensi": (
            figures["budget_absorption_pct"],
            _light_within(figures["budget_absorption_pct"], **thresholds["efficiency"]),
        ),
        "dampak": (results.sroi.ratio, _light_at_least(results.sroi.ratio, **thresholds["impact"])),
        "keberlanjutan": (
            results.independence.index,
            _light_at_least(results.independence.index, **thresholds["sustainability"]),
        ),
    }
    judgements = dac_judgements(workbook, group_id, year)
    criteria = []
    for name in CRITERIA:
        inputs = about[about["criterion"] == name]
        figure, light = judged.get(name, (None, _light_of_inputs(inputs, as_of)))
        judgement = judgements.get(name)
        criteria.append(
            Criterion(
                name,
                light,
                figure,
                inputs,
                judgement.light if judgement else None,
                judgement.justification if judgement else None,
            )
        )
    return criteria


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
    workbook: Workbook, group_id: str, year: int, methods: MethodSettings | None = None, as_of: dt.date | None = None
) -> dict[str, object]:
    """One group's ``metrics.json`` entry: profile, the year's figures and findings, and the
    year before (``previous_year`` is None when the group has no data for that year)."""
    return yearly_group_metrics(workbook, group_id, [year], methods, as_of)[year]


def yearly_group_metrics(
    workbook: Workbook,
    group_id: str,
    years: list[int],
    methods: MethodSettings | None = None,
    as_of: dt.date | None = None,
    with_findings: bool = True,
) -> dict[int, dict[str, object]]:
    """:func:`group_metrics` for each of ``years``, each year's figures computed once (a year's are the next
    year's ``previous_year``); without their ``findings`` when not ``with_findings`` (the explorer's)."""
    methods = methods or MethodSettings()
    group = workbook.group(group_id)
    trend = group_independence_trend(workbook, group_id, methods)
    computed: dict[int, tuple[dict[str, object], MethodResults]] = {}

    def figures(year: int) -> tuple[dict[str, object], MethodResults]:
        if year not in computed:
            results = method_results(workbook, group_id, year, methods, trend)
            computed[year] = ({**metrics.year_metrics(workbook, group_id, year), **method_figures(results)}, results)
        return computed[year]

    entries = {}
    for year in years:
        now, results = figures(year)
        entry = {"name": group["name"], "pillar": group["pillar"], "year": year, **now}
        if with_findings:
            found = findings(workbook, group_id, year, results, as_of or default_as_of(year), methods)
            entry["findings"] = [f.as_dict() for f in found]
        previous = year - 1
        has_previous = metrics.has_data(workbook, group_id, previous)
        entry["previous_year"] = {"year": previous, **figures(previous)[0]} if has_previous else None
        entries[year] = entry
    return entries


def all_group_metrics(
    workbook: Workbook, year: int, methods: MethodSettings | None = None, as_of: dt.date | None = None
) -> dict[str, dict[str, object]]:
    """:func:`group_metrics` of every group, each computed on that group's rows only (so the
    cost grows with the number of groups, not with its square)."""
    return {
        group_id: group_metrics(data, group_id, year, methods, as_of)
        for group_id, data in workbook.split_by_group().items()
    }

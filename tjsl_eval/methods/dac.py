"""The six OECD-DAC criteria of one group and year, each with a traffic light from its evidence, and the
evaluator's own judgements (sheet ``penilaian_dac``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from tjsl_eval.inputs.settings import MethodSettings
from tjsl_eval.inputs.workbook import Workbook
from tjsl_eval.methods import metrics

if TYPE_CHECKING:
    from tjsl_eval.methods.results import MethodResults

CRITERIA = ("relevansi", "koherensi", "efektivitas", "efisiensi", "dampak", "keberlanjutan")


def open_overdue(feedback: pd.DataFrame, as_of: dt.date) -> pd.DataFrame:
    """FGD inputs still open (``belum`` or ``proses``) whose due date is before ``as_of``."""
    due = pd.to_datetime(feedback["due_date"])
    return feedback[feedback["follow_up"].isin(metrics.OPEN_FOLLOW_UP) & due.notna() & (due < pd.Timestamp(as_of))]


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
    columns = ("criterion", "light", "justification")
    return {row["criterion"]: Judgement(**row) for row in metrics.records(rows, columns)}


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
    def effective(self) -> str | None:
        """The light that stands: the evaluator's when given, else the computed one."""
        return self.judged or self.light

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
    still_open = inputs["follow_up"].isin(metrics.OPEN_FOLLOW_UP).to_numpy()
    due = inputs["due_date"].to_numpy("datetime64[ns]")
    if (still_open & (due < np.datetime64(as_of, "ns"))).any():  # NaT is never before a date
        return "merah"
    return "kuning" if still_open.any() else "hijau"


def dac_criteria(
    workbook: Workbook,
    group_id: str,
    year: int,
    results: MethodResults,
    methods: MethodSettings,
    as_of: dt.date,
    figures: dict[str, object] | None = None,
) -> list[Criterion]:
    """The six criteria with the evidence the workbook has for each (thresholds from ``methods``); ``figures``: the
    year's :func:`~tjsl_eval.methods.metrics.year_metrics` when already computed."""
    feedback = workbook.tables["fgd_feedback"]
    ids = feedback["group_id"].to_numpy(object)
    about = feedback.iloc[
        np.flatnonzero(
            (feedback["year"].to_numpy("float64", na_value=np.nan) == year) & ((ids == group_id) | pd.isna(ids))
        )
    ]
    tagged = about["criterion"].to_numpy(object)
    thresholds = methods.dac_thresholds
    if figures is None:
        figures = {
            "indicator_achievement_pct": metrics.indicator_summary(
                workbook.rows("indicators", group_id, year)
            ).achievement_pct,
            "budget_absorption_pct": metrics.budget_summary(workbook.rows("budget", group_id, year)).absorption_pct,
        }
    achievement, absorption = figures["indicator_achievement_pct"], figures["budget_absorption_pct"]
    judged = {
        "efektivitas": (achievement, _light_at_least(achievement, **thresholds["effectiveness"])),
        "efisiensi": (absorption, _light_within(absorption, **thresholds["efficiency"])),
        "dampak": (results.sroi.ratio, _light_at_least(results.sroi.ratio, **thresholds["impact"])),
        "keberlanjutan": (
            results.independence.index,
            _light_at_least(results.independence.index, **thresholds["sustainability"]),
        ),
    }
    judgements = dac_judgements(workbook, group_id, year)
    criteria = []
    for name in CRITERIA:
        inputs = about.iloc[np.flatnonzero(tagged == name)]
        figure, light = judged[name] if name in judged else (None, _light_of_inputs(inputs, as_of))
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


RED_WHEN_YELLOW = 3  # this many yellow criteria make the overall light red


def overall_status(criteria: list[Criterion]) -> dict[str, object]:
    """``metrics.json``'s ``status``: the overall light from the lights that stand (the evaluator's where given).
    Red when a criterion is red (``criteria_red``) or :data:`RED_WHEN_YELLOW` or more are yellow
    (``criteria_yellow_many``); yellow when one or two are (``criteria_yellow``); green when every criterion with
    evidence is (``criteria_green``); no light without evidence (``no_evidence``). ``criteria``: those that set it."""
    lights = {criterion.name: criterion.effective for criterion in criteria if criterion.effective}
    red = [name for name, light in lights.items() if light == "merah"]
    yellow = [name for name, light in lights.items() if light == "kuning"]
    if red:
        return {"light": "merah", "reason": "criteria_red", "criteria": red}
    if len(yellow) >= RED_WHEN_YELLOW:
        return {"light": "merah", "reason": "criteria_yellow_many", "criteria": yellow}
    if yellow:
        return {"light": "kuning", "reason": "criteria_yellow", "criteria": yellow}
    if lights:
        return {"light": "hijau", "reason": "criteria_green", "criteria": list(lights)}
    return {"light": None, "reason": "no_evidence", "criteria": []}

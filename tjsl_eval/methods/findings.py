"""The findings of one group and year: each with a stable code (:mod:`tjsl_eval.common.codes`), its kind, severity,
the DAC criterion it explains and the figures that are its evidence (rules: docs/methods.md, "Findings").

Every DAC criterion whose light is yellow or red is explained by at least one finding: when no other finding
explains it, a ``dac_criterion`` finding does.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

import pandas as pd

from tjsl_eval.common import codes
from tjsl_eval.inputs.settings import MethodSettings
from tjsl_eval.inputs.workbook import Workbook
from tjsl_eval.methods import metrics
from tjsl_eval.methods.dac import JUDGEMENT_SEVERITY, Criterion, dac_criteria
from tjsl_eval.methods.sampling import ikm_sample

if TYPE_CHECKING:
    from tjsl_eval.methods.results import MethodResults

SEVERITIES = ("tinggi", "sedang", "rendah")  # high, medium, low: the order findings are listed in
ABSORPTION_LOW, ABSORPTION_HIGH, INDICATOR_LOW = 80.0, 100.0, 80.0
ACTIVITY_LOW, ACTIVITY_VERY_LOW = 80.0, 50.0  # activity completion %: below these, a medium / high finding
UNFINISHED = ("belum", "berjalan")  # activity statuses that are not done (cancelled activities are not late)


@dataclass(frozen=True)
class Finding:
    """One finding: its stable ``code``, ``kind``, severity, the DAC ``criterion`` it explains (or None) and the
    figures that are its evidence."""

    code: str
    kind: str
    severity: str
    evidence: dict[str, object] = field(default_factory=dict)
    criterion: str | None = None

    def as_dict(self) -> dict[str, object]:
        return {
            "code": self.code,
            "kind": self.kind,
            "severity": self.severity,
            "evidence": self.evidence,
            "criterion": self.criterion,
        }


def findings(
    workbook: Workbook,
    group_id: str,
    year: int,
    results: MethodResults,
    as_of: dt.date,
    methods: MethodSettings | None = None,
    criteria: list[Criterion] | None = None,
    inputs: list[dict[str, object]] | None = None,
) -> list[Finding]:
    """Every finding of the year, most severe first; each names its evidence.

    ``as_of`` is the date overdue follow-ups and activities are judged at (the review's FGD date); ``methods``
    gives the DAC thresholds; ``criteria``: the year's :func:`~tjsl_eval.methods.dac.dac_criteria` and ``inputs``:
    its :func:`open_inputs`, when already computed.
    """
    methods = methods or MethodSettings()
    found = [
        *_budget(workbook, group_id, year),
        *_indicators(workbook, group_id, year),
        *_activities(workbook, group_id, year, as_of),
        *_ikm(workbook, group_id, results, methods),
        *_value_and_independence(results, year),
        *_fgd_inputs(year, open_inputs(workbook, group_id, year, as_of) if inputs is None else inputs),
    ]
    if criteria is None:
        criteria = dac_criteria(workbook, group_id, year, results, methods, as_of)
    found += _criteria(criteria, found)
    unique = codes.unique([finding.code for finding in found])  # an activity named like a fixed code, at worst
    found = [replace(finding, code=code) for finding, code in zip(found, unique, strict=True)]
    return sorted(found, key=lambda finding: SEVERITIES.index(finding.severity))


def _budget(workbook: Workbook, group_id: str, year: int) -> list[Finding]:
    budget = metrics.budget_summary(workbook.rows("budget", group_id, year))
    evidence = {"absorption_pct": budget.absorption_pct, "planned": budget.planned, "realized": budget.realized}
    if budget.absorption_pct is not None and budget.absorption_pct > ABSORPTION_HIGH:
        return [Finding("ANG-SERAP-TINGGI", "budget_over_spent", "tinggi", evidence, "efisiensi")]
    if budget.absorption_pct is not None and budget.absorption_pct < ABSORPTION_LOW:
        return [Finding("ANG-SERAP-RENDAH", "budget_under_spent", "sedang", evidence, "efisiensi")]
    return []


def _indicators(workbook: Workbook, group_id: str, year: int) -> list[Finding]:
    """An indicator below :data:`INDICATOR_LOW` % of its target; its code is made from its name (numbered among the
    year's indicators when two names give the same code)."""
    table = metrics.indicator_table(workbook.rows("indicators", group_id, year))
    table = table.assign(code=codes.unique([codes.code("IND", name) for name in table["indicator"]]))
    low = table[table["achievement_pct"] < INDICATOR_LOW]
    found = []
    columns = ("code", "indicator", "achievement_pct", "target", "actual", "unit", "direction")
    for evidence in metrics.records(low, columns):
        code = evidence.pop("code")
        short = evidence["target"] - evidence["actual"]  # how far from the target, in the indicator's unit
        evidence["gap"] = short if evidence["direction"] == "naik" else -short
        found.append(Finding(code, "indicator_below_target", "sedang", evidence, "efektivitas"))
    return found


def _activities(workbook: Workbook, group_id: str, year: int, as_of: dt.date) -> list[Finding]:
    """Activity completion below :data:`ACTIVITY_LOW` %, and each activity past its planned end (before ``as_of``)
    and not done, named."""
    rows = workbook.rows("activities", group_id, year)
    found = []
    completion = metrics.activity_completion_pct(rows)
    if completion is not None and completion < ACTIVITY_LOW:
        active = rows[rows["status"] != "batal"]
        before = metrics.activity_completion_pct(workbook.rows("activities", group_id, year - 1))
        evidence = {
            "completion_pct": completion,
            "done": int((active["status"] == "selesai").sum()),
            "activities": len(active),
            "completion_pct_before": before,
        }
        severity = "tinggi" if completion < ACTIVITY_VERY_LOW else "sedang"
        found.append(Finding("KEG-PENYELESAIAN-RENDAH", "activity_completion_low", severity, evidence))
    table = rows.assign(code=codes.unique([codes.code("KEG", name) for name in rows["activity"]]))
    late = table[table["status"].isin(UNFINISHED) & (table["planned_end"] < pd.Timestamp(as_of))]
    for evidence in metrics.records(late, ("code", "activity", "planned_end", "status", "progress")):
        evidence["planned_end"] = evidence["planned_end"].date().isoformat()
        evidence["progress"] = None if pd.isna(evidence["progress"]) else float(evidence["progress"])
        found.append(Finding(evidence.pop("code"), "activity_overdue", "sedang", evidence))
    return found


def _ikm(workbook: Workbook, group_id: str, results: MethodResults, methods: MethodSettings) -> list[Finding]:
    """A low IKM band; a sample below the Krejcie–Morgan minimum for the group's members (or, members unknown,
    below the review's ``ikm_min_respondents``)."""
    ikm, found = results.ikm, []
    if ikm.band in ("C", "D"):
        evidence = {"score": float(ikm.score), "band": ikm.band, "respondents": ikm.respondents}
        found.append(Finding("IKM-RENDAH", "ikm_low", "tinggi" if ikm.band == "D" else "sedang", evidence))
    sample = ikm_sample(ikm.respondents, workbook.group(group_id)["members"])
    if sample is not None and not sample["adequate"]:
        evidence = {key: sample[key] for key in ("respondents", "members", "minimum")}
        found.append(Finding("IKM-SAMPEL", "ikm_sample_inadequate", "rendah", evidence))
    elif sample is None and ikm.respondents and ikm.small_sample:
        evidence = {"respondents": ikm.respondents, "minimum": methods.ikm_min_respondents}
        found.append(Finding("IKM-SAMPEL", "ikm_small_sample", "rendah", evidence))
    return found


def _value_and_independence(results: MethodResults, year: int) -> list[Finding]:
    found = []
    sroi = results.sroi
    if sroi.ratio is not None and sroi.ratio < 1:
        evidence = {"ratio": sroi.ratio, "present_value": sroi.present_value, "investment": sroi.investment}
        found.append(Finding("SROI-RASIO", "sroi_below_one", "tinggi", evidence, "dampak"))
    if results.stage_change == "turun":
        before = results.independence_trend.set_index("year").loc[year - 1]
        evidence = {
            "stage_before": before["stage"],
            "index_before": before["index"],
            "stage": results.independence.stage,
            "index": results.independence.index,
        }
        found.append(Finding("KMD-TURUN", "independence_fell", "sedang", evidence, "keberlanjutan"))
    return found


OPEN_INPUT_FIELDS = ("code", "year", "fgd_date", "stakeholder", "criterion", "feedback", "recommendation")


def fgd_inputs(workbook: Workbook, group_id: str) -> pd.DataFrame:
    """The FGD inputs about the group (not those about the whole programme), every year, with their ``code``."""
    rows = workbook.rows("fgd_feedback", group_id)
    return rows.assign(code=codes.fgd_input_codes(zip(rows["year"], rows["stakeholder"], strict=True)))


def open_inputs(workbook: Workbook, group_id: str, year: int, as_of: dt.date) -> list[dict[str, object]]:
    """``metrics.json``'s ``fgd_open_inputs``: every input about the group raised at this review's FGD or an
    earlier one and still ``belum``/``proses``, oldest first, as {code, year, fgd_date, stakeholder, criterion,
    feedback, recommendation, follow_up, due_date (ISO dates or null), overdue (due before ``as_of``)}."""
    rows = fgd_inputs(workbook, group_id)
    still_open = rows[(rows["year"] <= year) & rows["follow_up"].isin(metrics.OPEN_FOLLOW_UP)]
    found = []
    for row in metrics.records(still_open, (*OPEN_INPUT_FIELDS, "follow_up", "due_date")):
        values = {key: None if pd.isna(value) else value for key, value in row.items()}
        due = values["due_date"]
        values.update(
            year=int(values["year"]),
            fgd_date=None if values["fgd_date"] is None else values["fgd_date"].date().isoformat(),
            due_date=None if due is None else due.date().isoformat(),
            overdue=due is not None and due < pd.Timestamp(as_of),
        )
        found.append(values)
    return sorted(found, key=lambda item: item["year"])


def _fgd_inputs(year: int, inputs: list[dict[str, object]]) -> list[Finding]:
    """Each input about the group raised at this review's FGD or before it and still open (``inputs``, from
    :func:`open_inputs`): overdue (high), raised at an earlier FGD (medium) or at this one (low)."""
    found = []
    for item in inputs:
        evidence = {key: value for key, value in item.items() if key not in ("code", "overdue", "fgd_date")}
        if item["overdue"]:
            kind, severity = "follow_up_overdue", "tinggi"
        else:
            kind, severity = "fgd_input_open", "sedang" if item["year"] < year else "rendah"
        found.append(Finding(item["code"], kind, severity, evidence, item["criterion"]))
    return found


def _criteria(criteria: list[Criterion], found: list[Finding]) -> list[Finding]:
    """The evaluator's judgements that differ from the computed light, and a finding for each criterion yellow or red
    that no other finding explains."""
    explained = {finding.criterion for finding in found}
    added = []
    for criterion in criteria:
        code = codes.code("DAC", criterion.name)
        if criterion.judgement_differs:
            evidence = {
                "criterion": criterion.name,
                "light": criterion.light,
                "judged": criterion.judged,
                "justification": criterion.justification,
            }
            added.append(Finding(code, "dac_judgement", JUDGEMENT_SEVERITY[criterion.judged], evidence, criterion.name))
        elif criterion.effective in ("kuning", "merah") and criterion.name not in explained:
            evidence = {"criterion": criterion.name, "light": criterion.effective, "figure": criterion.figure}
            severity = JUDGEMENT_SEVERITY[criterion.effective]
            added.append(Finding(code, "dac_criterion", severity, evidence, criterion.name))
    return added

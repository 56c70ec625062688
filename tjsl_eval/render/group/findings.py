"""The findings with their recommendation, owner, deadline and status, and the follow-up of last year's."""

from __future__ import annotations

import pandas as pd

from tjsl_eval.methods import metrics
from tjsl_eval.render.blocks import note, table_block
from tjsl_eval.render.document import Block, Light
from tjsl_eval.render.group.context import GroupContext

MONEY = ("planned", "realized", "present_value", "investment")
AMOUNTS = ("score", "index", "index_before", "target", "actual", "gap")
LABELLED = {
    "stage": "stage",
    "stage_before": "stage",
    "light": "light",
    "judged": "light",
    "criterion": "criterion",
    "follow_up": "follow_up",
    "direction": "direction",
    "status": "status",
}


def evidence_values(report: GroupContext, evidence: dict) -> dict[str, object]:
    """A finding's evidence as the reader sees it: money, percentages, dates and labels in the report's language."""
    values: dict[str, object] = {}
    for key, value in evidence.items():
        if key in MONEY:
            values[key] = report.money(value)
        elif key.endswith("_pct") or key == "progress":
            values[key] = report.pct(value)
        elif key == "ratio":
            values[key] = metrics.format_figure("sroi_ratio", value, report.language)
        elif key in AMOUNTS:
            values[key] = report.amount(value)
        elif key in LABELLED:
            values[key] = report.label(LABELLED[key], value or "none")
        elif key in ("due_date", "planned_end"):
            values[key] = report.date(pd.Timestamp(value)) if value else "–"
        else:
            values[key] = "–" if value is None else value
    values.setdefault("minimum", report.methods.ikm_min_respondents)  # a small sample's, when not named
    if "activities" in evidence and "done" in evidence:
        values["open"] = evidence["activities"] - evidence["done"]
    return values


def finding_text(report: GroupContext, finding: dict) -> str:
    """What was found, with its evidence."""
    return report.t(f"finding.{kind(finding)}", **evidence_values(report, finding["evidence"]))


def recommendation(report: GroupContext, finding: dict) -> str:
    """The evaluator's own wording from the follow-up, else the recommendation for this finding, naming what it
    is about and the gap."""
    own = (finding.get("follow_up") or {}).get("recommendation")
    return own or report.t(f"recommendation.{kind(finding)}", **evidence_values(report, finding["evidence"]))


def kind(finding: dict) -> str:
    """The finding's kind (``metrics.json`` of earlier versions named it ``code``)."""
    return finding.get("kind", finding["code"])


def owner(report: GroupContext, finding: dict) -> str:
    """The finding's owner (PIC), or that none is set yet."""
    return (finding.get("follow_up") or {}).get("owner") or report.words("finding.no_owner")


def deadline(report: GroupContext, finding: dict) -> str:
    shown = (finding.get("follow_up") or {}).get("deadline")
    return report.date(pd.Timestamp(shown)) if shown else "–"


def status(report: GroupContext, finding: dict) -> Light | str:
    """The follow-up's status; overdue ones marked red, done ones green."""
    follow_up = finding.get("follow_up") or {}
    shown = report.label("follow_up", follow_up.get("status") or "belum")
    if finding.get("overdue"):
        return Light("merah", report.words("finding.overdue", status=shown))
    if follow_up.get("status") == "selesai":
        return Light("hijau", shown)
    return shown


def findings_blocks(report: GroupContext) -> list[Block]:
    """Findings, most severe first: code, level, finding, recommendation, owner, deadline and status."""
    found = report.figures.get("findings") or []
    blocks = report.heading("findings")
    if not found:
        return blocks + note(report.t("finding.none"))
    rows = [
        (
            f["code"],
            report.label("severity", f["severity"]),
            finding_text(report, f),
            recommendation(report, f),
            owner(report, f),
            deadline(report, f),
            status(report, f),
        )
        for f in found
    ]
    headers = [
        report.words("finding.code"),
        report.t("finding.severity"),
        report.t("finding.finding"),
        report.t("finding.recommendation"),
        report.words("finding.owner"),
        report.words("finding.deadline"),
        report.words("finding.status"),
    ]
    blocks += table_block(headers, rows, caption=report.words("finding.caption"))
    without = report.figures.get("recommendations_without_owner")
    if without:
        blocks += note(report.words("finding.without_owner", count=without))
    return blocks


def follow_up_blocks(report: GroupContext) -> list[Block]:
    """Every finding of the previous evaluated year with its owner, deadline and status, overdue ones marked, and
    whether it recurs this year; the follow-up rate."""
    previous = report.figures.get("follow_up_previous") or []
    blocks = report.heading("follow_up")
    if not previous:
        return blocks + note(report.words("follow_up.none"))
    yes, no = report.words("follow_up.yes"), report.words("follow_up.no")
    rows = [
        (
            f["code"],
            finding_text(report, f),
            recommendation(report, f),
            owner(report, f),
            deadline(report, f),
            status(report, f),
            Light("merah", yes) if f.get("recurs") else no,
        )
        for f in previous
    ]
    headers = [
        report.words("finding.code"),
        report.t("finding.finding"),
        report.t("finding.recommendation"),
        report.words("finding.owner"),
        report.words("finding.deadline"),
        report.words("finding.status"),
        report.words("follow_up.recurs"),
    ]
    year = (report.figures.get("previous_year") or {}).get("year", report.year - 1)
    blocks += table_block(headers, rows, caption=report.words("follow_up.caption", year=year))
    rate = report.figures.get("recommendations_followed_up_pct")
    overdue = report.figures.get("recommendations_overdue")
    if rate is not None or overdue is not None:
        blocks += note(report.words("follow_up.rate", rate=report.pct(rate), overdue=overdue or 0))
    return blocks


BUILDERS = {"findings": findings_blocks, "follow_up": follow_up_blocks}

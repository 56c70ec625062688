"""The findings with their recommendation, owner, deadline and status, and the follow-up of last year's."""

from __future__ import annotations

import pandas as pd

from tjsl_eval.common import formatting
from tjsl_eval.common.messages import label, text
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


def evidence_values(evidence: dict, language: str) -> dict[str, object]:
    """A finding's evidence as the reader sees it: money, percentages, dates and labels in ``language``."""
    values: dict[str, object] = {}
    for key, value in evidence.items():
        if key in MONEY:
            values[key] = formatting.rupiah(value, language)
        elif "_pct" in key or key == "progress":
            values[key] = formatting.percent(value, language)
        elif key == "ratio":
            values[key] = metrics.format_figure("sroi_ratio", value, language)
        elif key in AMOUNTS:
            fractional = value is not None and pd.notna(value) and not float(value).is_integer()
            values[key] = formatting.number(value, language, 2 if fractional else 0)
        elif key in LABELLED:
            values[key] = label(LABELLED[key], value or "none", language)
        elif key in ("due_date", "planned_end"):
            values[key] = formatting.date(pd.Timestamp(value), language) if value else "–"
        else:
            values[key] = "–" if value is None else value
    if "activities" in evidence and "done" in evidence:
        values["open"] = evidence["activities"] - evidence["done"]
    return values


def finding_text(finding: dict, language: str) -> str:
    """What was found, with its evidence."""
    return text(f"finding.{finding['kind']}", language, **evidence_values(finding["evidence"], language))


def recommendation(finding: dict, language: str) -> str:
    """The evaluator's own wording from the follow-up, else the recommendation for this finding, naming what it
    is about and the gap."""
    own = (finding.get("follow_up") or {}).get("recommendation")
    return own or text(f"recommendation.{finding['kind']}", language, **evidence_values(finding["evidence"], language))


def owner(finding: dict, language: str) -> str:
    """The finding's owner (PIC), or that none is set yet."""
    return (finding.get("follow_up") or {}).get("owner") or text("evaluation_report.finding.no_owner", language)


def deadline(finding: dict, language: str) -> str:
    shown = (finding.get("follow_up") or {}).get("deadline")
    return formatting.date(pd.Timestamp(shown), language) if shown else "–"


def status(finding: dict, language: str) -> Light | str:
    """The follow-up's status; overdue ones marked red, done ones green."""
    follow_up = finding.get("follow_up") or {}
    shown = label("follow_up", follow_up.get("status") or "belum", language)
    if finding.get("overdue"):
        return Light("merah", text("evaluation_report.finding.overdue", language, status=shown))
    if follow_up.get("status") == "selesai":
        return Light("hijau", shown)
    return shown


# The columns a table of findings can show, each with its header's catalogue key.
HEADERS = {
    "code": "evaluation_report.finding.code",
    "severity": "finding.severity",
    "finding": "finding.finding",
    "recommendation": "finding.recommendation",
    "owner": "evaluation_report.finding.owner",
    "deadline": "evaluation_report.finding.deadline",
    "status": "evaluation_report.finding.status",
    "recurs": "evaluation_report.follow_up.recurs",
}


def cells(finding: dict, language: str) -> dict[str, object]:
    """A finding's cell in each column of :data:`HEADERS`."""
    recurs = text(f"evaluation_report.follow_up.{'yes' if finding.get('recurs') else 'no'}", language)
    return {
        "code": finding["code"],
        "severity": label("severity", finding["severity"], language),
        "finding": finding_text(finding, language),
        "recommendation": recommendation(finding, language),
        "owner": owner(finding, language),
        "deadline": deadline(finding, language),
        "status": status(finding, language),
        "recurs": Light("merah", recurs) if finding.get("recurs") else recurs,
    }


def finding_table(found: list[dict], columns: tuple[str, ...], language: str, caption: str) -> list[Block]:
    """The findings as a table of ``columns`` (keys of :data:`HEADERS`)."""
    headers = [text(HEADERS[column], language) for column in columns]
    rows = []
    for finding in found:
        shown = cells(finding, language)
        rows.append([shown[column] for column in columns])
    return table_block(headers, rows, caption=caption)


def findings_blocks(report: GroupContext) -> list[Block]:
    """Findings, most severe first: code, level, finding, recommendation, owner, deadline and status."""
    found = report.figures.get("findings") or []
    blocks = report.heading("findings")
    if not found:
        return blocks + note(report.t("finding.none"))
    columns = ("code", "severity", "finding", "recommendation", "owner", "deadline", "status")
    blocks += finding_table(found, columns, report.language, report.words("finding.caption"))
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
    columns = ("code", "finding", "recommendation", "owner", "deadline", "status", "recurs")
    year = (report.figures.get("previous_year") or {}).get("year", report.year - 1)
    blocks += finding_table(previous, columns, report.language, report.words("follow_up.caption", year=year))
    rate = report.figures.get("recommendations_followed_up_pct")
    overdue = report.figures.get("recommendations_overdue")
    if rate is not None or overdue is not None:
        blocks += note(report.words("follow_up.rate", rate=report.pct(rate), overdue=overdue or 0))
    return blocks


BUILDERS = {"findings": findings_blocks, "follow_up": follow_up_blocks}

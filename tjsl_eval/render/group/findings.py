"""The findings and recommendations."""

from __future__ import annotations

import pandas as pd

from tjsl_eval.methods import evaluation, metrics
from tjsl_eval.render.blocks import note, table_block
from tjsl_eval.render.document import Block
from tjsl_eval.render.group.context import GroupContext


def findings_blocks(report: GroupContext) -> list[Block]:
    """Findings and recommendations, most severe first, each naming its evidence."""
    found = evaluation.findings(report.workbook, report.group_id, report.year, report.results, report.as_of())
    blocks = report.heading("findings")
    if not found:
        return blocks + note(report.t("finding.none"))
    rows = [
        (report.label("severity", f.severity), finding_text(report, f), report.t(f"recommendation.{f.code}"))
        for f in found
    ]
    return blocks + table_block(
        [report.t("finding.severity"), report.t("finding.finding"), report.t("finding.recommendation")], rows
    )


def finding_text(report: GroupContext, finding: evaluation.Finding) -> str:
    values = {}
    for key, value in finding.evidence.items():
        if key in ("planned", "realized", "present_value", "investment"):
            values[key] = report.money(value)
        elif key.endswith("_pct"):
            values[key] = report.pct(value)
        elif key == "ratio":
            values[key] = metrics.format_figure("sroi_ratio", value, report.language)
        elif key in ("score", "index", "index_before", "target", "actual"):
            values[key] = report.amount(value)
        elif key in ("stage", "stage_before"):
            values[key] = report.label("stage", value)
        elif key in ("light", "judged"):
            values[key] = report.label("light", value or "none")
        elif key == "criterion":
            values[key] = report.label("criterion", value)
        elif key == "due_date":
            values[key] = report.date(pd.Timestamp(value))
        elif key == "follow_up":
            values[key] = report.label("follow_up", value)
        else:
            values[key] = value
    return report.t(f"finding.{finding.code}", **values)


BUILDERS = {"findings": findings_blocks}

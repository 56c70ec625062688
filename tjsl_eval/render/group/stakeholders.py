"""Chapter "what the stakeholders said": the FGD inputs and the six OECD-DAC criteria."""

from __future__ import annotations

import pandas as pd

from tjsl_eval.common import formatting
from tjsl_eval.methods import dac, evaluation, metrics
from tjsl_eval.render.blocks import note, table_block
from tjsl_eval.render.document import Block, Heading, Judgement, Light
from tjsl_eval.render.group.context import GroupContext

FGD_COLUMNS = ("date", "stakeholder", "type", "about", "criterion", "feedback", "recommendation", "follow_up", "due")
CRITERION_FIGURES = {
    "efektivitas": "indicator_achievement_pct",
    "dampak": "sroi_ratio",
    "keberlanjutan": "independence_index",
}


def fgd_blocks(report: GroupContext) -> list[Block]:
    """Stakeholders' inputs at the FGD about this group, and programme-wide ones, with follow-up."""
    feedback = report.workbook.tables["fgd_feedback"]
    rows = feedback[
        (feedback["year"] == report.year) & ((feedback["group_id"] == report.group_id) | feedback["group_id"].isna())
    ]
    blocks = report.heading("fgd")
    if rows.empty:
        return blocks + note(report.t("fgd.none", year=report.year))
    rows = rows.assign(programme_wide=rows["group_id"].isna()).sort_values(
        ["programme_wide", "fgd_date"], kind="stable"
    )
    body = [
        (
            report.date(row.fgd_date),
            row.stakeholder,
            report.label("stakeholder_type", row.stakeholder_type),
            report.t("fgd.programme_wide") if row.programme_wide else report.t("fgd.this_group"),
            report.label("criterion", row.criterion),
            row.feedback,
            row.recommendation if pd.notna(row.recommendation) else "–",
            report.label("follow_up", row.follow_up),
            report.date(row.due_date),
        )
        for row in rows.itertuples()
    ]
    headers = [report.t(f"fgd.{key}") for key in FGD_COLUMNS]
    caption = report.words("fgd.caption", year=report.year)
    blocks += table_block(headers, body, caption=caption)
    return blocks + open_inputs_blocks(report)


def open_inputs_blocks(report: GroupContext) -> list[Block]:
    """Every input about the group raised at an earlier FGD and still open, whatever its year, overdue ones
    marked (``fgd_open_inputs``); then the counts that compare like with like (this FGD's inputs are new, not
    open)."""
    figures = report.figures
    earlier = [row for row in figures.get("fgd_open_inputs") or [] if row["year"] < report.year]
    blocks: list[Block] = []
    if earlier:
        body = [
            (
                row["year"],
                row["stakeholder"],
                row["feedback"],
                report.label("follow_up", row["follow_up"]),
                Light("merah", report.words("finding.overdue", status=due)) if row["overdue"] else due,
            )
            for row in earlier
            for due in [report.date(pd.Timestamp(row["due_date"])) if row["due_date"] else "–"]
        ]
        headers = [
            report.words("fgd.year"),
            report.t("fgd.stakeholder"),
            report.t("fgd.feedback"),
            report.t("fgd.follow_up"),
            report.t("fgd.due"),
        ]
        blocks.append(Heading(report.words("fgd.open_title"), 3))
        blocks += table_block(headers, body, caption=report.words("fgd.open_caption"))
    counts = {
        "new": figures.get("fgd_inputs_new", 0),
        "open": figures.get("fgd_open_earlier", 0),
        "overdue": figures.get("fgd_overdue_earlier", 0),
    }
    return blocks + note(report.words("fgd.counts", **counts))


def dac_blocks(report: GroupContext) -> list[Block]:
    """The six OECD-DAC criteria, each with its traffic light and evidence; where the evaluator judged a
    criterion (sheet ``penilaian_dac``), their light and justification too, marked when they differ."""
    criteria = dac.dac_criteria(
        report.workbook, report.group_id, report.year, report.results, report.methods, report.as_of()
    )
    judged = any(criterion.judged for criterion in criteria)
    rows = []
    for criterion in criteria:
        row = [
            report.label("criterion", criterion.name),
            report.light(criterion.light),
            criterion_evidence(report, criterion),
        ]
        if judged:
            row.append(judgement(report, criterion))
        rows.append(row)
    headers = [report.t("dac.criterion"), report.t("dac.light"), report.t("dac.evidence")]
    blocks = report.heading("dac") + table_block(
        headers + ([report.t("dac.judged")] if judged else []),
        rows,
        caption=report.words("caption.dac", year=report.year),
    )
    if any(criterion.judgement_differs for criterion in criteria):
        blocks += note(report.t("dac.judgement_stands"))
    return blocks + note(report.t("dac.thresholds", **threshold_texts(report)))


def judgement(report: GroupContext, criterion: dac.Criterion) -> Judgement | str:
    """The evaluator's light and justification for a criterion (a dash when they did not judge it)."""
    if criterion.judged is None:
        return "–"
    differs = report.t("dac.differs") if criterion.judgement_differs else ""
    return Judgement(report.light(criterion.judged), differs, criterion.justification)


def threshold_texts(report: GroupContext) -> dict[str, str]:
    """The configured DAC thresholds, formatted for :func:`dac_blocks`' note."""

    def shown(value: float | list[float], decimals: int = 0) -> str:
        if isinstance(value, list):
            return "–".join(formatting.number(v, report.language, decimals) for v in value)
        return formatting.number(value, report.language, decimals)

    limits = report.methods.dac_thresholds
    return {
        "eff_green": shown(limits["effectiveness"]["green"]),
        "eff_amber": shown(limits["effectiveness"]["amber"]),
        "fin_green": shown(limits["efficiency"]["green"]),
        "fin_amber": shown(limits["efficiency"]["amber"]),
        "imp_green": shown(limits["impact"]["green"], 1),
        "imp_amber": shown(limits["impact"]["amber"], 1),
        "sus_green": shown(limits["sustainability"]["green"]),
        "sus_amber": shown(limits["sustainability"]["amber"]),
    }


def criterion_evidence(report: GroupContext, criterion: dac.Criterion) -> str:
    parts = []
    if criterion.name == "efisiensi":
        cost = evaluation.cost_per_member(report.workbook, report.group_id, report.year)
        parts.append(report.t("dac.efficiency", absorption=report.pct(criterion.figure), cost=report.money(cost)))
    elif criterion.name in CRITERION_FIGURES:
        figure = metrics.format_figure(CRITERION_FIGURES[criterion.name], criterion.figure, report.language)
        parts.append(report.t(f"dac.{criterion.name}", figure=figure))
    parts += [
        f"{row.stakeholder}: {row.feedback} ({report.label('follow_up', row.follow_up)})"
        for row in criterion.inputs.itertuples()
    ]
    return "; ".join(parts) or report.t("dac.no_evidence")


BUILDERS = {"fgd": fgd_blocks, "dac": dac_blocks}

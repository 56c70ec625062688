"""Next year's plan: budget, indicator targets, activities."""

from __future__ import annotations

from tjsl_eval.render.blocks import note, side_by_side, table_block
from tjsl_eval.render.document import Block
from tjsl_eval.render.group.context import GroupContext


def plan_blocks(report: GroupContext) -> list[Block]:
    """Next year's plan (budget, targets, activities) where the workbook has it."""
    year = report.plan_year or report.year + 1
    blocks = report.heading("plan")
    budget, indicators, activities = (report.rows(s, year) for s in ("budget", "indicators", "activities"))
    if budget.empty and indicators.empty and activities.empty:
        return blocks + note(report.t("plan.none", year=year))
    if not budget.empty:
        body = [
            (row.item, report.choice("budget_category", row.category), report.money(row.planned))
            for row in budget.itertuples()
        ]
        blocks += table_block(
            [report.t("budget.item"), report.t("budget.category"), report.t("budget.planned")],
            body,
            numeric=(2,),
            footer=[report.t("table.total"), "", report.money(float(budget["planned"].sum()))],
            caption=report.words("caption.plan_budget", year=year),
        )
    targets = []  # next year's indicator targets and activities, side by side
    if not indicators.empty:
        body = [
            (
                row.indicator,
                row.unit,
                report.amount(row.target),
            )
            for row in indicators.itertuples()
        ]
        targets.append(
            table_block(
                [report.t("indicator.indicator"), report.t("indicator.unit"), report.t("indicator.target")],
                body,
                numeric=(2,),
                caption=report.words("caption.plan_targets", year=year),
            )
        )
    if not activities.empty:
        body = [
            (row.activity, report.date(row.planned_start), report.date(row.planned_end))
            for row in activities.itertuples()
        ]
        targets.append(
            table_block(
                [report.t("activity.activity"), report.t("activity.start"), report.t("activity.end")],
                body,
                caption=report.words("caption.plan_activities", year=year),
            )
        )
    return blocks + (side_by_side(*targets) if targets else [])


BUILDERS = {"plan": plan_blocks}

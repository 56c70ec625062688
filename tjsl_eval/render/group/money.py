"""Chapter "where the money went and what it achieved": budget, indicators, activities."""

from __future__ import annotations

import pandas as pd

from tjsl_eval.methods import metrics
from tjsl_eval.render import charts
from tjsl_eval.render.blocks import chart, note, table_block
from tjsl_eval.render.document import Block
from tjsl_eval.render.group.context import GroupContext


def budget_blocks(report: GroupContext) -> list[Block]:
    """Budget plan vs realization: chart by category and table by item."""
    rows = report.rows("budget")
    blocks = report.heading("budget")
    if rows.empty:
        return blocks + note(report.t("budget.none", year=report.year))
    summary = metrics.budget_summary(rows)
    by_category = summary.by_category.assign(
        category=[report.choice("budget_category", category) for category in summary.by_category["category"]]
    )
    figure = charts.budget_chart(by_category, report.language, report.chart_style)
    blocks += chart(figure, report.t("chart.budget_title"))
    table = [
        (
            row.item,
            report.choice("budget_category", row.category),
            report.money(row.planned),
            report.money(row.realized),
            report.pct(metrics.budget_summary(rows.loc[[row.Index]]).absorption_pct),
        )
        for row in rows.itertuples()
    ]
    headers = [
        report.t("budget.item"),
        report.t("budget.category"),
        report.t("budget.planned"),
        report.t("budget.realized"),
        report.t("budget.absorption"),
    ]
    footer = [
        report.t("table.total"),
        "",
        report.money(summary.planned),
        report.money(summary.realized),
        report.pct(summary.absorption_pct),
    ]
    return blocks + table_block(
        headers, table, numeric=(2, 3, 4), footer=footer, caption=report.words("caption.budget", year=report.year)
    )


def indicators_blocks(report: GroupContext) -> list[Block]:
    """Indicator achievement: chart and table."""
    rows = report.rows("indicators")
    blocks = report.heading("indicators")
    if rows.empty:
        return blocks + note(report.t("indicator.none", year=report.year))
    table = metrics.indicator_table(rows)
    summary = metrics.indicator_summary(rows)
    figure = charts.indicator_chart(table, report.language, report.chart_style)
    blocks += chart(figure, report.t("chart.indicator_title"))
    body = [
        (
            row.indicator,
            report.label("level", row.level),
            row.unit,
            report.label("direction", row.direction),
            report.amount(row.baseline),
            report.amount(row.target),
            (report.amount(row.actual) if pd.notna(row.actual) else report.t("indicator.not_measured")),
            report.pct(row.achievement_pct),
        )
        for row in table.itertuples()
    ]
    headers = [
        report.t(f"indicator.{key}")
        for key in ("indicator", "level", "unit", "direction", "baseline", "target", "actual", "achievement")
    ]
    blocks += table_block(
        headers, body, numeric=(4, 5, 6, 7), caption=report.words("caption.indicators", year=report.year)
    )
    blocks += note(
        report.t(
            "indicator.summary",
            achievement=report.pct(summary.achievement_pct),
            met=summary.met,
            measured=summary.measured,
            total=len(rows),
        )
    )
    return blocks


def activities_blocks(report: GroupContext) -> list[Block]:
    """The year's activities, their status and the completion rate."""
    rows = report.rows("activities")
    blocks = report.heading("activities")
    if rows.empty:
        return blocks + note(report.t("activity.none", year=report.year))
    body = [
        (
            row.activity,
            report.date(row.planned_start),
            report.date(row.planned_end),
            report.label("status", row.status),
            report.pct(row.progress),
        )
        for row in rows.itertuples()
    ]
    headers = [report.t(f"activity.{key}") for key in ("activity", "start", "end", "status", "progress")]
    blocks += table_block(headers, body, numeric=(4,), caption=report.words("caption.activities", year=report.year))
    blocks += note(report.t("activity.completion", completion=report.pct(metrics.activity_completion_pct(rows))))
    return blocks


BUILDERS = {"budget": budget_blocks, "indicators": indicators_blocks, "activities": activities_blocks}

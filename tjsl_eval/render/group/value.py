"""Chapter "what the beneficiaries think, the value created, the group's independence": IKM, SROI,
independence."""

from __future__ import annotations

import pandas as pd

from tjsl_eval.common import formatting
from tjsl_eval.methods import metrics, sroi
from tjsl_eval.render import charts
from tjsl_eval.render.blocks import banner, chart, note, side_by_side, table_block
from tjsl_eval.render.document import Block, Paragraph
from tjsl_eval.render.group.context import GroupContext
from tjsl_eval.render.survey_source import survey_source_blocks

SROI_COLUMNS = (
    "stakeholder",
    "outcome",
    "quantity",
    "proxy",
    "source",
    "duration",
    "adjustments",
    "impact_year_1",
    "present_value",
)


def ikm_blocks(report: GroupContext) -> list[Block]:
    """The community satisfaction index (IKM) with each element's NRR."""
    result = report.results.ikm
    blocks = report.heading("ikm")
    if result.score is None:
        return blocks + note(report.t("ikm.none", year=report.year))
    labels = {element: report.t(f"ikm_element.{element}") for element in result.nrr}
    rows = [
        (
            element.upper(),
            labels[element],
            formatting.number(nrr, report.language, 4) if nrr is not None else report.t("ikm.unanswered"),
        )
        for element, nrr in result.nrr.items()
    ]
    blocks += note(
        report.t(
            "ikm.result",
            score=formatting.number(result.score, report.language, 2),
            label=report.label("ikm_band", result.band),
            respondents=result.respondents,
        )
    )
    blocks += survey_source_blocks(report.rows("survey"), report.language)
    if result.small_sample:
        minimum = report.methods.ikm_min_respondents
        blocks += banner(report.t("ikm.small_sample", respondents=result.respondents, minimum=minimum))
    sample = report.figures.get("ikm_sample")
    if sample and not sample["adequate"]:
        blocks += banner(
            report.words("ikm.inadequate", **{key: sample[key] for key in ("respondents", "members", "minimum")})
        )
    blocks += side_by_side(
        chart(charts.ikm_chart(result.nrr, labels, report.language, report.chart_style), report.t("chart.ikm_title")),
        table_block(
            [report.t("ikm.element"), report.t("ikm.name"), report.t("ikm.nrr")],
            rows,
            numeric=(2,),
            caption=report.words("caption.ikm", year=report.year),
        ),
    )
    weights = (
        report.t("ikm.weight_exact")
        if result.weight_rounding == "exact"
        else formatting.number(float(result.weight_rounding), report.language, len(result.weight_rounding) - 2)
    )
    blocks += note(report.t("ikm.method", table=result.band_table, weights=weights))
    return blocks


def sroi_blocks(report: GroupContext) -> list[Block]:
    """The social return on investment, by outcome, with a sensitivity table."""
    result = report.results.sroi
    blocks = report.heading("sroi")
    if result.status == "no_rows":
        return blocks + note(report.t("sroi.none", year=report.year))
    outcomes = result.outcomes
    rows = [
        (
            row.stakeholder,
            row.outcome,
            report.amount(row.quantity),
            report.money(row.proxy_value),
            row.proxy_source if pd.notna(row.proxy_source) else "–",
            row.duration_years,
            "/".join(
                formatting.number(v, report.language)
                for v in (row.deadweight, row.attribution, row.displacement, row.drop_off)
            ),
            report.money(row.impact_year_1),
            report.money(row.present_value),
        )
        for row in outcomes.itertuples()
    ]
    headers = [report.t(f"sroi.{key}") for key in SROI_COLUMNS]
    blocks += chart(charts.sroi_chart(outcomes, report.language, report.chart_style), report.t("chart.sroi_title"))
    blocks += table_block(
        headers, rows, numeric=(2, 3, 5, 6, 7, 8), caption=report.words("caption.sroi", year=report.year)
    )
    if result.status == "no_investment":
        return blocks + note(report.t("sroi.no_investment", present_value=report.money(result.present_value)))
    totals = [
        (report.t("sroi.total_present_value"), report.money(result.present_value)),
        (report.t("sroi.investment"), report.money(result.investment)),
        (report.t("sroi.ratio"), metrics.format_figure("sroi_ratio", result.ratio, report.language)),
        (report.t("sroi.net_present_value"), report.money(result.net_present_value)),
        (report.t("sroi.net_ratio"), report.pct(result.net_ratio * 100)),
        (
            report.t("sroi.payback"),
            report.t("sroi.months", months=formatting.number(result.payback_months, report.language, 1))
            if result.payback_months is not None
            else "–",
        ),
    ]
    totals_table = table_block(
        [report.t("table.item"), report.t("table.value")],
        totals,
        numeric=(1,),
        caption=report.words("caption.sroi_totals"),
    )
    scenarios = sroi.sensitivity(
        report.rows("sroi"), result.investment, discount_rate=report.methods.sroi_discount_rate_pct / 100
    )
    rows = [
        (
            report.t(
                f"sroi.scenario.{row.scenario.split('_')[0] if row.scenario.startswith('rate') else row.scenario}",
                rate=report.pct(row.discount_rate * 100),
            ),
            metrics.format_figure("sroi_ratio", row.ratio, report.language),
        )
        for row in scenarios.itertuples()
    ]
    blocks += side_by_side(
        totals_table,
        table_block(
            [report.t("sroi.sensitivity"), report.t("sroi.ratio")],
            rows,
            numeric=(1,),
            caption=report.words("caption.sroi_sensitivity"),
        ),
    )
    blocks += note(
        report.words(
            "sroi_explained",
            rate=report.pct(report.methods.sroi_discount_rate_pct),
            ratio=metrics.format_figure("sroi_ratio", result.ratio, report.language),
            value="Rp " + formatting.number(result.ratio, report.language, 2),
            net=report.pct(result.net_ratio * 100),
        )
    )
    return blocks


def independence_blocks(report: GroupContext) -> list[Block]:
    """The independence (kemandirian) index and stage, their trend and the exit strategy."""
    results = report.results
    blocks = report.heading("independence")
    rows = report.rows("independence")
    if rows.empty:
        return blocks + note(report.t("independence.none", year=report.year))
    body = [
        (report.choice("dimension", row.dimension), row.score, row.evidence if pd.notna(row.evidence) else "–")
        for row in rows.itertuples()
    ]
    blocks += table_block(
        [report.t("independence.dimension"), report.t("independence.score"), report.t("independence.evidence")],
        body,
        numeric=(1,),
        caption=report.words("caption.independence", year=report.year),
    )
    blocks += note(
        report.t(
            "independence.result",
            index=formatting.number(results.independence.index, report.language, 2),
            stage=report.label("stage", results.independence.stage),
        )
    )
    trend = results.independence_trend
    if len(trend) > 1:
        blocks += side_by_side(
            chart(
                charts.independence_chart(
                    trend, report.methods.independence_thresholds, report.language, report.chart_style
                ),
                report.t("chart.independence_title"),
            ),
            table_block(
                [report.t("chart.year_axis"), report.t("independence.index"), report.t("independence.stage")],
                [
                    (
                        int(r.year),
                        formatting.number(r.index, report.language, 2),
                        report.label("stage", r.stage),
                    )
                    for r in trend.itertuples()
                ],
                numeric=(1,),
                caption=report.words("caption.independence_trend"),
            ),
        )
    exit_key = "independence.graduate" if results.ready_to_graduate else "independence.not_yet"
    blocks.append(Paragraph(report.t(exit_key), lead=report.t("independence.exit")))
    return blocks


BUILDERS = {"ikm": ikm_blocks, "sroi": sroi_blocks, "independence": independence_blocks}

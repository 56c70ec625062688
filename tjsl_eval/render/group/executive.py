"""The executive summary, right after the cover: the overall status with its reason, the key messages against
target and last year, the top three recommendations with owner and deadline, the evaluator's own summary."""

from __future__ import annotations

from tjsl_eval.common import formatting
from tjsl_eval.common.messages import text
from tjsl_eval.inputs.settings import MethodSettings
from tjsl_eval.methods import ikm, metrics
from tjsl_eval.render import evaluator
from tjsl_eval.render.blocks import note, table_block
from tjsl_eval.render.document import Block, Heading, Light
from tjsl_eval.render.group import findings
from tjsl_eval.render.group.context import GroupContext

# The key messages' figures, most telling first; the first five the year has are shown.
MESSAGE_KEYS = (
    "indicator_achievement_pct",
    "budget_absorption_pct",
    "activity_completion_pct",
    "ikm_score",
    "sroi_ratio",
    "independence_index",
)
TOP = 3


def status_rows(report: GroupContext, status: dict) -> list[tuple[Light, str]]:
    """The overall light and its one-line reason, naming the criteria that set it."""
    criteria = ", ".join(report.label("criterion", name) for name in status.get("criteria") or ())
    reason = report.words(f"status.{status['reason']}", criteria=criteria)
    return [(report.light(status["light"]), reason)]


def targets(methods: MethodSettings, language: str) -> dict[str, str]:
    """Each key figure's target as the reader sees it: the green threshold of its DAC criterion, quality B for the
    IKM, every activity done."""
    limits = methods.dac_thresholds
    low, high = limits["efficiency"]["green"]
    band_b = float(ikm.BAND_TABLES[methods.ikm_band_table]["B"])
    return {
        "indicator_achievement_pct": "≥ " + formatting.percent(limits["effectiveness"]["green"], language),
        "budget_absorption_pct": f"{formatting.percent(low, language)} – {formatting.percent(high, language)}",
        "activity_completion_pct": formatting.percent(100, language),
        "ikm_score": "≥ " + formatting.number(band_b, language, 2),
        "sroi_ratio": "≥ " + metrics.format_figure("sroi_ratio", limits["impact"]["green"], language),
        "independence_index": "≥ " + formatting.number(limits["sustainability"]["green"], language),
    }


def key_figures(figures: dict, previous: dict, methods: MethodSettings, language: str) -> list[tuple[str, ...]]:
    """Up to five key figures (a group's or the programme's), each with its target, last year's figure and the
    change."""
    shown = [key for key in MESSAGE_KEYS if figures.get(key) is not None][:5]
    goal = targets(methods, language)
    return [
        (
            text(f"metric.{key}", language),
            metrics.format_figure(key, figures[key], language),
            goal[key],
            metrics.format_figure(key, previous.get(key), language),
            metrics.format_change(key, figures[key], previous.get(key), language),
        )
        for key in shown
    ]


def key_figure_table(rows: list[tuple[str, ...]], year: int, language: str) -> list[Block]:
    """The key figures against target and last year, as a table (a note when there is none)."""
    if not rows:
        return note(text("evaluation_report.messages.none", language))
    headers = [
        text("evaluation_report.messages.measure", language),
        str(year),
        text("evaluation_report.messages.target", language),
        str(year - 1),
        text("summary.change", language),
    ]
    caption = text("evaluation_report.messages.caption", language, year=year)
    return table_block(headers, rows, numeric=(1, 3, 4), caption=caption)


def executive_summary_blocks(report: GroupContext) -> list[Block]:
    """The year at a glance, for readers of the first page."""
    blocks = report.heading("executive_summary")
    status = report.figures.get("status")
    if status:
        headers = [report.words("status.light"), report.words("status.reason")]
        blocks += table_block(headers, status_rows(report, status), caption=report.words("status.caption"))
    blocks.append(Heading(report.words("messages.title"), 3))
    previous = report.figures.get("previous_year") or {}
    rows = key_figures(report.figures, previous, report.methods, report.language)
    blocks += key_figure_table(rows, report.year, report.language)
    blocks.append(Heading(report.words("top.title"), 3))
    top = (report.figures.get("findings") or [])[:TOP]
    if top:
        columns = ("code", "recommendation", "owner", "deadline")
        blocks += findings.finding_table(top, columns, report.language, report.words("top.caption"))
    else:
        blocks += note(report.words("top.none"))
    return blocks + evaluator.section_blocks(report.workbook, report.group_id, report.year, "summary", report.language)


BUILDERS = {"executive_summary": executive_summary_blocks}

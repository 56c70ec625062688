"""The review's ``index.html``: every group with its key figures, linking each report."""

from __future__ import annotations

from tjsl_eval.common.messages import label, text
from tjsl_eval.inputs.params import Review
from tjsl_eval.methods.metrics import format_figure
from tjsl_eval.render.report import STYLE
from tjsl_eval.render.tables import Html, escape, html_table, link

COLUMNS = (
    "budget_planned",
    "budget_realized",
    "budget_absorption_pct",
    "indicator_achievement_pct",
    "activity_completion_pct",
    "fgd_open",
)
OTHER_FORMATS = (("pdf", "PDF"), ("docx", "Word"), ("pptx", "PowerPoint"))


def index_html(review: Review, groups: dict[str, dict], failures: dict[str, str], present: set[str]) -> str:
    """The index page: a link to the portfolio summary, then a row per group (figures from
    ``metrics.json``) linking its report and its other formats; ``present`` names the files in the
    review's folder. Failed reports (``failures``: report -> message) and missing ones are
    marked instead of linked."""
    language = review.language
    rows = []
    for group_id, figures in groups.items():
        if group_id in failures:
            report = f"{text('index.failed', language)}: {failures[group_id]}"
        elif f"{group_id}.html" not in present:
            report = text("index.missing", language)
        else:
            report = _report_links(group_id, present)
        rows.append(
            [
                group_id,
                figures["name"],
                label("pillar", figures["pillar"], language),
                report,
                *(format_figure(key, figures[key], language) for key in COLUMNS),
            ]
        )
    headers = [
        "ID",
        text("index.group", language),
        text("profile.pillar", language),
        text("index.report", language),
        *(text(f"metric.{key}", language) for key in COLUMNS),
    ]
    table = html_table(headers, rows, numeric=tuple(range(4, 4 + len(COLUMNS))))
    title = text("index.title", language)
    summary = text("portfolio.link", language)
    if "portfolio.html" in present:
        summary_line = (
            f"<p><strong>{link('portfolio.html', summary).markup}</strong>"
            + (
                f" ({' · '.join(other.markup for other in others)})"
                if (others := _other_formats("portfolio", present))
                else ""
            )
            + " · "
            + link("fgd_register.xlsx", text("portfolio.register", language) + " (xlsx)").markup
            + " · "
            + link("metrics.csv", "metrics.csv").markup
            + "</p>"
        )
    else:
        summary_line = f"<p>{escape(summary)}: {escape(failures.get('portfolio', text('index.missing', language)))}</p>"
    return (
        f'<!DOCTYPE html>\n<html lang="{language}"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(review.title)} — {escape(title)}</title>{STYLE}</head><body>"
        f"<h1>{escape(review.title)}</h1><p>{escape(review.organiser)}</p>"
        f"{summary_line}<h2>{escape(title)} {review.evaluated_year}</h2>{table}</body></html>\n"
    )


def _other_formats(name: str, present: set[str]) -> list[Html]:
    """Links to the report's PDF, Word and PowerPoint files that exist."""
    return [link(f"{name}.{kind}", caption) for kind, caption in OTHER_FORMATS if f"{name}.{kind}" in present]


def _report_links(name: str, present: set[str]) -> Html:
    """A link to the report, and to each of its other formats that exists."""
    links = link(f"{name}.html", f"{name}.html")
    for other in _other_formats(name, present):
        links = links + Html(" · ") + other
    return links

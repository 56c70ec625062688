"""The review's ``index.html``: the reports' design around the review's title block, the
programme's key figures and a table of every group, sortable by any column, linking each
group's report in every format written."""

from __future__ import annotations

from functools import cache

from tjsl_eval.common.messages import label, text
from tjsl_eval.inputs.params import Review
from tjsl_eval.inputs.workbook import SAMPLE_NAME
from tjsl_eval.methods.metrics import format_change, format_figure
from tjsl_eval.methods.portfolio import PROGRAMME_KEYS
from tjsl_eval.render.blocks import cover, heading, note
from tjsl_eval.render.document import to_html
from tjsl_eval.render.portfolio_report import VERDICT_MARKS
from tjsl_eval.render.report_page import TEMPLATE_FOLDER, TEMPLATE_NAME, page_values, template_file
from tjsl_eval.render.tables import Html, escape, link, sortable_table

COLUMNS = (
    "budget_planned",
    "budget_realized",
    "budget_absorption_pct",
    "indicator_achievement_pct",
    "activity_completion_pct",
    "fgd_open",
)
# The headline's figures: the programme's, but the inputs still open from this review's own FGD (open by
# definition, never "worse"): those raised before it are counted in their place (fgd_open_earlier, overdue).
HEADLINE_KEYS = tuple(key for key in PROGRAMME_KEYS if key != "fgd_open")
FIRST_FORMATS = ("html", "pdf")  # a report's formats in this order, then any other alphabetically
NOT_FORMATS = ("ipynb",)  # the executed notebook is in the folder too, but it is no format of the report


def index_html(
    review: Review, groups: dict[str, dict], programme: dict, failures: dict[str, str], present: set[str]
) -> str:
    """The index page: the review's title block, the programme's key figures (``programme``,
    as in ``metrics.json``), the review-wide files, then a row per group (figures from
    ``metrics.json``) linking its report in each format there is; ``present`` names the files
    in the review's folder. Failed reports (``failures``: report -> message) and missing ones
    are marked instead of linked. The same arguments always give the same bytes."""
    language = review.language
    year = review.evaluated_year
    facts = [(text("index.year", language), str(year)), (text("index.plan_year", language), str(review.plan_year))]
    review_block = {
        "title": review.title,
        "organiser": review.organiser,
        "fgd_date": review.fgd_date.isoformat(),
        "venue": review.venue,
    }
    synthetic = review.workbook == SAMPLE_NAME  # as the params file says (a rerun reads an archived copy)
    body = to_html(cover(text("index.heading", language, year=year), review_block, language, facts, synthetic)).markup
    body += to_html(heading(text("index.figures", language, year=year))).markup + key_figures(programme, language)
    body += to_html(heading(text("index.files", language))).markup + _review_files(failures, present, language)
    body += to_html(heading(text("index.groups", language)) + note(text("index.sort_hint", language))).markup
    body += f'<div class="tjsl-groups">{_groups_table(groups, failures, present, language)}</div>'
    resources = {
        "metadata": {"name": f"{review.title} — {text('index.title', language)}"},
        "report": page_values(language),
        "include_css": lambda name: f'<style type="text/css">\n{template_file(name)}</style>',
        "include_static": template_file,
    }
    return _template().render(resources=resources, body=body)


@cache
def _template():
    """The index page's Jinja template, beside the reports' nbconvert template whose parts it shares."""
    import jinja2

    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATE_FOLDER / TEMPLATE_NAME), keep_trailing_newline=True
    )
    return environment.get_template("index_page.html.j2")


def key_figures(programme: dict, language: str) -> str:
    """A tile per programme figure: this year's value, last year's, the change and whether it
    is for the better (``programme["changes"]``, judged by the figure's direction of good)."""
    before = programme.get("previous_year") or {}
    verdicts = {key: change["verdict"] for key, change in programme.get("changes", {}).items()}
    tiles = []
    for key in HEADLINE_KEYS:
        now, then = programme[key], before.get(key)
        tile = (
            f'<li><span class="tjsl-figure-name">{escape(text(f"metric.{key}", language))}</span>'
            f'<span class="tjsl-figure-value">{escape(format_figure(key, now, language))}</span>'
        )
        if before:
            shown = text("index.before", language, year=before["year"], value=format_figure(key, then, language))
            change = format_change(key, now, then, language)
            shown += f" ({change})" if change != "–" else ""
            if VERDICT_MARKS.get(verdicts.get(key, "tanpa_data")):
                shown += f" {VERDICT_MARKS[verdicts[key]]} {label('verdict', verdicts[key], language)}"
            tile += f'<span class="tjsl-figure-before">{escape(shown)}</span>'
        tiles.append(tile + "</li>")
    return f'<ul class="tjsl-figures">{"".join(tiles)}</ul>'


def _review_files(failures: dict[str, str], present: set[str], language: str) -> str:
    """Links to the portfolio summary (or why it is missing), the FGD register and metrics.csv/json."""
    summary = text("portfolio.link", language)
    if "portfolio.html" in present:
        items = [link("portfolio.html", summary).markup + _other_formats("portfolio", present)]
    else:
        items = [f"{escape(summary)}: {escape(failures.get('portfolio', text('index.missing', language)))}"]
    items += [
        link(name, caption).markup
        for name, caption in (
            ("fgd_register.xlsx", text("portfolio.register", language) + " (xlsx)"),
            ("metrics.csv", "metrics.csv"),
            ("metrics.json", "metrics.json"),
        )
        if name in present
    ]
    return '<ul class="tjsl-files">' + "".join(f"<li>{item}</li>" for item in items) + "</ul>"


def _other_formats(name: str, present: set[str]) -> str:
    """`` (PDF · DOCX)``: links to the report ``name`` in its formats other than HTML."""
    others = [f for f in report_formats(name, present) if f != "html"]
    return f" ({_format_links(name, others).markup})" if others else ""


def _groups_table(groups: dict[str, dict], failures: dict[str, str], present: set[str], language: str) -> str:
    rows = []
    for group_id, figures in groups.items():
        formats = report_formats(group_id, present)
        if group_id in failures:  # sorted by state: written (by format), failed, missing last
            report, state = f"{text('index.failed', language)}: {failures[group_id]}", text("index.failed", language)
        elif not formats:
            report, state = text("index.missing", language), None
        else:
            report, state = _format_links(group_id, formats), " ".join(formats)
        pillar = label("pillar", figures["pillar"], language)
        rows.append(
            [
                (group_id, group_id),
                (figures["name"], figures["name"]),
                (pillar, pillar),
                (report, state),
                *((format_figure(key, figures[key], language), figures[key]) for key in COLUMNS),
            ]
        )
    headers = [
        "ID",
        text("index.group", language),
        text("profile.pillar", language),
        text("index.report", language),
        *(text(f"metric.{key}", language) for key in COLUMNS),
    ]
    return sortable_table(headers, rows, numeric=tuple(range(4, 4 + len(COLUMNS))))


def report_formats(name: str, present: set[str]) -> list[str]:
    """The formats (file extensions) the report ``name`` was written in: ``html`` and ``pdf``
    first, then any other alphabetically, so that a format added later is linked too."""
    prefix = f"{name}."
    found = {
        file[len(prefix) :]
        for file in present
        if file.startswith(prefix) and "." not in file[len(prefix) :] and file[len(prefix) :] not in NOT_FORMATS
    }
    return [f for f in FIRST_FORMATS if f in found] + sorted(found - set(FIRST_FORMATS))


def _format_links(name: str, formats: list[str]) -> Html:
    """``HTML · PDF``: a link to the report ``name`` in each of ``formats``."""
    return Html(" · ".join(link(f"{name}.{extension}", extension.upper()).markup for extension in formats))

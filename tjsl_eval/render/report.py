"""The sections of a group's evaluation report: format-neutral blocks, and escaped HTML for the notebook to show.

``notebooks/group_report.ipynb`` creates a :class:`GroupReport` from its Papermill
parameters and calls one method per section; all logic and text lives here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pandas as pd

from tjsl_eval.common import formatting
from tjsl_eval.common.cache_files import load_cached, save_cached
from tjsl_eval.common.messages import label, text
from tjsl_eval.inputs.params import check_report_parameters
from tjsl_eval.inputs.settings import MethodSettings
from tjsl_eval.inputs.workbook import SAMPLE_NAME, Workbook, load_workbook
from tjsl_eval.methods import dac, evaluation, metrics, sroi
from tjsl_eval.methods import findings as finding_rules
from tjsl_eval.render import charts, evaluator
from tjsl_eval.render.document import (
    Beside,
    Block,
    Chapter,
    Chart,
    Cover,
    Document,
    Goals,
    Heading,
    Judgement,
    Light,
    Paragraph,
    Raw,
    Section,
    Table,
    to_html,
)
from tjsl_eval.render.tables import Html

# The 17 Sustainable Development Goals' official colours, goal 1 first.
SDG_COLOURS = (
    "#e5243b",
    "#dda63a",
    "#4c9f38",
    "#c5192d",
    "#ff3a21",
    "#26bde2",
    "#fcc30b",
    "#a21942",
    "#fd6925",
    "#dd1367",
    "#fd9d24",
    "#bf8b2e",
    "#3f7e44",
    "#0a97d9",
    "#56c02b",
    "#00689d",
    "#19486a",
)
# The reports' own styles, in the first cell's output so that the notebook shows them too;
# the page around them (layout, print) is the nbconvert template's (tjsl_eval/templates).
STYLE = (
    """<style>
.tjsl-scroll{overflow-x:auto;max-width:100%}
.tjsl-table{border-collapse:collapse;margin:0.5em 0 1em;font-size:0.92em}
.tjsl-table th,.tjsl-table td{border-bottom:1px solid #ddd;padding:4px 8px;vertical-align:top;
  text-align:left !important}
.tjsl-table .num{text-align:right !important}.tjsl-table td.num{white-space:nowrap}
.tjsl-table thead{display:table-header-group}
.tjsl-table tr{break-inside:avoid}
.tjsl-table tbody tr:nth-child(odd){background:#f5f7f9}
.tjsl-note{color:#555;font-style:italic}
.tjsl-banner{background:#fff4d6;border:1px solid #e0b84c;padding:6px 10px;margin:8px 0}
.tjsl-chart{max-width:100%;height:auto}
.tjsl-light{padding:1px 8px;border-radius:8px;white-space:nowrap}
.tjsl-hijau{background:#cdebd3}.tjsl-kuning{background:#fbe7a6}.tjsl-merah{background:#f6c1bb}.tjsl-none{background:#e4e4e4}
.tjsl-cover{border-top:6px solid #1f5f8b;padding-top:0.6em;margin-bottom:1em}
.tjsl-cover-review{color:#1f5f8b;font-weight:600;margin:0}
.tjsl-cover h1{margin:0.2em 0 0.6em;line-height:1.2}
.tjsl-facts{display:grid;grid-template-columns:max-content 1fr;gap:4px 16px;margin:0}
.tjsl-facts dt{color:#555}.tjsl-facts dd{margin:0}
@media (max-width:480px){.tjsl-facts{grid-template-columns:1fr;gap:0}.tjsl-facts dd{margin-bottom:6px}}
.tjsl-sdg{display:inline-block;color:#fff;text-shadow:0 0 1px rgba(0,0,0,0.5);border-radius:4px;
  padding:1px 7px;margin:0 4px 4px 0;font-size:0.88em}
.tjsl-sdg b{margin-right:4px}
.tjsl-toc{background:#f4f7fa;border-left:4px solid #1f5f8b;padding:0.2em 1em;margin:1em 0}
.tjsl-toc h2{font-size:1.1em;margin:0.5em 0}.tjsl-toc ol{margin:0.2em 0 0.6em;padding-left:1.6em}
.tjsl-pair{display:flex;flex-wrap:wrap;gap:0 1.5rem;align-items:flex-start}
.tjsl-pair>div{flex:1 1 18rem;min-width:0}.tjsl-pair>div:has(>.tjsl-chart){flex-grow:1.6}
@media print{.tjsl-pair{break-inside:avoid}}
.tjsl-judged{display:block;margin-top:3px}
"""
    + evaluator.STYLE
    + "".join(f".tjsl-sdg-{goal}{{background:{colour}}}\n" for goal, colour in enumerate(SDG_COLOURS, 1))
    + "</style>"
)


# The report's sections, in the order notebooks/group_report.ipynb shows them.
SECTIONS = (
    "title",
    "profile",
    "summary",
    "budget",
    "indicators",
    "activities",
    "ikm",
    "sroi",
    "independence",
    "fgd",
    "dac",
    "findings",
    "plan",
    "conclusion",
)
# The report's chapters (a cell of the notebook each, Heading 1 in the Word report) and their sections.
CHAPTERS = {
    "group": ("profile", "summary"),
    "money": ("budget", "indicators", "activities"),
    "value": ("ikm", "sroi", "independence"),
    "stakeholders": ("fgd", "dac", "findings", "plan", "conclusion"),
}
# The sections the evaluator's narrative and photos for them follow (the conclusion is theirs alone).
EVALUATED_SECTIONS = tuple(key for key in SECTIONS if key not in ("title", "conclusion"))
SUMMARY_KEYS = (*metrics.METRIC_KEYS, *evaluation.METHOD_KEYS)


CRITERION_FIGURES = {
    "efektivitas": "indicator_achievement_pct",
    "dampak": "sroi_ratio",
    "keberlanjutan": "independence_index",
}


def heading(title: str, level: int = 2, section: str | None = None) -> list[Block]:
    """A heading; a section's own (``section``: its key) gets the id the contents link to."""
    return [Heading(title, level, section)]


def sdg_badges(goals: Iterable[int], language: str) -> Goals:
    """The SDG goals, each with its number and name (a coloured badge in the HTML report)."""
    return Goals(tuple((int(goal), label("sdg", str(int(goal)), language)) for goal in goals))


def cover(
    title: str,
    review: Mapping[str, str],
    language: str,
    facts: Sequence[tuple[str, object]] = (),
    synthetic: bool = False,
    sections: Sequence[tuple[str, str]] = (),
) -> list[Block]:
    """A report's cover: the review's title, the report's, organiser, FGD date and venue,
    then ``facts`` (label, value), a banner when the data is the synthetic sample, and the
    contents: a link to each of ``sections`` (key, title)."""
    rows = []
    if review.get("organiser"):
        rows.append((text("cover.organiser", language), review["organiser"]))
    if review.get("fgd_date"):
        fgd = formatting.date(dt.date.fromisoformat(review["fgd_date"]), language)
        rows.append(
            (text("cover.fgd", language), text("cover.fgd_value", language, date=fgd, venue=review.get("venue") or "–"))
        )
    rows += facts
    notice = text("report.synthetic", language) if synthetic else ""
    block = Cover(review.get("title", ""), title, rows, notice, text("contents.title", language), sections)
    return [Raw(STYLE), block]


def banner(message: str) -> list[Block]:
    """A highlighted notice (synthetic data, a small sample)."""
    return [Paragraph(message, "banner")]


def note(message: str) -> list[Block]:
    return [Paragraph(message, "note")]


def chart(figure, description: str) -> list[Block]:
    """``figure`` as a PNG image (the figure is closed afterwards), ``description`` its title."""
    return [Chart(charts.png_bytes(figure), description)]


def side_by_side(*parts: list[Block]) -> list[Block]:
    """``parts`` (a chart, small tables) beside each other where the page is wide enough, one above the other
    on a phone; printed on one page."""
    return [Beside(parts)]


def table_block(
    headers: Sequence[object],
    rows: Sequence[Sequence[object]],
    numeric: Sequence[int] = (),
    footer: Sequence[object] | None = None,
) -> list[Block]:
    """A table; columns at ``numeric`` positions are right-aligned."""
    return [Table(headers, rows, numeric, footer)]


@dataclass
class GroupReport:
    """One group's report for one evaluated year."""

    workbook: Workbook
    group_id: str
    year: int
    language: str = "id"
    plan_year: int | None = None
    review: dict[str, str] = field(default_factory=dict)  # title, organiser, fgd_date, venue
    methods: MethodSettings = field(default_factory=MethodSettings)
    _built: dict[str, Section] = field(default_factory=dict, init=False, repr=False)

    @classmethod
    def from_parameters(
        cls,
        group_id: object,
        year: object,
        workbook: object,
        language: object = "id",
        plan_year: object = None,
        group_data: object = "",
        **review: object,
    ) -> GroupReport:
        """Check the notebook's parameters (Papermill does not) and load the group's data:
        from ``group_data`` (the batch's per-group cache) when given, else from ``workbook``."""
        checked = check_report_parameters(
            group_id=group_id, year=year, workbook=workbook, language=language, plan_year=plan_year, **review
        )
        workbook = checked.pop("workbook")
        loaded = load_cached(group_data, Workbook) if group_data else load_workbook(workbook)
        if checked["group_id"] not in loaded.group_ids:
            raise ValueError(
                f"group_id {checked['group_id']!r} is not in the sheet 'kelompok' of "
                f"{loaded.source}; known ids: {', '.join(loaded.group_ids)}"
            )
        group_id = checked.pop("group_id")
        return cls(workbook=loaded.for_group(group_id), group_id=group_id, **checked)

    def _t(self, key: str, **values: object) -> str:
        return text(key, self.language, **values)

    def _rows(self, sheet: str, year: int | None = None) -> pd.DataFrame:
        return self.workbook.rows(sheet, self.group_id, self.year if year is None else year)

    def _money(self, value: float | None) -> str:
        return formatting.rupiah(value, self.language)

    def _pct(self, value: float | None) -> str:
        return formatting.percent(value, self.language)

    def _date(self, value) -> str:
        return formatting.date(value, self.language)

    def title_blocks(self) -> list[Block]:
        """The report's cover (review, organiser, FGD, group, pillar, SDGs) and its contents."""
        group = self.workbook.group(self.group_id)
        facts = [
            (self._t("cover.group"), f"{group['name']} ({group['group_id']})"),
            (self._t("profile.pillar"), label("pillar", group["pillar"], self.language)),
            (self._t("cover.sdgs"), sdg_badges(group["sdgs"], self.language)),
        ]
        title = self._t("report.title", name=group["name"], year=self.year)
        sections = [(key, self._section_title(key)) for key in SECTIONS if key != "title"]
        return cover(title, self.review, self.language, facts, self.workbook.source == SAMPLE_NAME, sections)

    def _section_title(self, key: str) -> str:
        return self._t(f"section.{key}", year=self.plan_year or self.year + 1)  # only the plan's has a year

    def _heading(self, key: str) -> list[Block]:
        return heading(self._section_title(key), section=key)

    def section(self, key: str) -> Section:
        """The blocks of section ``key`` (one of :data:`SECTIONS`), for any output format; each
        is built once (its charts drawn once), whether shown in the notebook or written to Office."""
        if key not in self._built:
            title = self._t("report.title", name=self.workbook.group(self.group_id)["name"], year=self.year)
            blocks = getattr(self, f"{key}_blocks")()
            if key in EVALUATED_SECTIONS:  # the evaluator's narrative and photos for it follow its figures
                blocks += evaluator.section_blocks(self.workbook, self.group_id, self.year, key, self.language)
            self._built[key] = Section(key, title if key == "title" else self._section_title(key), blocks)
        return self._built[key]

    def document(self) -> Document:
        """The whole report: its cover, then its chapters of sections, in the notebook's order,
        with the group's figures (as in ``metrics.json``)."""
        chapters = [
            Chapter(self._t(f"chapter.{chapter}"), [self.section(key) for key in keys])
            for chapter, keys in CHAPTERS.items()
        ]
        return Document(self.section("title"), chapters, self.language, self._figures)

    def keep_document(self, path: str) -> None:
        """Save :meth:`document` to ``path`` for the batch's Word and PowerPoint writers (nothing when
        ``path`` is empty): the notebook's last cell, so the figures and charts are made once."""
        if path:
            save_cached(self.document(), Path(path))

    # The sections as HTML, one method each for the notebook's cells.
    def title(self) -> Html:
        return to_html(self.section("title").blocks)

    def profile(self) -> Html:
        return to_html(self.section("profile").blocks)

    def summary(self) -> Html:
        return to_html(self.section("summary").blocks)

    def budget(self) -> Html:
        return to_html(self.section("budget").blocks)

    def indicators(self) -> Html:
        return to_html(self.section("indicators").blocks)

    def activities(self) -> Html:
        return to_html(self.section("activities").blocks)

    def ikm(self) -> Html:
        return to_html(self.section("ikm").blocks)

    def sroi(self) -> Html:
        return to_html(self.section("sroi").blocks)

    def independence(self) -> Html:
        return to_html(self.section("independence").blocks)

    def fgd(self) -> Html:
        return to_html(self.section("fgd").blocks)

    def dac(self) -> Html:
        return to_html(self.section("dac").blocks)

    def findings(self) -> Html:
        return to_html(self.section("findings").blocks)

    def plan(self) -> Html:
        return to_html(self.section("plan").blocks)

    def conclusion(self) -> Html:
        return to_html(self.section("conclusion").blocks)

    def profile_blocks(self) -> list[Block]:
        """The group's profile from the sheet ``kelompok``."""
        group = self.workbook.group(self.group_id)
        members = group["members"]
        rows = [
            (self._t("profile.group_id"), group["group_id"]),
            (self._t("profile.name"), group["name"]),
            (self._t("profile.program"), group["program"]),
            (self._t("profile.pillar"), label("pillar", group["pillar"], self.language)),
            (self._t("profile.kelurahan"), group["kelurahan"]),
            (self._t("profile.kecamatan"), group["kecamatan"] if pd.notna(group["kecamatan"]) else "–"),
            (self._t("profile.start_year"), group["start_year"]),
            (self._t("profile.members"), "–" if pd.isna(members) else formatting.number(members, self.language)),
            (self._t("profile.sdgs"), ", ".join(f"SDG {goal}" for goal in group["sdgs"]) or "–"),
        ]
        return self._heading("profile") + table_block([self._t("table.item"), self._t("table.value")], rows)

    def _as_of(self) -> dt.date:
        return evaluation.judged_at(self.review.get("fgd_date"), self.year)

    @cached_property
    def _figures(self) -> dict:
        return evaluation.group_metrics(self.workbook, self.group_id, self.year, self.methods, self._as_of())

    @cached_property
    def _results(self) -> evaluation.MethodResults:
        return evaluation.method_results(self.workbook, self.group_id, self.year, self.methods)

    def summary_blocks(self) -> list[Block]:
        """This year's key figures with last year's beside them."""
        figures = self._figures
        previous = figures["previous_year"] or {}
        rows = [
            (
                self._t(f"metric.{key}"),
                metrics.format_figure(key, figures[key], self.language),
                metrics.format_figure(key, previous.get(key), self.language),
                metrics.format_change(key, figures[key], previous.get(key), self.language),
            )
            for key in SUMMARY_KEYS
        ]
        headers = [self._t("summary.metric"), str(self.year), str(self.year - 1), self._t("summary.change")]
        blocks = self._heading("summary") + table_block(headers, rows, numeric=(1, 2, 3))
        if not previous:
            blocks += note(self._t("summary.no_previous", year=self.year - 1))
        return blocks

    def budget_blocks(self) -> list[Block]:
        """Budget plan vs realization: chart by category and table by item."""
        rows = self._rows("budget")
        blocks = self._heading("budget")
        if rows.empty:
            return blocks + note(self._t("budget.none", year=self.year))
        summary = metrics.budget_summary(rows)
        blocks += chart(charts.budget_chart(summary.by_category, self.language), self._t("chart.budget_title"))
        table = [
            (
                row.item,
                row.category if pd.notna(row.category) else "–",
                self._money(row.planned),
                self._money(row.realized),
                self._pct(metrics.budget_summary(rows.loc[[row.Index]]).absorption_pct),
            )
            for row in rows.itertuples()
        ]
        headers = [
            self._t("budget.item"),
            self._t("budget.category"),
            self._t("budget.planned"),
            self._t("budget.realized"),
            self._t("budget.absorption"),
        ]
        footer = [
            self._t("table.total"),
            "",
            self._money(summary.planned),
            self._money(summary.realized),
            self._pct(summary.absorption_pct),
        ]
        return blocks + table_block(headers, table, numeric=(2, 3, 4), footer=footer)

    def indicators_blocks(self) -> list[Block]:
        """Indicator achievement: chart and table."""
        rows = self._rows("indicators")
        blocks = self._heading("indicators")
        if rows.empty:
            return blocks + note(self._t("indicator.none", year=self.year))
        table = metrics.indicator_table(rows)
        summary = metrics.indicator_summary(rows)
        blocks += chart(charts.indicator_chart(table, self.language), self._t("chart.indicator_title"))
        body = [
            (
                row.indicator,
                label("level", row.level, self.language),
                row.unit,
                label("direction", row.direction, self.language),
                formatting.number(row.baseline, self.language, 2 if _fractional(row.baseline) else 0),
                formatting.number(row.target, self.language, 2 if _fractional(row.target) else 0),
                (
                    formatting.number(row.actual, self.language, 2 if _fractional(row.actual) else 0)
                    if pd.notna(row.actual)
                    else self._t("indicator.not_measured")
                ),
                self._pct(row.achievement_pct),
            )
            for row in table.itertuples()
        ]
        headers = [
            self._t(f"indicator.{key}")
            for key in ("indicator", "level", "unit", "direction", "baseline", "target", "actual", "achievement")
        ]
        blocks += table_block(headers, body, numeric=(4, 5, 6, 7))
        blocks += note(
            self._t(
                "indicator.summary",
                achievement=self._pct(summary.achievement_pct),
                met=summary.met,
                measured=summary.measured,
                total=len(rows),
            )
        )
        return blocks

    def activities_blocks(self) -> list[Block]:
        """The year's activities, their status and the completion rate."""
        rows = self._rows("activities")
        blocks = self._heading("activities")
        if rows.empty:
            return blocks + note(self._t("activity.none", year=self.year))
        body = [
            (
                row.activity,
                self._date(row.planned_start),
                self._date(row.planned_end),
                label("status", row.status, self.language),
                self._pct(row.progress),
            )
            for row in rows.itertuples()
        ]
        headers = [self._t(f"activity.{key}") for key in ("activity", "start", "end", "status", "progress")]
        blocks += table_block(headers, body, numeric=(4,))
        blocks += note(self._t("activity.completion", completion=self._pct(metrics.activity_completion_pct(rows))))
        return blocks

    def fgd_blocks(self) -> list[Block]:
        """Stakeholders' inputs at the FGD about this group, and programme-wide ones, with follow-up."""
        feedback = self.workbook.tables["fgd_feedback"]
        rows = feedback[
            (feedback["year"] == self.year) & ((feedback["group_id"] == self.group_id) | feedback["group_id"].isna())
        ]
        blocks = self._heading("fgd")
        if rows.empty:
            return blocks + note(self._t("fgd.none", year=self.year))
        rows = rows.assign(programme_wide=rows["group_id"].isna()).sort_values(
            ["programme_wide", "fgd_date"], kind="stable"
        )
        body = [
            (
                self._date(row.fgd_date),
                row.stakeholder,
                label("stakeholder_type", row.stakeholder_type, self.language),
                self._t("fgd.programme_wide") if row.programme_wide else self._t("fgd.this_group"),
                label("criterion", row.criterion, self.language),
                row.feedback,
                row.recommendation if pd.notna(row.recommendation) else "–",
                label("follow_up", row.follow_up, self.language),
                self._date(row.due_date),
            )
            for row in rows.itertuples()
        ]
        headers = [
            self._t(f"fgd.{key}")
            for key in (
                "date",
                "stakeholder",
                "type",
                "about",
                "criterion",
                "feedback",
                "recommendation",
                "follow_up",
                "due",
            )
        ]
        inputs, still_open = metrics.fgd_counts(rows[~rows["programme_wide"]])
        blocks += table_block(headers, body)
        blocks += note(self._t("fgd.counts", inputs=inputs, open=still_open))
        return blocks

    def plan_blocks(self) -> list[Block]:
        """Next year's plan (budget, targets, activities) where the workbook has it."""
        year = self.plan_year or self.year + 1
        blocks = self._heading("plan")
        budget, indicators, activities = (self._rows(s, year) for s in ("budget", "indicators", "activities"))
        if budget.empty and indicators.empty and activities.empty:
            return blocks + note(self._t("plan.none", year=year))
        if not budget.empty:
            body = [
                (row.item, row.category if pd.notna(row.category) else "–", self._money(row.planned))
                for row in budget.itertuples()
            ]
            blocks += table_block(
                [self._t("budget.item"), self._t("budget.category"), self._t("budget.planned")],
                body,
                numeric=(2,),
                footer=[self._t("table.total"), "", self._money(float(budget["planned"].sum()))],
            )
        targets = []  # next year's indicator targets and activities, side by side
        if not indicators.empty:
            body = [
                (
                    row.indicator,
                    row.unit,
                    formatting.number(row.target, self.language, 2 if _fractional(row.target) else 0),
                )
                for row in indicators.itertuples()
            ]
            targets.append(
                table_block(
                    [self._t("indicator.indicator"), self._t("indicator.unit"), self._t("indicator.target")],
                    body,
                    numeric=(2,),
                )
            )
        if not activities.empty:
            body = [
                (row.activity, self._date(row.planned_start), self._date(row.planned_end))
                for row in activities.itertuples()
            ]
            targets.append(
                table_block([self._t("activity.activity"), self._t("activity.start"), self._t("activity.end")], body)
            )
        return blocks + (side_by_side(*targets) if targets else [])

    def ikm_blocks(self) -> list[Block]:
        """The community satisfaction index (IKM) with each element's NRR."""
        result = self._results.ikm
        blocks = self._heading("ikm")
        if result.score is None:
            return blocks + note(self._t("ikm.none", year=self.year))
        labels = {element: self._t(f"ikm_element.{element}") for element in result.nrr}
        rows = [
            (
                element.upper(),
                labels[element],
                formatting.number(nrr, self.language, 4) if nrr is not None else self._t("ikm.unanswered"),
            )
            for element, nrr in result.nrr.items()
        ]
        blocks += note(
            self._t(
                "ikm.result",
                score=formatting.number(result.score, self.language, 2),
                label=label("ikm_band", result.band, self.language),
                respondents=result.respondents,
            )
        )
        if result.small_sample:
            minimum = self.methods.ikm_min_respondents
            blocks += banner(self._t("ikm.small_sample", respondents=result.respondents, minimum=minimum))
        blocks += side_by_side(
            chart(charts.ikm_chart(result.nrr, labels, self.language), self._t("chart.ikm_title")),
            table_block([self._t("ikm.element"), self._t("ikm.name"), self._t("ikm.nrr")], rows, numeric=(2,)),
        )
        weights = (
            self._t("ikm.weight_exact")
            if result.weight_rounding == "exact"
            else formatting.number(float(result.weight_rounding), self.language, len(result.weight_rounding) - 2)
        )
        blocks += note(self._t("ikm.method", table=result.band_table, weights=weights))
        return blocks

    def sroi_blocks(self) -> list[Block]:
        """The social return on investment, by outcome, with a sensitivity table."""
        result = self._results.sroi
        blocks = self._heading("sroi")
        if result.status == "no_rows":
            return blocks + note(self._t("sroi.none", year=self.year))
        outcomes = result.outcomes
        rows = [
            (
                row.stakeholder,
                row.outcome,
                formatting.number(row.quantity, self.language, 2 if _fractional(row.quantity) else 0),
                self._money(row.proxy_value),
                row.proxy_source if pd.notna(row.proxy_source) else "–",
                row.duration_years,
                "/".join(
                    formatting.number(v, self.language)
                    for v in (row.deadweight, row.attribution, row.displacement, row.drop_off)
                ),
                self._money(row.impact_year_1),
                self._money(row.present_value),
            )
            for row in outcomes.itertuples()
        ]
        headers = [
            self._t(f"sroi.{key}")
            for key in (
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
        ]
        blocks += chart(charts.sroi_chart(outcomes, self.language), self._t("chart.sroi_title"))
        blocks += table_block(headers, rows, numeric=(2, 3, 5, 6, 7, 8))
        if result.status == "no_investment":
            return blocks + note(self._t("sroi.no_investment", present_value=self._money(result.present_value)))
        totals = [
            (self._t("sroi.total_present_value"), self._money(result.present_value)),
            (self._t("sroi.investment"), self._money(result.investment)),
            (self._t("sroi.ratio"), metrics.format_figure("sroi_ratio", result.ratio, self.language)),
            (self._t("sroi.net_present_value"), self._money(result.net_present_value)),
            (self._t("sroi.net_ratio"), self._pct(result.net_ratio * 100)),
            (
                self._t("sroi.payback"),
                self._t("sroi.months", months=formatting.number(result.payback_months, self.language, 1))
                if result.payback_months is not None
                else "–",
            ),
        ]
        totals_table = table_block([self._t("table.item"), self._t("table.value")], totals, numeric=(1,))
        scenarios = sroi.sensitivity(
            self._rows("sroi"), result.investment, discount_rate=self.methods.sroi_discount_rate_pct / 100
        )
        rows = [
            (
                self._t(
                    f"sroi.scenario.{row.scenario.split('_')[0] if row.scenario.startswith('rate') else row.scenario}",
                    rate=self._pct(row.discount_rate * 100),
                ),
                metrics.format_figure("sroi_ratio", row.ratio, self.language),
            )
            for row in scenarios.itertuples()
        ]
        blocks += side_by_side(
            totals_table, table_block([self._t("sroi.sensitivity"), self._t("sroi.ratio")], rows, numeric=(1,))
        )
        blocks += note(self._t("sroi.explained", rate=self._pct(self.methods.sroi_discount_rate_pct)))
        return blocks

    def independence_blocks(self) -> list[Block]:
        """The independence (kemandirian) index and stage, their trend and the exit strategy."""
        results = self._results
        blocks = self._heading("independence")
        rows = self._rows("independence")
        if rows.empty:
            return blocks + note(self._t("independence.none", year=self.year))
        body = [
            (row.dimension, row.score, row.evidence if pd.notna(row.evidence) else "–") for row in rows.itertuples()
        ]
        blocks += table_block(
            [self._t("independence.dimension"), self._t("independence.score"), self._t("independence.evidence")],
            body,
            numeric=(1,),
        )
        blocks += note(
            self._t(
                "independence.result",
                index=formatting.number(results.independence.index, self.language, 2),
                stage=label("stage", results.independence.stage, self.language),
            )
        )
        trend = results.independence_trend
        if len(trend) > 1:
            blocks += side_by_side(
                chart(
                    charts.independence_chart(trend, self.methods.independence_thresholds, self.language),
                    self._t("chart.independence_title"),
                ),
                table_block(
                    [self._t("chart.year_axis"), self._t("independence.index"), self._t("independence.stage")],
                    [
                        (
                            int(r.year),
                            formatting.number(r.index, self.language, 2),
                            label("stage", r.stage, self.language),
                        )
                        for r in trend.itertuples()
                    ],
                    numeric=(1,),
                ),
            )
        exit_key = "independence.graduate" if results.ready_to_graduate else "independence.not_yet"
        blocks.append(Paragraph(self._t(exit_key), lead=self._t("independence.exit")))
        return blocks

    def dac_blocks(self) -> list[Block]:
        """The six OECD-DAC criteria, each with its traffic light and evidence; where the evaluator judged a
        criterion (sheet ``penilaian_dac``), their light and justification too, marked when they differ."""
        criteria = dac.dac_criteria(self.workbook, self.group_id, self.year, self._results, self.methods, self._as_of())
        judged = any(criterion.judged for criterion in criteria)
        rows = []
        for criterion in criteria:
            row = [
                label("criterion", criterion.name, self.language),
                self._light(criterion.light),
                self._criterion_evidence(criterion),
            ]
            if judged:
                row.append(self._judgement(criterion))
            rows.append(row)
        headers = [self._t("dac.criterion"), self._t("dac.light"), self._t("dac.evidence")]
        blocks = self._heading("dac") + table_block(headers + ([self._t("dac.judged")] if judged else []), rows)
        if any(criterion.judgement_differs for criterion in criteria):
            blocks += note(self._t("dac.judgement_stands"))
        return blocks + note(self._t("dac.thresholds", **self._threshold_texts()))

    def _light(self, light: str | None) -> Light:
        shown = light or "none"
        return Light(shown, label("light", shown, self.language))

    def _judgement(self, criterion: dac.Criterion) -> Judgement | str:
        """The evaluator's light and justification for a criterion (a dash when they did not judge it)."""
        if criterion.judged is None:
            return "–"
        differs = self._t("dac.differs") if criterion.judgement_differs else ""
        return Judgement(self._light(criterion.judged), differs, criterion.justification)

    def conclusion_blocks(self) -> list[Block]:
        """The evaluator's closing conclusion (narrative rows of the section ``kesimpulan``) and its photos."""
        content = evaluator.section_blocks(self.workbook, self.group_id, self.year, "conclusion", self.language)
        return self._heading("conclusion") + (content or note(self._t("evaluator.no_conclusion")))

    def _threshold_texts(self) -> dict[str, str]:
        """The configured DAC thresholds, formatted for :meth:`dac`'s note."""

        def shown(value: float | list[float], decimals: int = 0) -> str:
            if isinstance(value, list):
                return "–".join(formatting.number(v, self.language, decimals) for v in value)
            return formatting.number(value, self.language, decimals)

        limits = self.methods.dac_thresholds
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

    def _criterion_evidence(self, criterion: dac.Criterion) -> str:
        parts = []
        if criterion.name == "efisiensi":
            cost = evaluation.cost_per_member(self.workbook, self.group_id, self.year)
            parts.append(self._t("dac.efficiency", absorption=self._pct(criterion.figure), cost=self._money(cost)))
        elif criterion.name in CRITERION_FIGURES:
            figure = metrics.format_figure(CRITERION_FIGURES[criterion.name], criterion.figure, self.language)
            parts.append(self._t(f"dac.{criterion.name}", figure=figure))
        parts += [
            f"{row.stakeholder}: {row.feedback} ({label('follow_up', row.follow_up, self.language)})"
            for row in criterion.inputs.itertuples()
        ]
        return "; ".join(parts) or self._t("dac.no_evidence")

    def findings_blocks(self) -> list[Block]:
        """Findings and recommendations, most severe first, each naming its evidence."""
        found = finding_rules.findings(self.workbook, self.group_id, self.year, self._results, self._as_of())
        blocks = self._heading("findings")
        if not found:
            return blocks + note(self._t("finding.none"))
        rows = [
            (label("severity", f.severity, self.language), self._finding_text(f), self._t(f"recommendation.{f.kind}"))
            for f in found
        ]
        return blocks + table_block(
            [self._t("finding.severity"), self._t("finding.finding"), self._t("finding.recommendation")], rows
        )

    def _finding_text(self, finding: finding_rules.Finding) -> str:
        values = {}
        for key, value in finding.evidence.items():
            if key in ("planned", "realized", "present_value", "investment"):
                values[key] = self._money(value)
            elif key.endswith("_pct"):
                values[key] = self._pct(value)
            elif key == "ratio":
                values[key] = metrics.format_figure("sroi_ratio", value, self.language)
            elif key in ("score", "index", "index_before", "target", "actual"):
                values[key] = formatting.number(value, self.language, 2 if _fractional(value) else 0)
            elif key in ("stage", "stage_before"):
                values[key] = label("stage", value, self.language)
            elif key in ("light", "judged"):
                values[key] = label("light", value or "none", self.language)
            elif key == "criterion":
                values[key] = label("criterion", value, self.language)
            elif key == "due_date":
                values[key] = self._date(pd.Timestamp(value))
            elif key == "follow_up":
                values[key] = label("follow_up", value, self.language)
            else:
                values[key] = value
        return self._t(f"finding.{finding.kind}", **values)


def _fractional(value: float | None) -> bool:
    return value is not None and pd.notna(value) and not float(value).is_integer()

"""The sections of the programme's portfolio summary: format-neutral blocks, and escaped HTML for the notebook.

``notebooks/portfolio_summary.ipynb`` creates a :class:`PortfolioReport` from its
Papermill parameters and calls one method per section.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pandas as pd

from tjsl_eval.common import formatting
from tjsl_eval.common.cache_files import ENTRIES_CACHE, WORKBOOK_CACHE, load_cached, save_cached
from tjsl_eval.common.messages import label, text
from tjsl_eval.inputs.params import check_portfolio_parameters
from tjsl_eval.inputs.settings import MethodSettings
from tjsl_eval.inputs.workbook import SAMPLE_NAME, Workbook, load_workbook
from tjsl_eval.methods import approval, metrics, portfolio, yoy
from tjsl_eval.methods.evaluation import judged_at
from tjsl_eval.methods.findings import SEVERITIES
from tjsl_eval.methods.metrics import format_change, format_figure
from tjsl_eval.render import charts, closing, evaluator, register
from tjsl_eval.render.blocks import chart, cover, draft_mark, heading, note, sdg_badges, table_block
from tjsl_eval.render.brand_colours import DEFAULT_CHART_STYLE, ChartStyle, chart_style
from tjsl_eval.render.document import (
    Block,
    Chapter,
    Document,
    Light,
    Link,
    Paragraph,
    Raw,
    Section,
    Sortable,
    Table,
    to_html,
)
from tjsl_eval.render.group import executive, findings, method
from tjsl_eval.render.report_page import template_file
from tjsl_eval.render.tables import Html, escape

# The summary's sections, in the order notebooks/portfolio_summary.ipynb shows them.
SECTIONS = (
    "title",
    "executive_summary",
    "numbers",
    "narrative",
    "attention",
    "groups_table",
    "rankings",
    "trends",
    "sdgs_and_distributions",
    "fgd_register",
    "method",
    "glossary",
    "signoff",
)
# The summary's chapters (a cell of the notebook each, Heading 1 in the Word report) and their sections.
CHAPTERS = {
    "summary": ("executive_summary",),
    "glance": ("numbers", "narrative", "attention"),
    "groups": ("groups_table", "rankings", "trends"),
    "follow_up": ("sdgs_and_distributions", "fgd_register"),
    "closing": ("method", "glossary", "signoff"),
}
SECTION_TITLES = {
    "executive_summary": "section.executive_summary",
    "method": "section.method",
    "glossary": "section.glossary",
    "signoff": "section.signoff",
    "numbers": "portfolio.numbers",
    "narrative": "portfolio.narrative",
    "attention": "portfolio.attention",
    "groups_table": "portfolio.groups",
    "rankings": "portfolio.rankings",
    "trends": "portfolio.trends",
    "sdgs_and_distributions": "portfolio.sdgs",
    "fgd_register": "portfolio.register",
}
TABLE_KEYS = (*metrics.HEADLINE_KEYS, "fgd_open")
RANKED_KEYS = metrics.HEADLINE_KEYS
TREND_KEYS = ("budget_absorption_pct", "indicator_achievement_pct", "ikm_score", "independence_index")
VERDICT_MARKS = {"lebih_baik": "▲", "lebih_buruk": "▼", "tetap": "=", "berubah": "~", "baru": "★", "tanpa_data": ""}
CAPTIONS = "evaluation_report.portfolio.caption"  # the catalogue's captions of the summary's tables
SORT_SCRIPT = f"<script>\n{template_file('static/sort.js')}</script>"  # the index page's too


@dataclass
class PortfolioReport:
    """The programme's summary for one evaluated year."""

    workbook: Workbook
    year: int
    language: str = "id"
    output_folder: str = ""  # its group reports are linked, unless linked_groups says which are
    review: dict[str, str] = field(default_factory=dict)
    methods: MethodSettings = field(default_factory=MethodSettings)
    precomputed: dict[int, dict[str, dict]] | None = None  # every group's figures by year, from the batch
    linked_groups: tuple[str, ...] | None = None  # the groups whose reports the batch makes or has made
    chart_style: ChartStyle = DEFAULT_CHART_STYLE  # the charts' colours and font: the brand's, else the reports' own
    _built: dict[str, Section] = field(default_factory=dict, init=False, repr=False)

    @classmethod
    def from_parameters(
        cls,
        year: object,
        workbook: object,
        language: object = "id",
        output_folder: object = "",
        methods: object = None,
        cache_folder: object = "",
        linked_groups: object = None,
        **review: object,
    ) -> PortfolioReport:
        """Check the notebook's parameters and load the workbook, from the batch's
        ``cache_folder`` when given (the validated tables and every group's figures); ``review`` as for
        :meth:`GroupReport.from_parameters <tjsl_eval.render.report.GroupReport.from_parameters>`."""
        checked = check_portfolio_parameters(
            year=year,
            workbook=workbook,
            language=language,
            output_folder=output_folder,
            methods=methods,
            linked_groups=linked_groups,
            **review,
        )
        workbook = checked.pop("workbook")
        checked["chart_style"] = chart_style(checked.pop("brand"))
        if cache_folder:
            folder = Path(str(cache_folder))
            return cls(
                workbook=load_cached(folder / WORKBOOK_CACHE, Workbook),
                precomputed=load_cached(folder / ENTRIES_CACHE, dict),
                **checked,
            )
        return cls(workbook=load_workbook(workbook), **checked)

    def _t(self, key: str, **values: object) -> str:
        return text(key, self.language, **values)

    @property
    def as_of(self) -> dt.date:
        return judged_at(self.review.get("fgd_date"), self.year)

    @cached_property
    def _yearly(self) -> dict[int, dict[str, dict]]:
        if self.precomputed is not None:
            return self.precomputed
        years = portfolio.entry_years(self.workbook, self.year)
        return portfolio.yearly_entries(self.workbook, years, self.methods, self.as_of)

    @property
    def entries(self) -> dict[str, dict]:
        return self._yearly.get(self.year, {})

    def _group_link(self, group_id: str) -> Link | str:
        name = self.workbook.group(group_id)["name"]
        if self.linked_groups is not None:
            linked = group_id in self.linked_groups
        else:
            linked = bool(self.output_folder) and (Path(self.output_folder) / f"{group_id}.html").exists()
        if linked:
            return Link(f"{group_id}.html", name)
        return name

    def title_blocks(self) -> list[Block]:
        """The summary's cover (review, organiser, FGD, the SDGs the groups support) and its contents."""
        goals = portfolio.sdg_coverage(self.workbook, list(self.entries))["goal"]
        facts = [(self._t("cover.sdgs"), sdg_badges(goals, self.language))]
        title = self._t("portfolio.title", year=self.year)
        facts.append((self._t("evaluation_report.cover.report_date"), self.report_date()))
        sections = [(key, self._t(SECTION_TITLES[key])) for key in SECTIONS if key != "title"]
        blocks = cover(title, self.review, self.language, facts, self.workbook.source == SAMPLE_NAME, sections)
        if self.draft:  # above the cover, the first thing a reader sees
            blocks[-1:-1] = draft_mark(self._t("evaluation_report.cover.draft"))
        return blocks

    def _heading(self, key: str) -> list[Block]:
        return heading(self._t(SECTION_TITLES[key]), section=key)

    def section(self, key: str) -> Section:
        """The blocks of section ``key`` (one of :data:`SECTIONS`), for any output format, built once."""
        if key not in self._built:
            title = self._t("portfolio.title", year=self.year) if key == "title" else self._t(SECTION_TITLES[key])
            self._built[key] = Section(key, title, getattr(self, f"{key}_blocks")())
        return self._built[key]

    def document(self) -> Document:
        """The whole summary: its cover, then its chapters of sections, in the notebook's order."""
        chapters = [
            Chapter(self._t(f"portfolio_chapter.{chapter}"), [self.section(key) for key in keys])
            for chapter, keys in CHAPTERS.items()
        ]
        programme = portfolio.programme_figures(self.workbook, self.year, self.entries)
        before = self._yearly.get(self.year - 1)
        previous = portfolio.programme_figures(self.workbook, self.year - 1, before) if before else None
        figures = {**programme, "previous_year": previous, "group_entries": self.entries}  # the deck's charts' data
        return Document(self.section("title"), chapters, self.language, figures, self.draft, self.report_date())

    @cached_property
    def approvals(self) -> list[dict]:
        """The whole review's sign-off rows (blank group id) for the year."""
        return approval.approvals(self.workbook, None, self.year)

    @property
    def draft(self) -> bool:
        return not approval.is_approved(self.approvals)

    def report_date(self) -> str:
        """The summary's date, formatted: the approval date, else the review's report date, else the FGD date."""
        configured = self.review.get("report_date")
        dated = approval.report_date(
            self.approvals, dt.date.fromisoformat(configured) if configured else None, self.as_of
        )
        return formatting.date(dt.date.fromisoformat(dated), self.language)

    def keep_document(self, path: str) -> None:
        """Save :meth:`document` to ``path`` for the batch's Word and PowerPoint writers (nothing when empty)."""
        if path:
            save_cached(self.document(), Path(path))

    # The sections as HTML, one method each for the notebook's cells.
    def title(self) -> Html:
        return to_html(self.section("title").blocks)

    def executive_summary(self) -> Html:
        return to_html(self.section("executive_summary").blocks)

    def method(self) -> Html:
        return to_html(self.section("method").blocks)

    def glossary(self) -> Html:
        return to_html(self.section("glossary").blocks)

    def signoff(self) -> Html:
        return to_html(self.section("signoff").blocks)

    def numbers(self) -> Html:
        return to_html(self.section("numbers").blocks)

    def narrative(self) -> Html:
        return to_html(self.section("narrative").blocks)

    def attention(self) -> Html:
        return to_html(self.section("attention").blocks)

    def groups_table(self) -> Html:
        return to_html(self.section("groups_table").blocks)

    def rankings(self) -> Html:
        return to_html(self.section("rankings").blocks)

    def trends(self) -> Html:
        return to_html(self.section("trends").blocks)

    def sdgs_and_distributions(self) -> Html:
        return to_html(self.section("sdgs_and_distributions").blocks)

    def fgd_register(self) -> Html:
        return to_html(self.section("fgd_register").blocks)

    def executive_summary_blocks(self) -> list[Block]:
        """The programme at a glance for the first page: the groups by overall status, the key figures against
        target and last year, the three most pressing recommendations with owner and deadline."""
        blocks = self._heading("executive_summary")
        lights = [(entry.get("status") or {}).get("light") for entry in self.entries.values()]
        rows = [
            (Light(light, label("light", light, self.language)), lights.count(light))
            for light in ("merah", "kuning", "hijau")
            if light in lights
        ]
        if rows:
            headers = [self._t("evaluation_report.status.light"), self._t("evaluation_report.portfolio.groups")]
            caption = self._t("evaluation_report.portfolio.status_caption")
            blocks += table_block(headers, rows, numeric=(1,), caption=caption)
        now = portfolio.programme_figures(self.workbook, self.year, self.entries)
        before_entries = self._yearly.get(self.year - 1)
        before = portfolio.programme_figures(self.workbook, self.year - 1, before_entries) if before_entries else {}
        blocks += heading(self._t("evaluation_report.messages.title"), 3)
        rows = executive.key_figures(now, before, self.methods, self.language)
        blocks += executive.key_figure_table(rows, self.year, self.language)
        blocks += heading(self._t("evaluation_report.top.title"), 3)
        found = [(group_id, f) for group_id, entry in self.entries.items() for f in entry.get("findings") or []]
        found.sort(key=lambda item: SEVERITIES.index(item[1]["severity"]))
        if not found:
            return blocks + note(self._t("evaluation_report.top.none"))
        body = [
            (
                self._group_link(group_id),
                f["code"],
                findings.recommendation(f, self.language),
                findings.owner(f, self.language),
                findings.deadline(f, self.language),
            )
            for group_id, f in found[: executive.TOP]
        ]
        headers = [
            self._t("cover.group"),
            self._t("evaluation_report.finding.code"),
            self._t("finding.recommendation"),
            self._t("evaluation_report.finding.owner"),
            self._t("evaluation_report.finding.deadline"),
        ]
        blocks += table_block(headers, body, caption=self._t("evaluation_report.top.caption"))
        rate, overdue = now.get("recommendations_followed_up_pct"), now.get("recommendations_overdue")
        if rate is not None or overdue is not None:
            shown = formatting.percent(rate, self.language)
            blocks += note(self._t("evaluation_report.follow_up.rate", rate=shown, overdue=overdue or 0))
        return blocks

    def method_blocks(self) -> list[Block]:
        """How the programme's evaluation was made: period and FGD, the data used, the IKM samples against the
        Krejcie–Morgan minimum, and the limitations found in the groups' data."""
        fgd = self.review.get("fgd_date")
        shown_fgd = formatting.date(dt.date.fromisoformat(fgd), self.language) if fgd else "–"
        period = self._t("evaluation_report.method.period", year=self.year, fgd=shown_fgd, date=self.report_date())
        blocks = self._heading("method") + [Paragraph(period)]
        counts = []
        for sheet in method.SOURCES:
            table = self.workbook.tables.get(sheet)
            if table is not None and "year" in table and (table["year"] == self.year).any():
                counts.append((self._t(f"evaluation_report.source.{sheet}"), int((table["year"] == self.year).sum())))
        headers = [self._t("evaluation_report.method.source"), self._t("evaluation_report.method.rows")]
        caption = self._t("evaluation_report.portfolio.sources_caption")
        blocks += heading(self._t("evaluation_report.method.sources"), 3)
        blocks += table_block(headers, counts, numeric=(1,), caption=caption)
        names = {group_id: self.workbook.group(group_id)["name"] for group_id in self.entries}
        samples = {group_id: entry.get("ikm_sample") for group_id, entry in self.entries.items()}
        surveyed = [group_id for group_id, sample in samples.items() if sample]
        adequate = [group_id for group_id in surveyed if samples[group_id]["adequate"]]
        blocks.append(
            Paragraph(self._t("evaluation_report.portfolio.samples", adequate=len(adequate), surveyed=len(surveyed)))
        )
        limits = []
        for key, groups in (
            ("inadequate", [g for g in surveyed if g not in adequate]),
            ("no_survey", [g for g, entry in self.entries.items() if entry.get("ikm_score") is None]),
            ("no_sroi", [g for g, entry in self.entries.items() if entry.get("sroi_ratio") is None]),
        ):
            if groups:
                listed = ", ".join(names[g] for g in groups)
                limits.append((self._t(f"evaluation_report.portfolio.{key}", year=self.year, names=listed),))
        blocks += heading(self._t("evaluation_report.method.limits"), 3)
        if not limits:
            return blocks + note(self._t("evaluation_report.method.no_limits"))
        caption = self._t("evaluation_report.method.limits_caption")
        return blocks + table_block([self._t("evaluation_report.method.limit")], limits, caption=caption)

    def glossary_blocks(self) -> list[Block]:
        """The terms a government reader meets in the summary, explained."""
        return self._heading("glossary") + closing.glossary_table(self.language)

    def signoff_blocks(self) -> list[Block]:
        """Who prepared, reviewed and approved the summary, with a space to sign; whether it is still a draft."""
        return self._heading("signoff") + closing.signoff_table(self.approvals, self.draft, self.language)

    def numbers_blocks(self) -> list[Block]:
        """The programme in numbers, this year against last year, and by pillar and kelurahan."""
        now = portfolio.programme_figures(self.workbook, self.year, self.entries)
        before_entries = self._yearly.get(self.year - 1)
        before = portfolio.programme_figures(self.workbook, self.year - 1, before_entries) if before_entries else None
        changes = portfolio.programme_changes(now, before)
        rows = [
            (
                self._t(f"metric.{key}"),
                format_figure(key, now[key], self.language),
                format_figure(key, None if before is None else before[key], self.language),
                format_change(key, now[key], None if before is None else before[key], self.language),
                label("direction_of_good", str(portfolio.PROGRAMME_DIRECTIONS.get(key)), self.language),
                self._verdict(changes[key].verdict),
            )
            for key in portfolio.PROGRAMME_KEYS
        ]
        headers = [
            self._t("summary.metric"),
            str(self.year),
            str(self.year - 1),
            self._t("summary.change"),
            self._t("portfolio.direction"),
            self._t("portfolio.verdict"),
        ]
        caption = self._t(f"{CAPTIONS}.numbers", year=self.year, previous=self.year - 1)
        blocks = self._heading("numbers") + table_block(headers, rows, numeric=(1, 2, 3), caption=caption)
        blocks += note(self._t("portfolio.programme_note"))
        for column in ("pillar", "kelurahan"):
            table = portfolio.breakdown(self.workbook, self.entries, column)
            body = [
                (
                    label("pillar", row[column], self.language) if column == "pillar" else row[column],
                    row["groups"],
                    formatting.number(row["members"], self.language),
                    format_figure("budget_planned", row["budget_planned"], self.language),
                    format_figure("budget_realized", row["budget_realized"], self.language),
                    format_figure("budget_absorption_pct", row["budget_absorption_pct"], self.language),
                )
                for _, row in table.iterrows()
            ]
            blocks += heading(self._t(f"portfolio.by_{column}"), 3) + table_block(
                [
                    self._t(f"profile.{column}"),
                    self._t("metric.groups"),
                    self._t("metric.members"),
                    self._t("metric.budget_planned"),
                    self._t("metric.budget_realized"),
                    self._t("metric.budget_absorption_pct"),
                ],
                body,
                numeric=(1, 2, 3, 4, 5),
                caption=self._t(f"portfolio.by_{column}"),
            )
        return blocks

    def _verdict(self, verdict: str) -> str:
        return f"{VERDICT_MARKS[verdict]} {label('verdict', verdict, self.language)}".strip()

    def narrative_blocks(self) -> list[Block]:
        """The evaluator's narrative about the whole programme (blank group id), in workbook order, each under the
        title of the part of the report it is about."""
        blocks = self._heading("narrative")
        entries = evaluator.narrative(self.workbook, None, self.year)
        if not entries:
            return blocks + note(self._t("portfolio.no_narrative", year=self.year))
        shown = None
        for entry in entries:
            if entry.section != shown:
                blocks += heading(self._t(f"section.{entry.section}", year=self.year + 1), 3)
                shown = entry.section
            blocks += evaluator.narrative_blocks([entry], self.language, labelled=False)
        return blocks

    def attention_blocks(self) -> list[Block]:
        """The groups that need attention, the most severe findings first."""
        blocks = self._heading("attention")
        order = portfolio.attention_order(self.entries)
        if not order:
            return blocks + note(self._t("finding.none"))
        rows = []
        for group_id in order:
            found = self.entries[group_id]["findings"]
            counts = ", ".join(
                f"{sum(f['severity'] == s for f in found)} {label('severity', s, self.language)}"
                for s in ("tinggi", "sedang", "rendah")
                if any(f["severity"] == s for f in found)
            )
            codes = "; ".join(dict.fromkeys(self._t(f"findings.kind.{f['kind']}") for f in found))
            rows.append((self._group_link(group_id), counts, codes))
        headers = [self._t("index.group"), self._t("portfolio.findings"), self._t("portfolio.about")]
        return blocks + table_block(headers, rows, caption=self._t(f"{CAPTIONS}.attention"))

    def groups_table_blocks(self) -> list[Block]:
        """Every group's key figures, last year beside this year, changes marked; sortable."""
        headers = [
            self._t("index.group"),
            self._t("profile.pillar"),
            self._t("profile.kelurahan"),
            *(self._t(f"metric.{key}") for key in TABLE_KEYS),
            self._t("portfolio.better_worse"),
            self._t("portfolio.photos"),
        ]
        body = []
        groups = self.workbook.tables["groups"].set_index("group_id")
        photos = evaluator.photo_counts(self.workbook, self.year)
        for group_id, entry in self.entries.items():
            changes = yoy.changes(entry, entry["previous_year"])
            cells = [
                Sortable(self._group_link(group_id), groups.loc[group_id, "name"]),
                Sortable(label("pillar", entry["pillar"], self.language), entry["pillar"]),
                Sortable(groups.loc[group_id, "kelurahan"], groups.loc[group_id, "kelurahan"]),
            ]
            for key in TABLE_KEYS:
                shown = format_figure(key, entry[key], self.language)
                previous = entry["previous_year"][key] if entry["previous_year"] else None
                if entry["previous_year"] is not None:
                    shown += f" ({format_figure(key, previous, self.language)}) {VERDICT_MARKS[changes[key].verdict]}"
                else:
                    shown += f" {VERDICT_MARKS['baru']}"
                cells.append(Sortable(shown.strip(), entry[key]))
            better, worse = yoy.score(changes)
            cells.append(
                Sortable(
                    self._t("portfolio.new") if entry["previous_year"] is None else f"▲{better} ▼{worse}",
                    better - worse,
                )
            )
            count = photos.get(group_id, 0)
            cells.append(Sortable(formatting.number(count, self.language), count))
            body.append(cells)
        legend = ", ".join(f"{mark} {label('verdict', v, self.language)}" for v, mark in VERDICT_MARKS.items() if mark)
        return [
            *self._heading("groups_table"),
            Table(headers, body, sortable=True, caption=self._t(f"{CAPTIONS}.groups")),
            *note(self._t("portfolio.groups_note", legend=legend)),
            # a page can be clicked, paper cannot: the hint is left out of print (print.css)
            Raw(f'<p class="tjsl-note tjsl-screen-only">{escape(self._t("index.sort_hint"))}</p>'),
            Raw(SORT_SCRIPT),
        ]

    def rankings_blocks(self) -> list[Block]:
        """A chart per key metric ranking the groups."""
        blocks = self._heading("rankings")
        names = self.workbook.tables["groups"].set_index("group_id")["name"]
        for key in RANKED_KEYS:
            values = pd.Series(
                {names[g]: e[key] for g, e in self.entries.items() if e[key] is not None}, dtype="float64"
            )
            if values.empty:
                continue
            title = self._t(f"metric.{key}")
            figure = charts.ranking_chart(values, title, self._t(f"unit.{key}"), self.language, self.chart_style)
            blocks += chart(figure, title)
        return blocks

    def trends_blocks(self) -> list[Block]:
        """Multi-year trends of the programme's figures (where three or more years exist)."""
        years = sorted(y for y, entries in self._yearly.items() if entries)
        blocks = self._heading("trends")
        if len(years) < 3:
            return blocks + note(self._t("portfolio.no_trend", years=len(years)))
        figures = pd.DataFrame([portfolio.programme_figures(self.workbook, y, self._yearly[y]) for y in years])
        for key in TREND_KEYS:
            title = self._t(f"metric.{key}")
            blocks += chart(
                charts.trend_chart(
                    figures["year"],
                    figures[key],
                    title,
                    self._t(f"unit.{key}"),
                    self._t("chart.year_axis"),
                    self.language,
                    self.chart_style,
                ),
                title,
            )
        return blocks

    def sdgs_and_distributions_blocks(self) -> list[Block]:
        """SDG goals covered and by how many groups; IKM bands and independence stages."""
        coverage = portfolio.sdg_coverage(self.workbook, list(self.entries))
        blocks = self._heading("sdgs_and_distributions")
        blocks += table_block(
            [self._t("portfolio.sdg"), self._t("metric.groups")],
            [(sdg_badges([row.goal], self.language), row.groups) for row in coverage.itertuples()],
            numeric=(1,),
            caption=self._t(f"{CAPTIONS}.sdgs"),
        )
        for key, kind, categories in (
            ("ikm_band", "ikm_band", ("A", "B", "C", "D")),
            ("independence_stage", "stage", ("mandiri", "maju", "berkembang", "rintisan")),
        ):
            counts = portfolio.distribution(self.entries, key, categories)
            rows = [
                (label(kind, c, self.language) if c else self._t("portfolio.no_figure"), n) for c, n in counts.items()
            ]
            blocks += heading(self._t(f"metric.{key}"), 3) + table_block(
                [self._t(f"metric.{key}"), self._t("metric.groups")],
                rows,
                numeric=(1,),
                caption=self._t(f"metric.{key}"),
            )
        return blocks

    def fgd_register_blocks(self) -> list[Block]:
        """Every stakeholder input across groups and years, with its follow-up and whether it is overdue."""
        table = register.fgd_register(self.workbook, self.year, self.as_of)
        blocks = self._heading("fgd_register")
        if table.empty:
            return blocks + note(self._t("fgd.none", year=self.year))
        rows = [
            (
                int(r.year),
                formatting.date(r.fgd_date, self.language),
                r.stakeholder,
                self._t("fgd.programme_wide") if pd.isna(r.group_id) else r.group_name,
                label("criterion", r.criterion, self.language),
                r.feedback,
                r.recommendation if pd.notna(r.recommendation) else "–",
                label("follow_up", r.follow_up, self.language),
                formatting.date(r.due_date, self.language),
                self._t("register.yes") if r.overdue else "",
                self._t("register.yes") if r.carried_over else "",
            )
            for r in table.itertuples()
        ]
        headers = [self._t(f"register.{column}") for column in register.SHOWN_COLUMNS]
        blocks += note(self._t("portfolio.register_note", date=formatting.date(self.as_of, self.language)))
        blocks += table_block(headers, rows, caption=self._t(f"{CAPTIONS}.register"))
        for column in ("stakeholder", "criterion"):
            counts = register.counts_by(table, column)
            body = [
                (
                    label("criterion", r[column], self.language) if column == "criterion" else r[column],
                    r["inputs"],
                    r["open"],
                    r["overdue"],
                )
                for _, r in counts.iterrows()
            ]
            blocks += heading(self._t(f"portfolio.by_{column}"), 3) + table_block(
                [
                    self._t(f"register.{column}"),
                    self._t("metric.fgd_inputs"),
                    self._t("portfolio.open"),
                    self._t("register.overdue"),
                ],
                body,
                numeric=(1, 2, 3),
                caption=self._t(f"portfolio.by_{column}"),
            )
        return blocks

"""The explorer's widgets: filters and a year, then four tabs (programme, group, comparison,
SROI what-if). Every figure comes from :mod:`tjsl_eval.methods.explorer` and the reports'
sections; every text from the workbook reaches the HTML widgets escaped."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import quote

import ipywidgets as widgets
import pandas as pd

from tjsl_eval.common import formatting
from tjsl_eval.common.messages import label, text
from tjsl_eval.common.problems import InputError
from tjsl_eval.explore.session import (
    RESULT_FIGURES,
    Session,
    export_scenario,
    group_label,
    open_session,
    scenario_label,
)
from tjsl_eval.methods import explorer
from tjsl_eval.methods.metrics import format_change, format_figure
from tjsl_eval.methods.portfolio import PROGRAMME_KEYS
from tjsl_eval.render import charts
from tjsl_eval.render.blocks import STYLE, chart, note
from tjsl_eval.render.brand_colours import chart_style
from tjsl_eval.render.document import to_html
from tjsl_eval.render.html_charts import bar_chart
from tjsl_eval.render.portfolio_report import VERDICT_MARKS
from tjsl_eval.render.report import GroupReport
from tjsl_eval.render.tables import Html, escape, html_table, link

# Where reports and exports are served from: make dashboard sets these for Voila's file route.
FILES_URL, FILES_ROOT = "TJSL_EVAL_FILES_URL", "TJSL_EVAL_FILES_ROOT"
SLIDERS = {  # adjustment -> (minimum, maximum, step)
    "deadweight": (0, 100, 1),
    "attribution": (0, 100, 1),
    "displacement": (0, 100, 1),
    "drop_off": (0, 100, 1),
    "duration_years": (1, 10, 1),
}
WIDE = widgets.Layout(width="auto")
GROUP_TAB = 1  # the group view, drawn when its tab is open (its charts take a moment)


def open_explorer(
    params: str | None = None,
    workbook: str | None = None,
    year: int | None = None,
    language: str | None = None,
    output_folder: str | None = None,
) -> Explorer | Html:
    """The explorer of a review (a params file, or a workbook and year, its reports in
    ``output_folder``: by default ``outputs/explorer-<workbook name>`` under the served folder
    of ``make dashboard``, else under the current folder); a bad params file or workbook gives
    its list of problems instead of a traceback."""
    if params is None and workbook is not None and output_folder is None:
        output_folder = Path(os.environ.get(FILES_ROOT, ".")) / "outputs" / f"explorer-{Path(str(workbook)).stem}"
    try:
        return Explorer(open_session(params, workbook, year, language, output_folder))
    except (InputError, ValueError) as error:
        return Html(f"<pre>{escape(error)}</pre>")


def file_link(path: Path, caption: str) -> Html:
    """A link to a file the explorer wrote: through the server's file route when it is set
    (``make dashboard``), else as a local ``file:`` address."""
    base, root = os.environ.get(FILES_URL), os.environ.get(FILES_ROOT)
    if base and root and path.resolve().is_relative_to(Path(root).resolve()):
        href = base + quote(path.resolve().relative_to(Path(root).resolve()).as_posix())
    else:
        href = path.resolve().as_uri()
    return Html(link(href, caption).markup.replace("<a ", '<a target="_blank" ', 1))


class Explorer:
    """The explorer of one session; displayed as its :attr:`app`."""

    def __init__(self, session: Session):
        self.session, self.figures, self.language = session, session.figures, session.language
        self.chart_style = chart_style(session.review.chart_brand)  # the charts as in the review's reports
        workbook = session.workbook
        choices = explorer.filter_choices(workbook)
        years = [y for y in self.figures.years if y <= session.review.evaluated_year]
        group_options = [(group_label(workbook, g), g) for g in choices["groups"]]
        self.year = widgets.Dropdown(options=years, value=session.review.evaluated_year, description=self._t("year"))
        self.pillars = self._multiple("pillar", [(label("pillar", p, self.language), p) for p in choices["pillars"]])
        self.kelurahan = self._multiple("kelurahan", [(k, k) for k in choices["kelurahan"]])
        self.sdgs = self._multiple("sdg", [(f"SDG {g}", g) for g in choices["sdgs"]])
        self.groups = self._multiple("group", group_options)
        self.selected = widgets.HTML()
        self.key_figures = widgets.HTML().add_class("tjsl-key-figures")
        sortable = [(self._sort_label(key), key) for key in explorer.SORTABLE]
        self.sort_by = widgets.Dropdown(options=sortable, value="name", description=self._t("sort_by"))
        self.descending = widgets.Checkbox(value=False, description=self._t("descending"))
        self.table = widgets.HTML().add_class("tjsl-group-table")
        self.group = widgets.Dropdown(options=group_options, description=self._t("group"), layout=WIDE)
        self.report_button = widgets.Button(description=self._t("make_report"), icon="file", layout=WIDE)
        self.report_status = widgets.HTML()
        self.group_view = widgets.HTML().add_class("tjsl-group-view")
        self.compared = widgets.SelectMultiple(
            options=group_options, value=tuple(choices["groups"][:2]), rows=6, description=self._t("group"), layout=WIDE
        )
        self.comparison = widgets.HTML().add_class("tjsl-comparison")
        self._build_what_if()
        self._group_shown: tuple[str, int] | None = None  # the group and year the group view shows
        self.app = self._layout()
        self._connect()
        self.refresh()

    def _t(self, key: str, **values: object) -> str:
        return text(f"explorer.{key}", self.language, **values)

    def _multiple(self, name: str, options: list[tuple[str, object]]) -> widgets.SelectMultiple:
        return widgets.SelectMultiple(options=options, rows=min(5, max(len(options), 1)), description=self._t(name))

    def _sort_label(self, key: str) -> str:
        if key in ("better", "worse"):
            return self._t(key)
        return text(f"metric.{key}" if key in explorer.TABLE_KEYS else f"profile.{key}", self.language)

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.app)

    # -- layout and events ---------------------------------------------------------------------------

    def _build_what_if(self) -> None:
        self.outcome = widgets.Dropdown(description=self._t("outcome"), layout=WIDE)
        self.rate = widgets.FloatSlider(
            min=0, max=20, step=0.5, readout_format=".1f", description=self._t("discount_rate"), continuous_update=False
        ).add_class("tjsl-discount-rate")
        self.sliders = {
            name: widgets.IntSlider(min=low, max=high, step=step, description=self._t(name), continuous_update=False)
            for name, (low, high, step) in SLIDERS.items()
        }
        for slider in (self.rate, *self.sliders.values()):
            slider.style.description_width = "12em"
            slider.layout.width = "32em"
        self.marks = {name: widgets.HTML() for name in ("rate", *SLIDERS)}
        self.reset = widgets.Button(description=self._t("reset"), icon="undo", layout=WIDE)
        self.export = widgets.Button(description=self._t("export"), icon="download", layout=WIDE)
        self.export_status = widgets.HTML()
        self.results = widgets.HTML().add_class("tjsl-what-if-results")
        self.chart = widgets.HTML().add_class("tjsl-sensitivity")
        self.what_if: explorer.WhatIf | None = None
        self._syncing = False

    def _layout(self) -> widgets.Widget:
        review = self.session.review
        header = widgets.HTML(STYLE + f"<h2>{escape(self._t('title', title=review.title))}</h2>")
        filters = widgets.VBox(
            [
                widgets.HBox([self.year, self.selected]),
                widgets.HBox([self.pillars, self.kelurahan, self.sdgs, self.groups]),
                widgets.HTML(_note(self._t("filter_hint"))),
            ]
        )
        programme = widgets.VBox([self.key_figures, widgets.HBox([self.sort_by, self.descending]), self.table])
        group = widgets.VBox([widgets.HBox([self.group, self.report_button]), self.report_status, self.group_view])
        compare = widgets.VBox([widgets.HTML(_note(self._t("compare_hint"))), self.compared, self.comparison])
        rows = [widgets.HBox([self.rate, self.marks["rate"]])]
        rows += [widgets.HBox([self.sliders[name], self.marks[name]]) for name in SLIDERS]
        what_if = widgets.VBox(
            [
                widgets.HBox([self.group, self.outcome]),
                *rows,
                widgets.HBox([self.reset, self.export]),
                self.export_status,
                self.results,
                self.chart,
            ]
        )
        self.tabs = widgets.Tab(children=[programme, group, compare, what_if])
        for index, key in enumerate(("tab_programme", "tab_group", "tab_compare", "tab_what_if")):
            self.tabs.set_title(index, self._t(key))
        return widgets.VBox([header, filters, self.tabs]).add_class("tjsl-explorer")

    def _connect(self) -> None:
        for control in (self.pillars, self.kelurahan, self.sdgs, self.groups, self.sort_by, self.descending):
            control.observe(lambda _: self.show_programme(), "value")
        self.year.observe(lambda _: self.refresh(), "value")
        self.group.observe(lambda _: self.group_changed(), "value")
        self.tabs.observe(lambda _: self._show_group_if_seen(), "selected_index")
        self.compared.observe(lambda _: self.show_comparison(), "value")
        self.outcome.observe(lambda _: self._sync_sliders(), "value")
        self.rate.observe(self._rate_moved, "value")
        for name, slider in self.sliders.items():
            slider.observe(lambda change, name=name: self._slider_moved(name, change["new"]), "value")
        self.reset.on_click(lambda _: self._reset())
        self.export.on_click(lambda _: self.export_what_if())
        self.report_button.on_click(lambda _: self.make_report())

    def refresh(self) -> None:
        """Show everything for the chosen year (saying so while a year not yet computed is computed)."""
        if self.year.value not in self.figures.yearly:
            self.key_figures.value = _note(self._t("computing", year=self.year.value))
            self.table.value = ""
        self.show_programme()
        self.show_comparison()
        self.group_changed()

    def group_changed(self) -> None:
        """A new group (or year): its what-if at once, its view when its tab is open."""
        self._group_shown = None
        self.report_status.value = ""
        self.show_what_if()
        self._show_group_if_seen()

    def _show_group_if_seen(self) -> None:
        if self.tabs.selected_index == GROUP_TAB and self._group_shown != (self.group.value, self.year.value):
            self.show_group()

    # -- programme -----------------------------------------------------------------------------------

    def selection(self) -> list[str]:
        filters = explorer.Filters(self.pillars.value, self.kelurahan.value, self.sdgs.value, self.groups.value)
        return explorer.filtered_groups(self.session.workbook, filters)

    def show_programme(self) -> None:
        """The selection's key figures and its group table."""
        ids, year = self.selection(), self.year.value
        total = len(self.session.workbook.group_ids)
        self.selected.value = escape(self._t("selected", count=len(ids), total=total))
        if not ids:
            self.key_figures.value, self.table.value = _note(self._t("none_selected")), ""
            return
        changes = self.figures.programme(year, ids)
        rows = [
            (
                text(f"metric.{key}", self.language),
                format_figure(key, changes[key].now, self.language),
                format_figure(key, changes[key].before, self.language),
                format_change(key, changes[key].now, changes[key].before, self.language),
                self._verdict(changes[key].verdict),
            )
            for key in PROGRAMME_KEYS
        ]
        headers = [
            text("summary.metric", self.language),
            str(year),
            str(year - 1),
            text("summary.change", self.language),
        ]
        self.key_figures.value = f"<h3>{escape(self._t('key_figures', year=year))}</h3>" + html_table(
            [*headers, text("portfolio.verdict", self.language)], rows, numeric=(1, 2, 3)
        )
        self.table.value = f"<h3>{escape(self._t('group_table'))}</h3>" + self._group_table(ids, year)

    def _verdict(self, verdict: str) -> str:
        return f"{VERDICT_MARKS[verdict]} {label('verdict', verdict, self.language)}".strip()

    def _group_table(self, ids: list[str], year: int) -> str:
        table = self.figures.group_table(year, ids, self.sort_by.value, self.descending.value)
        headers = [text(f"profile.{key}", self.language) for key in ("group_id", "name", "pillar", "kelurahan")]
        headers += [text(f"metric.{key}", self.language) for key in explorer.TABLE_KEYS]
        headers.append(f"▲ {self._t('better')} / ▼ {self._t('worse')}")
        rows = []
        for group_id, row in table.iterrows():
            cells = [group_id, row["name"], label("pillar", row["pillar"], self.language), row["kelurahan"]]
            for key in explorer.TABLE_KEYS:
                shown = format_figure(key, _value(row[key]), self.language)
                if row[f"{key}_verdict"] != "baru":
                    shown += f" ({format_figure(key, _value(row[f'{key}_before']), self.language)})"
                cells.append(f"{shown} {VERDICT_MARKS[row[f'{key}_verdict']]}".strip())
            cells.append(f"▲{int(row['better'])} ▼{int(row['worse'])}")
            rows.append(cells)
        numeric = tuple(range(4, 5 + len(explorer.TABLE_KEYS)))
        return html_table(headers, rows, numeric=numeric)

    # -- group ---------------------------------------------------------------------------------------

    def _report(self) -> GroupReport:
        review = self.session.review
        return GroupReport(
            self.session.workbook.for_group(self.group.value),
            self.group.value,
            self.year.value,
            self.language,
            review.plan_year,
            {"title": review.title, "fgd_date": review.fgd_date.isoformat()},
            review.methods,
            self.chart_style,
        )

    def show_group(self) -> None:
        """The chosen group's key figures against last year, its charts and its FGD inputs."""
        report = self._report()
        trend = self.figures.trend(self.group.value)
        markup = report.summary().markup + report.budget().markup + report.indicators().markup
        markup += f"<h2>{escape(self._t('trends'))}</h2>"
        for key in explorer.TREND_KEYS:
            if trend[key].notna().any():
                title = text(f"metric.{key}", self.language)
                figure = charts.trend_chart(
                    pd.Series(trend.index),
                    trend[key],
                    title,
                    text(f"unit.{key}", self.language),
                    text("chart.year_axis", self.language),
                    self.language,
                    self.chart_style,
                )
                markup += to_html(chart(figure, title)).markup
        self.group_view.value = markup + report.fgd().markup
        self._group_shown = (self.group.value, self.year.value)

    def make_report(self) -> None:
        """(Re)make the chosen group's report through the batch, and link it."""
        group_id = self.group.value
        self.report_status.value = escape(self._t("making_report", group=group_id))
        try:
            path = self.session.make_report(group_id)
        except (InputError, RuntimeError) as error:
            self.report_status.value = f"<pre>{escape(self._t('report_failed', group=group_id, error=error))}</pre>"
            return
        caption = f"{self._t('open_report')} ({path.name})"
        self.report_status.value = escape(self._t("report_ready", group=group_id)) + file_link(path, caption).markup

    # -- comparison ----------------------------------------------------------------------------------

    def show_comparison(self) -> None:
        """Two to four groups side by side, last year in brackets."""
        chosen = list(self.compared.value)
        if not explorer.MIN_COMPARED <= len(chosen) <= explorer.MAX_COMPARED:
            self.comparison.value = _note(self._t("compare_count", count=len(chosen)))
            return
        compared = self.figures.comparison(self.year.value, chosen)
        headers = [text("summary.metric", self.language), *(group_label(self.session.workbook, g) for g in compared)]
        rows = []
        for key in explorer.COMPARED_KEYS:
            cells = [text(f"metric.{key}", self.language)]
            for changes in compared.values():
                change = changes[key]
                shown = format_figure(key, change.now, self.language)
                if change.verdict != "baru":
                    shown += f" ({format_figure(key, change.before, self.language)})"
                cells.append(f"{shown} {VERDICT_MARKS[change.verdict]}".strip())
            rows.append(cells)
        self.comparison.value = html_table(headers, rows, numeric=tuple(range(1, len(headers))))

    # -- SROI what-if --------------------------------------------------------------------------------

    def show_what_if(self) -> None:
        """A new scenario for the chosen group and year, starting from the workbook's values."""
        self.what_if = explorer.WhatIf.of_group(
            self.session.workbook, self.group.value, self.year.value, self.session.review.methods
        )
        self._syncing = True
        self.outcome.options = [(self._t("every_outcome"), -1)] + list(
            (name, position) for position, name in enumerate(self.what_if.outcomes)
        )
        self.outcome.value = -1
        self._syncing = False
        self.export_status.value = ""
        self._sync_sliders()

    def _chosen_outcome(self) -> int | None:
        return None if self.outcome.value in (None, -1) else self.outcome.value

    def _sync_sliders(self) -> None:
        """Sliders at the scenario's values of the chosen outcome(s), the workbook's beside them."""
        if self._syncing or self.what_if is None:
            return
        what_if, outcome = self.what_if, self._chosen_outcome()
        empty = what_if.original.empty
        self._syncing = True
        self.rate.value = what_if.rate_pct
        self.marks["rate"].value = escape(self._t("workbook_value", value=self._number(what_if.original_rate_pct, 1)))
        for name, slider in self.sliders.items():
            slider.disabled = empty
            if empty:
                self.marks[name].value = ""
                continue
            slider.value = int(what_if.value(name, outcome)[0])
            low, high = what_if.value(name, outcome, scenario=False)
            shown = self._number(low) if low == high else f"{self._number(low)}–{self._number(high)}"
            self.marks[name].value = escape(self._t("workbook_value", value=shown))
        self._syncing = False
        self.show_results()

    def _number(self, value: float, decimals: int = 0) -> str:
        return formatting.number(value, self.language, decimals)

    def _rate_moved(self, change: dict) -> None:
        if self._syncing or self.what_if is None:
            return
        self.what_if.set_rate(change["new"])
        self.show_results()

    def _slider_moved(self, name: str, value: int) -> None:
        if self._syncing or self.what_if is None or self.what_if.original.empty:
            return
        self.what_if.set(name, value, self._chosen_outcome())
        self.show_results()

    def _reset(self) -> None:
        if self.what_if is not None:
            self.what_if.reset()
            self._sync_sliders()

    def show_results(self) -> None:
        """PV, investment, NPV and ratio of the scenario beside the workbook's, and the sensitivity chart."""
        what_if = self.what_if
        if what_if.original.empty:
            self.results.value = _note(self._t("no_sroi", year=self.year.value))
            self.chart.value = ""
            return
        scenario, original = what_if.result(), what_if.result(scenario=False)
        rows = [
            (
                text(name, self.language),
                format_figure(key, getattr(original, field), self.language),
                format_figure(key, getattr(scenario, field), self.language),
            )
            for key, name, field in RESULT_FIGURES
        ]
        headers = ["", self._t("workbook"), self._t("scenario")]
        self.results.value = html_table(headers, rows, numeric=(1, 2))
        sensitivity, marked = what_if.sensitivity(), what_if.sensitivity(scenario=False)
        scenarios = zip(sensitivity["scenario"], sensitivity["discount_rate"], strict=True)
        names = [scenario_label(key, rate, self.language) for key, rate in scenarios]
        shown = [
            f"{format_figure('sroi_ratio', _value(now), self.language)} "
            f"({format_figure('sroi_ratio', _value(before), self.language)})"
            for now, before in zip(sensitivity["ratio"], marked["ratio"], strict=True)
        ]
        self.chart.value = bar_chart(
            self._t("sensitivity_title"),
            names,
            [_value(v) for v in sensitivity["ratio"]],
            [_value(v) for v in marked["ratio"]],
            shown,
            (self._t("scenario"), self._t("workbook")),
            line_at=1.0,
            style=self.chart_style,
        )

    def export_what_if(self) -> Path | None:
        """Write the scenario to ``<output folder>-scenarios/<group>-<year>.xlsx`` and link it."""
        if self.what_if is None or self.what_if.original.empty:
            return None
        output = self.session.review.output_path
        path = output.parent / f"{output.name}-scenarios" / f"sroi-{self.group.value}-{self.year.value}.xlsx"
        name = group_label(self.session.workbook, self.group.value)
        export_scenario(path, self.what_if, name, self.year.value, self.language)
        self.export_status.value = escape(self._t("exported", path="")) + file_link(path, path.name).markup
        return path


def _value(value: object) -> object:
    """A table cell's figure, None for a missing one (pandas keeps NaN)."""
    return None if value is None or (isinstance(value, float) and pd.isna(value)) else value


def _note(message: str) -> str:
    """An explanation in italics, as the reports show it."""
    return to_html(note(message)).markup

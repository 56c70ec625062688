"""What every chapter of a group's report reads: the group's data for the year, its figures and methods'
results (each computed once), and the formatting of its language."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property

import pandas as pd

from tjsl_eval.common import formatting
from tjsl_eval.common.messages import label, text
from tjsl_eval.inputs.settings import MethodSettings
from tjsl_eval.inputs.workbook import Workbook
from tjsl_eval.methods import evaluation
from tjsl_eval.render.blocks import heading
from tjsl_eval.render.brand_colours import DEFAULT_CHART_STYLE, ChartStyle
from tjsl_eval.render.document import Block, Light


@dataclass
class GroupContext:
    """One group's evaluated year, as the report's chapters read it."""

    workbook: Workbook
    group_id: str
    year: int
    language: str = "id"
    plan_year: int | None = None
    review: dict[str, str] = field(default_factory=dict)  # title, organiser, fgd_date, venue, report_date
    methods: MethodSettings = field(default_factory=MethodSettings)
    chart_style: ChartStyle = DEFAULT_CHART_STYLE  # the charts' colours and font: the brand's, else the reports' own

    def t(self, key: str, **values: object) -> str:
        """The catalogue's text ``key`` in the report's language."""
        return text(key, self.language, **values)

    def label(self, kind: str, key: str) -> str:
        """The catalogue's label of choice ``key`` of ``kind`` in the report's language."""
        return label(kind, key, self.language)

    def rows(self, sheet: str, year: int | None = None) -> pd.DataFrame:
        """The group's rows of ``sheet`` for the evaluated year (or ``year``)."""
        return self.workbook.rows(sheet, self.group_id, self.year if year is None else year)

    @property
    def group(self) -> pd.Series:
        return self.workbook.group(self.group_id)

    def money(self, value: float | None) -> str:
        return formatting.rupiah(value, self.language)

    def pct(self, value: float | None) -> str:
        return formatting.percent(value, self.language)

    def date(self, value) -> str:
        return formatting.date(value, self.language)

    def amount(self, value: float | None) -> str:
        """A count or measure: two decimals when it has a fraction, none otherwise."""
        fractional = value is not None and pd.notna(value) and not float(value).is_integer()
        return formatting.number(value, self.language, 2 if fractional else 0)

    def words(self, key: str, **values: object) -> str:
        """The catalogue's text ``evaluation_report.<key>`` (the evaluation's summary, method and sign-off)."""
        return self.t(f"evaluation_report.{key}", **values)

    def choice(self, kind: str, value: object) -> str:
        """A free-text choice (a budget category, an independence dimension) by its label where the catalogue
        has one, else as written; a dash when blank."""
        if value is None or pd.isna(value):
            return "–"
        return label(f"evaluation_report.{kind}", str(value).strip(), self.language)

    def light(self, light: str | None) -> Light:
        """A traffic light cell (``none`` when there is none) with its label."""
        shown = light or "none"
        return Light(shown, self.label("light", shown))

    def section_title(self, key: str) -> str:
        """Section ``key``'s title (only the plan's has a year)."""
        return self.t(f"section.{key}", year=self.plan_year or self.year + 1)

    def heading(self, key: str) -> list[Block]:
        """Section ``key``'s heading, with the id the contents link to."""
        return heading(self.section_title(key), section=key)

    def as_of(self) -> dt.date:
        """The day the year is judged at (the FGD date, else the year's end)."""
        return evaluation.judged_at(self.review.get("fgd_date"), self.year)

    @cached_property
    def figures(self) -> dict:
        """The group's figures for the year, as in ``metrics.json``."""
        dated = self.review.get("report_date")
        report_date = dt.date.fromisoformat(dated) if dated else None
        return evaluation.group_metrics(
            self.workbook, self.group_id, self.year, self.methods, self.as_of(), report_date
        )

    @property
    def draft(self) -> bool:
        """Whether the report is a draft: no approval for the group or the whole review."""
        return not self.figures.get("approved", False)

    def report_date(self) -> str:
        """The report's date, formatted (the approval date, else the review's report date, else the FGD date)."""
        shown = self.figures.get("report_date") or self.review.get("fgd_date")
        return self.date(dt.date.fromisoformat(shown)) if shown else ""

    @cached_property
    def results(self) -> evaluation.MethodResults:
        """The evaluation methods' results for the year (IKM, SROI, independence)."""
        return evaluation.method_results(self.workbook, self.group_id, self.year, self.methods)

"""A group's evaluation report: its chapters' sections put together, as format-neutral blocks and as escaped HTML
for the notebook to show.

``notebooks/group_report.ipynb`` creates a :class:`GroupReport` from its Papermill parameters and calls
``report.<section>()`` for each section (its keys in :data:`SECTIONS`); each chapter's sections are built by a
module of :mod:`tjsl_eval.render.group`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from tjsl_eval.common.cache_files import load_cached, save_cached
from tjsl_eval.inputs.params import check_report_parameters
from tjsl_eval.inputs.workbook import Workbook, load_workbook
from tjsl_eval.render import evaluator
from tjsl_eval.render.brand_colours import chart_style
from tjsl_eval.render.document import Chapter, Document, Section, to_html
from tjsl_eval.render.group import (
    closing,
    executive,
    findings,
    method,
    money,
    plan,
    profile,
    stakeholders,
    title,
    value,
)
from tjsl_eval.render.group.context import GroupContext
from tjsl_eval.render.group.outline import CHAPTERS, EVALUATED_SECTIONS, SECTIONS
from tjsl_eval.render.tables import Html

# Each section's builder, from the chapters' modules.
BUILDERS = {
    **title.BUILDERS,
    **executive.BUILDERS,
    **profile.BUILDERS,
    **money.BUILDERS,
    **value.BUILDERS,
    **stakeholders.BUILDERS,
    **findings.BUILDERS,
    **plan.BUILDERS,
    **method.BUILDERS,
    **closing.BUILDERS,
}
__all__ = ["CHAPTERS", "SECTIONS", "GroupReport"]


@dataclass
class GroupReport(GroupContext):
    """One group's report for one evaluated year; ``report.<section>()`` is a section as HTML."""

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
        from ``group_data`` (the batch's per-group cache) when given, else from ``workbook``; ``review``: the
        review's title, organiser, dates, venue, methods and the brand's colours (``chart_brand``)."""
        checked = check_report_parameters(
            group_id=group_id, year=year, workbook=workbook, language=language, plan_year=plan_year, **review
        )
        workbook = checked.pop("workbook")
        checked["chart_style"] = chart_style(checked.pop("brand"))
        loaded = load_cached(group_data, Workbook) if group_data else load_workbook(workbook)
        if checked["group_id"] not in loaded.group_ids:
            raise ValueError(
                f"group_id {checked['group_id']!r} is not in the sheet 'kelompok' of "
                f"{loaded.source}; known ids: {', '.join(loaded.group_ids)}"
            )
        group_id = checked.pop("group_id")
        return cls(workbook=loaded.for_group(group_id), group_id=group_id, **checked)

    def section(self, key: str) -> Section:
        """The blocks of section ``key`` (one of :data:`SECTIONS`), for any output format; each
        is built once (its charts drawn once), whether shown in the notebook or written to Office."""
        if key not in self._built:
            blocks = BUILDERS[key](self)
            if key in EVALUATED_SECTIONS:  # the evaluator's narrative and photos for it follow its figures
                blocks += evaluator.section_blocks(self.workbook, self.group_id, self.year, key, self.language)
            shown = self.t("report.title", name=self.group["name"], year=self.year)
            self._built[key] = Section(key, shown if key == "title" else self.section_title(key), blocks)
        return self._built[key]

    def __getattr__(self, name: str):
        """``report.<section>()``: the section as escaped HTML, for the notebook's cells."""
        if name in SECTIONS:
            return lambda: self.html(name)
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    def html(self, key: str) -> Html:
        """Section ``key`` as escaped HTML."""
        return to_html(self.section(key).blocks)

    def document(self) -> Document:
        """The whole report: its cover, then its chapters of sections, in the notebook's order,
        with the group's figures (as in ``metrics.json``)."""
        chapters = [
            Chapter(self.t(f"chapter.{chapter}"), [self.section(key) for key in keys])
            for chapter, keys in CHAPTERS.items()
        ]
        cover = self.section("title")
        return Document(cover, chapters, self.language, self.figures, self.draft, self.report_date())

    def keep_document(self, path: str) -> None:
        """Save :meth:`document` to ``path`` for the batch's Word and PowerPoint writers (nothing when
        ``path`` is empty): the notebook's last cell, so the figures and charts are made once."""
        if path:
            save_cached(self.document(), Path(path))

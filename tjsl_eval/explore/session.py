"""An explorer session: a review opened with the batch's own caches, its figures, the SROI
scenario export, and the group report made through the normal batch.

The session reads the same cache as ``tjsl-eval run`` (``<output folder>/.cache``: the validated
workbook, each group's rows and every group's figures), so a review that was run opens at once.
Without the figures, it computes the review's year only, on every core, and other years when
they are shown; it keeps the validated workbook and the groups' rows for the next run.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from tjsl_eval.batch.cache import GroupFiles, load_validated, remember_workbook
from tjsl_eval.batch.entries import plan_entries
from tjsl_eval.batch.run import run_review
from tjsl_eval.common import formatting
from tjsl_eval.common.formatting import locale_of
from tjsl_eval.common.messages import text
from tjsl_eval.inputs.params import Review, load_review
from tjsl_eval.inputs.workbook import SAMPLE_NAME, Workbook
from tjsl_eval.methods import explorer
from tjsl_eval.methods.evaluation import default_as_of
from tjsl_eval.render.exports import write_xlsx_sheets


@dataclass
class Session:
    """A review opened in the explorer."""

    review: Review
    figures: explorer.ReviewFigures

    @property
    def workbook(self) -> Workbook:
        return self.figures.workbook

    @property
    def language(self) -> str:
        return self.review.language

    def report_path(self, group_id: str) -> Path:
        return self.review.output_path / f"{group_id}.html"

    def make_report(self, group_id: str) -> Path:
        """The group's HTML report, made (when stale) by the batch as ``tjsl-eval run --group`` does.
        Raises :class:`~tjsl_eval.common.problems.InputError` for a folder the batch refuses, and
        RuntimeError naming the failed cell when the report's notebook fails."""
        result = run_review(self.review, jobs=1, groups=[group_id])
        if group_id in result.failures:
            raise RuntimeError(result.failures[group_id])
        return self.report_path(group_id)


def review_of_workbook(workbook: str, year: int, language: str, output_folder: str | Path) -> Review:
    """A review of a workbook without a params file: the explorer's own title, follow-ups judged
    at the year's end, reports in ``output_folder``."""
    output = Path(output_folder).resolve()
    source = workbook if workbook == SAMPLE_NAME else str(Path(workbook).resolve())
    return Review(
        title=text("explorer.title", language, title=Path(source).name),
        organiser="–",
        fgd_date=default_as_of(year),
        venue="–",
        evaluated_year=year,
        plan_year=year + 1,
        workbook=source,
        groups=None,
        language=language,
        output_folder=str(output),
        params_path=output.parent / f"{output.name}.explorer.yaml",  # never written: names the review
    )


def open_session(
    params: str | Path | None = None,
    workbook: str | None = None,
    year: int | None = None,
    language: str | None = None,
    output_folder: str | Path | None = None,
) -> Session:
    """Open a review from its params file, or a ``workbook`` and ``year`` (reports and cache in
    ``output_folder``, default ``outputs/explorer-<workbook name>``). ``language`` overrides the review's.
    Raises :class:`~tjsl_eval.common.problems.InputError` for a bad params file or workbook, and
    ValueError without either, or for an unknown language."""
    if language is not None:
        locale_of(language)  # an unknown language is refused before anything is read
    if params is not None:
        review = load_review(params)
        if language:
            review = Review(**{**review.__dict__, "language": language})
    elif workbook is not None and year is not None:
        folder = output_folder or Path("outputs") / f"explorer-{Path(str(workbook)).stem}"
        review = review_of_workbook(str(workbook), int(year), language or "id", folder)
    else:
        raise ValueError("open a review with a params file, or with a workbook and a year")
    return Session(review, load_figures(review))


def load_figures(review: Review, jobs: int | None = None) -> explorer.ReviewFigures:
    """Every group's figures for each year up to the review's, from the batch's cache when it has
    them all; else the review's year is computed now (in ``jobs`` processes, default one per core)
    and another year, or a group's trend, when first shown."""
    output = review.output_path
    workbook, fresh = load_validated(review.workbook_source, output, review.survey_exports)
    output.mkdir(parents=True, exist_ok=True)
    if fresh:
        remember_workbook(workbook, review.workbook_source, output, review.survey_exports)
    files = GroupFiles.split(workbook, output)
    plan = plan_entries(review, workbook, files)
    if not plan.tasks:
        return explorer.ReviewFigures(workbook, plan.collect([]), review.methods)
    jobs = jobs or os.cpu_count() or 1
    figures = explorer.ReviewFigures(
        workbook,
        {},
        review.methods,
        plan.years,
        lambda year: plan.year_entries(year, jobs),
        plan.group_years,
    )
    figures.of_year(review.evaluated_year)
    return figures


def export_scenario(path: str | Path, what_if: explorer.WhatIf, group_name: str, year: int, language: str) -> Path:
    """The scenario as ``.xlsx``: its inputs (each outcome's workbook and scenario values), its
    results beside the workbook's, and both sensitivity tables."""

    def t(key: str, **values: object) -> str:
        return text(key, language, **values)

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    rate = (what_if.original_rate_pct, what_if.rate_pct)
    inputs = [(group_name, year, None, t("explorer.discount_rate_pct"), *rate, rate[0] != rate[1])]
    for position, outcome in enumerate(what_if.outcomes):
        for adjustment in explorer.ADJUSTMENTS:
            before, after = (
                what_if.value(adjustment, position, scenario=False)[0],
                what_if.value(adjustment, position)[0],
            )
            inputs.append((group_name, year, outcome, t(f"explorer.{adjustment}"), before, after, before != after))
    scenario, original = what_if.result(), what_if.result(scenario=False)
    results = [(t(name), getattr(original, field), getattr(scenario, field)) for _, name, field in RESULT_FIGURES]
    both = what_if.sensitivity(scenario=False).merge(what_if.sensitivity(), on="scenario", suffixes=("_wb", "_sc"))
    sensitivity = [
        (
            scenario_label(row.scenario, row.discount_rate_wb, language),
            row.discount_rate_wb * 100,
            row.ratio_wb,
            row.discount_rate_sc * 100,
            row.ratio_sc,
        )
        for row in both.itertuples()
    ]
    workbook_heading, scenario_heading = t("explorer.workbook"), t("explorer.scenario")
    write_xlsx_sheets(
        path,
        [
            (
                t("explorer.sheet_inputs"),
                [
                    t("explorer.group"),
                    t("explorer.year"),
                    t("explorer.outcome"),
                    t("explorer.input"),
                    workbook_heading,
                    scenario_heading,
                    t("explorer.changed"),
                ],
                inputs,
                [34, 8, 48, 24, 14, 14, 10],
            ),
            (t("explorer.sheet_results"), ["", workbook_heading, scenario_heading], results, [40, 18, 18]),
            (
                t("explorer.sheet_sensitivity"),
                [
                    t("sroi.sensitivity"),
                    f"{t('explorer.discount_rate')} — {workbook_heading}",
                    f"{t('sroi.ratio')} — {workbook_heading}",
                    f"{t('explorer.discount_rate')} — {scenario_heading}",
                    f"{t('sroi.ratio')} — {scenario_heading}",
                ],
                sensitivity,
                [24, 18, 18, 18, 18],
            ),
        ],
    )
    return path


RESULT_FIGURES = (  # a what-if's results: (figure key, as formatted; label key; SroiResult attribute)
    ("sroi_present_value", "metric.sroi_present_value", "present_value"),
    ("budget_realized", "sroi.investment", "investment"),
    ("sroi_net_present_value", "metric.sroi_net_present_value", "net_present_value"),
    ("sroi_ratio", "metric.sroi_ratio", "ratio"),
)


def group_label(workbook: Workbook, group_id: str) -> str:
    """``Name (ID)``, as the explorer lists a group."""
    return f"{workbook.group(group_id)['name']} ({group_id})"


def scenario_label(key: str, rate: float, language: str) -> str:
    """A sensitivity scenario's name as the report shows it (``Tingkat diskonto 3,5 %``)."""
    name = "rate" if key.startswith("rate_") else key
    return text(f"sroi.scenario.{name}", language, rate=formatting.percent(rate * 100, language))

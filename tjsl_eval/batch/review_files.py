"""The files that describe a whole review: ``metrics.json``, ``metrics.csv``,
``fgd_register.xlsx``, ``index.html`` and ``run.log``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tjsl_eval.batch.execution import PORTFOLIO_NAME
from tjsl_eval.common.files import json_text, write_atomic
from tjsl_eval.common.messages import text
from tjsl_eval.inputs.params import Review
from tjsl_eval.inputs.workbook import Workbook
from tjsl_eval.methods import portfolio, yoy
from tjsl_eval.methods.evaluation import METHOD_KEYS
from tjsl_eval.methods.metrics import METRIC_KEYS
from tjsl_eval.render import register
from tjsl_eval.render.exports import write_csv
from tjsl_eval.render.index_page import index_html

if TYPE_CHECKING:
    from tjsl_eval.batch.plan import PlannedReport, RunResult

CSV_KEYS = (*METRIC_KEYS, *METHOD_KEYS)


def review_metrics(
    review: Review, workbook: Workbook, reviewed: list[str], entries: dict[int, dict[str, dict]]
) -> dict[str, object]:
    """``metrics.json``: the params, the programme's figures and each group's, with the
    year-over-year change of every judged metric. ``entries`` holds every group's figures by year."""
    year = review.evaluated_year
    groups = {g: yoy.with_changes(entries[year][g]) for g in reviewed}
    now = portfolio.programme_figures(workbook, year, groups)
    before_active = portfolio.active_groups(workbook, year - 1)
    before = portfolio.programme_figures(workbook, year - 1, entries[year - 1]) if before_active else None
    programme = {
        **now,
        "previous_year": before,
        "changes": {k: c.as_dict() for k, c in portfolio.programme_changes(now, before).items()},
    }
    return {"review": review.as_dict(), "programme": programme, "groups": groups}


def write_metrics_csv(review: Review, workbook: Workbook, groups: dict[str, dict]) -> None:
    """``metrics.csv``: one row per group, this year's figures then last year's, for Excel."""
    language = review.language
    names = [text(f"metric.{key}", language) for key in CSV_KEYS]
    headers = [
        text("profile.group_id", language),
        text("profile.name", language),
        text("profile.pillar", language),
        text("profile.kelurahan", language),
        text("csv.year", language),
        *names,
        *(text("csv.previous", language, name=name) for name in names),
        text("csv.findings", language),
    ]
    rows = []
    for group_id, entry in groups.items():
        previous = entry["previous_year"] or {}
        rows.append(
            [
                group_id,
                entry["name"],
                entry["pillar"],
                workbook.group(group_id)["kelurahan"],
                entry["year"],
                *(entry[key] for key in CSV_KEYS),
                *(previous.get(key) for key in CSV_KEYS),
                len(entry["findings"]),
            ]
        )
    write_csv(review.output_path / "metrics.csv", headers, rows, language)


def write_review_files(
    review: Review,
    workbook: Workbook,
    reviewed: list[str],
    entries: dict[int, dict[str, dict]],
    result: RunResult,
    planned: list[PlannedReport],
) -> None:
    """Every review-wide file, for every group of the review (also when ``--group`` ran only some);
    ``entries`` holds every group's figures by year."""
    output_path = review.output_path
    data = review_metrics(review, workbook, reviewed, entries)
    write_atomic(output_path / "metrics.json", json_text(data))
    write_metrics_csv(review, workbook, data["groups"])
    register.export_register(
        register.fgd_register(workbook, review.evaluated_year, review.fgd_date),
        output_path / "fgd_register.xlsx",
        review.language,
        register.recommendation_rows(data["groups"], review.language),
    )
    present = {path.name for path in output_path.iterdir()}
    index = index_html(review, data["groups"], data["programme"], result.failures, present)
    write_atomic(output_path / "index.html", index)
    reasons = {report.name: "; ".join(report.reasons) for report in planned}
    lines = [f"{name}: written ({reasons[name]})" for name in result.written]
    lines += [f"{name}: up to date" for name in result.up_to_date]
    if result.portfolio != "failed":
        lines.append(f"{PORTFOLIO_NAME}: {result.portfolio}")
    lines += [
        f"{name}: FAILED ({reasons[name]}) — {message}; see {name}.failed.ipynb"
        for name, message in sorted(result.failures.items())
    ]
    write_atomic(output_path / "run.log", "\n".join([*sorted(lines), result.summary()]) + "\n")

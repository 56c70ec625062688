"""Run a review: validate the workbook once, then execute the group notebook for every group
with Papermill (in parallel, one kernel each) and write HTML reports, ``index.html`` and
``metrics.json``.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from tjsl_eval import metrics
from tjsl_eval.files import json_text, write_atomic
from tjsl_eval.index_page import index_html
from tjsl_eval.params import Review
from tjsl_eval.problems import InputError, Problem
from tjsl_eval.workbook import Workbook, load_workbook

PROJECT_ROOT = Path(__file__).resolve().parent.parent
GROUP_NOTEBOOK = PROJECT_ROOT / "notebooks" / "group_report.ipynb"
# Each kernel's own log (ipykernel 7 warns once per kernel about unencrypted local TCP, and logs
# the interrupt sent at shutdown) is noise in a batch; errors in cells still reach the notebook.
KERNEL_ARGUMENTS = ["--IPKernelApp.log_level=CRITICAL"]


@dataclass
class RunResult:
    """What a run wrote, and which groups failed with which message."""

    output_path: Path
    written: list[str] = field(default_factory=list)
    failures: dict[str, str] = field(default_factory=dict)

    def summary(self) -> str:
        line = f"{len(self.written)} reports written"
        if self.failures:
            details = "; ".join(f"{group} — {message}" for group, message in self.failures.items())
            line += f", {len(self.failures)} failed: {details}"
        return f"{line} in {self.output_path}"


def selected_groups(review: Review, workbook: Workbook, requested: list[str] | None) -> list[str]:
    """The groups to report on: ``requested`` ids (``--group``), else the params' list, else every group."""
    wanted = list(requested or review.groups or workbook.group_ids)
    unknown = [group for group in wanted if group not in workbook.group_ids]
    if unknown:
        raise InputError([Problem(review.workbook, "kelompok", message=(
            f"group id {group!r} was asked for but is not in the workbook; known ids: "
            f"{', '.join(workbook.group_ids)}")) for group in unknown])
    return wanted


def notebook_parameters(review: Review, group_id: str) -> dict[str, object]:
    """The Papermill parameters of one group's notebook."""
    return {
        "group_id": group_id,
        "year": review.evaluated_year,
        "workbook": review.workbook_source,
        "language": review.language,
        "plan_year": review.plan_year,
        "title": review.title,
        "organiser": review.organiser,
        "fgd_date": review.fgd_date.isoformat(),
        "venue": review.venue,
    }


def export_html(notebook_path: Path) -> str:
    """The executed notebook as an HTML report: outputs only, no code, no prompts."""
    import nbformat
    from nbconvert import HTMLExporter

    notebook = nbformat.read(notebook_path, as_version=4)
    exporter = HTMLExporter(template_name="lab", exclude_input=True, exclude_input_prompt=True,
                            exclude_output_prompt=True, exclude_markdown=True)
    title = notebook.metadata.get("papermill", {}).get("parameters", {}).get("group_id", notebook_path.stem)
    body, _ = exporter.from_notebook_node(notebook, resources={"metadata": {"name": title}})
    return body


def run_group(review: Review, group_id: str, output_path: Path) -> None:
    """Execute one group's notebook and write ``<group_id>.ipynb`` and ``<group_id>.html``.

    On failure the executed notebook, with Papermill's marked error cell, is kept as
    ``<group_id>.failed.ipynb`` and the error is raised again.
    """
    import papermill

    executed = output_path / f".{group_id}.running.ipynb"
    try:
        papermill.execute_notebook(str(GROUP_NOTEBOOK), str(executed), parameters=notebook_parameters(review, group_id),
                                   progress_bar=False, log_output=False, kernel_name="python3",
                                   extra_arguments=KERNEL_ARGUMENTS)
        write_atomic(output_path / f"{group_id}.html", export_html(executed))
        os.replace(executed, output_path / f"{group_id}.ipynb")
        (output_path / f"{group_id}.failed.ipynb").unlink(missing_ok=True)
    except Exception:
        if executed.exists():
            os.replace(executed, output_path / f"{group_id}.failed.ipynb")
        raise


def failure_message(error: Exception) -> str:
    """A one-line account of a group's failure (Papermill's cell error when there is one)."""
    from papermill.exceptions import PapermillExecutionError

    if isinstance(error, PapermillExecutionError):
        return f"cell {error.exec_count}: {error.ename}: {error.evalue}".strip()
    return f"{type(error).__name__}: {error}"


def run_review(review: Review, jobs: int | None = None, groups: list[str] | None = None,
               on_start: Callable[[int], None] | None = None,
               on_group_done: Callable[[str], None] | None = None) -> RunResult:
    """Validate the workbook once, run every selected group's notebook, write the index files.

    Raises :class:`InputError` when the workbook or the group selection is invalid; a
    failing group does not stop the others (see :attr:`RunResult.failures`).
    """
    workbook = load_workbook(review.workbook_source)
    reviewed = selected_groups(review, workbook, None)
    wanted = selected_groups(review, workbook, groups)
    output_path = review.output_path
    output_path.mkdir(parents=True, exist_ok=True)
    logging.getLogger("papermill").setLevel(logging.WARNING)
    result = RunResult(output_path)
    if on_start:
        on_start(len(wanted))
    with ThreadPoolExecutor(max_workers=jobs or os.cpu_count() or 1) as pool:
        futures = {pool.submit(run_group, review, group_id, output_path): group_id for group_id in wanted}
        for future in as_completed(futures):
            group_id = futures[future]
            error = future.exception()
            if error is None:
                result.written.append(group_id)
            else:
                result.failures[group_id] = failure_message(error)
            if on_group_done:
                on_group_done(group_id)
    # The index and metrics.json cover the whole review, also when --group ran only some reports.
    figures = {group_id: metrics.group_metrics(workbook, group_id, review.evaluated_year) for group_id in reviewed}
    missing = {group_id for group_id in reviewed if not (output_path / f"{group_id}.html").exists()}
    write_atomic(output_path / "metrics.json", json_text({"review": review.as_dict(), "groups": figures}))
    write_atomic(output_path / "index.html", index_html(review, figures, result.failures, missing))
    result.written.sort()
    return result

"""Execute one group's notebook with Papermill and export it as an HTML report.

Runs in a local worker process, on that worker's warm kernel (:mod:`tjsl_eval.batch.workers`),
or on a Dask worker, on a kernel of its own.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from tjsl_eval.batch.folder_lock import RUNNING
from tjsl_eval.common.files import OFFICE_FORMATS, sha256_file, write_atomic
from tjsl_eval.render.report_page import export_html

if TYPE_CHECKING:  # Jupyter's libraries are imported by the workers, not by a run that has nothing to do
    from jupyter_client.manager import AsyncKernelManager
    from nbformat import NotebookNode

    from tjsl_eval.render.document import Document

PROJECT_ROOT = Path(__file__).resolve().parents[2]
GROUP_NOTEBOOK = PROJECT_ROOT / "notebooks" / "group_report.ipynb"
PORTFOLIO_NOTEBOOK = PROJECT_ROOT / "notebooks" / "portfolio_summary.ipynb"
PORTFOLIO_NAME = "portfolio"
# Each kernel's own log (ipykernel 7 warns once per kernel about unencrypted local TCP, and logs
# the interrupt sent at shutdown) is noise in a batch; errors in cells still reach the notebook.
KERNEL_ARGUMENTS = ["--IPKernelApp.log_level=CRITICAL"]


@dataclass(frozen=True)
class ReportTask:
    """One report to make, as sent to a worker: the notebook, its parameters, where to write."""

    name: str  # the group id, or "portfolio"
    notebook: Path
    parameters: dict[str, object]
    output_path: Path
    page_title: str
    data_hash: str  # shown in the report's footer
    timeout_seconds: float  # per cell
    formats: tuple[str, ...] = ("html",)
    references: dict[str, str] = field(default_factory=dict)  # "docx"/"pptx" -> the company's reference file
    run_id: str = "0"  # makes the report's temporary file names the run's own (see batch/folder_lock.py)


@dataclass(frozen=True)
class NotebookRun:
    """The outcome of one notebook: output hashes, duration, and the error if it failed."""

    name: str  # the group id, or "portfolio"
    outputs: dict[str, str]  # file name -> sha256
    seconds: float
    error: str | None = None


def failure_message(error: BaseException) -> str:
    """A one-line account of a failure (Papermill's failing cell and error when there is one)."""
    from papermill.exceptions import PapermillExecutionError

    if isinstance(error, PapermillExecutionError):
        message = f"cell {error.exec_count}: {error.ename}: {error.evalue}"
    else:
        message = f"{type(error).__name__}: {error}"
    return " ".join(message.split())


def execute(
    notebook: Path | NotebookNode,
    output: Path | None,
    parameters: dict[str, object],
    timeout_seconds: float,
    kernel_manager: AsyncKernelManager | None = None,
) -> NotebookNode:
    """Papermill's execution of ``notebook`` into ``output`` (None: not written), on
    ``kernel_manager``'s kernel or else on a kernel of its own; the executed notebook."""
    import papermill

    return papermill.execute_notebook(
        notebook,
        output,
        parameters=parameters,
        kernel_name="python3",
        progress_bar=False,
        log_output=False,
        request_save_on_cell_execute=False,  # written once at the end; a failure still saves it
        extra_arguments=KERNEL_ARGUMENTS,
        execution_timeout=timeout_seconds,
        km=kernel_manager,
    )


def run_notebook(task: ReportTask, kernel_manager: AsyncKernelManager | None = None) -> NotebookRun:
    """Make one report: execute ``task.notebook`` with its parameters and write
    ``<name>.ipynb``, ``<name>.html`` and, when asked for, ``<name>.pdf``, ``<name>.docx`` and
    ``<name>.pptx``, each atomically.

    The notebook runs on ``kernel_manager``'s kernel (a worker's warm kernel, see
    :mod:`tjsl_eval.batch.workers`), or else on a kernel of its own, stopped afterwards.
    When the notebook fails nothing of the previous report is touched; the executed notebook, with
    Papermill's marked error cell, is kept as ``<name>.failed.ipynb``. When one of the PDF, Word and
    PowerPoint files fails, it alone is left as it was: the other formats and the HTML report are
    written, and the error names the format that failed.
    """
    started = time.perf_counter()
    name, output_path = task.name, task.output_path
    running = output_path / f".{name}{RUNNING}{task.run_id}.ipynb"
    failed = output_path / f"{name}.failed.ipynb"
    try:
        executed = execute(task.notebook, running, task.parameters, task.timeout_seconds, kernel_manager)
        page = export_html(executed, task.page_title, task.data_hash)
        written, errors = _other_formats(task, page)
        written += [output_path / f"{name}.html", output_path / f"{name}.ipynb"]
        write_atomic(written[-2], page)
        os.replace(running, written[-1])
        failed.unlink(missing_ok=True)
        hashes = {path.name: sha256_file(path) for path in written}
        return NotebookRun(name, hashes, time.perf_counter() - started, "; ".join(errors) or None)
    except Exception as error:  # one group's failure must never stop the others
        if running.exists():
            os.replace(running, failed)
        return NotebookRun(name, {}, time.perf_counter() - started, failure_message(error))


def _other_formats(task: ReportTask, page: str) -> tuple[list[Path], list[str]]:
    """Write the PDF, Word and PowerPoint files ``task`` asks for, each on its own: the files written, and
    for each format that failed, ``<format>: <error>`` (its previous file, if any, left as it was)."""
    written, errors, document = [], [], None
    kinds = [kind for kind in ("pdf", *OFFICE_FORMATS) if kind in task.formats]
    for kind in kinds:
        path = task.output_path / f"{task.name}.{kind}"
        try:
            if kind == "pdf":
                _print_pdf(page, task.output_path / f".{task.name}{RUNNING}{task.run_id}.html", path)
            else:
                document = document or kept_document(task)
                write_atomic(path, office_file(task, kind, document))
            written.append(path)
        except Exception as error:  # noqa: BLE001 - one format's failure must not take the others with it
            errors.append(f"{kind}: {failure_message(error)}")
    return written, errors


def kept_document(task: ReportTask) -> Document:
    """The report the notebook kept (``document_file``, sealed) for the Word and PowerPoint files."""
    from tjsl_eval.common.cache_files import load_cached
    from tjsl_eval.render.document import Document

    return load_cached(str(task.parameters["document_file"]), Document)


def office_file(task: ReportTask, kind: str, document: Document) -> bytes:
    """The Word (``kind`` "docx") or PowerPoint ("pptx") file of ``task``'s report, made from ``document``:
    the same sections, figures and charts as the HTML report."""
    from tjsl_eval.render.docx_report import docx_bytes
    from tjsl_eval.render.pptx_deck import pptx_bytes

    writers = {"docx": docx_bytes, "pptx": pptx_bytes}
    return writers[kind](document, task.data_hash, _reference(task, kind))


def _reference(task: ReportTask, kind: str) -> Path | None:
    return Path(task.references[kind]) if task.references.get(kind) else None


def _print_pdf(page: str, staged: Path, pdf_path: Path) -> None:
    """Print ``page`` to ``pdf_path`` from a staged copy."""
    from tjsl_eval.render.pdf import write_pdf

    write_atomic(staged, page)
    try:
        write_pdf(staged, pdf_path)
    finally:
        staged.unlink(missing_ok=True)

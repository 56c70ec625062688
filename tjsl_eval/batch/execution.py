"""Execute one group's notebook with Papermill and export it as an HTML report.

Runs in a local worker process, on that worker's warm kernel (:mod:`tjsl_eval.batch.workers`),
or on a Dask worker, on a kernel of its own.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from tjsl_eval.batch.folder_lock import RUNNING
from tjsl_eval.batch.receipts import write_receipt
from tjsl_eval.common.files import OFFICE_FORMATS, json_text, sha256_file, write_atomic
from tjsl_eval.inputs.brand import DEFAULT_BRAND, Brand
from tjsl_eval.render.brand_css import branded_page
from tjsl_eval.render.report_page import export_html

if TYPE_CHECKING:  # Jupyter's libraries are imported by the workers, not by a run that has nothing to do
    from jupyter_client.manager import AsyncKernelManager
    from nbformat import NotebookNode

    from tjsl_eval.render.document import Document
    from tjsl_eval.render.pdf import Record

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
    inputs: dict[str, str]  # the report's input fingerprints (for its receipt, see batch/receipts.py)
    timeout_seconds: float  # per cell
    formats: tuple[str, ...] = ("html",)
    references: dict[str, str] = field(default_factory=dict)  # "docx"/"pptx" -> the company's reference file
    brand: Brand = DEFAULT_BRAND  # the params' brand, for every format
    metrics: str = ""  # the portfolio's: the review's metrics.json, attached to its PDF
    run_id: str = "0"  # makes the report's temporary file names the run's own (see batch/folder_lock.py)

    @property
    def data_hash(self) -> str:
        """The hash of the report's data, shown in its footer."""
        return self.inputs["data"]


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
    written, and the error names the format that failed. The HTML file is written last, after the report's
    receipt (:mod:`~tjsl_eval.batch.receipts`): a run interrupted once it is there still records the report.
    """
    started = time.perf_counter()
    name, output_path = task.name, task.output_path
    running = output_path / f".{name}{RUNNING}{task.run_id}.ipynb"
    failed = output_path / f"{name}.failed.ipynb"
    try:
        executed = execute(task.notebook, running, task.parameters, task.timeout_seconds, kernel_manager)
        page = branded_page(export_html(executed, task.page_title, task.data_hash), task.brand)
        written, errors = _other_formats(task, page)
        written.append(output_path / f"{name}.ipynb")
        os.replace(running, written[-1])
        failed.unlink(missing_ok=True)
        hashes = {path.name: sha256_file(path) for path in written}
        hashes[f"{name}.html"] = hashlib.sha256(page.encode("utf-8")).hexdigest()
        run = NotebookRun(name, hashes, time.perf_counter() - started, "; ".join(errors) or None)
        write_receipt(output_path, name, task.inputs, run.outputs, run.seconds, run.error)
        write_atomic(output_path / f"{name}.html", page)
        return run
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
            document = document or kept_document(task)
            write_atomic(path, format_bytes(task, kind, page, document))
            written.append(path)
        except Exception as error:  # noqa: BLE001 - one format's failure must not take the others with it
            errors.append(f"{kind}: {failure_message(error)}")
    return written, errors


def kept_document(task: ReportTask) -> Document:
    """The report the notebook kept (``document_file``, sealed) for the PDF, Word and PowerPoint files."""
    from tjsl_eval.common.cache_files import load_cached
    from tjsl_eval.render.document import Document

    return load_cached(str(task.parameters["document_file"]), Document)


def format_bytes(task: ReportTask, kind: str, page: str, document: Document) -> bytes:
    """The PDF (``kind`` "pdf", laid out from the report ``page``), Word ("docx") or PowerPoint ("pptx") file of
    ``task``'s report, made from ``document``: the same sections, figures and charts as the HTML report."""
    from tjsl_eval.render.docx_report import docx_bytes
    from tjsl_eval.render.pdf import pdf_bytes
    from tjsl_eval.render.pptx_deck import pptx_bytes

    if kind == "pdf":
        return pdf_bytes(page, pdf_record(task, document), task.brand)
    if kind == "docx":
        return docx_bytes(document, task.data_hash, _reference(task, kind), task.brand)
    return pptx_bytes(document, task.data_hash, _reference(task, kind), task.brand)


def pdf_record(task: ReportTask, document: Document) -> Record:
    """What the report's PDF says about itself: titles, organiser, language, the report date (else the FGD's),
    and its figures as ``metrics.json`` has them (the portfolio's: the whole file)."""
    from tjsl_eval.common.messages import text
    from tjsl_eval.methods.yoy import with_changes
    from tjsl_eval.render.pdf import Record

    parameters, figures = task.parameters, document.figures
    when = figures.get("report_date") or parameters.get("report_date") or parameters["fgd_date"]
    return Record(
        title=task.page_title,
        author=str(parameters.get("organiser") or ""),
        subject=text("documents.pdf_subject", document.language, review=parameters.get("title") or ""),
        language=document.language,
        date=dt.date.fromisoformat(str(when)),
        metrics=task.metrics or json_text(with_changes(figures)),
        fingerprint=task.data_hash,
        draft=bool(getattr(document, "draft", False)),  # Document.draft: added by issue #23
    )


def _reference(task: ReportTask, kind: str) -> Path | None:
    return Path(task.references[kind]) if task.references.get(kind) else None

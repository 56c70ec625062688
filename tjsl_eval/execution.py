"""Execute one group's notebook with Papermill and export it as an HTML report.

Runs in a worker thread (or on a Dask worker): each call drives its own kernel
subprocess. Kernels are tracked so that an interrupted batch can stop them at once.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from jupyter_client.manager import AsyncKernelManager

from tjsl_eval.files import sha256_file, write_atomic

PROJECT_ROOT = Path(__file__).resolve().parent.parent
GROUP_NOTEBOOK = PROJECT_ROOT / "notebooks" / "group_report.ipynb"
PORTFOLIO_NOTEBOOK = PROJECT_ROOT / "notebooks" / "portfolio_summary.ipynb"
PORTFOLIO_NAME = "portfolio"
# Each kernel's own log (ipykernel 7 warns once per kernel about unencrypted local TCP, and logs
# the interrupt sent at shutdown) is noise in a batch; errors in cells still reach the notebook.
KERNEL_ARGUMENTS = ["--IPKernelApp.log_level=CRITICAL"]


class TrackedKernelManager(AsyncKernelManager):
    """A kernel manager that records its live kernels, so :meth:`kill_all` can stop them."""

    _live: set[TrackedKernelManager] = set()
    _lock = threading.Lock()

    async def _async_launch_kernel(self, kernel_cmd: list[str], **kw: object) -> None:
        await super()._async_launch_kernel(kernel_cmd, **kw)
        with self._lock:
            self._live.add(self)

    async def _async_cleanup_resources(self, restart: bool = False) -> None:
        with self._lock:
            self._live.discard(self)
        await super()._async_cleanup_resources(restart=restart)

    @classmethod
    def stop(cls, manager: TrackedKernelManager) -> None:
        """Kill one kernel's process group and remove its connection file."""
        with cls._lock:
            cls._live.discard(manager)
        process = getattr(manager.provisioner, "process", None)
        if process is not None and process.poll() is None:
            try:
                os.killpg(process.pid, signal.SIGKILL)  # kernels run in a session of their own
            except (ProcessLookupError, PermissionError):
                process.kill()
            process.wait()
        manager.cleanup_connection_file()

    @classmethod
    def kill_all(cls) -> int:
        """Stop every live kernel; return how many there were."""
        with cls._lock:
            managers = list(cls._live)
        for manager in managers:
            cls.stop(manager)
        return len(managers)


@dataclass(frozen=True)
class NotebookRun:
    """The outcome of one notebook: output hashes, duration, and the error if it failed."""

    name: str  # the group id, or "portfolio"
    outputs: dict[str, str]  # file name -> sha256
    seconds: float
    error: str | None = None


def export_html(notebook_path: Path, page_title: str) -> str:
    """The executed notebook as an HTML report: outputs only, no code, no prompts.

    Cell ids are renumbered (Papermill gives the injected-parameters cell a random id),
    so the same notebook outputs always give the same bytes.
    """
    import nbformat
    from nbconvert import HTMLExporter

    notebook = nbformat.read(notebook_path, as_version=4)
    for number, cell in enumerate(notebook.cells):
        cell["id"] = f"cell-{number}"
    exporter = HTMLExporter(
        template_name="lab",
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        exclude_markdown=True,
    )
    body, _ = exporter.from_notebook_node(notebook, resources={"metadata": {"name": page_title}})
    return body


def failure_message(error: BaseException) -> str:
    """A one-line account of a failure (Papermill's failing cell and error when there is one)."""
    from papermill.exceptions import PapermillExecutionError

    if isinstance(error, PapermillExecutionError):
        message = f"cell {error.exec_count}: {error.ename}: {error.evalue}"
    else:
        message = f"{type(error).__name__}: {error}"
    return " ".join(message.split())


def run_notebook(
    name: str,
    parameters: dict[str, object],
    output_path: Path,
    timeout_seconds: float,
    page_title: str,
    notebook: Path | None = None,
) -> NotebookRun:
    """Execute ``notebook`` (the group notebook by default), writing ``<name>.ipynb`` and
    ``<name>.html`` atomically.

    Each notebook gets a kernel of its own (a kernel reused from one notebook to the next
    was measured to leak a few MB in this process per notebook).
    On failure nothing of the previous report is touched; the executed notebook, with
    Papermill's marked error cell, is kept as ``<name>.failed.ipynb``.
    """
    import papermill

    started = time.perf_counter()
    running = output_path / f".{name}.running.ipynb"
    failed = output_path / f"{name}.failed.ipynb"
    try:
        papermill.execute_notebook(
            str(notebook or GROUP_NOTEBOOK),
            str(running),
            parameters=parameters,
            kernel_name="python3",
            progress_bar=False,
            log_output=False,
            request_save_on_cell_execute=False,  # written once at the end; a failure still saves it
            extra_arguments=KERNEL_ARGUMENTS,
            execution_timeout=timeout_seconds,
            kernel_manager_class=TrackedKernelManager,
        )
        html_path, notebook_path = output_path / f"{name}.html", output_path / f"{name}.ipynb"
        write_atomic(html_path, export_html(running, page_title))
        os.replace(running, notebook_path)
        failed.unlink(missing_ok=True)
        outputs = {path.name: sha256_file(path) for path in (html_path, notebook_path)}
        return NotebookRun(name, outputs, time.perf_counter() - started)
    except Exception as error:  # one group's failure must never stop the others
        if running.exists():
            os.replace(running, failed)
        return NotebookRun(name, {}, time.perf_counter() - started, failure_message(error))

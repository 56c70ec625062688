"""Local worker processes that execute notebooks on warm kernels.

Each worker is a spawned process that keeps one kernel alive from one notebook to the next
(the kernel's namespace and execution counter are reset in between), so a report pays for
pandas, matplotlib and the package's imports once per worker, not once per notebook. One
client stays connected to the kernel (:class:`KeptClient`): Papermill's client per notebook
cost a 0.2 s wait each, and grew the worker when left open. The orchestrating process only
sends tasks and receives results, so its memory does not grow with the number of groups.

A worker stops its kernel when it ends, when it is terminated (an interrupted run) and
when its parent process dies without warning (SIGKILL).
"""

from __future__ import annotations

import atexit
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager

from jupyter_client.asynchronous import AsyncKernelClient
from jupyter_client.manager import AsyncKernelManager
from traitlets import Bool

from tjsl_eval.batch.execution import NotebookRun, ReportTask, execute, run_notebook

PARENT_CHECK_SECONDS = 0.5
# The reports' libraries, imported once per kernel; what they allocate is frozen out of the
# garbage collector's reach, so the full collection of each namespace reset (IPython's) and
# those during a notebook scan only what the notebooks made (a reset: 80 -> 30 ms, measured).
WARM_UP_CODE = "import gc, tjsl_eval.render.portfolio_report, tjsl_eval.render.report\ngc.collect()\ngc.freeze()"
WARM_UP_SECONDS = 120
RESET_NAMESPACE = "get_ipython().reset(new_session=True)"  # imported modules stay loaded


class KeptClient(AsyncKernelClient):
    """A kernel client that stays connected from one notebook to the next.

    Papermill asks the kernel manager for a client per notebook, starts its channels and waits
    until the kernel is ready, which ends by waiting for 0.2 s of silence on IOPub. On a kernel
    already known to answer, that wait is skipped, and the channels are started once.
    Replies and outputs are matched to their requests by message id, so messages left over
    from the previous notebook are ignored. No heartbeat channel is started: the manager knows
    whether its kernel lives (its process), and a heartbeat thread starting while the worker
    stopped its kernel printed a traceback (``zmq ... Too many open files``) on a loaded machine.
    """

    answered = Bool(False)  # the kernel has answered kernel_info on this client

    def start_channels(
        self, shell: bool = True, iopub: bool = True, stdin: bool = True, hb: bool = True, control: bool = True
    ) -> None:
        if not self.channels_running:
            super().start_channels(shell, iopub, stdin, False, control)

    async def wait_for_ready(self, timeout: float | None = None) -> None:
        if not self.answered:
            await self._async_wait_for_ready(timeout=timeout)
            self.answered = True


class WarmKernelManager(AsyncKernelManager):
    """A kernel kept for the next notebook, with one client kept connected to it (see
    :class:`KeptClient`); Papermill does not close clients on a kernel it does not own."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(kernel_name="python3", client_class=f"{__name__}.KeptClient", **kwargs)
        self.kept_client: KeptClient | None = None

    def client(self, **kwargs: object) -> KeptClient:
        if self.kept_client is None:
            self.kept_client = super().client(**kwargs)
        return self.kept_client

    def close_client(self) -> None:
        """Stop the kept client's channels (before the kernel is stopped)."""
        if self.kept_client is not None:
            self.kept_client.stop_channels()
            self.kept_client = None

    def kill(self, wait: bool = True) -> None:
        """Kill the kernel's process group and remove its connection file; with ``wait=False``
        nothing blocks (for a signal handler, the process then ends). With ``wait``, the manager's
        own control socket and ZeroMQ context are closed too: a killed kernel's manager is never shut
        down by Jupyter, and each one left open kept 6 file descriptors (epoll, eventfds, sockets)
        until a long run, or many failing reports, ended in ``zmq ... Too many open files``."""
        process = getattr(self.provisioner, "process", None)
        if process is not None and process.poll() is None:
            try:
                os.killpg(process.pid, signal.SIGKILL)  # kernels run in a session of their own
            except (ProcessLookupError, PermissionError):
                process.kill()
            if wait:
                process.wait()
        self.cleanup_connection_file()
        if wait:
            self._close_control_socket()
            if self._created_context and not self.context.closed:
                self.context.destroy(linger=0)

    def reset(self, timeout: float = 60) -> bool:
        """Clear the kernel's namespace and execution counter; False if the kernel does not answer."""
        client = self.blocking_client()
        client.start_channels(hb=False)
        try:
            reply = client.execute_interactive(RESET_NAMESPACE, silent=True, store_history=False, timeout=timeout)
            return reply["content"]["status"] == "ok"
        except TimeoutError:
            return False
        finally:
            client.stop_channels()


_kernel: WarmKernelManager | None = None


def _stop_kernel() -> None:
    """Stop this worker's kernel, if it has one."""
    global _kernel
    if _kernel is not None:
        _kernel.close_client()
        _kernel.kill()
        _kernel = None


def _abandon(status: int) -> None:
    """Kill the kernel and leave at once, whatever the worker was doing (never blocks)."""
    if _kernel is not None:
        _kernel.kill(wait=False)
    os._exit(status)


def _terminated(signum: int, frame: object) -> None:
    signal.signal(signal.SIGTERM, signal.SIG_IGN)  # a second SIGTERM must not interrupt this one
    _abandon(128 + signum)


def _watch_parent(parent_pid: int) -> None:
    """Leave as soon as the orchestrating process is gone (killed without warning)."""
    while os.getppid() == parent_pid:
        time.sleep(PARENT_CHECK_SECONDS)
    _abandon(1)


def start_worker(parent_pid: int) -> None:
    """Set up a worker process: Ctrl-C is the orchestrator's to handle; SIGTERM, the parent's
    death and the worker's normal end all stop the kernel."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _terminated)
    threading.Thread(target=_watch_parent, args=(parent_pid,), daemon=True).start()
    atexit.register(_stop_kernel)


def warm_up() -> None:
    """Start this worker's kernel and import the reports' libraries in it, ahead of the first
    notebook (a run does this while it validates the workbook). A kernel that fails to
    start is discarded: the first notebook then tries again and reports the error."""
    global _kernel
    if _kernel is not None:
        return
    _kernel = WarmKernelManager()
    try:
        import nbformat

        notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(WARM_UP_CODE)])
        execute(notebook, None, {}, WARM_UP_SECONDS, _kernel)
    except Exception:  # noqa: BLE001 - see the docstring
        _stop_kernel()


def run_on_warm_kernel(task: ReportTask) -> NotebookRun:
    """:func:`~tjsl_eval.batch.execution.run_notebook` on this worker's kernel, started on first use.

    After a failure (an error in a cell, a timeout, a dead kernel) the kernel is discarded,
    so that the next notebook starts on a fresh one."""
    global _kernel
    if _kernel is not None and not _kernel.reset():
        _stop_kernel()  # it does not answer
    if _kernel is None:
        warm_up()
    if _kernel is None:  # it did not start: the notebook, on a kernel of its own, says why
        _kernel = WarmKernelManager()
    run = run_notebook(task, kernel_manager=_kernel)
    if run.error:
        _stop_kernel()
    return run


@contextmanager
def local_workers(jobs: int) -> Iterator[ProcessPoolExecutor]:
    """A pool of ``jobs`` worker processes, each started when first needed; on leaving it
    (an interrupt included) every worker and its kernel is stopped."""
    pool = ProcessPoolExecutor(
        max_workers=jobs,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=start_worker,
        initargs=(os.getpid(),),
    )
    try:
        yield pool
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)
        for child in multiprocessing.active_children():
            child.terminate()  # each stops its kernel (see start_worker)
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)

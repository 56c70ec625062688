"""Where a run's tasks execute: in local worker processes (notebooks on warm kernels, see
:mod:`tjsl_eval.batch.workers`), or on a Dask distributed cluster (each notebook on a kernel of
its own). Both take tasks and give back their results as they finish."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import as_completed
from contextlib import ExitStack, contextmanager
from functools import cached_property
from typing import Any, Protocol

from tjsl_eval.batch.execution import ReportTask, run_notebook
from tjsl_eval.common.problems import InputError, Problem

EXECUTORS = ("local", "dask")


class Runner(Protocol):
    slots: int  # how many tasks run at once

    def warm_up(self, workers: int) -> None:
        """Get ready to run notebooks while the run does other work."""

    def notebook(self, task: ReportTask) -> Any:
        """Start :func:`~tjsl_eval.batch.execution.run_notebook` for ``task``; return its future."""

    def task(self, function: Callable, *arguments: object) -> Any:
        """Start ``function(*arguments)`` (a module-level function); return its future."""

    def finished(self, futures: list) -> Iterator:
        """The futures' results, each as soon as it is ready."""


class LocalRunner:
    """Tasks in a pool of local worker processes, started with the first task (a run with
    nothing to do starts none, nor imports Jupyter's libraries)."""

    def __init__(self, jobs: int, stack: ExitStack) -> None:
        self.jobs, self.stack = jobs, stack

    @property
    def slots(self) -> int:
        return self.jobs

    @cached_property
    def pool(self) -> Any:
        from tjsl_eval.batch.workers import local_workers

        return self.stack.enter_context(local_workers(self.jobs))

    def warm_up(self, workers: int) -> None:
        """Start ``workers`` workers and their kernels now, without waiting for them."""
        from tjsl_eval.batch.workers import warm_up

        for _ in range(workers):
            self.pool.submit(warm_up)

    def notebook(self, task: ReportTask) -> Any:
        from tjsl_eval.batch.workers import run_on_warm_kernel

        return self.pool.submit(run_on_warm_kernel, task)

    def task(self, function: Callable, *arguments: object) -> Any:
        return self.pool.submit(function, *arguments)

    def finished(self, futures: list) -> Iterator:
        for future in as_completed(futures):
            yield future.result()


class DaskRunner:
    """Tasks on a Dask cluster; the workers need the package and see the same files."""

    def __init__(self, client: Any) -> None:
        self.client = client

    @property
    def slots(self) -> int:
        return sum(self.client.nthreads().values()) or 1

    def warm_up(self, workers: int) -> None:
        """Nothing to do: each notebook has a kernel of its own on the cluster."""

    def notebook(self, task: ReportTask) -> Any:
        return self.client.submit(run_notebook, task, pure=False)

    def task(self, function: Callable, *arguments: object) -> Any:
        return self.client.submit(function, *arguments, pure=False)

    def finished(self, futures: list) -> Iterator:
        from distributed import as_completed as dask_completed

        try:
            for future in dask_completed(futures):
                yield future.result()
        finally:
            self.client.cancel(futures)


@contextmanager
def open_runner(executor: str, jobs: int, scheduler: str | None) -> Iterator[Runner]:
    """A runner for the run: ``jobs`` local worker processes, or a client of the Dask
    ``scheduler``; everything it started is stopped on leaving (an interrupt included)."""
    if executor == "dask":
        try:
            from distributed import Client
        except ImportError:
            raise InputError(
                [Problem("--executor dask", message="needs the optional dask extra: pip install 'tjsl-eval[dask]'")]
            ) from None
        with Client(scheduler) as client:
            yield DaskRunner(client)
        return
    with ExitStack() as stack:
        yield LocalRunner(jobs, stack)

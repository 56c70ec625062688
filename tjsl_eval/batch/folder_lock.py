"""One run at a time in an output folder: an exclusive lock (``flock``) on ``<output folder>/.tjsl-eval.lock``.

A second run of the same review WAITS, saying so, until the first has finished, then does its own run
(which usually finds every report up to date). The lock file holds the id of the run that holds it
and is emptied when that run ends; the operating system releases the lock of a process that dies, so
a lock left by a killed run is recognised as stale: its file still names that run, and the next run
clears the temporary files it left (see :func:`leftovers`). A lock is only as good as ``flock`` on the
folder's file system (local disks: yes; some network shares: no).
"""

from __future__ import annotations

import fcntl
import os
import secrets
from collections.abc import Callable
from pathlib import Path

LOCK_NAME = ".tjsl-eval.lock"
RUNNING = ".running-"  # in a report's temporary files: .<report>.running-<run id>.ipynb (and .html)
HOLDER_BYTES = 200  # what is read of a lock file: one run id


class FolderLock:
    """The lock of one output folder, taken by :meth:`take` (after a run's checks, before its first write) and
    released on leaving the ``with`` block. ``run_id``: this run's id (process id and a random part), in its
    temporary file names; ``stale``: the id a killed run left in the lock file ("" after a normal end)."""

    def __init__(self, folder: Path, notice: Callable[[str], None] | None = None) -> None:
        """``notice`` is told why the run waits, and of a stale lock."""
        self.folder, self.notice = folder, notice
        self.run_id, self.stale = f"{os.getpid()}-{secrets.token_hex(4)}", ""
        self.handle: int | None = None

    def take(self) -> None:
        """Hold the folder's lock (creating the folder), waiting for another run that holds it; ``notice`` is
        told, once, why the run waits, and of a lock left by a killed run."""
        self.folder.mkdir(parents=True, exist_ok=True)
        self.handle = handle = os.open(self.folder / LOCK_NAME, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o644)
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if self.notice:
                holder = self._holder()
                self.notice(
                    f"{self.folder} is being written by another tjsl-eval run{f' (run {holder})' if holder else ''}; "
                    "waiting for it to finish (Ctrl-C to stop waiting)…"
                )
            fcntl.flock(handle, fcntl.LOCK_EX)
        self.stale = self._holder()
        if self.stale and self.notice:
            self.notice(f"{self.folder}: an earlier run (run {self.stale}) was killed; its lock is stale")
        os.ftruncate(handle, 0)
        os.pwrite(handle, f"{self.run_id}\n".encode(), 0)

    @property
    def taken(self) -> bool:
        return self.handle is not None

    def _holder(self) -> str:
        return os.pread(self.handle, HOLDER_BYTES, 0).decode("ascii", "replace").strip()

    def __enter__(self) -> FolderLock:
        return self

    def __exit__(self, *exception: object) -> None:
        if self.handle is not None:
            try:
                os.ftruncate(self.handle, 0)  # a normal end: the next run finds no stale holder
            finally:
                os.close(self.handle)  # releases the lock
                self.handle = None


def leftovers(folder: Path, own: set[str] | None) -> list[Path]:
    """The temporary files runs of tjsl-eval leave in ``folder`` when they are killed, and only those whose
    target is one of the ``own`` names (reports, and files the tool writes or its manifest records):
    ``.<name>.<random>.tmp`` (an atomic write) and ``.<report>.running-<run id>.ipynb`` or ``.html``. Call it
    holding the folder's lock (no other run is then writing). ``own`` None: the folder is the tool's own
    (``.cache``), every such file is a leftover."""
    found = []
    with os.scandir(folder) as entries:
        for entry in entries:
            name = entry.name
            if not name.startswith(".") or not entry.is_file(follow_symlinks=False):
                continue
            if name.endswith(".tmp"):
                target = name[1:].rsplit(".", 2)[0]
            elif RUNNING in name and name.endswith((".ipynb", ".html")):
                target = name[1:].partition(RUNNING)[0]
            else:
                continue
            if own is None or target in own:
                found.append(folder / name)
    return found

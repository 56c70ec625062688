"""Test hook (on ``PYTHONPATH`` of a run started by tests/test_batch.py): a worker that has just written a
report's HTML file stops there until it is terminated, so the test's Ctrl-C lands at the worst moment for
keeping that report (its files written, its result not yet back in the run), whatever the machine's load."""

import time
from pathlib import Path

from tjsl_eval.common import files

_write_atomic = files.write_atomic


def _write_then_hold(path: Path, content: str | bytes) -> None:
    _write_atomic(path, content)
    if path.suffix == ".html" and path.name != "index.html":
        time.sleep(3600)  # ended by the interrupted run's SIGTERM (see tjsl_eval/batch/workers.py)


files.write_atomic = _write_then_hold

"""The run's cache files in ``<output folder>/.cache``: their names and their format (pickles),
shared by the batch that writes them and the report notebooks that read them. Only files this
package wrote are ever read back."""

from __future__ import annotations

import pickle
from pathlib import Path

from tjsl_eval.common.files import write_atomic

CACHE_FOLDER = ".cache"
WORKBOOK_CACHE, ENTRIES_CACHE = "workbook.pkl", "entries.pkl"  # file names inside the cache folder


def save_cached(data: object, path: Path) -> None:
    """Write typed tables (a whole workbook, one group's rows) or computed figures for a later read."""
    write_atomic(path, pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL))


def load_cached(path: str | Path, kind: type) -> object:
    """Read what :func:`save_cached` wrote, checking it is a ``kind``."""
    with open(path, "rb") as file:
        loaded = pickle.load(file)  # noqa: S301 - the run's own cache, never user input
    if not isinstance(loaded, kind):
        raise ValueError(f"{path} is not a tjsl-eval cache file of {kind.__name__}")
    return loaded

"""A report's receipt: what the worker that made it would tell the run, kept in a file until the run has it.

A worker writes ``<output folder>/.cache/<report>.receipt.json`` (the report's input fingerprints, its
outputs' hashes, its duration and error) once every file of the report but its HTML file is written, then
the HTML file. The run deletes a receipt when it records the report's result in ``manifest.json``. A run
that is interrupted (Ctrl-C) or killed before it has a worker's result therefore still keeps that report:
it, or else the next run, records the receipts it finds (``Manifest.adopt``). Recording one is always
safe: the manifest checks the outputs' hashes, so a report whose files are not (or no longer) those of its
receipt is found stale and made again.
"""

from __future__ import annotations

from pathlib import Path

from tjsl_eval.common.cache_files import CACHE_FOLDER
from tjsl_eval.common.files import REPORT_FORMATS, bounded_json, json_text, write_atomic
from tjsl_eval.common.limits import JSON_DEPTH

SUFFIX = ".receipt.json"
RECEIPT_BYTES = 1_000_000  # a receipt is a few hundred bytes; a larger file is not one


def receipt_path(output_path: Path, name: str) -> Path:
    """Where report ``name``'s receipt is kept."""
    return output_path / CACHE_FOLDER / f"{name}{SUFFIX}"


def write_receipt(
    output_path: Path, name: str, inputs: dict[str, str], outputs: dict[str, str], seconds: float, error: str | None
) -> None:
    """Keep report ``name``'s result (see :meth:`~tjsl_eval.batch.manifest.Manifest.record`) until the run has it."""
    path = receipt_path(output_path, name)
    path.parent.mkdir(exist_ok=True)
    record = {"name": name, "inputs": inputs, "outputs": outputs, "seconds": seconds, "error": error}
    write_atomic(path, json_text(record))


def read_receipt(path: Path, name: str) -> dict | None:
    """The receipt in ``path`` if it is one of report ``name`` (its outputs only ``name``'s own files), else None."""
    try:
        if path.is_symlink() or path.stat().st_size > RECEIPT_BYTES:
            return None
        record = bounded_json(path.read_text(encoding="utf-8"), JSON_DEPTH)
    except (OSError, ValueError):
        return None
    if not isinstance(record, dict) or record.get("name") != name:
        return None
    inputs, outputs = record.get("inputs"), record.get("outputs")
    if not (isinstance(inputs, dict) and isinstance(outputs, dict)):
        return None
    texts = all(isinstance(value, str) for mapping in (inputs, outputs) for value in [*mapping, *mapping.values()])
    own = set(outputs) <= {f"{name}.{kind}" for kind in (*REPORT_FORMATS, "ipynb")}
    seconds, error = record.get("seconds"), record.get("error")
    valid = texts and own and isinstance(seconds, int | float) and isinstance(error, str | None)
    return record if valid else None

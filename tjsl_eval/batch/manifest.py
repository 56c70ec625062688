"""What each report was made from: input fingerprints, output hashes, versions, durations.

``manifest.json`` in a review's output folder lets a run re-execute only the reports whose
inputs changed (their group's data, their notebook parameters, the notebook, the package's
code or the libraries), tells ``tjsl-eval status`` why a report is stale, and lets a run
refuse to overwrite a folder made by another review. It also records the SHA-256 of the
review's own files (``files``: metrics.json, index.html, …) and of the files it is made from
(``sources``, by their name in an archive), and the environment (Python, platform, package
version, lock file hash), for ``tjsl-eval archive`` and ``tjsl-eval verify``.
"""

from __future__ import annotations

import hashlib
import platform
from dataclasses import dataclass, field
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING

from tjsl_eval import __version__
from tjsl_eval.batch import execution
from tjsl_eval.batch.environment import environment
from tjsl_eval.batch.execution import PORTFOLIO_NAME
from tjsl_eval.batch.receipts import read_receipt, receipt_path
from tjsl_eval.batch.unchanged import package_fingerprint
from tjsl_eval.common.files import bounded_json, json_text, sha256_file, sha256_text, write_atomic
from tjsl_eval.common.limits import JSON_DEPTH, MANIFEST_BYTES
from tjsl_eval.inputs.photos import HASH_COLUMN
from tjsl_eval.inputs.workbook import Workbook

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

MANIFEST_NAME = "manifest.json"
LIBRARIES = (
    "babel",
    "ipykernel",
    "markdown-it-py",
    "matplotlib",
    "nbconvert",
    "nbformat",
    "nh3",
    "openpyxl",
    "pandas",
    "pandera",
    "papermill",
    "pillow",
    "python-calamine",
    "python-docx",
    "python-pptx",
)
REASONS = {
    "data": "its data changed",
    "photos": "its photos changed",
    "narrative": "its narrative or DAC judgement changed",
    "params": "the review's params changed",
    "notebook": "the notebook changed",
    "code": "the package or a library changed",
}


@cache
def library_versions() -> dict[str, str]:
    """Python, tjsl-eval and the report libraries' versions."""
    versions = {"python": platform.python_version(), "tjsl-eval": __version__}
    versions.update({name: metadata.version(name) for name in LIBRARIES})
    return versions


@cache
def code_fingerprint() -> str:
    """A hash of the package's source and texts and of the library versions."""
    return sha256_text(package_fingerprint(), json_text(library_versions()))


# Sheets whose rows are hashed without their row numbers (their order within a group still counts): adding or
# removing a photo, a narrative, follow-up, approval or beneficiary row changes its group's fingerprint only, not
# those of the groups below it (an approval of the whole review is every group's).
UNNUMBERED_SHEETS = ("narrative", "photos", "dac_judgement", "follow_up", "approval", "beneficiaries")


def data_fingerprint(data: Workbook) -> str:
    """A hash of every row of every sheet of ``data`` (a group's rows, or a whole workbook)."""
    return _fingerprint(data.tables, {name: _sheet_row_hashes(name, table) for name, table in data.tables.items()})


def _sheet_row_hashes(name: str, table: pd.DataFrame) -> np.ndarray:
    return row_hashes(table, numbered=name not in UNNUMBERED_SHEETS)


# The parts of a group's data whose changes ``tjsl-eval status`` names (besides "its data changed"): the sheets of each.
EVALUATOR_PARTS = {"photos": ("photos",), "narrative": ("narrative", "dac_judgement")}


def group_fingerprints(workbook: Workbook, sheets: tuple[str, ...] | None = None) -> dict[str, str]:
    """:func:`data_fingerprint` of each group's rows (of ``sheets`` only, when given), each sheet's rows hashed once."""
    tables = {name: table for name, table in workbook.tables.items() if sheets is None or name in sheets}
    hashes = {name: _sheet_row_hashes(name, table) for name, table in tables.items()}
    return {
        group_id: _fingerprint(tables, {name: hashes[name][rows[name]] for name in tables})
        for group_id, rows in workbook.group_rows().items()
    }


def part_fingerprints(workbook: Workbook) -> dict[str, dict[str, str]]:
    """For each group, the fingerprint of each of its :data:`EVALUATOR_PARTS`."""
    parts = {part: group_fingerprints(workbook, sheets) for part, sheets in EVALUATOR_PARTS.items()}
    return {group_id: {part: parts[part][group_id] for part in parts} for group_id in workbook.group_ids}


def portfolio_fingerprint(workbook: Workbook) -> str:
    """:func:`data_fingerprint` of the whole workbook but the photos' bytes: the data of the portfolio summary,
    which counts each group's photos but shows none (the programme-wide narrative included)."""
    tables = {**workbook.tables, "photos": workbook.tables["photos"].drop(columns=HASH_COLUMN)}
    return data_fingerprint(Workbook(workbook.source, tables))


def row_hashes(table: pd.DataFrame, numbered: bool = True) -> np.ndarray:
    """A 64-bit hash of each row of ``table``: its row number (unless not ``numbered``) and values (text
    columns and lists of SDGs as text), the same in any table with the same columns."""
    from pandas.util import hash_pandas_object

    as_hashed = table.apply(lambda column: column.astype(str) if column.dtype == object else column)
    return hash_pandas_object(as_hashed, index=numbered, categorize=False).to_numpy()


def _fingerprint(tables: dict[str, pd.DataFrame], hashes: dict[str, np.ndarray]) -> str:
    """The SHA-256 of each sheet's name, columns and types, and its rows' hashes."""
    digest = hashlib.sha256()
    for name in sorted(tables):
        columns = ",".join(f"{column}:{dtype}" for column, dtype in tables[name].dtypes.items())
        digest.update(f"{name}\0{columns}\0".encode())
        digest.update(hashes[name].astype("<u8").tobytes())
    return digest.hexdigest()


def input_fingerprints(
    data: str, parameters: dict[str, object], notebook: Path | None = None, parts: dict[str, str] | None = None
) -> dict[str, str]:
    """The fingerprint of everything a report depends on, by kind of input: its data (the
    :func:`data_fingerprint` of a group's rows, or of the whole workbook for the portfolio),
    for a group also its photos and narrative (``parts``, see :func:`part_fingerprints`),
    its parameters, its notebook, the code."""
    return {
        "data": data,
        **(parts or {}),
        "params": sha256_text(json_text(parameters)),
        "notebook": sha256_file(notebook or execution.GROUP_NOTEBOOK),
        "code": code_fingerprint(),
    }


def _names_to_text(mapping: dict) -> bool:
    """Whether every key and value of ``mapping`` is text (names and hashes, as a manifest records them)."""
    return all(isinstance(key, str) and isinstance(value, str) for key, value in mapping.items())


@dataclass
class Manifest:
    """The manifest of one output folder."""

    path: Path
    review: dict[str, str] = field(default_factory=dict)  # which params file and workbook made it
    reports: dict[str, dict] = field(default_factory=dict)  # by report name: a group id, or "portfolio"
    files: dict[str, str] = field(default_factory=dict)  # the review's files (metrics.json, …): name -> sha256
    sources: dict[str, str] = field(default_factory=dict)  # the files it is made from, by archive name -> sha256
    environment: dict[str, str | None] = field(default_factory=dict)  # as recorded when it was saved

    @classmethod
    def load(cls, output_path: Path) -> Manifest:
        """The folder's manifest, or an empty one when there is none (or it is unreadable, or over the limits)."""
        path = output_path / MANIFEST_NAME
        try:
            if path.stat().st_size > MANIFEST_BYTES:
                return cls(path)
            return cls.parse(path, path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cls(path)

    @classmethod
    def parse(cls, path: Path, text: str) -> Manifest:
        """The manifest whose JSON is ``text``, or an empty one when it is not a manifest; :class:`ValueError`
        when its nesting is over :data:`~tjsl_eval.common.limits.JSON_DEPTH`."""
        data = bounded_json(text, JSON_DEPTH)
        try:
            reports = dict(data["groups"])
            if data.get(PORTFOLIO_NAME):
                reports[PORTFOLIO_NAME] = data[PORTFOLIO_NAME]
            files, sources, environment = (dict(data.get(key) or {}) for key in ("files", "sources", "environment"))
            outputs = [dict(entry.get("outputs") or {}) for entry in reports.values()]
            if not all(_names_to_text(names) for names in (files, sources, data["review"], *outputs)):
                return cls(path)
            return cls(path, dict(data["review"]), reports, files, sources, environment)
        except (ValueError, KeyError, TypeError, AttributeError):
            return cls(path)

    def save(self) -> None:
        groups = {name: entry for name, entry in self.reports.items() if name != PORTFOLIO_NAME}
        write_atomic(
            self.path,
            json_text(
                {
                    "review": self.review,
                    "versions": library_versions(),
                    "environment": environment(),
                    "files": self.files,
                    "sources": self.sources,
                    "groups": groups,
                    PORTFOLIO_NAME: self.reports.get(PORTFOLIO_NAME),
                }
            ),
        )

    def stale_reasons(self, name: str, inputs: dict[str, str]) -> list[str]:
        """Why a report must be made again; empty when it is up to date."""
        entry = self.reports.get(name)
        if entry is None:
            return ["it has not been made yet"]
        if entry.get("error"):
            return ["it failed last time"]
        made_from = entry.get("inputs", {})
        reasons = [REASONS[kind] for kind in REASONS if kind in inputs and made_from.get(kind) != inputs[kind]]
        for name, digest in entry.get("outputs", {}).items():
            output = self.path.parent / name
            if not output.exists():
                reasons.append(f"{name} is missing")
            elif sha256_file(output) != digest:
                reasons.append(f"{name} was changed after it was made")
        return reasons

    def adopt(self, names: list[str]) -> list[str]:
        """Record (and save) the receipts of reports ``names`` that workers left in the folder, then delete them
        (see :mod:`~tjsl_eval.batch.receipts`); the names recorded. Call it holding the folder's lock, with no
        worker running."""
        adopted = []
        for name in names:
            record = read_receipt(receipt_path(self.path.parent, name), name)
            if record is not None:
                self.record(name, record["inputs"], record["outputs"], record["seconds"], record["error"])
                adopted.append(name)
        if adopted:
            self.save()
        for name in names:
            receipt_path(self.path.parent, name).unlink(missing_ok=True)
        return adopted

    def record(
        self, name: str, inputs: dict[str, str], outputs: dict[str, str], seconds: float, error: str | None
    ) -> None:
        self.reports[name] = {
            "inputs": inputs,
            "outputs": outputs,
            "seconds": round(seconds, 3),
            "versions": library_versions(),
            **({"error": error} if error else {}),
        }

"""What each report was made from: input fingerprints, output hashes, versions, durations.

``manifest.json`` in a review's output folder lets a run re-execute only the reports whose
inputs changed (their group's data, their notebook parameters, the notebook, the package's
code or the libraries), tells ``tjsl-eval status`` why a report is stale, and lets a run
refuse to overwrite a folder made by another review.
"""

from __future__ import annotations

import json
import platform
from dataclasses import dataclass, field
from functools import cache
from importlib import metadata
from pathlib import Path

from tjsl_eval import __version__
from tjsl_eval import execution
from tjsl_eval.files import json_text, sha256_file, sha256_text, write_atomic
from tjsl_eval.workbook import Workbook

MANIFEST_NAME = "manifest.json"
PACKAGE_FOLDER = Path(__file__).resolve().parent
LIBRARIES = ("babel", "ipykernel", "matplotlib", "nbconvert", "nbformat", "openpyxl", "pandas", "pandera",
             "papermill")
REASONS = {
    "data": "its group's data changed",
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
    files = sorted(p for p in PACKAGE_FOLDER.rglob("*") if p.suffix in {".py", ".yaml", ".tpl", ".j2", ".css"})
    parts = [f"{p.relative_to(PACKAGE_FOLDER).as_posix()}={sha256_file(p)}" for p in files]
    return sha256_text(*parts, json_text(library_versions()))


def data_fingerprint(group_data: Workbook) -> str:
    """A hash of one group's rows in every sheet (programme-wide FGD inputs included)."""
    parts = []
    for name in sorted(group_data.tables):
        parts += [name, group_data.tables[name].to_csv(lineterminator="\n")]
    return sha256_text(*parts)


def input_fingerprints(group_data: Workbook, parameters: dict[str, object]) -> dict[str, str]:
    """The fingerprint of everything a group's report depends on, by kind of input."""
    return {
        "data": data_fingerprint(group_data),
        "params": sha256_text(json_text(parameters)),
        "notebook": sha256_file(execution.GROUP_NOTEBOOK),
        "code": code_fingerprint(),
    }


@dataclass
class Manifest:
    """The manifest of one output folder."""

    path: Path
    review: dict[str, str] = field(default_factory=dict)  # which params file and workbook made it
    groups: dict[str, dict] = field(default_factory=dict)

    @classmethod
    def load(cls, output_path: Path) -> Manifest:
        """The folder's manifest, or an empty one when there is none (or it is unreadable)."""
        path = output_path / MANIFEST_NAME
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return cls(path, dict(data["review"]), dict(data["groups"]))
        except (OSError, ValueError, KeyError, TypeError):
            return cls(path)

    def save(self) -> None:
        write_atomic(self.path, json_text({"review": self.review, "versions": library_versions(),
                                           "groups": self.groups}))

    def stale_reasons(self, group_id: str, inputs: dict[str, str]) -> list[str]:
        """Why a group's report must be made again; empty when it is up to date."""
        entry = self.groups.get(group_id)
        if entry is None:
            return ["it has not been made yet"]
        if entry.get("error"):
            return ["it failed last time"]
        reasons = [REASONS[kind] for kind in REASONS if entry.get("inputs", {}).get(kind) != inputs[kind]]
        for name, digest in entry.get("outputs", {}).items():
            output = self.path.parent / name
            if not output.exists():
                reasons.append(f"{name} is missing")
            elif sha256_file(output) != digest:
                reasons.append(f"{name} was changed after it was made")
        return reasons

    def record(self, group_id: str, inputs: dict[str, str], outputs: dict[str, str], seconds: float,
               error: str | None) -> None:
        self.groups[group_id] = {"inputs": inputs, "outputs": outputs, "seconds": round(seconds, 3),
                                 "versions": library_versions(), **({"error": error} if error else {})}

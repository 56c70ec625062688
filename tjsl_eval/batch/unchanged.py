"""A run or status with nothing to do, known from file hashes alone (no pandas, no Jupyter library imported).

After a run that leaves every report of the review up to date, ``<output folder>/.cache/unchanged.json``
records the SHA-256 of every input file (:func:`input_files`: the params file, the workbook or each CSV file
of its folder, the notebooks, the Office reference documents), the fingerprint of the code (every file of the
package, and the installed distributions: see :func:`environment_fingerprint`), the report formats, the
review's report names, and the size and modification time of every output. When all of them are the same,
`run` and `status` answer at once; when anything differs (or there is no record) they fall back to the full
check, which compares each group's data fingerprint and decides which reports are stale. Any run that does not
end with every report up to date removes the record first.
"""

from __future__ import annotations

import os
import platform
import sys
from pathlib import Path

from tjsl_eval.batch.execution import GROUP_NOTEBOOK, PORTFOLIO_NOTEBOOK
from tjsl_eval.common.cache_files import CACHE_FOLDER
from tjsl_eval.common.files import OFFICE_FORMATS, bounded_json, json_text, sha256_file, sha256_text, write_atomic
from tjsl_eval.common.limits import JSON_DEPTH, MANIFEST_BYTES
from tjsl_eval.inputs.params import Review
from tjsl_eval.inputs.sources import workbook_files

RECORD_NAME = "unchanged.json"
PACKAGE_FOLDER = Path(__file__).resolve().parents[1]
CODE_SUFFIXES = {".py", ".yaml", ".tpl", ".j2", ".css", ".json"}
_DISTRIBUTION_SUFFIXES = (".dist-info", ".egg-info", ".egg-link", ".pth")
_LIBRARY_FOLDERS = {"site-packages", "dist-packages"}  # where installers put libraries


def input_files(review: Review, photos: list[Path]) -> list[Path]:
    """Every file whose bytes the review's reports are made from: the params file, the workbook, the survey
    exports the params name, the photos it references (as the last complete run found them: while the
    workbook's bytes stay the same, so does that list), the notebooks, the Word and PowerPoint reference
    documents and the brand's logo the params name. The no-op check hashes exactly these files."""
    references = [path for kind in OFFICE_FORMATS if (path := review.reference_path(kind))]
    references += [review.brand.logo] if review.brand.logo else []
    return [
        review.params_path,
        *workbook_files(review.workbook_source),
        *(export.path for export in review.survey_exports),
        *photos,
        GROUP_NOTEBOOK,
        PORTFOLIO_NOTEBOOK,
        *references,
    ]


def package_fingerprint() -> str:
    """A hash of the package's source and texts (every file :func:`code_fingerprint` of the manifest counts)."""
    files = sorted(p for p in PACKAGE_FOLDER.rglob("*") if p.suffix in CODE_SUFFIXES)
    return sha256_text(*(f"{p.relative_to(PACKAGE_FOLDER).as_posix()}={sha256_file(p)}" for p in files))


def environment_fingerprint() -> str:
    """A cheap hash of the installed libraries: the interpreter, and the name (``pandas-3.1.1.dist-info``) and
    modification time of every distribution's metadata entry in the library folders (``site-packages``) on
    ``sys.path``. Installing, upgrading, removing or reinstalling a library changes it, without reading any
    metadata (``importlib.metadata`` is slow); the working folder does not."""
    entries = [sys.version, sys.executable]
    for folder in sys.path:
        if Path(folder).name not in _LIBRARY_FOLDERS:
            continue  # the script's or working folder (a project's own *.egg-info is no installed library)
        try:
            with os.scandir(folder or ".") as listing:
                found = [entry for entry in listing if entry.name.endswith(_DISTRIBUTION_SUFFIXES)]
        except OSError:
            continue
        entries += sorted(f"{folder}/{entry.name}:{entry.stat().st_mtime_ns}" for entry in found)
    return sha256_text(platform.platform(), *entries)


def _record_path(review: Review) -> Path:
    return review.output_path / CACHE_FOLDER / RECORD_NAME


def _stamp(path: Path) -> list[int] | None:
    try:
        status = path.stat()
    except OSError:
        return None
    return [status.st_size, status.st_mtime_ns]


def _read_record(review: Review) -> dict:
    path = _record_path(review)
    try:
        if path.stat().st_size > MANIFEST_BYTES:
            return {}
        record = bounded_json(path.read_text(encoding="utf-8"), JSON_DEPTH)
    except (OSError, ValueError):
        return {}
    return record if isinstance(record, dict) else {}


def _state(review: Review, photos: list[Path]) -> dict[str, object]:
    """What the record compares: the inputs' hashes and the code's fingerprint."""
    return {
        "inputs": {str(path): sha256_file(path) if path.is_file() else None for path in input_files(review, photos)},
        "code": sha256_text(package_fingerprint(), environment_fingerprint()),
    }


class NoOpCheck:
    """The no-op check of one review: :meth:`reports` before any work, :meth:`remember` after a run that left
    every report up to date (with the state taken before that run read its inputs)."""

    def __init__(self, review: Review):
        self.review = review
        self.record = _read_record(review)
        self.photos = [Path(name) for name in self.record.get("photos", ())]
        self.before = _state(review, self.photos)

    def reports(self, formats: tuple[str, ...] = ()) -> list[str] | None:
        """The review's report names when nothing changed since the record (every output present, in each
        of ``formats`` too); None when the full check must decide."""
        record = self.record
        if record.get("state") != self.before:
            return None
        if not set(formats) <= set(record.get("formats", ())):
            return None
        outputs = record.get("outputs", {})
        if any(_stamp(self.review.output_path / name) != stamp for name, stamp in outputs.items()):
            return None
        return list(record.get("reports", ()))

    @staticmethod
    def forget(review: Review) -> None:
        """Remove the record (a run is about to change the folder)."""
        _record_path(review).unlink(missing_ok=True)

    def remember(self, reports: list[str], outputs: list[str], formats: tuple[str, ...], photos: list[Path]) -> None:
        """Record that ``reports`` are up to date with the inputs as they were when this check was made;
        ``photos``: the photo files the workbook references."""
        if _state(self.review, self.photos) != self.before:
            return  # an input changed during the run: the next run does the full check
        stamps = {name: _stamp(self.review.output_path / name) for name in sorted(set(outputs))}
        record = {
            "state": _state(self.review, photos),
            "photos": [str(path) for path in photos],
            "formats": sorted(formats),
            "reports": reports,
            "outputs": stamps,
        }
        write_atomic(_record_path(self.review), json_text(record))

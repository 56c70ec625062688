"""``tjsl-eval verify``: a review checked against its manifest, file by file.

A review is a review archive (the zip ``tjsl-eval archive`` writes, checked and hashed where it
lies, never extracted; or the folder it was unzipped to) or a review's output folder (whose inputs
are then found where the review was made). Every output is checked against the SHA-256 the manifest
records for it, and every input against the SHA-256 of its ``sources``; a file that is changed,
added or missing is named. Nothing is run, and no cache is read.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from tjsl_eval.batch.archive import OUTPUTS, README_NAME, group_reports, readme_text, recorded_outputs, workbook_digest
from tjsl_eval.batch.archive_reader import checked_archive
from tjsl_eval.batch.manifest import MANIFEST_NAME, Manifest
from tjsl_eval.batch.sources import content, digest, review_sources
from tjsl_eval.common.limits import MANIFEST_BYTES
from tjsl_eval.common.problems import InputError, Problem
from tjsl_eval.inputs.params import load_review
from tjsl_eval.inputs.workbook import Workbook, load_workbook

if TYPE_CHECKING:
    from tjsl_eval.batch.sources import Source

MANIFEST_ENTRY = str(OUTPUTS / MANIFEST_NAME)


@dataclass
class ReviewFiles:
    """The files of a review by their name in an archive (a path, bytes made for the check, or a
    checked zip entry), its manifest, and whether it is an archive (which has a ``README.txt``)."""

    files: dict[str, Source]
    manifest: Manifest
    archive: bool


def _folder_files(folder: Path) -> dict[str, Source]:
    """Every regular file under ``folder`` (no symbolic link), by its path relative to it."""
    return {
        path.relative_to(folder).as_posix(): path
        for path in sorted(folder.rglob("*"))
        if path.is_file() and not path.is_symlink()
    }


def output_files(folder: Path) -> dict[str, Source]:
    """The files of a review's output folder (hidden files and ``.cache`` aside), by their name in an archive."""
    return {
        str(OUTPUTS / path.name): path for path in sorted(folder.iterdir()) if path.is_file() and path.name[0] != "."
    }


def _output_folder_files(folder: Path, manifest: Manifest) -> dict[str, Source]:
    """The files of a review's output folder and, where the review was made, the files it was made from."""
    files = output_files(folder)
    review = load_review(folder / manifest.review.get("params_file", ""))
    try:
        # never the run's cache: verify reads none
        workbook = load_workbook(review.workbook_source, review.survey_exports)
    except InputError:  # changed or gone: it is then named, its photos missing
        workbook = Workbook(review.workbook_source, {})
    files.update(review_sources(review, workbook))
    return files


def _loaded_manifest(folder: Path, label: str) -> Manifest:
    manifest = Manifest.load(folder)
    if not manifest.review:
        raise InputError(
            [Problem(label, message=f"no readable {MANIFEST_NAME}: not a review archive or review folder")]
        )
    return manifest


def _archive_manifest(files: dict[str, Source], label: str) -> Manifest:
    """The manifest of a checked archive (see :mod:`~tjsl_eval.batch.archive_reader`), within the limits."""
    entry = files.get(MANIFEST_ENTRY)
    if entry is None:
        raise InputError([Problem(label, message=f"has no {MANIFEST_ENTRY}: not a review archive")])
    if entry.size > MANIFEST_BYTES:
        limit = f"the limit is {MANIFEST_BYTES // 1024**2} MB"
        raise InputError([Problem(label, message=f"{MANIFEST_ENTRY} is {entry.size:,} bytes; {limit}")])
    try:
        manifest = Manifest.parse(Path(MANIFEST_ENTRY), content(entry).decode("utf-8"))
    except ValueError as error:
        raise InputError([Problem(label, message=f"{MANIFEST_ENTRY} is not a readable manifest: {error}")]) from None
    if not manifest.review:
        raise InputError([Problem(label, message=f"no readable {MANIFEST_ENTRY}: not a review archive")])
    return manifest


def opened_review(path: Path) -> ReviewFiles:
    """The review at ``path``: a zip archive (checked and hashed where it lies, see
    :func:`~tjsl_eval.batch.archive_reader.checked_archive`), an unzipped archive, or a review's output
    folder. Raises :class:`InputError` when it is none of them, or an archive over the limits."""
    label = str(path)
    if path.is_file():
        files = checked_archive(path)
        return ReviewFiles(files, _archive_manifest(files, label), True)
    if (path / OUTPUTS / MANIFEST_NAME).is_file():
        return ReviewFiles(_folder_files(path), _loaded_manifest(path / OUTPUTS, label), True)
    if (path / MANIFEST_NAME).is_file():
        manifest = _loaded_manifest(path, label)
        return ReviewFiles(_output_folder_files(path, manifest), manifest, False)
    raise InputError([Problem(label, message="is neither a review archive (.zip or unzipped) nor a review folder")])


def expected_hashes(review: ReviewFiles) -> dict[str, str]:
    """The SHA-256 of every file the review must hold, by name (its manifest aside)."""
    expected = {**recorded_outputs(review.manifest), **review.manifest.sources}
    if review.archive:
        expected[README_NAME] = hashlib.sha256(readme_text(review.manifest).encode("utf-8")).hexdigest()
    return expected


def _present(source: Source) -> bool:
    return isinstance(source, bytes) or source.is_file()


@dataclass
class Verification:
    """What :func:`verify` found: the differences (empty when the review is as it was made)."""

    manifest: Manifest
    checked: int  # files checked, the manifest among them
    differences: list[str]  # e.g. "changed: outputs/BSM-01.html"

    def summary(self) -> str:
        """``verified: 10 reports, 47 files, made from sample sha256 …``, or how many files differ."""
        if self.differences:
            return f"{len(self.differences)} file(s) differ from {MANIFEST_NAME}: the review is not as it was made"
        workbook = self.manifest.review.get("workbook")
        return (
            f"verified: {group_reports(self.manifest)} reports, {self.checked} files, "
            f"made from {workbook} sha256 {workbook_digest(self.manifest)}"
        )


def compare(files: dict[str, Source], expected: dict[str, str]) -> list[str]:
    """Each file of ``files`` that is changed, missing or added against the ``expected`` hashes."""
    differences = []
    for name in sorted(expected.keys() | files.keys() - {MANIFEST_ENTRY}):
        source = files.get(name)
        if name not in expected:
            differences.append(f"added: {name}")
        elif source is None or not _present(source):
            differences.append(f"missing: {name}")
        elif digest(source) != expected[name]:
            differences.append(f"changed: {name}")
    return differences


def verify(path: Path) -> Verification:
    """Check the review at ``path`` (see :func:`opened_review`) against its manifest."""
    review = opened_review(path)
    expected = expected_hashes(review)
    return Verification(review.manifest, len(expected) + 1, compare(review.files, expected))

"""``tjsl-eval verify --rerun``: a review made again from its archived inputs, and every output
compared byte for byte with the archived one.

Nothing is run from an archive that a plain ``verify`` refuses. The review is made in a temporary
folder, with the installed code, notebooks and nbconvert template, from the archived params file,
workbook (and photos) and Word and PowerPoint reference documents (data, never run). When the archived
notebooks, template or lock file differ from the installed ones the rerun is refused, naming them,
unless ``trust_archive`` (``--trust-archive``) is given: then the ARCHIVED NOTEBOOKS RUN, as the
current user, with warnings naming what differs (the template stays the installed one). The
executed ``.ipynb`` files (Papermill records times and paths in them), ``run.log`` (it tells
what the run did, e.g. which reports were already up to date) and ``manifest.json``
(durations) are not compared.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from tjsl_eval.batch import execution
from tjsl_eval.batch.archive import OUTPUTS, recorded_outputs
from tjsl_eval.batch.archive_reader import ArchivedFile, extract
from tjsl_eval.batch.cache import remember_workbook
from tjsl_eval.batch.environment import LOCK_FILE, LOCK_NAME, environment_differences
from tjsl_eval.batch.manifest import MANIFEST_NAME, Manifest
from tjsl_eval.batch.run import run_review
from tjsl_eval.batch.sources import (
    INPUTS,
    NOTEBOOK_FOLDER,
    PARAMS_FOLDER,
    REFERENCE_KINDS,
    TEMPLATE_ARCHIVED,
    archived_reference,
    archived_workbook,
    content,
    digest,
    template_files,
)
from tjsl_eval.batch.verify import ReviewFiles, compare, expected_hashes, opened_review, output_files
from tjsl_eval.common.files import REPORT_FORMATS
from tjsl_eval.common.problems import InputError, Problem
from tjsl_eval.inputs.params import Review, load_review
from tjsl_eval.inputs.workbook import SAMPLE_NAME, load_workbook

if TYPE_CHECKING:
    from tjsl_eval.batch.sources import Source

NOT_COMPARED = (".ipynb", "run.log", MANIFEST_NAME)
TEXT_SUFFIXES = {".html", ".json", ".csv", ".log", ".txt", ".md"}
SHOWN = 60  # characters shown around a first difference


class RelocatedReview(Review):
    """A review whose workbook, reference documents and output folder are elsewhere than its
    params file says: its params stay as written (as ``metrics.json`` shows them)."""

    def relocate(self, workbook: Path, output: Path, references: dict[str, Path]) -> RelocatedReview:
        object.__setattr__(self, "_workbook", str(workbook))
        object.__setattr__(self, "_output", output)
        object.__setattr__(self, "_references", references)
        return self

    def reference_path(self, kind: str) -> Path | None:
        return self.__dict__["_references"].get(kind)

    @property
    def workbook_source(self) -> str:
        return self.__dict__["_workbook"]

    @property
    def output_path(self) -> Path:
        return self.__dict__["_output"]


@dataclass
class Rerun:
    """What :func:`rerun_review` found."""

    differences: list[str] = field(default_factory=list)  # each differing output, with its first difference
    warnings: list[str] = field(default_factory=list)  # how the rerun's environment differs from the review's

    def summary(self) -> str:
        if self.differences:
            return f"{len(self.differences)} output(s) differ from the archived ones"
        return "identical"


def compared(name: str) -> bool:
    """Whether an output is compared byte for byte."""
    return not name.endswith(NOT_COMPARED)


def _snippet(line: str, column: int) -> str:
    start = max(0, column - SHOWN // 2)
    return ("…" if start else "") + line[start : start + SHOWN] + ("…" if len(line) > start + SHOWN else "")


def first_difference(name: str, archived: bytes, made: bytes) -> str:
    """Where two versions of a file first differ: a line and its text for a text file, else a byte offset."""
    if PurePosixPath(name).suffix in TEXT_SUFFIXES:
        old, new = (data.decode("utf-8", "replace").splitlines() for data in (archived, made))
        for number, (before, after) in enumerate(zip(old, new, strict=False), start=1):
            if before != after:
                column = next((i for i, (a, b) in enumerate(zip(before, after, strict=False)) if a != b), 0)
                return f"line {number}: archived {_snippet(before, column)!r}, made again {_snippet(after, column)!r}"
        return f"line {min(len(old), len(new)) + 1}: the {'archived' if len(old) < len(new) else 'new'} file ends there"
    offset = next((i for i, (a, b) in enumerate(zip(archived, made, strict=False)) if a != b), None)
    if offset is None:
        return f"byte {min(len(archived), len(made))}: one file is longer ({len(archived)} and {len(made)} bytes)"
    return f"byte {offset}: archived 0x{archived[offset]:02x}, made again 0x{made[offset]:02x}"


def _write_inputs(review: ReviewFiles, folder: Path) -> None:
    """Extract the review's inputs into ``folder``, refused when its disk has not room for them."""
    inputs = {name: source for name, source in review.files.items() if name.startswith(f"{INPUTS}/")}
    needed = sum(len(source) if isinstance(source, bytes) else _size(source) for source in inputs.values())
    free = shutil.disk_usage(folder).free
    if needed > free:
        room = f"the inputs need {needed / 1024**2:,.0f} MB and {folder} has {free / 1024**2:,.0f} MB free"
        raise InputError([Problem(str(folder), message=f"{room}: free some space, or set TMPDIR to a larger disk")])
    extract([source for source in inputs.values() if isinstance(source, ArchivedFile)], folder)
    for name, source in inputs.items():
        path = folder / name
        if isinstance(source, Path):
            path.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, path)
        elif isinstance(source, bytes):
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(source)


def _size(source: Source) -> int:
    return source.stat().st_size if isinstance(source, Path) else source.size


def _archived_review(review: ReviewFiles, folder: Path) -> RelocatedReview:
    """The review as its archived params file describes it, reading its archived workbook and
    writing to ``folder / "outputs"``."""
    params = sorted((folder / PARAMS_FOLDER).glob("*"))
    if len(params) != 1:
        raise InputError([Problem(str(PARAMS_FOLDER), message="expected the review's params file, alone")])
    loaded = load_review(params[0])
    relocated = RelocatedReview(**{field.name: getattr(loaded, field.name) for field in fields(loaded)})
    workbook = folder / archived_workbook(review.manifest.review.get("workbook", loaded.workbook))
    output = folder / OUTPUTS
    if loaded.workbook == SAMPLE_NAME:  # the archived copy, read as the sample (whose reports say so)
        validated = load_workbook(workbook, loaded.survey_exports)
        validated.source = SAMPLE_NAME
        remember_workbook(validated, str(workbook), output, loaded.survey_exports)
    references = {
        kind: folder / archived_reference(written)
        for kind in REFERENCE_KINDS
        if (written := getattr(loaded, f"{kind}_reference"))
    }
    return relocated.relocate(workbook, output, references)


def installed_code() -> dict[str, Path]:
    """What a rerun runs or compares as code, by its name in an archive: the installed notebooks, nbconvert
    template and lock file."""
    notebooks = (execution.GROUP_NOTEBOOK, execution.PORTFOLIO_NOTEBOOK)
    code: dict[str, Path] = {str(NOTEBOOK_FOLDER / notebook.name): notebook for notebook in notebooks}
    code.update(template_files())
    if LOCK_FILE.is_file():
        code[str(INPUTS / LOCK_NAME)] = LOCK_FILE
    return code


def code_differences(review: ReviewFiles) -> list[str]:
    """Each archived notebook, template file or lock file that the installed tjsl-eval lacks or has otherwise."""
    installed = installed_code()
    code_folders = (f"{NOTEBOOK_FOLDER}/", f"{TEMPLATE_ARCHIVED}/")
    archived = {
        name: source
        for name, source in review.files.items()
        if name.startswith(code_folders) or name == str(INPUTS / LOCK_NAME)
    }
    sides = ("in the archive, but not installed", "installed, but not in the archive")
    return side_by_side(archived, installed, sides, lambda name: f"differs from the installed {installed[name]}")


def side_by_side(
    archived: dict[str, Source], other: dict[str, Source], only: tuple[str, str], differ: Callable[[str], str]
) -> list[str]:
    """Each file that only one side has (``only``: what is said when the archive alone has it, and when the
    other side alone has it), or whose bytes differ (what ``differ(name)`` says), as ``<name>: <what>``."""
    differences = []
    for name in sorted(archived.keys() | other.keys()):
        if name not in other:
            differences.append(f"{name}: {only[0]}")
        elif name not in archived:
            differences.append(f"{name}: {only[1]}")
        elif digest(archived[name]) != digest(other[name]):
            differences.append(f"{name}: {differ(name)}")
    return differences


def _checked_before_running(review: ReviewFiles, label: str, trust_archive: bool) -> list[str]:
    """Refuse to run anything from a review that a plain verify refuses, or (unless ``trust_archive``) whose
    notebooks, template or lock file are not the installed ones; the warnings for a trusted archive."""
    differences = compare(review.files, expected_hashes(review))
    if differences:
        shown = "; ".join(differences[:5]) + ("; …" if len(differences) > 5 else "")
        message = (
            f"does not verify ({len(differences)} file(s) differ from its manifest: {shown}); nothing from it "
            f"was run. See them all with: tjsl-eval verify {label}"
        )
        raise InputError([Problem(label, message=message)])
    code = code_differences(review)
    if code and not trust_archive:
        hint = (
            "--rerun runs only the notebooks and template installed with tjsl-eval; to run the archive's own "
            "code as your user, pass --trust-archive (only for an archive whose maker you trust)"
        )
        raise InputError([Problem(label, message=f"{difference} — {hint}") for difference in code])
    return [f"--trust-archive: running the archive's code, which differs from the installed: {c}" for c in code]


def rerun_review(path: Path, jobs: int | None = None, trust_archive: bool = False) -> Rerun:
    """Make the review at ``path`` (see :func:`~tjsl_eval.batch.verify.opened_review`) again
    from its inputs in a temporary folder and compare every output with the archived one.

    Raises :class:`InputError`, before anything is extracted or run, when the review does not verify, or
    when its notebooks, template or lock file differ from the installed ones and ``trust_archive`` is not given.
    """
    review = opened_review(path)
    trusted = _checked_before_running(review, str(path), trust_archive)
    with tempfile.TemporaryDirectory(prefix="tjsl-rerun-") as scratch:
        folder = Path(scratch)
        _write_inputs(review, folder)
        rerun = _archived_review(review, folder)
        lock = review.files.get(str(INPUTS / review.manifest.environment.get("lock_file", "")))
        outcome = Rerun(warnings=_environment_warnings(review.manifest, lock) + trusted)
        recorded = {PurePosixPath(name).suffix.lstrip(".") for name in recorded_outputs(review.manifest)}
        formats = tuple(kind for kind in REPORT_FORMATS if kind == "html" or kind in recorded)  # as archived
        notebooks = folder / NOTEBOOK_FOLDER if trusted else None  # else the installed ones (the same bytes)
        result = run_review(rerun, jobs=jobs, formats=formats, notebooks=notebooks)
        outcome.warnings += [f"{name} failed when made again: {message}" for name, message in result.failures.items()]
        archived = {name: source for name, source in review.files.items() if name.startswith(f"{OUTPUTS}/")}
        outcome.differences = compare_outputs(archived, output_files(rerun.output_path))
        return outcome


def compare_outputs(archived: dict[str, Source], made: dict[str, Source]) -> list[str]:
    """Each compared output (see :func:`compared`) that differs, with its first difference, or
    that only one side has."""
    archived = {name: source for name, source in archived.items() if compared(name)}
    made = {name: source for name, source in made.items() if compared(name)}
    sides = ("archived, but not made again", "made again, but not in the archive")
    return side_by_side(
        archived, made, sides, lambda name: first_difference(name, content(archived[name]), content(made[name]))
    )


def _environment_warnings(manifest: Manifest, lock: Source | None) -> list[str]:
    differences = environment_differences(manifest.environment, None if lock is None else content(lock).decode())
    if not differences:
        return []
    shown = "; ".join(differences[:8]) + (f"; and {len(differences) - 8} more" if len(differences) > 8 else "")
    return [f"the running environment differs from the locked one: {shown}"]

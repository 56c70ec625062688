"""The files a review is made from, by their name in a review archive: the params file, the
workbook (a .xlsx file or a folder of .csv files) and every photo it references, the survey exports, the
Word and PowerPoint reference documents and the brand's logo the params name, the notebooks, the nbconvert
template, the lock file and the package's version.

``manifest.json`` records each one's SHA-256 (its ``sources``), so that ``tjsl-eval verify``
can check them, in an archive or where the review was made.
"""

from __future__ import annotations

import hashlib
import posixpath
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from tjsl_eval import __version__
from tjsl_eval.batch import execution
from tjsl_eval.batch.environment import LOCK_FILE, LOCK_NAME
from tjsl_eval.common.files import sha256_file
from tjsl_eval.inputs.params import Review
from tjsl_eval.inputs.photos import normalized, workbook_folder
from tjsl_eval.inputs.sources import workbook_files
from tjsl_eval.inputs.workbook import Workbook, resolve_workbook_path
from tjsl_eval.render.report_page import TEMPLATE_FOLDER, TEMPLATE_NAME

if TYPE_CHECKING:
    from tjsl_eval.batch.archive_reader import ArchivedFile

    Source = Path | bytes | ArchivedFile  # a file on this machine, bytes made for an archive, or a checked zip entry

INPUTS = PurePosixPath("inputs")
PARAMS_FOLDER = INPUTS / "params"
WORKBOOK_FOLDER = INPUTS / "workbook"
NOTEBOOK_FOLDER = INPUTS / "notebooks"
TEMPLATE_ARCHIVED = INPUTS / "template" / TEMPLATE_NAME
REFERENCE_FOLDER = INPUTS / "references"
REFERENCE_KINDS = ("docx", "pptx")  # the params' ``docx_reference`` and ``pptx_reference``
VERSION_NAME = str(INPUTS / "VERSION")
PHOTO_SHEET, PHOTO_COLUMN = "photos", "file"  # a workbook's photos: paths relative to its folder


def version_text() -> bytes:
    """The content of ``inputs/VERSION``."""
    return f"tjsl-eval {__version__}\n".encode()


def archived_workbook(workbook: str) -> PurePosixPath:
    """Where the workbook (as the params file names it) lies in an archive:
    ``inputs/workbook/<file or folder name>``, ``inputs/workbook/sample`` for the bundled sample."""
    return WORKBOOK_FOLDER / (Path(workbook).name or "workbook")


def photo_files(source: str, workbook: Workbook) -> dict[str, Path]:
    """Every photo the workbook references, by its path relative to the workbook's folder
    (the folder holding the .xlsx file, or the folder of .csv files)."""
    photos = workbook.tables.get(PHOTO_SHEET)
    if photos is None or PHOTO_COLUMN not in photos:
        return {}
    base = workbook_folder(resolve_workbook_path(source))
    names = sorted({normalized(str(name)) for name in photos[PHOTO_COLUMN].dropna()})
    return {str(PurePosixPath(name)): base / name for name in names}


def archived_reference(written: str) -> PurePosixPath:
    """Where a reference document (as the params file names it) lies in an archive: ``inputs/references/<name>``."""
    return REFERENCE_FOLDER / Path(written).name


def reference_files(review: Review) -> dict[str, Path]:
    """The Word and PowerPoint reference documents the review's params name, by their name in an archive."""
    return {
        str(archived_reference(getattr(review, f"{kind}_reference"))): review.reference_path(kind)
        for kind in REFERENCE_KINDS
        if getattr(review, f"{kind}_reference")
    }


def survey_export_files(review: Review) -> dict[str, Path]:
    """The survey exports the review's params name, by their name in an archive: beside the archived params
    file as written (so that a rerun of the archive finds them), or ``inputs/surveys/<name>`` for a path that
    leaves the params file's folder."""
    files = {}
    for export in review.survey_exports:
        written = PurePosixPath(Path(export.file).as_posix())
        inside = not written.is_absolute() and ".." not in written.parts
        files[str(PARAMS_FOLDER / written if inside else INPUTS / "surveys" / written.name)] = export.path
    return files


def brand_files(review: Review) -> dict[str, Path]:
    """The brand's logo, by its name in an archive: where it lies beside the archived params file
    (so the archived params find it, as ``verify --rerun`` reads them), else ``inputs/brand/<name>``."""
    logo = review.brand.logo
    if logo is None:
        return {}
    beside = posixpath.normpath(PARAMS_FOLDER / review.brand.as_dict(review.base_folder)["logo"])
    name = beside if beside.startswith(f"{INPUTS}/") else str(INPUTS / "brand" / logo.name)
    return {name: logo}


def template_files() -> dict[str, Path]:
    """The installed nbconvert template's files, by their name in an archive."""
    template = TEMPLATE_FOLDER / TEMPLATE_NAME
    return {
        str(TEMPLATE_ARCHIVED / path.relative_to(template).as_posix()): path
        for path in sorted(template.rglob("*"))
        if path.is_file()
    }


def review_sources(review: Review, workbook: Workbook, notebooks: list[Path] | None = None) -> dict[str, Path | bytes]:
    """Every file the review is made from, by its name in an archive: a path on this machine,
    or the bytes of a file made for the archive (``inputs/VERSION``). ``notebooks``: the
    notebooks run (default: the project's)."""
    source = review.workbook_source
    workbook_name = archived_workbook(review.workbook)
    files: dict[str, Path | bytes] = {str(PARAMS_FOLDER / review.params_path.name): review.params_path}
    if resolve_workbook_path(source).is_dir():
        files.update({str(workbook_name / path.name): path for path in workbook_files(source)})
        photo_base = workbook_name
    else:
        files[str(workbook_name)] = resolve_workbook_path(source)
        photo_base = workbook_name.parent
    files.update({str(photo_base / name): path for name, path in photo_files(source, workbook).items()})
    files.update(reference_files(review))
    files.update(survey_export_files(review))
    files.update(brand_files(review))
    for notebook in notebooks or (execution.GROUP_NOTEBOOK, execution.PORTFOLIO_NOTEBOOK):
        files[str(NOTEBOOK_FOLDER / notebook.name)] = notebook
    files.update(template_files())
    if LOCK_FILE.is_file():
        files[str(INPUTS / LOCK_NAME)] = LOCK_FILE
    files[VERSION_NAME] = version_text()
    return files


def content(source: Source) -> bytes:
    """A source's bytes."""
    return source if isinstance(source, bytes) else source.read_bytes()


def digest(source: Source) -> str:
    """A source's SHA-256, as hex (an archived file's was taken when its archive was checked)."""
    if isinstance(source, bytes):
        return hashlib.sha256(source).hexdigest()
    return sha256_file(source) if isinstance(source, Path) else source.sha256


def workbook_digest(hashes: dict[str, str], workbook_name: str) -> str:
    """The workbook's SHA-256, from the recorded hashes of an archive's files: the file's own,
    or for a folder of .csv files the SHA-256 of its ``sha256sum`` listing (hash, two spaces,
    file name, a line per file, sorted by name)."""
    if workbook_name in hashes:
        return hashes[workbook_name]
    prefix = f"{workbook_name}/"
    listing = "".join(
        f"{hashes[name]}  {name.removeprefix(prefix)}\n"
        for name in sorted(hashes)
        if name.startswith(prefix) and name.endswith(".csv") and "/" not in name.removeprefix(prefix)
    )
    return hashlib.sha256(listing.encode()).hexdigest()

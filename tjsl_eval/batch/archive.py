"""``tjsl-eval archive``: a finished review in one reproducible zip file.

The zip holds ``inputs/`` (the files the review is made from, see
:mod:`tjsl_eval.batch.sources`), ``outputs/`` (every file the manifest records, and
``manifest.json``) and ``README.txt``. Its entries are sorted by name and carry fixed times
(1980-01-01) and permissions, so archiving the same review twice gives the same bytes.
"""

from __future__ import annotations

import os
import tempfile
import zipfile
from pathlib import Path, PurePosixPath

from tjsl_eval.batch.cache import load_validated
from tjsl_eval.batch.execution import PORTFOLIO_NAME
from tjsl_eval.batch.manifest import MANIFEST_NAME, Manifest
from tjsl_eval.batch.run import REVIEW_FILES, report_status
from tjsl_eval.batch.sources import (
    INPUTS,
    PARAMS_FOLDER,
    VERSION_NAME,
    archived_workbook,
    content,
    digest,
    review_sources,
)
from tjsl_eval.batch.sources import workbook_digest as sources_workbook_digest
from tjsl_eval.common.files import sha256_file
from tjsl_eval.common.problems import InputError, Problem
from tjsl_eval.common.zips import fixed_entry
from tjsl_eval.inputs.params import Review

OUTPUTS = PurePosixPath("outputs")
README_NAME = "README.txt"


def recorded_outputs(manifest: Manifest) -> dict[str, str]:
    """Every output file the manifest records, by its name in an archive, with its SHA-256."""
    hashes = {name: digest for entry in manifest.reports.values() for name, digest in entry.get("outputs", {}).items()}
    hashes.update(manifest.files)
    return {str(OUTPUTS / name): digest for name, digest in sorted(hashes.items())}


def workbook_digest(manifest: Manifest) -> str:
    """The SHA-256 of the workbook a review was made from (see :func:`~tjsl_eval.batch.sources.workbook_digest`)."""
    return sources_workbook_digest(manifest.sources, str(archived_workbook(manifest.review.get("workbook", ""))))


def group_reports(manifest: Manifest) -> int:
    """How many group reports the manifest records (the portfolio summary aside)."""
    return sum(1 for name in manifest.reports if name != PORTFOLIO_NAME)


def readme_text(manifest: Manifest) -> str:
    """``README.txt``: what the archive is and how to verify it (made from the manifest only,
    so ``verify`` can tell whether it was changed)."""
    made_with = {key: manifest.environment.get(key) for key in ("python", "platform", "tjsl-eval", "lock_file")}
    lock_file, lock_sha256 = made_with["lock_file"], manifest.environment.get("lock_sha256")
    reports = [PurePosixPath(name) for entry in manifest.reports.values() for name in entry.get("outputs", {})]
    formats = ", ".join(sorted({path.suffix.lstrip(".") for path in reports}))
    params = [PurePosixPath(name).name for name in manifest.sources if name.startswith(f"{PARAMS_FOLDER}/")]
    title = f"A review archive made by tjsl-eval {made_with['tjsl-eval']}"
    return f"""{title}
{"=" * len(title)}

It holds a finished annual review of a TJSL (CSR) programme: the files it was made from and
every report and file it made, as its manifest (outputs/manifest.json) records them.

Made from: the params file {", ".join(params)}, the workbook {manifest.review.get("workbook")}
           (sha256 {workbook_digest(manifest)})
Reports:   {group_reports(manifest)} group reports and the portfolio summary ({formats})
Made with: Python {made_with["python"]} on {made_with["platform"]}, tjsl-eval {made_with["tjsl-eval"]},
           the lock file {lock_file} (sha256 {lock_sha256})

Contents
  inputs/params/       the review's params file
  inputs/workbook/     the workbook (.xlsx, or a folder of .csv files) and the photos it references
  inputs/references/   the Word and PowerPoint reference documents, when the params name them
  inputs/notebooks/    the notebooks that made the reports
  inputs/template/     the nbconvert template of the HTML reports
  inputs/{lock_file}  every package of the environment, pinned with its hashes
  {VERSION_NAME}       the version of tjsl-eval
  outputs/             every report (.html, .pdf, .docx, .pptx, the executed .ipynb), index.html,
                       metrics.json, metrics.csv, fgd_register.xlsx, run.log, and manifest.json
  README.txt           this file

How to verify it (with tjsl-eval installed, ideally from the lock file: see the project's README)
  tjsl-eval verify THIS.zip
      checks every file against the SHA-256 hashes in outputs/manifest.json: its "outputs" and
      "files" (the outputs) and its "sources" (the inputs); a changed, added or missing file is named.
  tjsl-eval verify THIS.zip --rerun
      makes the review again from inputs/ in a temporary folder and compares every output byte for
      byte with the archived one (the executed .ipynb files, run.log and manifest.json excepted).
  Without tjsl-eval, `sha256sum` of each file can be compared with the hashes in outputs/manifest.json.

What verify proves, and what it does not
  It proves that the files are those the manifest lists; it does not prove who made them: anyone
  can change a file and write its new hash into the manifest. To prove who made the archive, sign
  it with existing tools and keep the signature beside it (see the project's README, "Audit").
"""


def stale_problems(review: Review, manifest: Manifest) -> list[str]:
    """Why the review cannot be archived as it is: reports or files that ``tjsl-eval run`` would
    make, or inputs changed since it ran. Empty when it is complete and up to date."""
    problems = [f"{name}: {'; '.join(reasons)}" for name, reasons in report_status(review).items() if reasons]
    output_path = review.output_path
    for name in REVIEW_FILES:
        path = output_path / name
        if name not in manifest.files:
            problems.append(f"{name}: its hash is not in {MANIFEST_NAME} (made by an older tjsl-eval)")
        elif not path.exists():
            problems.append(f"{name}: it is missing")
        elif sha256_file(path) != manifest.files[name]:
            problems.append(f"{name}: it was changed after it was made")
    workbook, _ = load_validated(review.workbook_source, output_path, review.survey_exports)
    now = {name: digest(source) for name, source in review_sources(review, workbook).items()}
    for name in sorted(now.keys() | manifest.sources.keys()):
        if now.get(name) != manifest.sources.get(name):
            change = "is new" if name not in manifest.sources else "is gone" if name not in now else "changed"
            problems.append(f"{name.removeprefix(f'{INPUTS}/')}: it {change} since the review was made")
    return problems


def _target_problem(sources: dict[str, Path | bytes], zip_path: Path, force: bool) -> str | None:
    """Why ``zip_path`` may not be written: one of the review's own files (always), or an existing file
    (unless ``force``)."""
    target = zip_path.resolve()
    own = [path for path in sources.values() if isinstance(path, Path)]
    if any(_same_file(target, path) for path in own):
        return "is one of the review's own files (its params file, workbook, photos, …): choose another name"
    if target.exists() and not force:
        return "already exists and was left as it is: choose another name, or use --force to replace it"
    if target.exists() and not target.is_file():
        return "is not a file"
    return None


def _same_file(target: Path, path: Path) -> bool:
    try:
        return target == path.resolve() or (target.exists() and path.exists() and target.samefile(path))
    except OSError:
        return False


def archive_review(review: Review, zip_path: Path, force: bool = False) -> int:
    """Write the finished ``review`` to ``zip_path`` (atomically); the number of files archived.

    Raises :class:`InputError` when the review has not been made, is not complete or is stale,
    when ``zip_path`` is in the review's output folder or one of its inputs, or exists (unless ``force``).
    """
    output_path = review.output_path
    label = str(review.params_path)
    manifest = Manifest.load(output_path)
    if zip_path.resolve().is_relative_to(output_path.resolve()):
        raise InputError(
            [Problem(str(zip_path), message=f"write the archive outside the review's folder {output_path}")]
        )
    if not manifest.review:
        raise InputError([Problem(label, message=f"no review was made in {output_path}: run `tjsl-eval run {label}`")])
    problems = stale_problems(review, manifest)
    if problems:
        hint = f"the review is not complete or is stale; run `tjsl-eval run {label}` first"
        raise InputError([Problem(label, message=f"{problem} — {hint}") for problem in problems])
    workbook, _ = load_validated(review.workbook_source, output_path, review.survey_exports)
    sources = review_sources(review, workbook)
    if (problem := _target_problem(sources, zip_path, force)) is not None:
        raise InputError([Problem(str(zip_path), message=problem)])
    files: dict[str, Path | bytes] = {
        name: output_path / PurePosixPath(name).name for name in recorded_outputs(manifest)
    }
    files[str(OUTPUTS / MANIFEST_NAME)] = output_path / MANIFEST_NAME
    files.update(sources)
    files[README_NAME] = readme_text(manifest).encode("utf-8")
    write_zip(zip_path, files)
    return len(files)


def write_zip(zip_path: Path, files: dict[str, Path | bytes]) -> None:
    """A zip of ``files`` (by entry name), the same bytes for the same files: entries sorted
    by name, dated 1980-01-01, mode 644, deflated at level 9. Written atomically."""
    zip_path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=zip_path.parent, prefix=f".{zip_path.name}.", suffix=".tmp")
    os.close(handle)
    try:
        with zipfile.ZipFile(temporary, "w") as archive:
            for name in sorted(files):
                archive.writestr(fixed_entry(name), content(files[name]), compresslevel=9)
        os.chmod(temporary, 0o644)
        os.replace(temporary, zip_path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise

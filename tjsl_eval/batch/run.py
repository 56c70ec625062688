"""Run a review: validate the workbook once, then make every group's report that is stale,
in parallel (in local worker processes with warm kernels, or on a Dask cluster), and write
``index.html``, ``metrics.json``, ``manifest.json`` and ``run.log``.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

from tjsl_eval.batch import execution
from tjsl_eval.batch.cache import GroupFiles, cached_workbook, load_validated, remember_workbook
from tjsl_eval.batch.entries import compute_group_entries, plan_entries
from tjsl_eval.batch.execution import PORTFOLIO_NAME, PORTFOLIO_NOTEBOOK, NotebookRun
from tjsl_eval.batch.folder_lock import LOCK_NAME, FolderLock, leftovers
from tjsl_eval.batch.manifest import MANIFEST_NAME, Manifest, input_fingerprints
from tjsl_eval.batch.plan import PlannedReport, RunOptions, RunResult
from tjsl_eval.batch.receipts import receipt_path
from tjsl_eval.batch.review_files import review_metrics, write_review_files
from tjsl_eval.batch.runners import Runner, open_runner
from tjsl_eval.batch.sources import digest, photo_files, review_sources
from tjsl_eval.batch.unchanged import NoOpCheck
from tjsl_eval.common.cache_files import CACHE_FOLDER
from tjsl_eval.common.files import OFFICE_FORMATS, REPORT_FORMATS, json_text, sha256_file
from tjsl_eval.common.problems import InputError, Problem
from tjsl_eval.inputs.brand import DEFAULT_BRAND
from tjsl_eval.inputs.params import Review
from tjsl_eval.inputs.settings import MethodSettings
from tjsl_eval.inputs.workbook import Workbook, load_workbook
from tjsl_eval.methods.finding_codes import code_problems

REVIEW_FILES = ("metrics.json", "metrics.csv", "fgd_register.xlsx", "index.html", "run.log")


def selected_groups(review: Review, workbook: Workbook, requested: list[str] | None) -> list[str]:
    """The groups to report on: ``requested`` ids (``--group``), else the params' list, else every group."""
    wanted = list(requested or review.groups or workbook.group_ids)
    unknown = [group for group in wanted if group not in workbook.group_ids]
    if unknown:
        raise InputError(
            [
                Problem(
                    review.workbook,
                    "kelompok",
                    message=(
                        f"group id {group!r} was asked for but is not in the workbook; known ids: "
                        f"{', '.join(workbook.group_ids)}"
                    ),
                )
                for group in unknown
            ]
        )
    return wanted


def notebook_parameters(review: Review, group_id: str) -> dict[str, object]:
    """The Papermill parameters of one group's notebook (without the run's data cache); the brand's colours for
    the charts when the params have a brand."""
    brand = {"chart_brand": review.chart_brand.chart_values()} if review.chart_brand else {}
    return {
        "group_id": group_id,
        "year": review.evaluated_year,
        "workbook": review.workbook_source,
        "language": review.language,
        "plan_year": review.plan_year,
        "title": review.title,
        "organiser": review.organiser,
        "fgd_date": review.fgd_date.isoformat(),
        "venue": review.venue,
        "methods": review.methods.as_dict(),
        "report_date": review.report_date.isoformat() if review.report_date else "",
        **brand,
    }


def review_identity(review: Review) -> dict[str, str]:
    """Which params file and workbook a review folder is made from (kept in the manifest)."""
    params_file = os.path.relpath(review.params_path, review.output_path)
    return {"params_file": Path(params_file).as_posix(), "workbook": review.workbook}


def check_output_folder(review: Review, manifest: Manifest, force: bool) -> None:
    """Refuse an output folder that is not safe to write a review into.

    Never allowed: a file, a folder that holds the params file or the workbook (reports
    would be mixed with what the user wrote), or whose cache folder or lock file is a symbolic link
    (the run would write elsewhere). Unless forced: a folder holding another
    review's reports, or files that no review made.
    """
    output = review.output_path
    problem = None
    if output.exists() and not output.is_dir():
        problem = f"{output} is a file, not a folder"
    elif review.params_path.is_relative_to(output) or (
        review.workbook != "sample" and Path(review.workbook_source).is_relative_to(output)
    ):
        problem = f"{output} holds the params file or the workbook; choose a folder of its own for the reports"
    elif links := [name for name in (CACHE_FOLDER, LOCK_NAME) if (output / name).is_symlink()]:
        problem = f"{output / links[0]} is a symbolic link; remove it (a run writes only inside its folder)"
    if problem:
        raise InputError([Problem(str(review.params_path), column="output_folder", message=problem)])
    if force:
        return
    identity = review_identity(review)
    if not manifest.review and output.is_dir() and _foreign_files(output):
        raise InputError(
            [
                Problem(
                    str(review.params_path),
                    column="output_folder",
                    message=(
                        f"{output} already holds files that no review made; choose an empty or new folder, or run "
                        f"again with --force to write the reports there"
                    ),
                )
            ]
        )
    if manifest.review and manifest.review != identity:
        raise InputError(
            [
                Problem(
                    str(review.params_path),
                    column="output_folder",
                    message=(
                        f"{review.output_path} holds the reports of another review (params file "
                        f"{manifest.review.get('params_file')}, workbook {manifest.review.get('workbook')}); "
                        f"choose another output_folder, or run again with --force to replace them"
                    ),
                )
            ]
        )


def _foreign_files(output: Path) -> bool:
    """Whether a folder without a manifest holds files that no tjsl-eval run made (none has, or is making,
    it: a run's lock file marks the folder as the tool's)."""
    names = {path.name for path in output.iterdir()}
    return LOCK_NAME not in names and bool(names - {CACHE_FOLDER})


def plan_reports(
    review: Review, workbook: Workbook, wanted: list[str], files: GroupFiles, manifest: Manifest, options: RunOptions
) -> tuple[list[PlannedReport], list[str]]:
    """The reports to make (writing their group data caches) and those already up to date."""
    planned, up_to_date = [], []
    notebook = options.notebook(execution.GROUP_NOTEBOOK)
    for group_id in wanted:
        parameters = notebook_parameters(review, group_id)
        inputs = report_inputs(review, files.fingerprints[group_id], parameters, notebook, files.parts[group_id])
        reasons = options.reasons(manifest, group_id, inputs)
        if not reasons:
            up_to_date.append(group_id)
            continue
        title = f"{workbook.group(group_id)['name']} — {review.title}"
        parameters["group_data"] = str(files.path(group_id))
        planned.append(PlannedReport(group_id, parameters, inputs, tuple(reasons), title, notebook))
    return planned, up_to_date


def linked_groups(workbook: Workbook, output_path: Path, made: set[str] = frozenset()) -> list[str]:
    """The groups whose reports the portfolio summary links to: those with a report in the
    output folder, and those in ``made`` (being made by the run; a failure keeps the previous
    report, if there is one)."""
    present = {path.stem for path in output_path.glob("*.html")}
    return [group_id for group_id in workbook.group_ids if group_id in present or group_id in made]


def portfolio_parameters(review: Review, linked: list[str]) -> dict[str, object]:
    """The Papermill parameters of the portfolio summary notebook."""
    group = notebook_parameters(review, "-")
    for name in ("group_id", "plan_year"):
        group.pop(name)
    return {**group, "output_folder": str(review.output_path), "linked_groups": linked}


def plan_portfolio(
    review: Review, files: GroupFiles, manifest: Manifest, options: RunOptions, linked: list[str]
) -> PlannedReport | None:
    """The portfolio summary, when it is stale (its data is the whole workbook, and the set of
    group reports it links to)."""
    parameters = portfolio_parameters(review, linked)
    notebook = options.notebook(PORTFOLIO_NOTEBOOK)
    inputs = portfolio_inputs(review, files, parameters, notebook)
    reasons = options.reasons(manifest, PORTFOLIO_NAME, inputs)
    if not reasons:
        return None
    parameters["cache_folder"] = str(review.output_path / CACHE_FOLDER)  # not an input: the cache follows the data
    return PlannedReport(PORTFOLIO_NAME, parameters, inputs, tuple(reasons), review.title, notebook)


def portfolio_inputs(
    review: Review, files: GroupFiles, parameters: dict[str, object], notebook: Path = PORTFOLIO_NOTEBOOK
) -> dict[str, str]:
    """The portfolio's input fingerprints: the whole workbook, and its parameters (the group
    reports it links to among them)."""
    return report_inputs(review, files.workbook_fingerprint(), parameters, notebook)


def _check_pdf_printer() -> None:
    """Refuse PDF output, before any work, when WeasyPrint's libraries are missing."""
    from tjsl_eval.render.pdf import PdfError, check_pdf_engine

    try:
        check_pdf_engine()
    except PdfError as error:
        raise InputError([Problem("--format pdf", message=str(error))]) from None


def _check_references(review: Review) -> dict[str, str]:
    """The params' reference documents ("docx"/"pptx" -> path), each checked before any work:
    a missing file or one that is not a valid Office file is refused with the reason."""
    from tjsl_eval.render.office import ReferenceError, check_reference

    references = {}
    for kind in OFFICE_FORMATS:
        path = review.reference_path(kind)
        if path is None:
            continue
        try:
            check_reference(path, kind)
        except ReferenceError as error:
            raise InputError(
                [Problem(str(review.params_path), column=f"{kind}_reference", message=str(error))]
            ) from None
        references[kind] = str(path)
    return references


def reference_fingerprints(review: Review) -> dict[str, str]:
    """The hash of each reference document the params name, so a changed template makes the reports stale."""
    paths = {kind: review.reference_path(kind) for kind in OFFICE_FORMATS}
    return {kind: sha256_file(path) if path.is_file() else "missing" for kind, path in paths.items() if path}


def report_inputs(
    review: Review,
    data: str,
    parameters: dict[str, object],
    notebook: Path | None = None,
    parts: dict[str, str] | None = None,
) -> dict:
    """A report's input fingerprints: its data (and a group's photos and narrative, ``parts``), its notebook
    parameters (and the params' reference documents and brand with its logo's bytes, when there are any),
    its notebook and the code."""
    references = reference_fingerprints(review)
    parameters = {**parameters, "references": references} if references else parameters
    if review.brand != DEFAULT_BRAND:
        parameters = {**parameters, "brand": review.brand.fingerprint()}
    return input_fingerprints(data, parameters, notebook, parts)


def own_names(workbook: Workbook, manifest: Manifest) -> set[str]:
    """The names tjsl-eval writes in an output folder: every report (each group's and the portfolio's) in
    every format, the review's files, and every output its manifest records."""
    reports = [*workbook.group_ids, PORTFOLIO_NAME]
    kinds = (*REPORT_FORMATS, "ipynb", "failed.ipynb")
    recorded = {name for entry in manifest.reports.values() for name in entry.get("outputs", {})}
    named = {f"{report}.{kind}" for report in reports for kind in kinds}
    return {*reports, *named, *REVIEW_FILES, MANIFEST_NAME} | recorded


def _remove_leftovers(output_path: Path, own: set[str]) -> None:
    """Delete the temporary files that runs killed or interrupted left for tjsl-eval's own outputs (never a
    finished output, nor a file the tool does not know as its own; see
    :func:`~tjsl_eval.batch.folder_lock.leftovers`)."""
    cache = output_path / CACHE_FOLDER  # the tool's own folder: any temporary file in it is a leftover
    for leftover in [*leftovers(output_path, own), *(leftovers(cache, None) if cache.is_dir() else [])]:
        leftover.unlink(missing_ok=True)


def report_status(review: Review) -> dict[str, list[str]]:
    """For every group of the review and the portfolio summary, why its report is stale
    (empty when up to date)."""
    workbook, _ = load_validated(review.workbook_source, review.output_path, review.survey_exports)
    manifest = Manifest.load(review.output_path)
    if manifest.review and manifest.review != review_identity(review):
        check_output_folder(review, manifest, force=False)
    files = GroupFiles.split(workbook, review.output_path)
    states = {
        group_id: manifest.stale_reasons(
            group_id,
            report_inputs(
                review, files.fingerprints[group_id], notebook_parameters(review, group_id), parts=files.parts[group_id]
            ),
        )
        for group_id in selected_groups(review, workbook, None)
    }
    parameters = portfolio_parameters(review, linked_groups(workbook, review.output_path))
    states[PORTFOLIO_NAME] = manifest.stale_reasons(PORTFOLIO_NAME, portfolio_inputs(review, files, parameters))
    return states


def run_review(
    review: Review,
    jobs: int | None = None,
    groups: list[str] | None = None,
    force: bool = False,
    executor: str = "local",
    scheduler: str | None = None,
    on_start: Callable[[int], None] | None = None,
    on_group_done: Callable[[str], None] | None = None,
    formats: tuple[str, ...] | None = None,
    notebooks: Path | None = None,
    notice: Callable[[str], None] | None = None,
) -> RunResult:
    """Validate the workbook once, make every stale report in ``formats`` (default: the params'
    ``formats``; HTML always, and PDF, Word, PowerPoint when asked for), and write the review's
    index files.

    Raises :class:`InputError` for an invalid workbook, an unknown group, a folder of another
    review, PDF asked for without WeasyPrint's libraries, or a reference document that cannot be used; a
    failing group never stops the others (see :attr:`RunResult.failures`). From its first write the run
    holds the output folder's lock (see :mod:`~tjsl_eval.batch.folder_lock`): a second run of the same
    review waits for it (``notice`` is told why).
    """
    output_path = review.output_path
    formats = formats or review.formats
    manifest = Manifest.load(output_path)
    check_output_folder(review, manifest, force)
    if "pdf" in formats:
        _check_pdf_printer()
    references = _check_references(review)
    jobs = jobs or os.cpu_count() or 1
    no_op = NoOpCheck(review)  # the inputs as this run reads them
    NoOpCheck.forget(review)
    with FolderLock(output_path, notice) as lock:
        try:
            with open_runner(executor, jobs, scheduler) as runner:
                workbook = cached_workbook(review.workbook_source, output_path, review.survey_exports)
                fresh = workbook is None
                if fresh:
                    runner.warm_up(jobs)  # kernels start while the workbook is validated
                    workbook = load_workbook(review.workbook_source, review.survey_exports)
                    check_finding_codes(workbook, review.methods, review.fgd_date)
                reviewed = selected_groups(review, workbook, None)
                wanted = selected_groups(review, workbook, groups)
                lock.take()
                manifest = Manifest.load(output_path)  # as the last run left it (one may have ended meanwhile)
                check_output_folder(review, manifest, force)
                if fresh:
                    remember_workbook(workbook, review.workbook_source, output_path, review.survey_exports)
                _remove_leftovers(output_path, own_names(workbook, manifest))  # of a killed run
                manifest.adopt([*workbook.group_ids, PORTFOLIO_NAME])  # the reports a killed run made
                manifest.review = review_identity(review)
                callbacks = (on_start, on_group_done)
                options = RunOptions(force, formats, notebooks, references, review.brand, lock.run_id)
                result = _make_reports(review, workbook, (reviewed, wanted), manifest, options, runner, callbacks)
                if not result.failures and set(wanted) == set(reviewed):
                    photos = list(photo_files(review.workbook_source, workbook).values())
                    _remember_up_to_date(no_op, manifest, [*reviewed, PORTFOLIO_NAME], formats, photos)
                return result
        finally:
            if lock.taken:  # its workers stopped, what they were writing is left over (an interrupted run)
                manifest.adopt([*workbook.group_ids, PORTFOLIO_NAME])  # made, but not yet recorded
                _remove_leftovers(output_path, own_names(workbook, manifest))


def check_finding_codes(workbook: Workbook, methods: MethodSettings, as_of: dt.date | None = None) -> None:
    """Raise :class:`InputError` when a row of ``tindak_lanjut`` names a finding its group and year do not have."""
    problems = code_problems(workbook, methods, as_of)
    if problems:
        raise InputError(problems)


def _remember_up_to_date(
    no_op: NoOpCheck, manifest: Manifest, reports: list[str], formats: tuple[str, ...], photos: list[Path]
) -> None:
    """Record for :class:`NoOpCheck` that every report is up to date, with every output the full check looks at."""
    outputs = [name for report in reports for name in manifest.reports.get(report, {}).get("outputs", {})]
    outputs += [f"{report}.{kind}" for report in reports if report != PORTFOLIO_NAME for kind in formats]
    no_op.remember(reports, [*outputs, *REVIEW_FILES, MANIFEST_NAME], formats, photos)


def _make_reports(
    review: Review,
    workbook: Workbook,
    groups: tuple[list[str], list[str]],
    manifest: Manifest,
    options: RunOptions,
    runner: Runner,
    callbacks: tuple[Callable[[int], None] | None, Callable[[str], None] | None],
) -> RunResult:
    """Make every group's figures, then (in parallel) the stale group reports and the portfolio
    summary, and the review's files. ``groups``: the review's groups, and those to report on
    in this run."""
    (reviewed, wanted), (on_start, on_group_done) = groups, callbacks
    output_path = review.output_path
    files = GroupFiles.split(workbook, output_path)
    planned, up_to_date = plan_reports(review, workbook, wanted, files, manifest, options)
    result = RunResult(output_path, up_to_date=up_to_date)
    logging.getLogger("papermill").setLevel(logging.WARNING)
    if on_start:
        on_start(len(wanted))
    for group_id in up_to_date:
        if on_group_done:
            on_group_done(group_id)
    timeout = review.notebook_timeout_minutes * 60
    figures = plan_entries(review, workbook, files)
    computing = [runner.task(compute_group_entries, *task) for task in figures.tasks]  # first: the summary needs them
    tasks = [report.task(output_path, timeout, options) for report in planned]
    reports = [runner.notebook(task) for task in tasks[: runner.slots]]  # they run while the summary waits
    entries = figures.collect(list(runner.finished(computing)))

    record = json_text(review_metrics(review, workbook, reviewed, entries)) if "pdf" in options.formats else ""

    def start_summary(linked: list[str]) -> list:
        summary = plan_portfolio(review, files, manifest, options, linked)
        if summary is None:
            return []
        planned.append(summary)
        return [runner.notebook(replace(summary.task(output_path, timeout, options), metrics=record))]

    expected = linked_groups(workbook, output_path, {report.name for report in planned})
    summary = start_summary(expected)  # queued before the other group reports, so made beside them
    started = reports + summary + [runner.notebook(task) for task in tasks[runner.slots :]]
    _record(runner.finished(started), planned, manifest, result, on_group_done)
    linked = linked_groups(workbook, output_path)
    if linked != expected:  # a group's first report failed: the summary is made again without its link
        _record(runner.finished(start_summary(linked)), planned, manifest, result, on_group_done)
    result.written.sort()
    review_files = [output_path / name for name in REVIEW_FILES]
    if planned or figures.tasks or result.failures or not all(path.exists() for path in review_files):
        write_review_files(review, workbook, reviewed, entries, result, planned)
    _record_review(
        review, workbook, manifest, [options.notebook(execution.GROUP_NOTEBOOK), options.notebook(PORTFOLIO_NOTEBOOK)]
    )
    return result


def _record_review(review: Review, workbook: Workbook, manifest: Manifest, notebooks: list[Path]) -> None:
    """Note in the manifest the hashes of the review's files and of the files it is made from."""
    output_path = review.output_path
    manifest.files = {name: sha256_file(output_path / name) for name in REVIEW_FILES if (output_path / name).exists()}
    manifest.sources = {name: digest(source) for name, source in review_sources(review, workbook, notebooks).items()}
    manifest.save()


def _record(
    runs: Iterator[NotebookRun],
    planned: list[PlannedReport],
    manifest: Manifest,
    result: RunResult,
    on_done: Callable[[str], None] | None,
) -> None:
    """Note each finished notebook in the manifest (saved after every one, so an interrupted
    run loses nothing finished; one whose result it did not get yet, it records from its receipt, see
    :mod:`~tjsl_eval.batch.receipts`) and in the result; ``on_done`` is told of each group."""
    inputs = {report.name: report.inputs for report in planned}  # the last plan of a report counts
    for run in runs:
        manifest.record(run.name, inputs[run.name], run.outputs, run.seconds, run.error)
        manifest.save()
        receipt_path(manifest.path.parent, run.name).unlink(missing_ok=True)  # recorded from the run's result
        if run.error:
            result.failures[run.name] = run.error
        else:
            result.failures.pop(run.name, None)  # the summary, made again, may succeed
        if run.name == PORTFOLIO_NAME:
            result.portfolio = "failed" if run.error else "written"
            continue
        if not run.error:
            result.written.append(run.name)
        if on_done:
            on_done(run.name)

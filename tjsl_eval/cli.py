"""The ``tjsl-eval`` command: a thin layer over :mod:`tjsl_eval.batch.run` and the loader.

Exit codes: 0 success; 1 invalid input or failed reports; 2 wrong usage. Every command runs inside
:class:`GuardedCommand`: a failure of the system (full disk, read-only folder, missing file, memory) is one message
naming the file and what to do, never a traceback.
"""

from __future__ import annotations

import signal
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import click

from tjsl_eval import __version__
from tjsl_eval.batch.runners import EXECUTORS
from tjsl_eval.common.problems import InputError
from tjsl_eval.common.system_errors import explain_memory_error, explain_os_error

if TYPE_CHECKING:
    from tjsl_eval.batch.plan import RunResult
    from tjsl_eval.inputs.params import Review

EPILOG = (
    "Exit status: 0 success; 1 invalid input (workbook, params) or a failed report; 2 wrong usage. "
    "Progress bars and colours appear only on a terminal. Example: tjsl-eval run params/review-2023.yaml"
)


def _say(message: str) -> None:
    """Print unless --quiet was given."""
    if not click.get_current_context().find_root().obj.get("quiet"):
        click.echo(message)


def _exit_now(status: int) -> None:
    """Exit at once, the workers and their kernels already stopped: Python's own exit would shut the worker pool
    down again, and on 3.11 its wake-up pipe, closed by then, can print an "Exception ignored" (a CPython race)."""
    import logging
    import os

    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)


def _fail(error: InputError) -> None:
    for problem in error.problems:
        click.echo(str(problem), err=True)
    click.echo(f"{len(error.problems)} problem(s) found.", err=True)
    sys.exit(1)


class GuardedCommand(click.Command):
    """A command whose system failures (:class:`OSError`: ENOSPC, EROFS, EACCES, ENAMETOOLONG, ENOENT, …; and
    :class:`MemoryError`) end in one message on stderr naming the file and what to do, with exit status 1."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except MemoryError:
            message = explain_memory_error(self._inputs(ctx))
        except OSError as error:
            message = explain_os_error(error, self._inputs(ctx))
        click.echo(message, err=True)
        sys.exit(1)

    def _inputs(self, ctx: click.Context) -> list[str]:
        """The command's arguments as given (the files it reads or writes)."""
        arguments = [parameter.name for parameter in self.params if isinstance(parameter, click.Argument)]
        return [str(ctx.params[name]) for name in arguments if ctx.params.get(name)]


class GuardedGroup(click.Group):
    """The ``tjsl-eval`` group: each of its commands is a :class:`GuardedCommand`."""

    command_class = GuardedCommand


@click.group(cls=GuardedGroup, context_settings={"help_option_names": ["-h", "--help"]}, epilog=EPILOG)
@click.version_option(__version__, prog_name="tjsl-eval")
@click.option("--quiet", "-q", is_flag=True, help="Print only problems and failures; no progress bar.")
@click.option("--verbose", "-v", is_flag=True, help="Also print each report as it is done, and why it was made.")
@click.pass_context
def main(context: click.Context, quiet: bool, verbose: bool) -> None:
    """Evaluation reports for a TJSL (CSR) programme review, one per beneficiary group."""
    if quiet and verbose:
        raise click.UsageError("--quiet and --verbose cannot be used together")
    context.obj = {"quiet": quiet, "verbose": verbose}


@main.command()
@click.argument("workbook")
def validate(workbook: str) -> None:
    """Check WORKBOOK (.xlsx, .xlsm, .xls, .ods, a folder of .csv files, or `sample`) and list every problem;
    given a params file (.yaml), check its workbook and every survey export it names, together.

    Example: tjsl-eval validate data/review-2023.xlsx, or tjsl-eval validate params/review-2023.yaml
    """
    from tjsl_eval.batch.run import check_finding_codes
    from tjsl_eval.inputs.params import load_review
    from tjsl_eval.inputs.settings import MethodSettings
    from tjsl_eval.inputs.workbook import load_workbook

    try:
        if workbook.lower().endswith((".yaml", ".yml")):
            review = load_review(workbook)
            loaded = load_workbook(review.workbook_source, review.survey_exports)
            check_finding_codes(loaded, review.methods, review.fgd_date)
        else:
            loaded = load_workbook(workbook)
            check_finding_codes(loaded, MethodSettings())  # codes judged at each year's own FGD, default methods
    except InputError as error:
        _fail(error)
    years = loaded.years()
    _say(
        f"{loaded.source}: valid — {len(loaded.group_ids)} groups, years {years[0]}–{years[-1]}"
        if years
        else f"{loaded.source}: valid — no yearly data"
    )
    for name, table in loaded.tables.items():
        _say(f"  {name}: {len(table)} rows")
    for note in loaded.notes:
        _say(f"  note: {note}")


def _stop_on_sigterm() -> None:
    """Treat SIGTERM like Ctrl-C, so that kernels are stopped and finished files kept."""

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupt)


def _report_formats(context: click.Context, parameter: click.Parameter, value: str | None) -> tuple[str, ...] | None:
    """Comma-separated formats, e.g. ``html,pdf,docx,pptx`` (the HTML report is always made: the
    PDF is printed from it); None: the params file's ``formats``. Unknown names: exit 2."""
    from tjsl_eval.inputs.params import report_formats

    if value is None:
        return None
    try:
        return report_formats(value)
    except ValueError as error:
        raise click.BadParameter(f"{error}, e.g. html,pdf,docx,pptx") from None


@main.command()
@click.argument("params_file", metavar="PARAMS.yaml")
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=None,
    help="Notebooks run at once (default: the machine's cores).",
)
@click.option("--group", "groups", multiple=True, metavar="ID", help="Report on this group only (repeatable).")
@click.option("--force", is_flag=True, help="Re-make every report, and replace another review's folder.")
@click.option(
    "--executor",
    type=click.Choice(EXECUTORS),
    default="local",
    show_default=True,
    help="Run notebooks in local worker processes or as tasks on a Dask cluster.",
)
@click.option("--scheduler", metavar="ADDRESS", help="The Dask scheduler, e.g. tcp://10.0.0.5:8786.")
@click.option(
    "--format",
    "formats",
    default=None,
    callback=_report_formats,
    metavar="html[,pdf,docx,pptx]",
    help=(
        "Formats of each report besides HTML: pdf (an A4 PDF/A-3b file of record), docx (Word), pptx (the FGD "
        "deck), e.g. --format html,pdf,docx,pptx. Default: the params file's formats, else html."
    ),
)
def run(
    params_file: str,
    jobs: int | None,
    groups: tuple[str, ...],
    force: bool,
    executor: str,
    scheduler: str | None,
    formats: tuple[str, ...] | None,
) -> None:
    """Validate the review's workbook, then make every stale report, index.html and metrics.json.

    Example: tjsl-eval run params/review-2023.yaml --jobs 2 --format html,pdf,docx,pptx
    """
    from tjsl_eval.inputs.params import load_review

    if executor == "dask" and not scheduler:
        raise click.UsageError("--executor dask needs --scheduler ADDRESS")
    _stop_on_sigterm()
    options = click.get_current_context().find_root().obj
    try:
        review = load_review(params_file)
        formats = formats or review.formats
        result = None if force or groups else _nothing_to_do(review, formats)
        if result is None:
            result = _run(review, jobs, list(groups) or None, force, (executor, scheduler), formats, options)
    except InputError as error:
        _fail(error)
    except KeyboardInterrupt:
        click.echo(
            "Interrupted: finished reports are kept; run the same command again to complete the review.", err=True
        )
        _exit_now(130)
    if result.failures:
        click.secho(result.summary(), fg="red", err=True)
    else:
        _say(click.style(result.summary(), fg="green"))
    _say(f"Portfolio summary: {result.portfolio}")
    _say(f"Index: {result.output_path / 'index.html'}")
    if options["verbose"]:
        click.echo((result.output_path / "run.log").read_text(encoding="utf-8").rstrip())
    sys.exit(1 if result.failures else 0)


def _nothing_to_do(review: Review, formats: tuple[str, ...]) -> RunResult | None:
    """The result of a run with nothing to do, known from file hashes alone (see batch/unchanged.py); None when
    the run must look closer."""
    from tjsl_eval.batch.execution import PORTFOLIO_NAME
    from tjsl_eval.batch.plan import RunResult
    from tjsl_eval.batch.unchanged import NoOpCheck

    reports = NoOpCheck(review).reports(formats)
    if reports is None:
        return None
    return RunResult(review.output_path, up_to_date=[name for name in reports if name != PORTFOLIO_NAME])


def _run(
    review: Review,
    jobs: int | None,
    groups: list[str] | None,
    force: bool,
    executor: tuple[str, str | None],
    formats: tuple[str, ...],
    options: dict,
) -> RunResult:
    """Run the review with a progress bar; ``executor``: its kind and the Dask scheduler."""
    from tqdm import tqdm

    from tjsl_eval.batch.run import run_review

    with tqdm(desc="reports", unit="group", disable=True if options["quiet"] else None) as bar:

        def start(total: int) -> None:
            bar.reset(total=total)

        def advance(group_id: str) -> None:
            bar.set_postfix_str(group_id)
            bar.update()
            if options["verbose"]:
                bar.write(f"done: {group_id}")

        return run_review(
            review,
            jobs=jobs,
            groups=groups,
            force=force,
            executor=executor[0],
            scheduler=executor[1],
            on_start=start,
            on_group_done=advance,
            formats=formats,
            notice=lambda message: bar.write(message, file=sys.stderr),
        )


@main.command()
@click.argument("params_file", metavar="PARAMS.yaml")
def status(params_file: str) -> None:
    """Say which of the review's reports are up to date, and why the others are stale.

    Example: tjsl-eval status params/review-2023.yaml
    """
    from tjsl_eval.batch.unchanged import NoOpCheck
    from tjsl_eval.inputs.params import load_review

    try:
        review = load_review(params_file)
        reports = NoOpCheck(review).reports()
        if reports is None:
            from tjsl_eval.batch.run import report_status

            states = report_status(review)
        else:
            states = {name: [] for name in reports}
    except InputError as error:
        _fail(error)
    for group_id, reasons in states.items():
        click.echo(f"{group_id}: " + ("up to date" if not reasons else "stale — " + "; ".join(reasons)))
    stale = sum(1 for reasons in states.values() if reasons)
    click.echo(f"{stale} of {len(states)} reports stale")


_LANGUAGE = click.option(
    "--lang",
    type=click.Choice(["id", "en"]),
    default="id",
    show_default=True,
    help="Sheet and column names, drop-down values and instructions in Indonesian or English.",
)


def _year_range(value: str) -> tuple[int, int]:
    first, _, last = value.partition("-")
    try:
        years = (int(first), int(last or first))
    except ValueError:
        raise click.BadParameter(f"expected years such as 2021-2023, not {value!r}") from None
    if years[0] > years[1]:
        raise click.BadParameter(f"the first year comes first: {value!r}")
    return years


@main.command()
@click.argument("output", metavar="OUT.xlsx", type=click.Path(dir_okay=False, writable=True))
@click.option("--groups", type=click.IntRange(1, 5000), default=10, show_default=True, help="How many groups.")
@click.option("--years", default="2021-2023", show_default=True, help="Programme years, e.g. 2021-2023.")
@click.option("--seed", type=int, default=0, show_default=True, help="The same seed gives the same workbook.")
@_LANGUAGE
def sample(output: str, groups: int, years: str, seed: int, lang: str) -> None:
    """Write a synthetic (fictional) review workbook of any size, with every sheet filled.

    Example: tjsl-eval sample data/test-400.xlsx --groups 400 --years 2021-2023 --seed 1
    """
    from tjsl_eval.inputs.synthetic import write_synthetic_workbook

    first, last = _year_range(years)
    try:
        _write_file(
            output, lambda: write_synthetic_workbook(Path(output), groups, (first, last), seed=seed, language=lang)
        )
    except ValueError as error:
        raise click.BadParameter(str(error)) from None
    _say(f"{output}: synthetic workbook, {groups} groups, {first}–{last} (+ plan {last + 1}), seed {seed}")


def _write_file(output: str, write: Callable[[], object]) -> None:
    """Run ``write``; a file that cannot be written is a message naming it (exit 1), not a traceback."""
    try:
        write()
    except OSError as error:
        reason = "not a folder" if isinstance(error, FileExistsError | NotADirectoryError) else error.strerror
        where = f": {error.filename}" if error.filename and Path(error.filename) in Path(output).parents else ""
        click.echo(f"{output}: cannot be written ({reason or error}{where})", err=True)
        sys.exit(1)


@main.command()
@click.argument("output", metavar="OUT.xlsx", type=click.Path(dir_okay=False))
@_LANGUAGE
@click.option("--force", is_flag=True, help="Replace OUT.xlsx if it exists.")
def template(output: str, lang: str, force: bool) -> None:
    """Write a blank review workbook to fill in: every sheet and column, drop-downs, formats, an example row per
    sheet (skipped when the workbook is read) and a sheet of instructions (petunjuk).

    Example: tjsl-eval template data/review-2024.xlsx --lang id
    """
    from tjsl_eval.inputs.template import write_template

    if not output.lower().endswith(".xlsx"):
        raise click.BadParameter(f"expected a file name ending in .xlsx, not {output!r}", param_hint="'OUT.xlsx'")
    if Path(output).exists() and not force:
        click.echo(f"{output} already exists and was left as it is: use --force to replace it.", err=True)
        sys.exit(1)
    _write_file(output, lambda: write_template(Path(output), lang))
    _say(f"{output}: blank review workbook ({lang}); fill it in, then check it with: tjsl-eval validate {output}")


@main.command("survey-form")
@click.argument("output", metavar="OUT.xlsx", type=click.Path(dir_okay=False))
@click.option(
    "--lang",
    type=click.Choice(["id", "en"]),
    default="id",
    show_default=True,
    help="The questions and answers in Indonesian or English (the regulation's wording).",
)
@click.option("--workbook", metavar="WORKBOOK", help="Offer this workbook's groups as a list to pick from.")
def survey_form(output: str, lang: str, workbook: str | None) -> None:
    """Write the IKM survey (PermenPAN-RB 14/2017) as an XLSForm for KoboToolbox or ODK Collect: the group, the
    survey date, the respondent profile, the nine elements u1 … u9 scored 1–4 and a comment.

    Example: tjsl-eval survey-form outputs/survei-ikm.xlsx --lang id --workbook data/review-2023.xlsx
    """
    from tjsl_eval.inputs.survey_form import write_survey_form
    from tjsl_eval.inputs.workbook import load_workbook

    if not output.lower().endswith(".xlsx"):
        raise click.BadParameter(f"expected a file name ending in .xlsx, not {output!r}", param_hint="'OUT.xlsx'")
    groups: list[tuple[str, str]] = []
    if workbook:
        try:
            table = load_workbook(workbook)["groups"]
        except InputError as error:
            _fail(error)
        groups = list(zip(table["group_id"], table["name"], strict=True))
    _write_file(output, lambda: write_survey_form(Path(output), lang, groups))
    _say(
        f"{output}: IKM survey form ({lang}, {len(groups) or 'any'} groups); upload it to KoboToolbox or ODK "
        "Central, then name the export under survey_exports in the params file (docs/surveys.md)"
    )


@main.command()
@click.argument("params_file", metavar="PARAMS.yaml")
@click.argument("output", metavar="OUT.zip", type=click.Path(dir_okay=False))
@click.option("--force", is_flag=True, help="Replace OUT.zip if it exists (never one of the review's own files).")
def archive(params_file: str, output: str, force: bool) -> None:
    """Write the finished review to one zip file: its inputs, every output and a README.txt.

    The same review always gives the same bytes. Refused when the review is not complete or is
    stale (when `tjsl-eval status` says something would be made), when OUT.zip exists (unless
    --force), and always when OUT.zip is one of the review's inputs or in its output folder. Example:
    tjsl-eval archive params/review-2023.yaml review-2023.zip
    """
    from tjsl_eval.batch.archive import archive_review
    from tjsl_eval.inputs.params import load_review

    try:
        count = archive_review(load_review(params_file), Path(output), force)
    except InputError as error:
        _fail(error)
    _say(f"{output}: {count} files archived; check it with: tjsl-eval verify {output}")


@main.command()
@click.argument("review", metavar="FOLDER_OR_ZIP", type=click.Path(exists=True))
@click.option("--rerun", is_flag=True, help="Make the review again from its inputs and compare every output.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None, help="Notebooks run at once by --rerun.")
@click.option(
    "--trust-archive",
    is_flag=True,
    help="With --rerun: RUN THE ARCHIVE'S OWN NOTEBOOKS (code, as your user) when they differ from the installed ones.",
)
def verify(review: str, rerun: bool, jobs: int | None, trust_archive: bool) -> None:
    """Check a review archive (.zip or unzipped) or a review's output folder against its manifest.

    Without --rerun, every output is checked against its SHA-256 in manifest.json and every input
    against its recorded hash, the zip read where it lies (nothing extracted, nothing run, no cache
    read); exit 0 when all match, else each changed, added or missing file is listed (exit 1). With
    --rerun, a review that verifies is made again from its inputs in a temporary folder with the
    INSTALLED notebooks and template (refused, naming them, when the archived ones differ, unless
    --trust-archive) and every output compared byte for byte (the executed .ipynb files, run.log and
    manifest.json excepted): `identical` (exit 0), or each differing file with its first difference
    (exit 1). See docs/trust.md. Example: tjsl-eval verify review-2023.zip --rerun
    """
    from tjsl_eval.batch import verify as verifying

    if trust_archive and not rerun:
        raise click.UsageError("--trust-archive goes with --rerun")
    try:
        if rerun:
            from tjsl_eval.batch.rerun import rerun_review

            outcome = rerun_review(Path(review), jobs, trust_archive)
            for warning in outcome.warnings:
                click.echo(f"warning: {warning}", err=True)
        else:
            outcome = verifying.verify(Path(review))
    except InputError as error:
        _fail(error)
    for difference in outcome.differences:
        click.echo(difference)
    click.echo(outcome.summary(), err=bool(outcome.differences))
    sys.exit(1 if outcome.differences else 0)

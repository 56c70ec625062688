"""The ``tjsl-eval`` command: a thin layer over :mod:`tjsl_eval.batch` and the loader.

Exit codes: 0 success; 1 invalid input or failed reports; 2 wrong usage.
"""

from __future__ import annotations

import sys

import click

from tjsl_eval import __version__
from tjsl_eval.problems import InputError


def _fail(error: InputError) -> None:
    for problem in error.problems:
        click.echo(str(problem), err=True)
    click.echo(f"{len(error.problems)} problem(s) found.", err=True)
    sys.exit(1)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="tjsl-eval")
def main() -> None:
    """Evaluation reports for a TJSL (CSR) programme review, one per beneficiary group."""


@main.command()
@click.argument("workbook")
def validate(workbook: str) -> None:
    """Check WORKBOOK (.xlsx, a folder of .csv files, or `sample`) and list every problem.

    Example: tjsl-eval validate data/review-2023.xlsx
    """
    from tjsl_eval.workbook import load_workbook

    try:
        loaded = load_workbook(workbook)
    except InputError as error:
        _fail(error)
    years = loaded.years()
    click.echo(f"{loaded.source}: valid — {len(loaded.group_ids)} groups, "
               f"years {years[0]}–{years[-1]}" if years else f"{loaded.source}: valid — no yearly data")
    for name, table in loaded.tables.items():
        click.echo(f"  {name}: {len(table)} rows")
    for note in loaded.notes:
        click.echo(f"  note: {note}")


@main.command()
@click.argument("params_file", metavar="PARAMS.yaml")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Notebooks run at once (default: the machine's cores).")
@click.option("--group", "groups", multiple=True, metavar="ID", help="Report on this group only (repeatable).")
def run(params_file: str, jobs: int | None, groups: tuple[str, ...]) -> None:
    """Validate the review's workbook, then write every group's report, index.html and metrics.json.

    Example: tjsl-eval run params/review-2023.yaml --jobs 2
    """
    from tqdm import tqdm

    from tjsl_eval.batch import run_review
    from tjsl_eval.params import load_review

    try:
        review = load_review(params_file)
        with tqdm(desc="reports", unit="group", disable=None) as bar:
            def start(total: int) -> None:
                bar.reset(total=total)

            def advance(group_id: str) -> None:
                bar.set_postfix_str(group_id)
                bar.update()
            result = run_review(review, jobs=jobs, groups=list(groups) or None, on_start=start,
                                on_group_done=advance)
    except InputError as error:
        _fail(error)
    click.echo(result.summary())
    sys.exit(1 if result.failures else 0)

"""Every group's figures by year, for ``metrics.json``, ``metrics.csv`` and the portfolio.

Each group's figures are computed from its own rows, as a task in the run's workers, and
kept in the run's cache (``.cache/<group id>.entries.pkl``, sealed: see
:mod:`~tjsl_eval.common.cache_files`) with a key made of the group's data, the review's method
settings and FGD date, the years and the code; a run recomputes only the groups whose key changed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from tjsl_eval.batch.cache import GroupFiles
from tjsl_eval.batch.manifest import code_fingerprint
from tjsl_eval.common.cache_files import CACHE_FOLDER, ENTRIES_CACHE, cached_or_none, load_cached, save_cached
from tjsl_eval.common.files import json_text, sha256_text
from tjsl_eval.inputs.params import Review
from tjsl_eval.inputs.settings import MethodSettings
from tjsl_eval.inputs.workbook import Workbook
from tjsl_eval.methods.portfolio import by_year, entry_years, group_entries


def compute_group_entries(
    group_file: str,
    group_id: str,
    years: list[int],
    methods: dict,
    as_of: str,
    report_date: str | None = None,
    with_findings: bool = True,
) -> tuple[str, dict[int, dict]]:
    """A worker's task: one group's figures for each year, from its cached rows (``as_of``: the FGD date,
    ``report_date``: the params' ``report_date``, ISO dates)."""
    data = load_cached(group_file, Workbook)
    settings = MethodSettings.from_mapping(methods)
    dated = dt.date.fromisoformat(report_date) if report_date else None
    return group_id, group_entries(
        data, group_id, years, settings, dt.date.fromisoformat(as_of), with_findings, report_date=dated
    )


PARALLEL_FROM = 40  # fewer groups are computed in the calling process: starting workers would cost more


def compute_entries(tasks: list[tuple], jobs: int) -> list[tuple[str, dict[int, dict]]]:
    """Run :func:`compute_group_entries` tasks, in ``jobs`` worker processes when there are many, else in this
    process; the results are in the tasks' order."""
    if jobs < 2 or len(tasks) < PARALLEL_FROM:
        return [compute_group_entries(*task) for task in tasks]
    from tjsl_eval.batch.workers import local_workers

    with local_workers(jobs) as pool:
        return list(pool.map(compute_group_entries, *zip(*tasks, strict=True), chunksize=len(tasks) // (jobs * 4) + 1))


@dataclass
class EntriesPlan:
    """The groups whose figures are cached, and the tasks that compute the others."""

    folder: Path
    years: list[int]
    order: list[str]  # every group, in the workbook's order
    keys: dict[str, str]
    cached: dict[str, dict[int, dict]] = field(default_factory=dict)
    tasks: list[tuple] = field(default_factory=list)  # arguments of compute_group_entries

    def year_entries(self, year: int, jobs: int) -> dict[str, dict]:
        """Every group's entry for ``year`` only, in the workbook's order: the cached groups' from the cache, the
        others computed without their findings (in ``jobs`` processes) and not cached (the cache keeps a group's
        every year, with its findings)."""
        tasks = [(file, group_id, [year], *dates, False) for file, group_id, _, *dates in self.tasks]
        computed = dict(compute_entries(tasks, jobs))
        return {g: (self.cached[g] if g in self.cached else computed[g])[year] for g in self.order}

    def group_years(self, group_id: str) -> dict[int, dict]:
        """One group's entry for every year of the plan (computed in this process, without its findings, when
        not cached)."""
        if group_id in self.cached:
            return self.cached[group_id]
        return compute_group_entries(*next(task for task in self.tasks if task[1] == group_id), False)[1]

    def collect(self, computed: list[tuple[str, dict[int, dict]]]) -> dict[int, dict[str, dict]]:
        """Cache the computed figures and return every group's, by year then group; the
        whole is also written for the portfolio notebook (``.cache/entries.pkl``), every run,
        as groups may have been removed or reordered with nothing recomputed."""
        by_group = dict(self.cached)
        for group_id, entries in computed:
            save_cached({"key": self.keys[group_id], "entries": entries}, _entries_file(self.folder, group_id))
            by_group[group_id] = entries
        entries = by_year({group_id: by_group[group_id] for group_id in self.order}, self.years)
        save_cached(entries, self.folder / ENTRIES_CACHE)
        return entries


def plan_entries(review: Review, workbook: Workbook, files: GroupFiles) -> EntriesPlan:
    """Which groups' figures can be read from the cache, and the tasks for the others."""
    folder = review.output_path / CACHE_FOLDER
    years = entry_years(workbook, review.evaluated_year)
    methods, as_of = review.methods.as_dict(), review.fgd_date.isoformat()
    report_date = review.report_date.isoformat() if review.report_date else None
    settings = sha256_text(json_text(methods), as_of, str(report_date), json_text(years), code_fingerprint())
    keys = {group_id: sha256_text(files.fingerprints[group_id], settings) for group_id in workbook.group_ids}
    plan = EntriesPlan(folder, years, list(workbook.group_ids), keys)
    for group_id, key in keys.items():
        kept = cached_or_none(_entries_file(folder, group_id), dict)
        if kept and kept.get("key") == key:
            plan.cached[group_id] = kept["entries"]
        else:
            plan.tasks.append((str(files.path(group_id)), group_id, years, methods, as_of, report_date))
    return plan


def _entries_file(folder: Path, group_id: str) -> Path:
    return folder / f"{group_id}.entries.pkl"

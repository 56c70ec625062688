"""The run's caches in ``<output folder>/.cache``: the validated workbook, and each group's
rows for its notebook. Only files sealed with this user's key are read back (see
:mod:`tjsl_eval.common.cache_files`); any other is ignored and made again."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from tjsl_eval.common.cache_files import CACHE_FOLDER, WORKBOOK_CACHE, cached_or_none, save_cached
from tjsl_eval.common.files import sha256_file, sha256_text, write_atomic
from tjsl_eval.inputs.photos import file_signature
from tjsl_eval.inputs.sources import workbook_files
from tjsl_eval.inputs.survey_params import SurveyExport
from tjsl_eval.inputs.workbook import Workbook, load_workbook

Exports = tuple[SurveyExport, ...]  # the review's survey exports (params key survey_exports)
KEY_TEXT_LIMIT = 4096  # characters read of ``workbook.key`` (two hashes): a larger file is no key of ours


def source_fingerprint(source: str, exports: Exports = ()) -> str:
    """A hash of the workbook file (or of every CSV file of a folder), of the survey exports joined to it (and
    their params entries) and of the loader's code."""
    from tjsl_eval.batch.manifest import code_fingerprint  # not needed, nor imported, in report kernels

    files = workbook_files(source)
    return sha256_text(
        code_fingerprint(),
        *(f"{f.name}={sha256_file(f)}" for f in files if f.exists()),
        *(f"{export}={sha256_file(export.path) if export.path.is_file() else ''}" for export in exports),
    )


def _cache_files(output_path: Path) -> tuple[Path, Path]:
    folder = output_path / CACHE_FOLDER
    return folder / "workbook.key", folder / WORKBOOK_CACHE


def _photo_key(workbook: Workbook) -> str:
    return file_signature(workbook.folder, workbook.tables["photos"])


def cached_workbook(source: str, output_path: Path, exports: Exports = ()) -> Workbook | None:
    """The workbook validated by an earlier run, when the file and the survey ``exports`` are byte for byte the
    same (and the loader's code too) and its photo files have the same sizes and times; else None (also when
    the cache is damaged or was not written by this user's tjsl-eval)."""
    key_file, tables_file = _cache_files(output_path)
    try:
        with open(key_file, encoding="utf-8") as file:
            source_key, _, photo_key = file.read(KEY_TEXT_LIMIT).partition("\n")
    except (OSError, ValueError):
        return None
    if source_key != source_fingerprint(source, exports):
        return None
    workbook = cached_or_none(tables_file, Workbook)  # None when not ours, or damaged: made again
    return workbook if workbook is not None and _photo_key(workbook) == photo_key else None


def remember_workbook(workbook: Workbook, source: str, output_path: Path, exports: Exports = ()) -> None:
    """Keep a validated workbook for :func:`cached_workbook`."""
    key_file, tables_file = _cache_files(output_path)
    key_file.parent.mkdir(parents=True, exist_ok=True)
    save_cached(workbook, tables_file)
    write_atomic(key_file, source_fingerprint(source, exports) + "\n" + _photo_key(workbook))


def load_validated(source: str, output_path: Path, exports: Exports = ()) -> tuple[Workbook, bool]:
    """The validated workbook (the survey ``exports`` joined), from the cache when possible; the flag says it
    was loaded afresh (so the caller can :func:`remember_workbook` it). Raises
    :class:`~tjsl_eval.common.problems.InputError` for an invalid workbook or export."""
    cached = cached_workbook(source, output_path, exports)
    return (cached, False) if cached is not None else (load_workbook(source, exports), True)


@dataclass
class GroupFiles:
    """Each group's rows, written to the run's cache for the tasks that need them."""

    folder: Path
    workbook: Workbook
    fingerprints: dict[str, str]
    portfolio: str = ""  # the fingerprint of the portfolio summary's data
    parts: dict[str, dict[str, str]] = field(default_factory=dict)  # each group's photos' and narrative's
    written: set[str] = field(default_factory=set)  # groups whose rows this run has written

    @classmethod
    def split(cls, workbook: Workbook, output_path: Path) -> GroupFiles:
        from tjsl_eval.batch.manifest import group_fingerprints, part_fingerprints, portfolio_fingerprint

        return cls(
            output_path / CACHE_FOLDER,
            workbook,
            group_fingerprints(workbook),
            portfolio_fingerprint(workbook),
            part_fingerprints(workbook),
        )

    @cached_property
    def data(self) -> dict[str, Workbook]:
        """Each group's rows, split when a first group's are written (not in a run with nothing to do)."""
        return self.workbook.split_by_group()

    def workbook_fingerprint(self) -> str:
        """The fingerprint of the portfolio summary's data: the whole workbook, its photos' bytes left out."""
        return self.portfolio

    def path(self, group_id: str) -> Path:
        """The group's cached rows, written on first use in this run."""
        path = self.folder / f"{group_id}.pkl"
        if group_id not in self.written:
            self.folder.mkdir(exist_ok=True)
            save_cached(self.data[group_id], path)
            self.written.add(group_id)
        return path

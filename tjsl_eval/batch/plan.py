"""What a run has to make (:class:`PlannedReport`), how the user asked for it
(:class:`RunOptions`) and what it made (:class:`RunResult`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from tjsl_eval.batch.execution import ReportTask
from tjsl_eval.common.cache_files import CACHE_FOLDER
from tjsl_eval.common.files import OFFICE_FORMATS
from tjsl_eval.inputs.brand import DEFAULT_BRAND, Brand

if TYPE_CHECKING:  # the no-op check of a run uses RunResult without importing pandas
    from tjsl_eval.batch.manifest import Manifest


@dataclass
class RunResult:
    """What a run did: reports written, reports already up to date, and failures (group -> message)."""

    output_path: Path
    written: list[str] = field(default_factory=list)
    up_to_date: list[str] = field(default_factory=list)
    failures: dict[str, str] = field(default_factory=dict)
    portfolio: str = "up to date"  # the portfolio summary: "written", "up to date" or "failed"

    def summary(self) -> str:
        """One line, e.g. ``9 reports written, 1 failed: UMKM-07 — cell 4: ValueError: …``."""
        line = f"{len(self.written)} reports written"
        if self.up_to_date:
            line += f", {len(self.up_to_date)} already up to date"
        if self.failures:
            details = "; ".join(f"{group} — {message}" for group, message in sorted(self.failures.items()))
            line += f", {len(self.failures)} failed: {details}"
        return line


@dataclass(frozen=True)
class PlannedReport:
    """A report that has to be made, with its notebook parameters and input fingerprints."""

    name: str  # a group id, or "portfolio"
    parameters: dict[str, object]
    inputs: dict[str, str]
    reasons: tuple[str, ...]
    page_title: str
    notebook: Path

    def task(self, output_path: Path, timeout: float, options: RunOptions) -> ReportTask:
        """What a worker needs to make this report."""
        parameters = self.parameters
        if any(kind in options.formats for kind in ("pdf", *OFFICE_FORMATS)):  # the notebook keeps the report
            parameters = {**parameters, "document_file": str(output_path / CACHE_FOLDER / f"{self.name}.document.pkl")}
        return ReportTask(
            self.name,
            self.notebook,
            parameters,
            output_path,
            self.page_title,
            self.inputs,
            timeout,
            options.formats,
            options.references,
            brand=options.brand,
            run_id=options.run_id,
        )


@dataclass(frozen=True)
class RunOptions:
    """What the user asked of a run besides its groups: ``--force``, ``--format``, the folder
    of the notebooks (another than the project's when an archived review is made again), the
    params' reference documents ("docx"/"pptx" -> path) and brand, and the run's id."""

    force: bool = False
    formats: tuple[str, ...] = ("html",)
    notebooks: Path | None = None
    references: dict[str, str] = field(default_factory=dict)
    brand: Brand = DEFAULT_BRAND
    run_id: str = "0"  # the run's id (see batch/folder_lock.py), in its temporary file names

    def notebook(self, project_notebook: Path) -> Path:
        """The notebook to run for ``project_notebook``: the same-named one in :attr:`notebooks`, if given."""
        return project_notebook if self.notebooks is None else self.notebooks / project_notebook.name

    def reasons(self, manifest: Manifest, name: str, inputs: dict[str, str]) -> list[str]:
        """Why report ``name`` must be made in this run (empty: it is up to date)."""
        if self.force:
            return ["--force"]
        folder = manifest.path.parent
        missing = [f"{name}.{kind} is missing" for kind in self.formats if not (folder / f"{name}.{kind}").exists()]
        return list(dict.fromkeys(manifest.stale_reasons(name, inputs) + missing))

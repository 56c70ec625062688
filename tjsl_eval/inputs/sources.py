"""Where a review's input files are: the workbook argument resolved (``sample`` is the bundled data), and the
list of files whose bytes the reports depend on (imports no data library, for the no-op check of a run)."""

from __future__ import annotations

from pathlib import Path

SAMPLE_NAME = "sample"
SAMPLE_PATH = Path(__file__).resolve().parent.parent / "data" / "sample"


def resolve_workbook_path(workbook: str | Path) -> Path:
    """The path of a workbook argument, ``sample`` naming the bundled synthetic data."""
    return SAMPLE_PATH if str(workbook) == SAMPLE_NAME else Path(workbook)


def workbook_files(workbook: str | Path) -> list[Path]:
    """The files a workbook is read from: the spreadsheet, or every .csv file of a folder (sorted)."""
    path = resolve_workbook_path(workbook)
    return sorted(path.glob("*.csv")) if path.is_dir() else [path]

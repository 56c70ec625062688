"""The params' ``survey_exports`` entries (no data library imported: the no-op check of a run reads them).

Each entry names an IKM survey export ``file`` (.xlsx or .csv, relative to the params file) and, where it
cannot be inferred, the survey ``year`` (default: the evaluated year), the group (``group_id``, or
``group_column`` naming the export's column that holds it) and ``columns``, the export's column of each element
``u1`` … ``u9``. :mod:`tjsl_eval.inputs.survey_exports` reads the files.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

ELEMENT_FIELDS = tuple(f"u{i}" for i in range(1, 10))
ENTRY_KEYS = ("file", "year", "group_id", "group_column", "columns")
SUFFIXES = (".xlsx", ".csv")


@dataclass(frozen=True)
class SurveyExport:
    """One entry of the params' ``survey_exports``: ``file`` as written, ``path`` resolved, the survey
    ``year``, the group (``group_id``, or ``group_column`` naming the export column that holds it) and
    ``columns``, the export's column name of each element ``u1`` … ``u9`` not recognised by itself."""

    file: str
    path: Path
    year: int
    group_id: str | None = None
    group_column: str | None = None
    columns: tuple[tuple[str, str], ...] = ()

    def as_dict(self) -> dict[str, object]:
        """The entry as written, for ``metrics.json``."""
        values = {"file": self.file, "year": self.year, "group_id": self.group_id, "group_column": self.group_column}
        return {**{key: value for key, value in values.items() if value is not None}, "columns": dict(self.columns)}


def export_entries(value: object, base: Path, evaluated_year: int, check_year, check_group) -> tuple[SurveyExport, ...]:
    """The params' ``survey_exports`` list checked; ``check_year`` and ``check_group`` check a year and a
    group id (``ValueError`` names what is wrong)."""
    if not isinstance(value, list):
        raise ValueError("expected a list of exports, each with at least `file: exports/survey.xlsx`")
    entries = []
    for number, entry in enumerate(value, 1):
        where = f"entry {number}"
        if not isinstance(entry, dict) or not isinstance(entry.get("file"), str) or not entry["file"].strip():
            raise ValueError(f"{where}: expected a mapping with `file:` naming an .xlsx or .csv export")
        unknown = sorted(set(map(str, entry)) - set(ENTRY_KEYS))
        if unknown:
            raise ValueError(f"{where}: unknown key {', '.join(unknown)}; expected {', '.join(ENTRY_KEYS)}")
        file = entry["file"].strip()
        if not file.lower().endswith(SUFFIXES):
            raise ValueError(f"{where}: expected an .xlsx or .csv file, found {file!r}")
        if entry.get("group_id") is not None and entry.get("group_column") is not None:
            raise ValueError(f"{where}: give `group_id` or `group_column`, not both")
        columns = entry.get("columns") or {}
        if not isinstance(columns, dict) or not all(isinstance(name, str) for name in columns.values()):
            raise ValueError(f"{where}: `columns` expected a mapping such as u1: 'Q1 persyaratan'")
        bad = sorted(set(map(str, columns)) - set(ELEMENT_FIELDS))
        if bad:
            raise ValueError(f"{where}: `columns` maps u1 … u9 only, found {', '.join(bad)}")
        year = entry.get("year")
        group_column = entry.get("group_column")
        entries.append(
            SurveyExport(
                file,
                (base / file).resolve(),
                evaluated_year if year is None else check_year(year),
                None if entry.get("group_id") is None else check_group(str(entry["group_id"])),
                None if group_column is None else str(group_column).strip(),
                tuple(sorted((str(key), name.strip()) for key, name in columns.items())),
            )
        )
    return tuple(entries)

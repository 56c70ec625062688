"""IKM survey exports read as they are (params key ``survey_exports``): KoboToolbox (.xlsx or .csv, XML names
or labels as headers), ODK Central (.csv, group paths such as ``grp-u1``) and Google Forms (.csv).

Each export's rows become rows of the workbook's ``survei_ikm`` sheet for their group and year, with the same
checks as typed rows and every problem located in the export (file, sheet of an .xlsx, row, column). The rows
also carry where they came from (:data:`SOURCE_COLUMNS`): the export's file name and SHA-256 (so a changed
export changes the fingerprint of exactly the groups it has rows for), the submission date and the
respondent's sex and age band. docs/surveys.md documents the shapes recognised.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from tjsl_eval.common.files import sha256_file
from tjsl_eval.common.messages import text
from tjsl_eval.common.problems import InputError, Problem
from tjsl_eval.inputs import cells
from tjsl_eval.inputs.questionnaire import (
    answer_labels,
    answer_scores,
    choice_names,
    field_label,
    folded,
    questionnaire,
)
from tjsl_eval.inputs.readers import RawSheet, column_letters, read_sheets
from tjsl_eval.inputs.survey_params import ELEMENT_FIELDS, SurveyExport

SOURCE_COLUMNS = ("source", "source_sha256", "submitted", "sex", "age_band")
# Submission ids and times as each tool names them (folded, after any group path): first found is used.
SUBMISSION_IDS = ("_uuid", "instanceid", "key")
SUBMISSION_TIMES = ("_submission_time", "submissiondate", "timestamp", "stempel waktu")
DAY_FIRST_TIMES = ("stempel waktu",)  # Google Forms in Indonesian writes 14/03/2023; in English 3/14/2023
FORM_FIELDS = ("group_id", "survey_date", "sex", "age_band", *ELEMENT_FIELDS)
_ELEMENT_NUMBER = re.compile(r"u?([1-9])(?:[.):\-]|\s|$)")
_GROUP_PATH = re.compile(r"(?:.*[/\-])?([^/\-]+)")  # Kobo's group/u1, ODK Central's grp-u1


@dataclass
class _Located:
    """Where each field is in an export (its column index), the submission id and time (None when absent), and
    whether the times are written day first."""

    columns: dict[str, int] = field(default_factory=dict)
    submission_id: int | None = None
    submitted: int | None = None
    day_first: bool = False


def _field_names() -> dict[str, str]:
    """Each field's name, and the form label (folded, both languages) of each field but the elements."""
    names = {name: name for name in FORM_FIELDS}
    for name in FORM_FIELDS:
        if name not in ELEMENT_FIELDS:
            names.update({folded(field_label(name, language)): name for language in questionnaire()["title"]})
    return names


def _element_of(header: str) -> str | None:
    """The element a question text starts with: ``U1``, ``1.`` or the element's name (either language)."""
    match = _ELEMENT_NUMBER.match(header)
    if match:
        return f"u{match.group(1)}"
    for element in ELEMENT_FIELDS:
        names = {folded(text(f"ikm_element.{element}", language)) for language in questionnaire()["title"]}
        if any(header.startswith(name) for name in names):
            return element
    return None


def locate_fields(header: list[object], export: SurveyExport) -> tuple[_Located, list[str]]:
    """Which column holds each field; the names of the required fields no column holds."""
    located = _Located()
    mapped = {folded(name): element for element, name in export.columns}
    wanted_group = folded(export.group_column) if export.group_column else None
    names = _field_names()
    for index, written in enumerate(header):
        if cells.is_blank(written):
            continue
        title = folded(written)
        last = _GROUP_PATH.fullmatch(title).group(1) if _GROUP_PATH.fullmatch(title) else title
        name = mapped.get(title) or ("group_id" if title == wanted_group else None)
        name = name or names.get(title) or names.get(last) or _element_of(title)
        if name == "group_id" and wanted_group and title != wanted_group:
            name = None  # the params name the group's column: no other column holds it
        if name and name not in located.columns:
            located.columns[name] = index
        elif last in SUBMISSION_IDS and located.submission_id is None:
            located.submission_id = index
        elif title in SUBMISSION_TIMES and located.submitted is None:
            located.submitted = index
            located.day_first = title in DAY_FIRST_TIMES
    if export.group_id:
        located.columns.pop("group_id", None)
    missing = [element for element in ELEMENT_FIELDS if element not in located.columns]
    if export.group_id is None and "group_id" not in located.columns:
        missing.append(export.group_column or "group_id")
    return located, missing


def _timestamp(value: object, day_first: bool) -> dt.date:
    """A submission time or survey date: a spreadsheet date, ISO text (``2023-03-14T08:30:12.345Z``) or the
    ``14/03/2023 8:30:12`` (day first) or ``3/14/2023 8:30:12`` (month first) of Google Forms."""
    if isinstance(value, dt.datetime | dt.date):
        return cells.parse_date(value)
    written = str(value).strip()
    iso = re.match(r"(\d{4}-\d{1,2}-\d{1,2})(?:[ T]|$)", written)
    if iso:
        return cells.parse_date(iso.group(1))
    slashed = re.match(r"(\d{1,2})/(\d{1,2})/(\d{4})(?:\s|$)", written)
    if slashed:
        first, second, year = (int(part) for part in slashed.groups())
        day, month = (first, second) if day_first or first > 12 else (second, first)
        try:
            return dt.date(year, month, day)
        except ValueError:
            raise cells.CellError(f"found {written!r}, which is not a real calendar date") from None
    return cells.parse_date(written)


def _plain(value: object) -> str:
    """A cell as text: ``3.0`` (read from a spreadsheet, or written so) is ``3``."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    written = "" if cells.is_blank(value) else str(value).strip()
    return re.sub(r"^(\d+)[.,]0+$", r"\1", written)


@dataclass
class ExportRows:
    """An export read: its rows as ``survei_ikm`` rows (with :data:`SOURCE_COLUMNS`), problems and notes."""

    rows: pd.DataFrame
    problems: list[Problem]
    notes: list[str]


def read_export(export: SurveyExport, groups: pd.DataFrame, typed: pd.DataFrame) -> ExportRows:
    """Read one export; ``groups``: the workbook's ``groups`` table (ids and names the export may give);
    ``typed``: the workbook's ``survey`` table (a respondent id typed there as well is a problem)."""
    try:
        raw = read_sheets(export.path)[0].loaded() if export.path.exists() else None
    except InputError as error:
        return ExportRows(_frame([]), error.problems, [])
    if raw is None:
        return ExportRows(_frame([]), [Problem(export.file, message="file not found (params key survey_exports)")], [])
    sheet = raw.name if export.path.suffix.lower() == ".xlsx" else None
    problems: list[Problem] = []
    if export.group_id and export.group_id not in set(groups["group_id"]):
        message = f"group_id {export.group_id!r} is not in the workbook's sheet kelompok"
        problems.append(Problem(export.file, column="group_id", message=message))
    located, missing = locate_fields(raw.header, export)
    if missing:
        expected = "a column for each of " + ", ".join(missing)
        hint = " (name it u1 … u9, start its text with U1 … U9, or map it with `columns` in the params file)"
        problems.append(Problem(export.file, sheet, raw.header_row, message=f"{expected}{hint}"))
    if problems:
        return ExportRows(_frame([]), problems, [])
    reader = _RowReader(export, raw, sheet, located, groups)
    same_year = typed["year"].eq(export.year).fillna(False).to_numpy(bool)
    records, notes = reader.records(problems, set(typed.loc[same_year, "respondent_id"]))
    return ExportRows(_frame(records), problems, notes)


class _RowReader:
    """Turns an export's rows into ``survei_ikm`` records, each problem located."""

    def __init__(self, export: SurveyExport, raw: RawSheet, sheet: str | None, located: _Located, groups):
        self.export, self.raw, self.sheet, self.located = export, raw, sheet, located
        ids = [str(group_id) for group_id in groups["group_id"]]
        names = {folded(name): str(group_id) for group_id, name in zip(groups["group_id"], groups["name"], strict=True)}
        self.groups = {**names, **{folded(group_id): group_id for group_id in ids}}
        self.known = ", ".join(ids[:10]) + (", …" if len(ids) > 10 else "")
        self.sha256 = sha256_file(export.path)

    def _problem(self, row: int, index: int | None, message: str) -> Problem:
        header = self.raw.header[index] if index is not None else None
        column = _plain(header) or (column_letters(index) if index is not None else None)
        return Problem(self.export.file, self.sheet, row, column, message)

    def records(self, problems: list[Problem], typed_ids: set[str]) -> tuple[list[dict], list[str]]:
        seen: dict[object, int] = {}
        records, notes = [], []
        for values, row in zip(self.raw.cells, self.raw.row_numbers, strict=True):
            row = int(row)
            record, found = self._record(values, row)
            key = record["respondent_id"] if self.located.submission_id is not None else self._answers_key(values)
            if key in seen:
                notes.append(
                    f"{self.export.file}: submission {record['respondent_id']} on rows {seen[key]} and {row} "
                    "is counted once"
                )
                continue
            seen[key] = row
            if record["respondent_id"] in typed_ids and record["group_id"]:
                found.append(
                    self._problem(
                        row,
                        self.located.submission_id,
                        "expected a respondent not already typed in survei_ikm: this submission id is there too",
                    )
                )
            problems += found
            if not found:
                records.append(record)
        return records, notes

    def _answers_key(self, values: np.ndarray) -> tuple:
        """Google Forms has no submission id: a submission is its time and answers."""
        at = [self.located.submitted, *(self.located.columns[element] for element in ELEMENT_FIELDS)]
        return tuple(_plain(values[index]) if index is not None and index < len(values) else "" for index in at)

    def _cell(self, values: np.ndarray, index: int | None) -> object:
        return values[index] if index is not None and index < len(values) else ""

    def _record(self, values: np.ndarray, row: int) -> tuple[dict, list[Problem]]:
        found: list[Problem] = []
        columns = self.located.columns
        record: dict[str, object] = {"row": row, "year": self.export.year, "source": Path(self.export.file).name}
        record["source_sha256"] = self.sha256
        record["group_id"] = self._group(values, row, found)
        submission = _plain(self._cell(values, self.located.submission_id))
        record["respondent_id"] = submission or f"{Path(self.export.file).name}:{row}"
        record["submitted"] = self._date(values, row, found)
        for element in ELEMENT_FIELDS:
            written = _plain(self._cell(values, columns[element]))
            score = answer_scores(element).get(folded(written))
            if score is None:
                choices = " / ".join(answer_labels(element, "id"))
                what = "no answer (a missing element)" if not written else repr(written)
                message = f"expected a score 1–4 or an answer of {element} ({choices}, or in English), found {what}"
                found.append(self._problem(row, columns[element], message))
            record[element] = score
        for name in ("sex", "age_band"):
            written = _plain(self._cell(values, columns.get(name)))
            record[name] = choice_names(name).get(folded(written), written)
        return record, found

    def _group(self, values: np.ndarray, row: int, found: list[Problem]) -> str:
        if self.export.group_id:
            return self.export.group_id  # checked once, by read_export
        written = _plain(self._cell(values, self.located.columns["group_id"]))
        group_id = self.groups.get(folded(written))
        if group_id is None:
            message = f"expected a group of the workbook ({self.known}), found {written!r}"
            found.append(self._problem(row, self.located.columns["group_id"], message))
            return ""
        return group_id

    def _date(self, values: np.ndarray, row: int, found: list[Problem]) -> dt.date | None:
        index = self.located.columns.get("survey_date", self.located.submitted)
        if index is None:
            return None
        written = self._cell(values, index)
        try:
            day_first = self.located.day_first or index != self.located.submitted
            date = _timestamp(written, day_first)
        except cells.CellError as error:
            found.append(self._problem(row, index, f"expected a date; {error}"))
            return None
        if date.year != self.export.year:
            message = f"expected a date in {self.export.year}, the survey's year, found {date.isoformat()}"
            found.append(self._problem(row, index, message))
        return date


def _frame(records: list[dict]) -> pd.DataFrame:
    """Records as ``survei_ikm`` rows with the workbook's types, the sources' columns last."""
    frame = pd.DataFrame.from_records(
        records, columns=["row", "group_id", "year", "respondent_id", *ELEMENT_FIELDS, *SOURCE_COLUMNS]
    ).set_index("row")
    frame.index = frame.index.astype(np.int64)
    types = {"group_id": "str", "year": "Int64", "respondent_id": "str", **dict.fromkeys(ELEMENT_FIELDS, "Int64")}
    types.update({"source": "str", "source_sha256": "str", "sex": "str", "age_band": "str"})
    frame = frame.astype(types)
    frame["submitted"] = pd.to_datetime(frame["submitted"]).astype("datetime64[ns]")
    return frame


def join_exports(
    tables: Mapping[str, pd.DataFrame], exports: tuple[SurveyExport, ...], notes: list[str]
) -> tuple[pd.DataFrame, list[Problem]]:
    """The ``survey`` table with every export's rows after the typed ones (all with :data:`SOURCE_COLUMNS`:
    blank for typed rows), and the exports' problems; ``notes`` gets each export's count and duplicates."""
    typed = tables["survey"]
    parts = [typed.assign(source="", source_sha256="", submitted=pd.NaT, sex="", age_band="")]
    parts[0]["submitted"] = parts[0]["submitted"].astype("datetime64[ns]")
    problems: list[Problem] = []
    seen: dict[tuple, str] = {}  # (group, year, submission id): the export that gave it first
    for export in exports:
        read = read_export(export, tables["groups"], typed)
        problems += read.problems
        notes += read.notes
        rows = read.rows
        keys = list(zip(rows["group_id"], rows["year"], rows["respondent_id"], strict=True))
        again = [key in seen for key in keys]
        notes += [
            f"{export.file}: submission {key[2]} is also in {seen[key]}, counted once" for key in keys if key in seen
        ]
        seen.update({key: export.file for key in keys if key not in seen})
        rows = rows[~pd.Series(again, index=rows.index, dtype=bool)]
        groups = rows["group_id"].nunique()
        plural = "" if groups == 1 else "s"
        notes.append(
            f"survey export {export.file}: {len(rows)} submissions joined to survei_ikm, {groups} group{plural}"
        )
        parts.append(rows)
    joined = pd.concat(parts) if len(parts) > 1 else parts[0]
    joined.index.name = "row"
    return joined, problems

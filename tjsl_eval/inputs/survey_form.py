"""The XLSForm of the IKM survey (``tjsl-eval survey-form``), for KoboToolbox and ODK Collect.

Sheets ``survey``, ``choices`` and ``settings``; one language per form (labels in the plain ``label`` column).
Field names are a contract (docs/surveys.md): ``group_id``, ``survey_date``, ``sex``, ``age_band``,
``education``, ``occupation``, ``u1`` … ``u9`` (each a ``select_one`` whose choice names are the scores 1–4)
and ``comment``. The same arguments give the same bytes.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path

import openpyxl

from tjsl_eval.common import formatting
from tjsl_eval.common.files import write_atomic
from tjsl_eval.common.zips import reproducible_zip
from tjsl_eval.inputs.questionnaire import (
    PROFILE_FIELDS,
    answer_labels,
    field_label,
    question_label,
    questionnaire,
)
from tjsl_eval.inputs.survey_params import ELEMENT_FIELDS

SURVEY_COLUMNS = ("type", "name", "label", "required", "constraint", "appearance")
GROUP_LIST = "groups"


def survey_rows(language: str, grouped: bool) -> list[tuple[str, ...]]:
    """The ``survey`` sheet's rows below its header."""
    yes = "yes"
    group = ("select_one " + GROUP_LIST, "group_id") if grouped else ("text", "group_id")
    rows = [
        (*group, field_label("group_id", language), yes, "", "minimal" if grouped else ""),
        ("date", "survey_date", field_label("survey_date", language), yes, ". <= today()", ""),
        ("begin_group", "profile", field_label("profile_note", language), "", "", "field-list"),
        *((f"select_one {name}", name, field_label(name, language), yes, "", "") for name in PROFILE_FIELDS),
        ("end_group", "", "", "", "", ""),
        ("begin_group", "elements", field_label("elements_note", language), "", "", ""),
        *(
            (f"select_one {element}_answers", element, question_label(element, language), yes, "", "")
            for element in ELEMENT_FIELDS
        ),
        ("end_group", "", "", "", "", ""),
        ("text", "comment", field_label("comment", language), "", "", "multiline"),
    ]
    return rows


def choice_rows(language: str, groups: Sequence[tuple[str, str]]) -> list[tuple[str, str, str]]:
    """The ``choices`` sheet's rows (list name, name, label) below its header; ``groups``: (id, name) pairs."""
    rows = [(GROUP_LIST, group_id, name) for group_id, name in groups]
    for field in PROFILE_FIELDS:
        rows += [(field, name, labels[language]) for name, labels in questionnaire()["choices"][field].items()]
    for element in ELEMENT_FIELDS:
        rows += [
            (f"{element}_answers", str(score), label) for score, label in enumerate(answer_labels(element, language), 1)
        ]
    return rows


def write_survey_form(path: Path, language: str = "id", groups: Sequence[tuple[str, str]] = ()) -> Path:
    """Write the XLSForm to ``path`` (atomically); ``groups``: the workbook's (id, name) pairs, offered as a
    ``select_one`` (else the group id is typed in)."""
    formatting.locale_of(language)  # rejects an unknown language
    data = questionnaire()
    book = openpyxl.Workbook()
    survey = book.active
    survey.title = "survey"
    survey.append(SURVEY_COLUMNS)
    for row in survey_rows(language, bool(groups)):
        survey.append(row)
    choices = book.create_sheet("choices")
    choices.append(("list_name", "name", "label"))
    for row in choice_rows(language, groups):
        choices.append(row)
    settings = book.create_sheet("settings")
    settings.append(("form_title", "form_id", "version", "default_language"))
    settings.append((data["title"][language], data["form_id"], data["version"], language))
    for sheet, widths in ((survey, (22, 14, 70, 9, 16, 12)), (choices, (16, 16, 40)), (settings, (50, 12, 10, 16))):
        for letter, width in zip("ABCDEF", widths, strict=False):
            sheet.column_dimensions[letter].width = width
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"  # a group name such as "=HYPERLINK(…)" stays text, never a formula
    saved = io.BytesIO()
    book.save(saved)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, reproducible_zip(saved.getvalue()))
    return path

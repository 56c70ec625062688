"""Synthetic IKM survey exports, as KoboToolbox, ODK Central and Google Forms write them: for the bundled
sample's export (``params/surveys/``, see :func:`write_sample_export`) and for tests. Fictional answers
only; the same arguments give the same bytes."""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
import uuid
from pathlib import Path

import openpyxl

from tjsl_eval.common.files import write_atomic
from tjsl_eval.common.zips import reproducible_zip
from tjsl_eval.inputs.questionnaire import PROFILE_FIELDS, answer_labels, field_label, question_label, questionnaire
from tjsl_eval.inputs.survey_params import ELEMENT_FIELDS

SHAPES = ("kobo-xlsx", "kobo-xlsx-labels", "odk-csv", "google-csv")
SAMPLE_EXPORT = Path(__file__).resolve().parents[2] / "params" / "surveys" / "KDH-08-kobotoolbox.xlsx"
SAMPLE_GROUP, SAMPLE_YEAR, SAMPLE_SUBMISSIONS = "KDH-08", 2023, 20


def submissions(group_id: str, year: int, count: int, seed: int = 0) -> list[dict[str, object]]:
    """``count`` fictional submissions for one group: an id, the survey date and time, the profile (choice
    names) and the nine scores (mostly 3 and 4)."""
    chance = random.Random(f"{group_id}-{year}-{seed}")
    profile = {name: list(questionnaire()["choices"][name]) for name in PROFILE_FIELDS}
    found = []
    for _ in range(count):
        moment = dt.datetime(year, 1, 1, 8) + dt.timedelta(days=chance.randrange(360), minutes=chance.randrange(600))
        found.append(
            {
                "id": f"uuid:{uuid.UUID(int=chance.getrandbits(128), version=4)}",
                "group_id": group_id,
                "time": moment,
                **{name: chance.choice(values) for name, values in profile.items()},
                **{element: chance.choices((1, 2, 3, 4), (1, 3, 10, 6))[0] for element in ELEMENT_FIELDS},
            }
        )
    return sorted(found, key=lambda submission: submission["time"])


def export_rows(shape: str, answers: list[dict[str, object]], language: str, names: dict[str, str]) -> list[list]:
    """The export's header and rows in ``shape`` (:data:`SHAPES`); ``names``: each group id's name (the label a
    labels export shows)."""
    labels = shape in ("kobo-xlsx-labels", "google-csv")

    def label_of(field: str) -> str:
        return question_label(field, language) if field in ELEMENT_FIELDS else field_label(field, language)

    def value(submission: dict, field: str) -> object:
        written = submission[field]
        if not labels:
            return str(written)
        if field in ELEMENT_FIELDS:
            return answer_labels(field, language)[int(written) - 1]
        if field == "group_id":
            return names.get(str(written), written)
        return questionnaire()["choices"][field][written][language]

    fields = ["group_id", *PROFILE_FIELDS, *ELEMENT_FIELDS]
    if shape == "google-csv":
        time, written = (
            ("Stempel waktu", "%d/%m/%Y %H:%M:%S") if language == "id" else ("Timestamp", "%m/%d/%Y %H:%M:%S")
        )
        header = [time, *(label_of(field) for field in fields)]
        rows = [[s["time"].strftime(written), *(value(s, field) for field in fields)] for s in answers]
        return [header, *rows]
    if shape == "odk-csv":
        paths = {**dict.fromkeys(PROFILE_FIELDS, "profile-"), **dict.fromkeys(ELEMENT_FIELDS, "elements-")}
        header = ["SubmissionDate", "survey_date", *(paths.get(field, "") + field for field in fields)]
        header += ["comment", "meta-instanceID", "KEY", "SubmitterName", "ReviewState"]
        rows = [
            [f"{s['time']:%Y-%m-%dT%H:%M:%S}.000Z", f"{s['time']:%Y-%m-%d}", *(value(s, f) for f in fields)]
            + ["", s["id"], s["id"], "enumerator", ""]
            for s in answers
        ]
        return [header, *rows]
    header = [label_of("survey_date") if labels else "survey_date", *(label_of(f) if labels else f for f in fields)]
    header += ["_id", "_uuid", "_submission_time", "_index"]
    rows = [
        [f"{s['time']:%Y-%m-%d}", *(value(s, field) for field in fields)]
        + [1000 + index, str(s["id"]).removeprefix("uuid:"), f"{s['time']:%Y-%m-%dT%H:%M:%S}", index]
        for index, s in enumerate(answers, 1)
    ]
    return [header, *rows]


def write_export(
    path: Path, shape: str, answers: list[dict[str, object]], language: str = "id", names: dict[str, str] | None = None
) -> Path:
    """Write a synthetic export of ``answers`` in ``shape`` (a .xlsx file for the KoboToolbox shapes, else
    .csv)."""
    rows = export_rows(shape, answers, language, names or {})
    if shape.startswith("kobo"):
        book = openpyxl.Workbook()
        sheet = book.active
        sheet.title = questionnaire()["title"][language][:31]
        for row in rows:
            sheet.append(row)
        saved = io.BytesIO()
        book.save(saved)
        data = reproducible_zip(saved.getvalue())
    else:
        text = io.StringIO(newline="")
        csv.writer(text, lineterminator="\r\n").writerows(rows)
        data = text.getvalue().encode("utf-8")
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, data)
    return path


def write_sample_export(path: Path = SAMPLE_EXPORT) -> Path:
    """The sample review's KoboToolbox export (labels as headers): the phone survey of KDH-08 in 2023."""
    from tjsl_eval.inputs.workbook import SAMPLE_NAME, load_workbook

    groups = load_workbook(SAMPLE_NAME)["groups"]
    names = dict(zip(groups["group_id"], groups["name"], strict=True))
    answers = submissions(SAMPLE_GROUP, SAMPLE_YEAR, SAMPLE_SUBMISSIONS)
    return write_export(path, "kobo-xlsx-labels", answers, "id", names)


if __name__ == "__main__":
    print(write_sample_export())

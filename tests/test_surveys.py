"""IKM surveys from the phone to the report: the XLSForm, the three export shapes, their problems and the batch."""

import csv
import datetime as dt
import json
from decimal import Decimal

import openpyxl
import pytest
from click.testing import CliRunner
from conftest import valid_sheets, write_xlsx

from tjsl_eval.cli import main
from tjsl_eval.common.problems import InputError
from tjsl_eval.inputs.params import load_review
from tjsl_eval.inputs.survey_params import ELEMENT_FIELDS
from tjsl_eval.inputs.synthetic_survey import SAMPLE_EXPORT, export_rows, write_export, write_sample_export
from tjsl_eval.inputs.workbook import load_workbook, validate_workbook
from tjsl_eval.methods.ikm import compute_ikm
from tjsl_eval.render.document import to_html
from tjsl_eval.render.survey_source import survey_source_blocks

PARAMS = (
    "title: Uji\norganiser: Unit\nfgd_date: 2024-01-16\nvenue: Balikpapan\nevaluated_year: 2023\n"
    "workbook: review.xlsx\noutput_folder: out\n"
)
NAMES = {"BSM-01": "Bank Sampah Contoh", "UMKM-02": "UMKM Contoh"}
# Four respondents: NRR u1 = 13/4, u2 … u8 = 3, u9 = 11/4; IKM = 25 × (3.25 + 7 × 3 + 2.75) / 9 = 75.00 (band C).
SCORES = [[4] * 9, [3] * 9, [4, 3, 3, 3, 3, 3, 3, 3, 2], [2] * 9]


def answers(group_id="BSM-01", year=2023):
    return [
        {
            "id": f"uuid:0000000{number}-aaaa-4bbb-8ccc-dddddddddddd",
            "group_id": group_id,
            "time": dt.datetime(year, 3, number + 1, 9, 30),
            "sex": "perempuan" if number % 2 else "laki_laki",
            "age_band": "umur_25_34",
            "education": "sma",
            "occupation": "wirausaha",
            **dict(zip(ELEMENT_FIELDS, scores, strict=True)),
        }
        for number, scores in enumerate(SCORES)
    ]


def params(folder, *entries):
    text = PARAMS + ("survey_exports:\n" + "".join(entries) if entries else "")
    (folder / "review.yaml").write_text(text, encoding="utf-8")
    return load_review(folder / "review.yaml")


def loaded(folder, *entries):
    review = params(folder, *entries)
    return load_workbook(review.workbook_source, review.survey_exports)


@pytest.fixture
def folder(tmp_path):
    write_xlsx(tmp_path / "review.xlsx", valid_sheets())
    return tmp_path


@pytest.mark.parametrize("language", ["id", "en"])
@pytest.mark.parametrize("with_groups", [False, True])
def test_the_form_converts_with_pyxform_without_warnings(tmp_path, language, with_groups):
    from pyxform.xls2xform import convert

    write_xlsx(tmp_path / "review.xlsx", valid_sheets())
    form = tmp_path / "form.xlsx"
    arguments = ["survey-form", str(form), "--lang", language]
    arguments += ["--workbook", str(tmp_path / "review.xlsx")] if with_groups else []
    result = CliRunner().invoke(main, arguments)
    assert result.exit_code == 0, result.output
    converted = convert(xlsform=str(form), warnings=(warnings := []))
    assert warnings == [] and converted.warnings == []
    book = openpyxl.load_workbook(form)
    assert book.sheetnames == ["survey", "choices", "settings"]
    names = [row[1] for row in book["survey"].iter_rows(min_row=2, values_only=True)]
    assert [name for name in names if name and name.startswith("u")] == list(ELEMENT_FIELDS)
    assert {"group_id", "survey_date", "sex", "age_band", "education", "occupation", "comment"} <= set(names)
    choices = list(book["choices"].iter_rows(min_row=2, values_only=True))
    assert [row[1] for row in choices if row[0] == "u4_answers"] == ["1", "2", "3", "4"]
    groups = [(row[1], row[2]) for row in choices if row[0] == "groups"]
    assert groups == (list(NAMES.items()) if with_groups else [])
    first = "Tidak sesuai" if language == "id" else "Not appropriate"
    assert next(row[2] for row in choices if row[0] == "u1_answers") == first
    assert form.read_bytes() == write_again(tmp_path, language, with_groups)  # the same bytes every time


def test_group_names_in_the_form_stay_text(tmp_path):
    from tjsl_eval.inputs.survey_form import write_survey_form

    hostile = '=HYPERLINK("http://evil.example/x","klik")'
    form = write_survey_form(tmp_path / "form.xlsx", "id", [("BSM-01", hostile)])
    cell = next(
        row[2] for row in openpyxl.load_workbook(form)["choices"].iter_rows(min_row=2) if row[0].value == "groups"
    )
    assert (cell.value, cell.data_type) == (hostile, "s")


def write_again(tmp_path, language, with_groups):
    from tjsl_eval.inputs.survey_form import write_survey_form

    again = tmp_path / "again.xlsx"
    return write_survey_form(again, language, list(NAMES.items()) if with_groups else []).read_bytes()


def test_three_shapes_give_the_ikm_of_the_answers_typed_in(folder):
    write_export(folder / "kobo.xlsx", "kobo-xlsx-labels", answers(), "id", NAMES)
    write_export(folder / "odk.csv", "odk-csv", answers(), "en")
    write_export(folder / "google.csv", "google-csv", answers(), "id", NAMES)
    results = [
        compute_ikm(loaded(folder, f"  - file: {name}\n").rows("survey", "BSM-01", 2023))
        for name in ("kobo.xlsx", "odk.csv", "google.csv")
    ]
    sheets = valid_sheets()
    sheets["survei_ikm"] = [["id_kelompok", "tahun", "id_responden", *ELEMENT_FIELDS]] + [
        ["BSM-01", 2023, f"R{number}", *scores] for number, scores in enumerate(SCORES)
    ]
    write_xlsx(folder / "typed.xlsx", sheets)
    typed = compute_ikm(load_workbook(folder / "typed.xlsx").rows("survey", "BSM-01", 2023))
    assert typed.score == Decimal("75.00") and typed.band == "C" and typed.respondents == 4
    for result in results:
        assert (result.score, result.nrr, result.respondents) == (typed.score, typed.nrr, typed.respondents)


def test_labels_in_either_language_any_case_and_scores(folder):
    rows = export_rows("kobo-xlsx", answers(), "id", NAMES)
    rows[1][rows[0].index("u1")] = "SANGAT SESUAI"  # 4 as a label, in capitals
    rows[2][rows[0].index("u1")] = "appropriate"  # 3 in English
    rows[3][rows[0].index("u1")] = 4.0  # a number read from a spreadsheet
    write_rows(folder / "mixed.csv", rows)
    survey = loaded(folder, "  - file: mixed.csv\n").rows("survey", "BSM-01", 2023)
    assert list(survey["u1"]) == [4, 3, 4, 2]


def write_rows(path, rows):
    with open(path, "w", newline="", encoding="utf-8") as file:
        csv.writer(file).writerows(rows)


def test_duplicates_count_once_and_are_noted(folder):
    doubled = answers() + answers()[1:2]
    write_export(folder / "kobo.xlsx", "kobo-xlsx", doubled, "id")
    write_export(folder / "google.csv", "google-csv", answers("UMKM-02") + answers("UMKM-02")[:1], "id", NAMES)
    workbook = loaded(folder, "  - file: kobo.xlsx\n", "  - file: google.csv\n")
    assert len(workbook.rows("survey", "BSM-01", 2023)) == 4 and len(workbook.rows("survey", "UMKM-02", 2023)) == 4
    notes = [note for note in workbook.notes if "counted once" in note]
    assert len(notes) == 2
    assert "kobo.xlsx: submission 00000001-aaaa-4bbb-8ccc-dddddddddddd on rows 3 and 6" in notes[0]
    assert "google.csv" in notes[1] and "rows 2 and 6" in notes[1]


def test_a_submission_in_two_exports_counts_once(folder):
    write_export(folder / "january.xlsx", "kobo-xlsx", answers()[:2], "id")
    write_export(folder / "all.xlsx", "kobo-xlsx", answers(), "id")  # downloaded again later: all four
    workbook = loaded(folder, "  - file: january.xlsx\n", "  - file: all.xlsx\n")
    survey = workbook.rows("survey", "BSM-01", 2023)
    assert (
        compute_ikm(survey).score == Decimal("75.00")
        and list(survey["source"]) == ["january.xlsx"] * 2 + ["all.xlsx"] * 2
    )
    assert sum("is also in january.xlsx, counted once" in note for note in workbook.notes) == 2


def test_bad_answers_unknown_groups_missing_elements_and_dates_are_located(folder):
    rows = export_rows("kobo-xlsx", answers(), "id", NAMES)
    header = rows[0]
    rows[1][header.index("u3")] = "Sangat puas"
    rows[2][header.index("u9")] = 5
    rows[3][header.index("group_id")] = "XYZ-99"
    rows[4][header.index("u5")] = None
    rows[4][header.index("survey_date")] = "2022-12-31"
    book = openpyxl.Workbook()
    book.active.title = "IKM"
    for row in rows:
        book.active.append(row)
    book.save(folder / "bad.xlsx")
    review = params(folder, "  - file: bad.xlsx\n")
    workbook, problems = validate_workbook(review.workbook_source, review.survey_exports)
    assert workbook is None
    where = {(p.file, p.sheet, p.row, p.column): p.message for p in problems}
    assert "Sangat puas" in where[("bad.xlsx", "IKM", 2, "u3")] and "score 1–4" in where[("bad.xlsx", "IKM", 2, "u3")]
    assert "found '5'" in where[("bad.xlsx", "IKM", 3, "u9")]
    assert "XYZ-99" in where[("bad.xlsx", "IKM", 4, "group_id")]
    assert "missing element" in where[("bad.xlsx", "IKM", 5, "u5")]
    assert "expected a date in 2023" in where[("bad.xlsx", "IKM", 5, "survey_date")]
    assert len(problems) == 5
    result = CliRunner().invoke(main, ["validate", str(folder / "review.yaml")])
    assert result.exit_code == 1 and "bad.xlsx, sheet 'IKM', row 2, column 'u3'" in result.output


def test_a_group_given_in_the_params_and_columns_mapped(folder):
    rows = export_rows("google-csv", answers(), "en", NAMES)
    rows[0][6:15] = [f"Question {number} text" for number in range(10, 19)]  # not recognised by themselves
    for row in rows[1:]:
        del row[1]  # no group column: the params name the group
    del rows[0][1]
    write_rows(folder / "renamed.csv", rows)
    mapping = "".join(f"      u{i}: Question {i + 9} text\n" for i in range(1, 10))
    workbook = loaded(folder, "  - file: renamed.csv\n    group_id: UMKM-02\n    columns:\n" + mapping)
    survey = workbook.rows("survey", "UMKM-02", 2023)
    assert compute_ikm(survey).score == Decimal("75.00") and compute_ikm(survey).respondents == 4
    assert [day.day for day in survey["submitted"]] == [1, 2, 3, 4]  # "3/1/2023": English Google Forms, month first
    assert list(survey["sex"]) == ["laki_laki", "perempuan", "laki_laki", "perempuan"]


def test_the_group_column_named_in_the_params_wins(folder):
    rows = export_rows("kobo-xlsx", answers("BSM-01"), "id", NAMES)
    rows[0].append("kelompok_asli")
    for row in rows[1:]:
        row.append("UMKM Contoh")  # the group's name, in the column the params name
    write_rows(folder / "kobo.csv", rows)
    workbook = loaded(folder, "  - file: kobo.csv\n    group_column: Kelompok_Asli\n")
    assert workbook.rows("survey", "BSM-01", 2023).empty and len(workbook.rows("survey", "UMKM-02", 2023)) == 4


def test_a_kobo_csv_with_semicolons_and_group_paths(folder):
    rows = export_rows("kobo-xlsx", answers("UMKM-02"), "id", NAMES)
    rows[0] = [f"elements/{name}" if name.startswith("u") else name for name in rows[0]]
    with open(folder / "kobo.csv", "w", newline="", encoding="utf-8-sig") as file:
        csv.writer(file, delimiter=";").writerows(rows)
    survey = loaded(folder, "  - file: kobo.csv\n").rows("survey", "UMKM-02", 2023)
    assert compute_ikm(survey).score == Decimal("75.00")
    assert survey["respondent_id"].iloc[0] == "00000000-aaaa-4bbb-8ccc-dddddddddddd"
    result = CliRunner().invoke(main, ["validate", str(folder / "review.yaml")])
    assert (
        result.exit_code == 0 and "survey export kobo.csv: 4 submissions joined to survei_ikm, 1 group" in result.output
    )


def test_missing_columns_and_bad_entries_are_named(folder):
    write_rows(folder / "other.csv", [["Timestamp", "Nama"], ["3/1/2023 9:00:00", "Ani"]])
    review = params(folder, "  - file: other.csv\n    group_id: BSM-01\n")
    _, problems = validate_workbook(review.workbook_source, review.survey_exports)
    assert len(problems) == 1 and "a column for each of u1, u2" in problems[0].message
    assert (problems[0].file, problems[0].row) == ("other.csv", 1)
    for entry, message in [
        ("  - file: x.pdf\n", "expected an .xlsx or .csv file"),
        ("  - file: x.csv\n    colums: {}\n", "unknown key colums"),
        ("  - file: x.csv\n    columns: {u10: A}\n", "maps u1 … u9 only"),
        ("  - file: x.csv\n    group_id: 'bad id'\n", "not a valid group id"),
        ("  - file: x.csv\n    year: 1800\n", "expected a year between"),
    ]:
        with pytest.raises(InputError) as error:
            params(folder, entry)
        assert message in str(error.value) and "survey_exports" in str(error.value)
    _, problems = validate_workbook(*_sources(params(folder, "  - file: other.csv\n    group_id: ABC-01\n")))
    assert str(problems[0]) == "other.csv, column 'group_id': group_id 'ABC-01' is not in the workbook's sheet kelompok"
    assert len(problems) == 2
    _, problems = validate_workbook(*_sources(params(folder, "  - file: gone.csv\n")))
    assert [str(problem) for problem in problems] == ["gone.csv: file not found (params key survey_exports)"]


def _sources(review):
    return review.workbook_source, review.survey_exports


def test_the_ikm_section_names_its_sources_and_the_profile(folder):
    sheets = valid_sheets()
    sheets["survei_ikm"] = [["id_kelompok", "tahun", "id_responden", *ELEMENT_FIELDS], ["BSM-01", 2023, "R1", *[3] * 9]]
    write_xlsx(folder / "review.xlsx", sheets)
    write_export(folder / "kobo.xlsx", "kobo-xlsx-labels", answers(), "id", NAMES)
    rows = loaded(folder, "  - file: kobo.xlsx\n").rows("survey", "BSM-01", 2023)
    blocks = survey_source_blocks(rows, "id")
    assert blocks[0].text == "Sumber jawaban: 1 responden dicatat langsung oleh tim evaluasi."
    assert blocks[1].text == (
        "Sumber jawaban: ekspor survei kobo.xlsx, 4 kiriman dipakai, 1 Maret 2023 s.d. 4 Maret 2023."
    )
    assert blocks[2].rows == [
        ("Jenis kelamin", "Laki-laki", 2),
        ("Jenis kelamin", "Perempuan", 2),
        ("Kelompok umur", "25–34 tahun", 4),
    ]
    rows = rows.assign(sex=rows["sex"].where(rows["source"] == "", "<b>x</b>"))  # a value not in the form
    html = to_html(survey_source_blocks(rows, "id")).markup
    assert "&lt;b&gt;x&lt;/b&gt;" in html and "<b>x" not in html
    typed_only = survey_source_blocks(load_workbook(folder / "review.xlsx").rows("survey", "BSM-01", 2023), "en")
    assert [block.text for block in typed_only] == ["Answers: 1 respondent recorded by the evaluation team."]


def test_the_sample_export_is_the_one_its_script_writes(tmp_path):
    assert write_sample_export(tmp_path / "sample.xlsx").read_bytes() == SAMPLE_EXPORT.read_bytes()
    review = load_review(SAMPLE_EXPORT.parent.parent / "review-2023.yaml")
    workbook = load_workbook(review.workbook_source, review.survey_exports)
    survey = workbook.rows("survey", "KDH-08", 2023)
    assert (survey["source"] == SAMPLE_EXPORT.name).sum() == 20 and (survey["source"] == "").sum() == 12


def test_a_changed_export_remakes_only_its_groups_report(folder):
    write_export(folder / "bsm.xlsx", "kobo-xlsx", answers("BSM-01"), "id")
    write_export(folder / "umkm.csv", "odk-csv", answers("UMKM-02"), "id")
    params(folder, "  - file: bsm.xlsx\n", "  - file: umkm.csv\n")
    review = folder / "review.yaml"
    first = CliRunner().invoke(main, ["run", str(review), "--jobs", "2"])
    assert "2 reports written" in first.output, first.output
    html = (folder / "out" / "BSM-01.html").read_text(encoding="utf-8")
    assert "ekspor survei bsm.xlsx, 4 kiriman dipakai" in html
    write_export(folder / "bsm.xlsx", "kobo-xlsx", answers("BSM-01")[:3], "id")  # re-downloaded, other answers
    status = CliRunner().invoke(main, ["status", str(review)]).output
    assert "BSM-01: stale — its data changed" in status and "UMKM-02: up to date" in status
    again = CliRunner().invoke(main, ["run", str(review)])
    assert "1 reports written, 1 already up to date" in again.output, again.output
    metrics = json.loads((folder / "out" / "metrics.json").read_text(encoding="utf-8"))
    assert metrics["groups"]["BSM-01"]["ikm_respondents"] == 3
    assert metrics["review"]["survey_exports"][0] == {"file": "bsm.xlsx", "year": 2023, "columns": {}}


def test_exports_are_archived_beside_the_params_file(folder):
    from tjsl_eval.batch.sources import review_sources, survey_export_files

    review = params(folder, "  - file: surveys/kobo.xlsx\n", "  - file: ../elsewhere/google.csv\n")
    assert survey_export_files(review) == {
        "inputs/params/surveys/kobo.xlsx": folder / "surveys" / "kobo.xlsx",
        "inputs/surveys/google.csv": (folder.parent / "elsewhere" / "google.csv").resolve(),
    }
    write_export(folder / "surveys" / "kobo.xlsx", "kobo-xlsx", answers(), "id")
    review = params(folder, "  - file: surveys/kobo.xlsx\n")
    sources = review_sources(review, load_workbook(review.workbook_source, review.survey_exports))
    assert sources["inputs/params/surveys/kobo.xlsx"] == folder / "surveys" / "kobo.xlsx"

"""The blank Excel template (`tjsl-eval template`) and the layout `tjsl-eval sample` shares with it."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner

from tjsl_eval.cli import main
from tjsl_eval.inputs import template
from tjsl_eval.inputs.schema import CHOICES_SHEET, EXAMPLE_MARKERS, INSTRUCTIONS_SHEET, SHEETS, Column, Sheet
from tjsl_eval.inputs.sources import SAMPLE_PATH
from tjsl_eval.inputs.synthetic import write_synthetic_workbook
from tjsl_eval.inputs.template import NUMBER_FORMATS, choice_values, name, write_template
from tjsl_eval.inputs.workbook import load_workbook, validate_workbook

LANGUAGES = ("id", "en")
ALL_ROWS = 1_048_576


def invoke(*args):
    return CliRunner().invoke(main, list(args))


@pytest.fixture(scope="module")
def templates(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("template")
    return {language: write_template(folder / f"template-{language}.xlsx", language) for language in LANGUAGES}


@pytest.fixture(scope="module")
def books(templates):
    return {language: openpyxl.load_workbook(path) for language, path in templates.items()}


def validations(table) -> dict[str, object]:
    """Each column letter's data validation (every one covers one whole column below the header)."""
    found = {}
    for validation in table.data_validations.dataValidation:
        (cell_range,) = validation.sqref.ranges
        assert (cell_range.min_row, cell_range.max_row) == (2, ALL_ROWS), cell_range
        assert cell_range.min_col == cell_range.max_col, cell_range
        found[cell_range.coord.split(":")[0].rstrip("0123456789")] = validation
    return found


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_sheet_and_column_with_a_frozen_bold_header(books, language):
    book = books[language]
    assert book.sheetnames == [name(sheet, language) for sheet in SHEETS] + [INSTRUCTIONS_SHEET[language]]
    for sheet in SHEETS:
        table = book[name(sheet, language)]
        assert [cell.value for cell in table[1]] == [name(column, language) for column in sheet.columns]
        assert table.freeze_panes == "A2", sheet.name
        assert all(cell.font.b for cell in table[1]), sheet.name
        for number, column in enumerate(sheet.columns, start=1):
            width = table.column_dimensions[openpyxl.utils.get_column_letter(number)].width
            assert width >= len(name(column, language)) + 2, (sheet.name, column.name)


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_drop_down_with_exactly_the_contracts_choices_for_every_enumeration(books, language):
    for sheet in SHEETS:
        found = validations(books[language][name(sheet, language)])
        for number, column in enumerate(sheet.columns, start=1):
            validation = found[openpyxl.utils.get_column_letter(number)]
            assert validation.showInputMessage and validation.prompt, (sheet.name, column.name)
            if column.kind != "enum":
                assert validation.type != "list"
                continue
            assert validation.type == "list" and validation.showErrorMessage, column.name
            assert validation.formula1.strip('"').split(",") == choice_values(column, language)
            assert validation.allowBlank == column.blank_allowed
    assert choice_values(SHEETS[3].column("status"), "id") == ["selesai", "berjalan", "belum", "batal"]
    assert choice_values(SHEETS[3].column("status"), "en") == ["done", "ongoing", "not_started", "cancelled"]


def test_numbers_and_dates_are_checked_with_the_contracts_ranges(books):
    groups, activities, sroi = (books["id"][name] for name in ("kelompok", "kegiatan", "sroi"))
    start_year = validations(groups)["G"]
    assert (start_year.type, start_year.operator, start_year.formula1, start_year.formula2) == (
        "whole",
        "between",
        "1990",
        "2100",
    )
    members = validations(groups)["H"]
    assert (members.type, members.operator, members.formula1) == ("whole", "greaterThanOrEqual", "0")
    start = validations(activities)["D"]
    assert (start.type, start.formula1, start.formula2) == ("date", "DATE(1990,1,1)", "DATE(2100,12,31)")
    deadweight = validations(sroi)["I"]
    assert (deadweight.type, deadweight.formula1, deadweight.formula2) == ("decimal", "0", "100")
    target = validations(books["en"]["indicators"])["H"]
    assert (target.type, target.operator, target.formula1) == ("decimal", "greaterThan", "0")
    assert "1990" in start_year.error and "2100" in start_year.error and start_year.errorTitle == "Isian tidak sesuai"
    assert validations(books["en"]["groups"])["G"].errorTitle == "Value not accepted"


@pytest.mark.parametrize("language", LANGUAGES)
def test_input_and_error_messages_fit_excels_limits_untruncated(books, language):
    for sheet in SHEETS:
        for validation in validations(books[language][name(sheet, language)]).values():
            assert len(validation.promptTitle) <= 32 and len(validation.prompt) <= 255
            assert not validation.prompt.endswith("…")
            if validation.showErrorMessage:
                assert len(validation.errorTitle) <= 32 and len(validation.error) <= 225
                assert not validation.error.endswith("…")
            else:
                assert validation.type is None and validation.error is None


@pytest.mark.parametrize("language", LANGUAGES)
def test_number_formats_per_kind_for_the_column_and_the_example_row(books, language):
    assert NUMBER_FORMATS["money"] == '"Rp "#,##0' and NUMBER_FORMATS["date"] == "dd/mm/yyyy"
    assert NUMBER_FORMATS["percent"] == 'General" %"'  # 20 shows as 20 %, and is read as 20
    for sheet in SHEETS:
        table = books[language][name(sheet, language)]
        example = table[2]
        for number, column in enumerate(sheet.columns, start=1):
            expected = NUMBER_FORMATS.get(column.kind, "General")
            letter = openpyxl.utils.get_column_letter(number)
            assert table.column_dimensions[letter].number_format == expected, (sheet.name, column.name)
            assert example[number - 1].number_format == expected, (sheet.name, column.name)
            if column.kind == "date" and example[number - 1].value is not None:
                assert example[number - 1].is_date


@pytest.mark.parametrize("language", LANGUAGES)
def test_one_marked_example_row_per_sheet(books, language):
    for sheet in SHEETS:
        table = books[language][name(sheet, language)]
        assert table.max_row == 2, sheet.name
        row = {column.name: cell for column, cell in zip(sheet.columns, table[2], strict=True)}
        assert row["group_id"].value == EXAMPLE_MARKERS[language]
        assert all(cell.font.i and cell.fill.fgColor.rgb.endswith("FFF2CC") for cell in row.values()), sheet.name
        filled = [column for column in sheet.columns if row[column.name].value is not None]
        assert len(filled) >= len(sheet.columns) - 1, sheet.name  # a realistic, nearly complete row
    status = books[language][name(SHEETS[3], language)]["F2"].value
    assert status in choice_values(SHEETS[3].column("status"), language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_instructions_explain_every_column(books, language):
    rows = [row for row in books[language][INSTRUCTIONS_SHEET[language]].iter_rows(values_only=True)]
    texts = [cell for row in rows for cell in row if isinstance(cell, str)]
    assert not [text for text in texts if "{" in text], "a placeholder was left unfilled"
    assert any(EXAMPLE_MARKERS[language] in text for text in texts)  # the example row rule
    described = {(row[0], row[1]): row for row in rows if row[0] and row[1]}
    other = "en" if language == "id" else "id"
    for sheet in SHEETS:
        assert (name(sheet, language), None) not in described
        for column in sheet.columns:
            row = described[(name(sheet, language), name(column, language))]
            _, _, meaning, kind, required, blank, rule, other_name = row
            assert meaning and kind and required and blank and rule, row
            assert other_name == name(column, other)
            if column.kind == "enum":
                assert all(value in rule for value in choice_values(column, language))
            if column.le is not None:
                assert f"{column.le:g}" in rule
    rules = {row[1]: row for row in rows if row[0] == name(SHEETS[1], language)}
    realized = rules[name(SHEETS[1].column("realized"), language)]
    assert realized[5] == {"id": "belum ada realisasi", "en": "nothing spent yet"}[language]
    direction = {row[1]: row for row in rows if row[0] == name(SHEETS[2], language)}[
        name(SHEETS[2].column("direction"), language)
    ]
    assert direction[5] == {"id": "dianggap naik", "en": "counts as up"}[language]


def test_the_same_language_gives_the_same_bytes(tmp_path, templates):
    again = write_template(tmp_path / "again.xlsx", "id")
    assert again.read_bytes() == templates["id"].read_bytes()
    assert templates["en"].read_bytes() != templates["id"].read_bytes()


# --- reading a filled template --------------------------------------------------------------------------------------


def cell_value(column: Column, value: object, language: str) -> object:
    """A typed sample value as an evaluator would type it into the template."""
    if column.kind == "sdgs":
        return ";".join(str(goal) for goal in value) or None
    if value is None or value is pd.NA or (not isinstance(value, str) and pd.isna(value)):
        return None
    if column.kind == "enum":
        return choice_values(column, language)[list(column.choices).index(value)]
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    return value.item() if hasattr(value, "item") else value


def fill(path: Path, language: str, tables: dict[str, pd.DataFrame]) -> Path:
    """Append ``tables``' rows under the template's header and example row, in the template's columns."""
    book = openpyxl.load_workbook(path)
    for sheet in SHEETS:
        table = book[name(sheet, language)]
        headers = [cell.value for cell in table[1]]
        for record in tables[sheet.name].astype(object).to_dict("records"):
            by_header = {name(c, language): cell_value(c, record[c.name], language) for c in sheet.columns}
            table.append([by_header[header] for header in headers])
    book.save(path)
    return path


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_template_filled_with_the_sample_validates(tmp_path, templates, language):
    sample = load_workbook("sample")
    path = tmp_path / "filled.xlsx"
    path.write_bytes(templates[language].read_bytes())
    shutil.copytree(SAMPLE_PATH / "dokumentasi", tmp_path / "dokumentasi")  # the photos, beside the workbook
    workbook, problems = validate_workbook(fill(path, language, sample.tables))
    assert [str(p) for p in problems] == []
    for sheet in SHEETS:
        read, expected = workbook[sheet.name], sample[sheet.name]
        assert list(read.index) == [number + 2 for number in range(1, len(expected) + 1)], sheet.name  # after row 2
        pd.testing.assert_frame_equal(read.reset_index(drop=True), expected.reset_index(drop=True))
    assert sum("example row was skipped" in note for note in workbook.notes) == len(SHEETS)
    assert not [note for note in workbook.notes if "not part of the contract" in note]  # the instructions sheet
    assert workbook.group_ids == sample.group_ids


def test_example_rows_are_skipped_wherever_they_are_and_real_rows_never(tmp_path, templates):
    path = tmp_path / "review.xlsx"
    path.write_bytes(templates["id"].read_bytes())
    book = openpyxl.load_workbook(path)
    groups = book["kelompok"]
    groups.append(["CONTOH", "Kelompok bernama Contoh", "P", "sosial", "Margasari", None, 2023, 10, None])
    groups.append([" #contoh ", "Contoh yang disalin ke bawah", "P", "sosial", "Margasari", None, 2023, 5, "1"])
    groups.append(["#EXAMPLE", "Contoh bahasa Inggris", "P", "sosial", "Margasari", None, 2023, 5, None])
    groups.append(["#CONTOH-2", "Bukan penanda: kode salah", "P", "sosial", "Margasari", None, 2023, 5, None])
    book.save(path)
    workbook, problems = validate_workbook(path)
    assert [(p.sheet, p.row, p.column) for p in problems] == [("kelompok", 6, "id_kelompok")]  # reported, not dropped
    groups.delete_rows(6)
    book.save(path)
    workbook, problems = validate_workbook(path)
    assert problems == []
    assert workbook.group_ids == ["CONTOH"] and list(workbook["groups"].index) == [3]
    skipped = [note for note in workbook.notes if "example row" in note]
    assert [note.split(":")[0] for note in skipped if note.startswith("sheet 'kelompok'")] == [
        "sheet 'kelompok', row 2",
        "sheet 'kelompok', row 4",
        "sheet 'kelompok', row 5",
    ]


def test_the_blank_template_says_there_is_no_group_yet(templates):
    for language, path in templates.items():
        result = invoke("validate", str(path))
        assert result.exit_code == 1, result.output
        sheet = name(SHEETS[0], language)
        assert f"sheet '{sheet}': expected at least one group" in result.output
        assert "1 problem(s) found." in result.output and "Traceback" not in result.output


def test_percent_formats_are_told_apart_from_a_percent_sign_in_quotes(tmp_path, templates):
    path = tmp_path / "review.xlsx"
    path.write_bytes(templates["id"].read_bytes())
    book = openpyxl.load_workbook(path)
    book["kelompok"].append(["G1", "Kelompok", "P", "sosial", "Margasari", None, 2023, 10, None])
    activities = book["kegiatan"]
    for progress, number_format in ((20, 'General" %"'), (0.3, "0%"), (40, "0\\%"), (50, None)):
        activities.append(["G1", 2023, f"Kegiatan {progress}", dt.date(2023, 1, 2), dt.date(2023, 2, 1), "berjalan"])
        cell = activities.cell(activities.max_row, 7, progress)
        cell.number_format = number_format or "General"
    book.save(path)
    workbook, problems = validate_workbook(path)
    assert problems == []
    assert list(workbook["activities"]["progress"]) == [20, 30, 40, 50]


# --- the sample shares the layout ----------------------------------------------------------------------------------


def layout(path: Path) -> dict[str, object]:
    """Everything but the data rows: sheets, headers, widths, formats, validations, frozen panes, instructions."""
    book = openpyxl.load_workbook(path)
    found: dict[str, object] = {"sheets": book.sheetnames}
    for table in book.worksheets:
        if table.title in INSTRUCTIONS_SHEET.values():
            found[table.title] = [list(row) for row in table.iter_rows(values_only=True)]
            continue
        found[table.title] = {
            "header": [(cell.value, cell.font.b, cell.fill.fgColor.rgb) for cell in table[1]],
            "frozen": table.freeze_panes,
            "columns": {
                letter: (dimension.width, dimension.number_format)
                for letter, dimension in sorted(table.column_dimensions.items())
            },
            "validations": sorted(
                (str(v.sqref), v.type, v.operator, v.formula1, v.formula2, v.allowBlank, v.prompt, v.error)
                for v in table.data_validations.dataValidation
            ),
        }
    return found


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_sample_has_the_templates_layout(tmp_path, templates, language):
    path = write_synthetic_workbook(tmp_path / "sample.xlsx", 3, (2022, 2023), seed=2, language=language)
    assert layout(path) == layout(templates[language])
    book = openpyxl.load_workbook(path)
    for sheet in SHEETS:
        table = book[name(sheet, language)]
        assert table.max_row > 2 and EXAMPLE_MARKERS[language] not in [cell.value for cell in table["A"]]
        for number, column in enumerate(sheet.columns, start=1):
            if column.kind in template.CELL_FORMATS:
                cells = [row[0] for row in table.iter_rows(min_row=2, min_col=number, max_col=number)]
                formats = {cell.number_format for cell in cells if cell.value is not None}
                assert formats == {NUMBER_FORMATS[column.kind]}, (sheet.name, column.name)


def test_long_choice_lists_go_to_a_hidden_sheet(tmp_path, monkeypatch):
    many = {f"pilihan_nomor_{number:02d}": () for number in range(40)}  # far over Excel's 255 characters
    groups = SHEETS[0]
    columns = tuple(
        Column("pillar", "pilar", "enum", choices=many) if c.name == "pillar" else c for c in groups.columns
    )
    monkeypatch.setattr(template, "SHEETS", (Sheet(groups.name, groups.name_id, columns), *SHEETS[1:]))
    path = template.write_workbook(tmp_path / "wide.xlsx", "id")
    monkeypatch.undo()
    book = openpyxl.load_workbook(path)
    assert book.sheetnames[-1] == CHOICES_SHEET and book[CHOICES_SHEET].sheet_state == "hidden"
    assert [row[0] for row in book[CHOICES_SHEET].iter_rows(values_only=True)] == list(many)
    validation = validations(book["kelompok"])["D"]
    assert validation.type == "list" and validation.formula1 == "'_choices'!$A$1:$A$40"
    book["kelompok"].append(["G1", "Kelompok", "P", "sosial", "Margasari", None, 2023, 10, None])
    book.save(path)
    workbook, problems = validate_workbook(path)
    assert problems == [] and workbook.notes == []  # the template's own sheets are not data, and not noted


# --- the command ----------------------------------------------------------------------------------------------------


def test_the_command_writes_refuses_to_overwrite_and_replaces_with_force(tmp_path):
    path = tmp_path / "new folder" / "review-2024.xlsx"
    result = invoke("template", str(path))
    assert result.exit_code == 0, result.output
    assert f"tjsl-eval validate {path}" in result.output
    assert openpyxl.load_workbook(path, read_only=True).sheetnames[0] == "kelompok"
    path.write_bytes(b"filled in by hand")
    refused = invoke("template", str(path), "--lang", "en")
    assert refused.exit_code == 1 and "already exists" in refused.output and "--force" in refused.output
    assert path.read_bytes() == b"filled in by hand"
    replaced = invoke("template", str(path), "--lang", "en", "--force")
    assert replaced.exit_code == 0, replaced.output
    assert openpyxl.load_workbook(path, read_only=True).sheetnames[-1] == "instructions"
    assert sorted(p.name for p in path.parent.iterdir()) == ["review-2024.xlsx"]  # no temporary left


def test_the_command_explains_bad_paths_and_usage(tmp_path):
    in_the_way = tmp_path / "a-file"
    in_the_way.write_text("")
    result = invoke("template", str(in_the_way / "review.xlsx"))
    assert result.exit_code == 1 and "cannot be written (not a folder" in result.output
    assert str(in_the_way) in result.output and "Traceback" not in result.output
    assert invoke("template", str(tmp_path / "review.xls")).exit_code == 2
    assert invoke("template", str(tmp_path)).exit_code == 2  # a folder
    assert invoke("template", str(tmp_path / "x.xlsx"), "--lang", "fr").exit_code == 2
    assert invoke("template").exit_code == 2
    sample = invoke("sample", str(in_the_way / "sample.xlsx"), "--groups", "1")
    assert sample.exit_code == 1 and "cannot be written" in sample.output
    help_text = invoke("template", "--help").output
    assert "Example: tjsl-eval template" in help_text and "--force" in help_text and "--lang" in help_text

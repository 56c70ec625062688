"""The synthetic workbook generator: valid, complete, sized as asked, and byte-reproducible."""

from __future__ import annotations

import zipfile
from xml.etree import ElementTree

import openpyxl
import pytest

from tjsl_eval.inputs import template
from tjsl_eval.inputs.schema import INSTRUCTIONS_SHEET, SHEETS
from tjsl_eval.inputs.synthetic import SYNTHETIC_NOTE, write_synthetic_workbook
from tjsl_eval.inputs.workbook import validate_workbook

GROUPS = 12


@pytest.fixture(scope="module", params=["id", "en"])
def generated(request, tmp_path_factory):
    path = tmp_path_factory.mktemp("synthetic") / f"review-{request.param}.xlsx"
    assert write_synthetic_workbook(path, GROUPS, (2021, 2023), seed=7, language=request.param) == path
    workbook, problems = validate_workbook(path)
    return request.param, path, workbook, problems


def test_validates_with_every_sheet_and_column_filled(generated):
    _, _, workbook, problems = generated
    assert [str(p) for p in problems] == []
    for sheet in SHEETS:
        table = workbook[sheet.name]
        assert not table.empty, sheet.name
        for column in sheet.columns:
            assert table[column.name].notna().any(), f"{sheet.name}.{column.name} is never filled"


def test_groups_and_years_as_asked(generated):
    _, _, workbook, _ = generated
    groups = workbook["groups"]
    assert list(groups["group_id"]) == [f"GRP-{n:04d}" for n in range(1, GROUPS + 1)]
    for name in ("budget", "indicators", "activities"):  # data years and the plan year after them
        assert sorted(set(workbook[name]["year"])) == [2021, 2022, 2023, 2024], name
    for name in ("fgd_feedback", "survey", "sroi", "independence"):
        assert sorted(set(workbook[name]["year"])) == [2021, 2022, 2023], name
    for name in ("budget", "indicators", "activities", "survey", "sroi", "independence"):
        assert set(workbook[name]["group_id"]) == set(groups["group_id"]), name
    for group_id, start in zip(groups["group_id"], groups["start_year"], strict=True):
        years = set(workbook.rows("survey", group_id)["year"])
        assert years == set(range(max(2021, start), 2024)), group_id


def test_plans_feedback_survey_and_independence_shapes(generated):
    _, _, workbook, _ = generated
    budget, indicators, activities = workbook["budget"], workbook["indicators"], workbook["activities"]
    assert budget.loc[budget["year"] == 2024, "realized"].isna().all()
    assert indicators.loc[indicators["year"] == 2024, "actual"].isna().all()
    assert set(activities.loc[activities["year"] == 2024, "status"]) == {"belum"}
    assert (budget["planned"] % 1 == 0).all()  # whole Rupiah
    feedback = workbook["fgd_feedback"]
    assert feedback["group_id"].isna().sum() >= 2 * 3  # programme-wide rows every year
    respondents = workbook["survey"].groupby(["group_id", "year"]).size()
    assert 25 <= respondents.mean() <= 35
    dimensions = workbook["independence"].groupby(["group_id", "year"])["dimension"].nunique()
    assert (dimensions == 6).all()


def test_sheet_names_and_headers_follow_the_schema(generated):
    language, path, _, _ = generated
    book = openpyxl.load_workbook(path, read_only=True)
    try:
        key = "name_id" if language == "id" else "name"
        assert book.sheetnames == [getattr(sheet, key) for sheet in SHEETS] + [INSTRUCTIONS_SHEET[language]]
        for sheet in SHEETS:
            header = next(book[getattr(sheet, key)].iter_rows(max_row=1, values_only=True))
            assert list(header) == [getattr(column, key) for column in sheet.columns]
    finally:
        book.close()


def test_every_part_is_well_formed_xml(generated):
    _, path, _, _ = generated
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            ElementTree.fromstring(archive.read(name))
        assert SYNTHETIC_NOTE in archive.read("docProps/core.xml").decode("utf-8")


def test_header_bold_and_frozen_dates_and_money_formatted(generated):
    language, path, _, _ = generated
    book = openpyxl.load_workbook(path)  # not read-only: the styles, views and widths are read too
    try:
        key = "name_id" if language == "id" else "name"
        for sheet in SHEETS:
            table = book[getattr(sheet, key)]
            assert table.freeze_panes == "A2", sheet.name
            assert all(cell.font.b for cell in table[1]), sheet.name
            assert table.column_dimensions["A"].width >= 8, sheet.name
            formats = {"date": "dd/mm/yyyy", "money": template.NUMBER_FORMATS["money"]}
            for number, column in enumerate(sheet.columns, start=1):
                if column.kind not in formats:
                    continue
                cells = [row[0] for row in table.iter_rows(min_row=2, min_col=number, max_col=number)]
                filled = [cell for cell in cells if cell.value is not None]
                assert filled, f"{sheet.name}.{column.name}"
                assert {cell.number_format for cell in filled} == {formats[column.kind]}, f"{sheet.name}.{column.name}"
                if column.kind == "date":
                    assert all(cell.is_date for cell in filled), f"{sheet.name}.{column.name}"
    finally:
        book.close()


def test_same_seed_same_bytes_other_seed_other_bytes(tmp_path):
    first = write_synthetic_workbook(tmp_path / "a.xlsx", 5, seed=3)
    again = write_synthetic_workbook(tmp_path / "b.xlsx", 5, seed=3)
    other = write_synthetic_workbook(tmp_path / "c.xlsx", 5, seed=4)
    assert first.read_bytes() == again.read_bytes()
    assert first.read_bytes() != other.read_bytes()
    with zipfile.ZipFile(first) as archive:  # no clock in the file: equal even across a second boundary
        assert {info.date_time for info in archive.infolist()} == {(2020, 1, 1, 0, 0, 0)}
        core = archive.read("docProps/core.xml").decode("utf-8")
    assert core.count("2020-01-01T00:00:00Z") == 2
    assert first.stat().st_mode & 0o777 == 0o644
    assert sorted(path.name for path in tmp_path.iterdir()) == ["a.xlsx", "b.xlsx", "c.xlsx"]  # no temporary left


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path, monkeypatch):
    path = tmp_path / "review.xlsx"
    path.write_bytes(b"old")

    def fail(saved):
        raise OSError("disk full")

    monkeypatch.setattr(template, "pin_times", fail)
    with pytest.raises(OSError, match="disk full"):
        write_synthetic_workbook(path, 2)
    assert path.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["review.xlsx"]


def test_a_single_year(tmp_path):
    path = write_synthetic_workbook(tmp_path / "one.xlsx", 3, years=(2023, 2023), language="en")
    workbook, problems = validate_workbook(path)
    assert [str(p) for p in problems] == []
    assert len(workbook["groups"]) == 3
    assert sorted(set(workbook["budget"]["year"])) == [2023, 2024]
    assert sorted(set(workbook["survey"]["year"])) == [2023]


@pytest.mark.parametrize(
    "arguments",
    [
        {"groups": 0},
        {"groups": True},
        {"groups": 2.0},
        {"years": (2023, 2021)},
        {"years": (1980, 2021)},
        {"years": (2021, 2100)},
        {"language": "fr"},
    ],
)
def test_bad_arguments(tmp_path, arguments):
    call = {"groups": 2, **arguments}
    with pytest.raises(ValueError):
        write_synthetic_workbook(tmp_path / "bad.xlsx", **call)
    assert not list(tmp_path.iterdir())

"""Every spreadsheet format reads the same: .xlsx, .xlsm, .xls and .ods (converted by LibreOffice headless,
once per session) and a folder of CSV files, with the same values, the same messages and the row numbers
the spreadsheet program shows."""

from __future__ import annotations

import csv
import datetime as dt
import json
import subprocess
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from conftest import needs, valid_sheets, write_xlsx

from tjsl_eval.inputs.workbook import load_workbook, validate_workbook

CONVERTED = ("ods", "xls", "xlsm", "xlsx")
FILTERS = {"xlsm": "xlsm:Calc MS Excel 2007 VBA XML"}


def problem_sheets() -> dict[str, list[list[object]]]:
    sheets = valid_sheets()
    sheets["kelompok"][2][3] = "pertanian"  # not a pillar
    sheets["anggaran"][1][1] = "dua ribu"  # not a year
    sheets["anggaran"][2][0] = "NOPE"  # no such group
    sheets["kegiatan"][1][3] = "31/02/2023"  # no such day
    sheets["kegiatan"][2][6] = 150  # above 100
    sheets["indikator"][1][2] = None  # required
    return sheets


def write_layout(path: Path) -> Path:
    """Blank rows above the header, an empty column A, a hidden row, a blank row, a formula whose result is an
    error, a merged range and a percent format: what must not shift row numbers or hide a problem."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in valid_sheets().items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    groups = book["kelompok"]
    groups.insert_rows(1, 2)
    groups.insert_cols(1)
    for column, value in enumerate(["X-03", "Kelompok X", "Program", "nonsense", "Margasari", None, 2022], start=2):
        groups.cell(8, column, value)  # below a blank row 7
    groups.row_dimensions[5].hidden = True  # UMKM-02
    groups["H4"] = "=1/0"  # BSM-01's tahun_mulai
    book["anggaran"].merge_cells("A3:A4")
    book["kegiatan"]["G3"].value = 1.5  # shown as 150 %: above 100
    book["kegiatan"]["G3"].number_format = "0%"
    book.save(path)
    return path


def write_csv_folder(folder: Path, sheets: dict[str, list[list[object]]]) -> Path:
    folder.mkdir()
    for name, rows in sheets.items():
        with (folder / f"{name}.csv").open("w", encoding="utf-8", newline="") as file:
            csv.writer(file).writerows(
                [[v.date().isoformat() if isinstance(v, dt.datetime) else v for v in row] for row in rows]
            )
    return folder


@pytest.fixture(scope="session")
def workbooks(tmp_path_factory) -> dict[str, dict[str, Path]]:
    """Each test workbook in each format: {"valid": {"xlsx": path, "ods": path, ...}, ...}."""
    needs("soffice")
    folder = tmp_path_factory.mktemp("formats")
    originals = {
        "valid": write_xlsx(folder / "valid.xlsx", valid_sheets()),
        "problems": write_xlsx(folder / "problems.xlsx", problem_sheets()),
        "layout": write_layout(folder / "layout.xlsx"),
    }
    found: dict[str, dict[str, Path]] = {name: {"openpyxl": path} for name, path in originals.items()}
    for target in CONVERTED:
        out = folder / target
        profile = (folder / f"profile-{target}").as_uri()
        command = ["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to"]
        subprocess.run(
            [*command, FILTERS.get(target, target), "--outdir", str(out), *map(str, originals.values())],
            check=True,
            capture_output=True,
            timeout=300,
        )
        for name in originals:
            found[name][target] = out / f"{name}.{target}"
    found["valid"]["csv"] = write_csv_folder(folder / "valid-csv", valid_sheets())
    found["problems"]["csv"] = write_csv_folder(folder / "problems-csv", problem_sheets())
    return found


def _messages(problems) -> list[tuple]:
    return [(p.sheet, p.row, p.column, p.message) for p in problems]


@pytest.mark.parametrize("kind", [*CONVERTED, "csv"])
def test_a_valid_workbook_reads_the_same_in_every_format(workbooks, kind):
    expected = load_workbook(workbooks["valid"]["openpyxl"])
    loaded = load_workbook(workbooks["valid"][kind])
    for name, table in expected.tables.items():
        pd.testing.assert_frame_equal(loaded[name], table, check_index_type=False)
    assert loaded.notes == expected.notes


@pytest.mark.parametrize("kind", [*CONVERTED, "csv"])
def test_problems_are_the_same_in_every_format(workbooks, kind):
    _, expected = validate_workbook(workbooks["problems"]["openpyxl"])
    _, problems = validate_workbook(workbooks["problems"][kind])
    assert len(expected) == 6
    assert _messages(problems) == _messages(expected)
    source = workbooks["problems"][kind]
    assert all(str(source) in p.file for p in problems)  # the file, or the CSV file of the sheet


@pytest.mark.parametrize("kind", ["openpyxl", *CONVERTED])
def test_rows_and_columns_are_those_the_spreadsheet_shows(workbooks, kind):
    _, problems = validate_workbook(workbooks["layout"][kind])
    found = {(p.sheet, p.row, p.column): p.message for p in problems}
    assert "expected one of sosial" in found[("kelompok", 8, "pilar")]  # below a hidden row and a blank row
    assert "merged cells A3:A4" in found[("anggaran", 4, "id_kelompok")]
    error = found[("kelompok", 4, "tahun_mulai")]
    if kind == "openpyxl":  # saved without calculating: no result
        assert "holds the formula =1/0 with no saved result" in error
    elif kind == "xls":  # calamine reads an .xls error value as a blank (docs/workbook.md)
        assert "a value is required" in error
    else:
        assert "whose result is the Excel error #DIV/0!" in error
    expected = {("kelompok", 8, "pilar"), ("anggaran", 4, "id_kelompok"), ("kelompok", 4, "tahun_mulai")}
    if kind != "xls":  # an .xls percent format is not read (docs/workbook.md): 1.5 stays 1.5
        assert "found 150" in found[("kegiatan", 3, "progres_persen")]
        expected.add(("kegiatan", 3, "progres_persen"))
    assert set(found) == expected


@pytest.mark.parametrize("kind", ["ods", "xls", "csv"])
def test_a_run_gives_the_same_metrics_in_every_format(workbooks, kind, tmp_path):
    """The batch over the same data saved in another format writes the same metrics.json (the params'
    workbook and output folder aside)."""
    from click.testing import CliRunner

    from tjsl_eval.cli import main

    metrics = {}
    for source in ("openpyxl", kind):
        params = tmp_path / f"{source}.yaml"
        params.write_text(
            "title: Uji\norganiser: Unit\nfgd_date: 2024-01-16\nvenue: Balikpapan\nevaluated_year: 2023\n"
            f"workbook: {workbooks['valid'][source]}\noutput_folder: out-{source}\n",
            encoding="utf-8",
        )
        assert CliRunner().invoke(main, ["run", str(params), "--jobs", "1"]).exit_code == 0
        written = json.loads((tmp_path / f"out-{source}" / "metrics.json").read_text(encoding="utf-8"))
        for where in ("workbook", "output_folder"):
            written["review"].pop(where)
        metrics[source] = written
    assert metrics[kind] == metrics["openpyxl"]


def test_an_xls_sheets_reach_is_read_from_its_cell_records(workbooks):
    """Before calamine opens an .xls (it builds every sheet's grid on opening), each sheet's reach is read from
    its cell records: exactly the grid calamine builds."""
    from python_calamine import CalamineWorkbook

    from tjsl_eval.inputs.xls_reach import xls_reach

    for formats in workbooks.values():
        reach = xls_reach(formats["xls"])
        with CalamineWorkbook.from_path(str(formats["xls"])) as book:
            built = {name: book.get_sheet_by_name(name).end for name in book.sheet_names}
        assert reach == {name: (end[0] + 1, end[1] + 1) if end else (0, 0) for name, end in built.items()}


def test_an_xls_value_at_the_last_cell_is_refused_before_calamine_opens_it(tmp_path, monkeypatch):
    """A value at IV65536, the last cell of an .xls, once cost a grid of 16.7 million cells (1.1 GB)."""
    import python_calamine

    book = openpyxl.load_workbook(write_xlsx(tmp_path / "far.xlsx", valid_sheets()))
    book["kelompok"]["IV65536"] = "x"
    book.save(tmp_path / "far.xlsx")
    profile = (tmp_path / "profile").as_uri()
    command = ["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "xls"]
    subprocess.run([*command, "--outdir", str(tmp_path), str(tmp_path / "far.xlsx")], check=True, timeout=300)

    def never(*args, **kwargs):
        raise AssertionError("calamine opened the file")

    monkeypatch.setattr(python_calamine.CalamineWorkbook, "from_path", never)
    _, problems = validate_workbook(tmp_path / "far.xls")
    assert [(p.sheet, "SHEET_CELLS" in p.message) for p in problems] == [("kelompok", True)]
    assert "row 65,536 and column IV" in problems[0].message

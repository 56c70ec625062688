import datetime as dt
import zipfile

import openpyxl
import pytest

from tjsl_eval.render.exports import neutralise, write_csv, write_xlsx_table


@pytest.mark.parametrize(
    "value, expected",
    [
        ("=SUM(A1:A3)", "'=SUM(A1:A3)"),
        ("+62 812", "'+62 812"),
        ("-dana", "'-dana"),
        ("@cmd", "'@cmd"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("Bank Sampah", "Bank Sampah"),
        (-5, -5),
        (3.5, 3.5),
        (None, None),
    ],
)
def test_neutralise(value, expected):
    assert neutralise(value) == expected


def test_csv_for_excel_in_each_locale(tmp_path):
    path = tmp_path / "m.csv"
    write_csv(path, ["Kelompok", "Nilai"], [['=HYPERLINK("http://x")', 85.5], ["B", -2.0], ["C", None]], "id")
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert raw.decode("utf-8-sig").split("\r\n")[:4] == [
        "Kelompok;Nilai",
        '"\'=HYPERLINK(""http://x"")";85,5',
        "B;-2,0",
        "C;",
    ]
    write_csv(path, ["Group", "Value"], [["A", 85.5]], "en")
    assert path.read_text(encoding="utf-8-sig").splitlines() == ["Group,Value", "A,85.5"]


def write_register(path):
    write_xlsx_table(
        path, "register", ["a", "b", "c"], [["=1+1", 5, dt.date(2024, 1, 16)], ["teks", -3, None]], widths=[30, 10, 12]
    )


def test_xlsx_table_is_filtered_frozen_and_safe(tmp_path):
    path = tmp_path / "r.xlsx"
    write_register(path)
    sheet = openpyxl.load_workbook(path).active
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:C3"
    assert sheet["A2"].value == "'=1+1" and sheet["A2"].data_type == "s"
    assert sheet["B2"].value == 5 and sheet["B3"].value == -3
    assert sheet["C2"].value.date() == dt.date(2024, 1, 16)


def test_xlsx_table_has_the_same_bytes_whatever_the_clock(tmp_path, time_zone):
    """openpyxl dates zip entries by the local clock: a write nine hours later (or in Tokyo) must not show."""
    time_zone("UTC")
    write_register(tmp_path / "utc.xlsx")
    time_zone("Asia/Tokyo")
    write_register(tmp_path / "tokyo.xlsx")
    assert (tmp_path / "utc.xlsx").read_bytes() == (tmp_path / "tokyo.xlsx").read_bytes()
    with zipfile.ZipFile(tmp_path / "tokyo.xlsx") as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_outputs_are_readable_by_others(tmp_path):
    from tjsl_eval.common.files import write_atomic

    write_atomic(tmp_path / "report.html", "<p>ok</p>")
    assert (tmp_path / "report.html").stat().st_mode & 0o777 == 0o644

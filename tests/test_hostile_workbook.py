"""Hostile and real-world workbooks, built on the fly: `tjsl-eval validate` runs in a process of its own under a
memory limit and a timeout, and ends with one clear message (or validates), never a traceback."""

from __future__ import annotations

import os
import re
import resource
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import valid_sheets, write_xlsx

from tjsl_eval.common import limits
from tjsl_eval.inputs import readers
from tjsl_eval.inputs.workbook import validate_workbook

MEMORY = 1536 << 20  # 1.5 GB of address space for the command
TIMEOUT = 120  # seconds: a hang, not a slow machine
CELL = '<c r="{ref}" t="inlineStr"><is><t>x</t></is></c>'
ODS_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
)
ODS_MANIFEST = (
    '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
    'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
    '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
    '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>'
)
ODS_VALUE = '<table:table-cell office:value-type="string"{extra}><text:p>x</text:p></table:table-cell>'


def validate(path: Path) -> subprocess.CompletedProcess:
    """`tjsl-eval validate path` in a process limited to :data:`MEMORY` and :data:`TIMEOUT`."""

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))

    return subprocess.run(
        [sys.executable, "-m", "tjsl_eval", "validate", str(path)],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        preexec_fn=limit,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
    )


def refused(path: Path, *expected: str) -> str:
    """The command's output, once it is checked to be a refusal (exit 1) without a traceback, naming the file and
    saying each of ``expected``."""
    result = validate(path)
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "Traceback" not in output and str(path.name) in output, output
    for text in expected:
        assert text in output, output
    return output


def accepted(path: Path) -> None:
    result = validate(path)
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stdout + result.stderr


@pytest.fixture(scope="module")
def valid(tmp_path_factory) -> Path:
    return write_xlsx(tmp_path_factory.mktemp("valid") / "review.xlsx", valid_sheets())


def rewritten(source: Path, target: Path, change: Callable[[str, bytes], list[tuple[str, bytes]]]) -> Path:
    """``source``'s zip rewritten entry by entry: ``change(name, data)`` gives the entries that replace each."""
    with zipfile.ZipFile(source) as before, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as after:
        for info in before.infolist():
            for name, data in change(info.filename, before.read(info)):
                after.writestr(name, data)
    return target


def sheet_part(source: Path, sheet: str) -> str:
    """The zip entry of ``sheet`` in an openpyxl workbook."""
    with zipfile.ZipFile(source) as archive:
        names = re.findall(rb'<sheet [^>]*name="([^"]+)"', archive.read("xl/workbook.xml"))
    return f"xl/worksheets/sheet{names.index(sheet.encode()) + 1}.xml"


def with_sheet_xml(source: Path, target: Path, sheet: str, edit: Callable[[bytes], bytes]) -> Path:
    part = sheet_part(source, sheet)
    return rewritten(source, target, lambda name, data: [(name, edit(data) if name == part else data)])


def far_cell(ref: str) -> Callable[[bytes], bytes]:
    row = re.match(r"[A-Z]+([0-9]+)", ref).group(1)
    return lambda xml: xml.replace(b"</sheetData>", f'<row r="{row}">{CELL.format(ref=ref)}</row></sheetData>'.encode())


def ods(path: Path, tables: str) -> Path:
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ODS_NS} office:version="1.2">'
        f"<office:body><office:spreadsheet>{tables}</office:spreadsheet></office:body></office:document-content>"
    )
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", zipfile.ZIP_STORED)
        archive.writestr("META-INF/manifest.xml", ODS_MANIFEST, zipfile.ZIP_DEFLATED)
        archive.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
    return path


# ---- memory and time in proportion to the data really there


@pytest.mark.parametrize("ref", ["XFD1048576", "XFD10000", "XFD1000"])
def test_a_value_far_from_the_data_is_refused_before_any_grid_is_made(valid, tmp_path, ref):
    path = with_sheet_xml(valid, tmp_path / "far.xlsx", "kelompok", far_cell(ref))
    refused(path, "sheet 'kelompok'", "column XFD", "SHEET_CELLS", f"{limits.SHEET_CELLS:,}")


def test_cells_without_references_are_placed_in_order_and_counted(valid, tmp_path):
    cells = "<c><v>1</v></c>" * 600  # no r="…": the 600th cell is in column WB, as calamine places it
    path = with_sheet_xml(
        valid,
        tmp_path / "unreferenced.xlsx",
        "kelompok",
        lambda xml: xml.replace(b"</sheetData>", f'<row r="20000">{cells}</row></sheetData>'.encode()),
    )
    refused(path, "sheet 'kelompok'", "row 20,000 and column WB", "SHEET_CELLS")


def test_a_merged_range_over_the_whole_sheet_is_clipped_to_the_data(valid, tmp_path):
    merge = b'</sheetData><mergeCells count="1"><mergeCell ref="A5:XFD1048576"/></mergeCells>'
    path = with_sheet_xml(valid, tmp_path / "merged.xlsx", "anggaran", lambda xml: xml.replace(b"</sheetData>", merge))
    refused(path, "sheet 'anggaran', row 5, column 'tahun'", "merged cells A5:XFD1048576")


def test_a_long_merged_column_takes_time_in_proportion_to_it(tmp_path):
    problems: dict = {}
    rows = readers._mark_merged([((0, 7), (99_999, 7))], problems, 100_000, 8)
    assert len(rows) == len(problems) == 99_999


def test_an_ods_merged_range_over_the_whole_sheet_is_clipped(tmp_path):
    rows = "".join(f"<table:table-row>{ODS_VALUE.format(extra='')}</table:table-row>" for _ in range(3))
    spanned = ' table:number-columns-spanned="16384" table:number-rows-spanned="1048572"'
    table = f'<table:table table:name="kelompok">{rows}<table:table-row>{ODS_VALUE.format(extra=spanned)}'
    table += "</table:table-row></table:table>"
    refused(ods(tmp_path / "merged.ods", table), "sheet 'kelompok'")


def test_ods_rows_repeated_a_million_times_are_refused(tmp_path):
    cell = ODS_VALUE.format(extra=' table:number-columns-repeated="16"')
    table = f'<table:table table:name="kelompok"><table:table-row table:number-rows-repeated="1000000">{cell}'
    table += "</table:table-row></table:table>"
    refused(ods(tmp_path / "rows.ods", table), "sheet 'kelompok'", "row 1,000,000", "SHEET_CELLS")


@pytest.mark.parametrize("megabytes, limit", [(1024, "WORKBOOK_PART_BYTES"), (64, "WORKBOOK_RATIO")])
def test_a_part_padded_with_spaces_is_refused_from_its_header(valid, tmp_path, megabytes, limit):
    part = sheet_part(valid, "kelompok")
    path = tmp_path / "padded.xlsx"
    with zipfile.ZipFile(valid) as before, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as after:
        for info in before.infolist():
            data = before.read(info)
            if info.filename != part:
                after.writestr(info.filename, data)
                continue
            with after.open(part, "w", force_zip64=True) as stream:
                stream.write(data.replace(b"</worksheet>", b""))
                for _ in range(megabytes):
                    stream.write(b" " * (1 << 20))
                stream.write(b"</worksheet>")
    assert path.stat().st_size < 2 << 20
    refused(path, part, limit)


def test_a_part_larger_than_its_header_says_is_stopped(valid, tmp_path):
    part = sheet_part(valid, "kelompok")
    padded = with_sheet_xml(valid, tmp_path / "honest.xlsx", "kelompok", lambda xml: xml + b" " * (4 << 20))
    data = bytearray(padded.read_bytes())
    with zipfile.ZipFile(padded) as archive:
        info = archive.getinfo(part)
    size = info.file_size.to_bytes(4, "little")
    claimed = (1000).to_bytes(4, "little")
    assert data.count(size) >= 2
    path = tmp_path / "lying.xlsx"
    path.write_bytes(bytes(data).replace(size, claimed))
    refused(path, "is damaged", part)


def test_a_sheet_outside_the_contract_is_not_read(tmp_path):
    sheets = {**valid_sheets(), "rumus": [["a"]] + [[f"=1+{i}"] for i in range(20_000)]}
    path = write_xlsx(tmp_path / "extra.xlsx", sheets)  # formulas without a saved result, in a sheet not read
    loaded, problems = validate_workbook(path)
    assert not problems and any("'rumus' is not part of the contract" in note for note in loaded.notes)


@pytest.mark.parametrize("name", ["review.xlsx", "csv/kelompok.csv"])
def test_a_pipe_is_refused_not_waited_on(tmp_path, name):
    path = tmp_path / name
    path.parent.mkdir(exist_ok=True)
    os.mkfifo(path)
    refused(path if path.suffix == ".xlsx" else path.parent, "is not a regular file")


def test_a_device_is_refused(tmp_path):
    (tmp_path / "review.xlsx").symlink_to("/dev/zero")
    refused(tmp_path / "review.xlsx", "is not a regular file")


# ---- real workbooks read, or refused with the true reason


def test_zip_entries_named_with_backslashes_are_read(valid, tmp_path):
    path = rewritten(valid, tmp_path / "backslash.xlsx", lambda name, data: [(name.replace("/", "\\"), data)])
    accepted(path)


def test_a_workbook_part_elsewhere_is_found_through_the_relationships(valid, tmp_path):
    def move(name: str, data: bytes) -> list[tuple[str, bytes]]:  # xl/ is only where Excel puts it
        return [(name.replace("xl/", "book/"), data.replace(b"xl/", b"book/"))]

    moved = rewritten(valid, tmp_path / "moved.xlsx", move)
    accepted(moved)
    error = b'<c r="E2" t="e"><v>#DIV/0!</v></c>'
    broken = rewritten(
        moved,
        tmp_path / "moved-error.xlsx",
        lambda name, data: [
            (name, re.sub(rb'<c r="E2"[^>]*>.*?</c>', error, data) if name.endswith("t1.xml") else data)
        ],
    )
    refused(broken, "row 2, column 'kelurahan'", "#DIV/0!")


def test_strict_ooxml_errors_and_formulas_are_found(valid, tmp_path):
    strict = {
        b"http://schemas.openxmlformats.org/spreadsheetml/2006/main": b"http://purl.oclc.org/ooxml/spreadsheetml/main",
        b"http://schemas.openxmlformats.org/officeDocument/2006/relationships": (
            b"http://purl.oclc.org/ooxml/officeDocument/relationships"
        ),
    }

    def to_strict(name: str, data: bytes) -> list[tuple[str, bytes]]:
        for transitional, replacement in strict.items():
            data = data.replace(transitional, replacement)
        if name == sheet_part(valid, "kelompok"):
            data = re.sub(rb'<c r="E2"[^>]*>.*?</c>', b'<c r="E2" t="e"><v>#DIV/0!</v></c>', data)
            data = re.sub(rb'<c r="E3"[^>]*>.*?</c>', b'<c r="E3"><f>A1/0</f></c>', data)
        return [(name, data)]

    output = refused(rewritten(valid, tmp_path / "strict.xlsx", to_strict), "#DIV/0!", "no saved result")
    assert "row 3, column 'kelurahan'" in output


def test_a_password_protected_workbook_is_said_to_be_encrypted(tmp_path):
    path = tmp_path / "secret.xlsx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + "EncryptedPackage".encode("utf-16-le"))
    refused(path, "encrypted with a password", "remove the password")


def test_a_file_with_the_wrong_extension_is_named_for_what_it_is(valid, tmp_path):
    path = tmp_path / "review.xls"
    path.write_bytes(valid.read_bytes())
    refused(path, "this is an .xlsx file named .xls")


def test_an_old_excel_file_named_xlsx_is_named_for_what_it_is(tmp_path):
    path = tmp_path / "old.xlsx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(1024))
    refused(path, "this is an .xls file named .xlsx")


@pytest.mark.filterwarnings("ignore:Duplicate name")
def test_a_part_given_twice_is_refused(valid, tmp_path):
    part = sheet_part(valid, "kelompok")
    with zipfile.ZipFile(valid) as archive:
        tampered = archive.read(part).replace(b"Bank Sampah Contoh", b"Bank Sampah Palsu")
    twice = rewritten(
        valid, tmp_path / "twice.xlsx", lambda name, data: [(name, data)] + ([(name, tampered)] if name == part else [])
    )
    refused(twice, f"holds the part '{part}' twice")


def test_a_chart_sheet_named_like_a_contract_sheet_is_said_to_be_one(valid, tmp_path):
    part = sheet_part(valid, "kelompok")
    chart = "application/vnd.openxmlformats-officedocument.spreadsheetml.chartsheet+xml"
    chartsheet = (
        b'<?xml version="1.0"?><chartsheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<sheetViews><sheetView workbookViewId="0"/></sheetViews></chartsheet>'
    )

    def to_chart(name: str, data: bytes) -> list[tuple[str, bytes]]:
        if name == part:
            return [("xl/chartsheets/sheet1.xml", chartsheet)]
        data = data.replace(part.encode().replace(b"xl/", b"/xl/"), b"/xl/chartsheets/sheet1.xml")
        data = data.replace(part.encode().replace(b"xl/", b""), b"chartsheets/sheet1.xml")
        data = data.replace(
            b'xl/chartsheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.'
            b'worksheet+xml"',
            f'xl/chartsheets/sheet1.xml" ContentType="{chart}"'.encode(),
        )
        return [
            (
                name,
                data.replace(
                    b'relationships/worksheet" Target="/xl/chartsheets',
                    b'relationships/chartsheet" Target="/xl/chartsheets',
                ),
            )
        ]

    refused(rewritten(valid, tmp_path / "chart.xlsx", to_chart), "sheet 'kelompok'", "chart sheet")


# ---- messages, not tracebacks


def test_damaged_deflate_data_is_a_message(valid, tmp_path):
    part = sheet_part(valid, "anggaran")
    data = bytearray(valid.read_bytes())
    with zipfile.ZipFile(valid) as archive:
        info = archive.getinfo(part)
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    for offset in range(start + 20, start + info.compress_size - 20, 7):
        data[offset] ^= 0x5A
    path = tmp_path / "damaged.xlsx"
    path.write_bytes(bytes(data))
    refused(path, "is damaged")


def test_xml_that_expat_refuses_is_a_message(valid, tmp_path):
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lololololololololol">'
        + b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i else b"&lol;") * 10) for i in range(9))
        + b"]>"
    )
    path = rewritten(
        valid,
        tmp_path / "bomb.xlsx",
        lambda name, data: [
            (name, bomb + data[data.find(b"<styleSheet") :].replace(b"</styleSheet>", b"&lol8;</styleSheet>"))
            if name == "xl/styles.xml"
            else (name, data)
        ],
    )
    refused(path, "xl/styles.xml", "not well-formed XML")


# ---- one message per problem; text every report can hold


def test_a_missing_required_column_is_one_problem(tmp_path):
    sheets = valid_sheets()
    sheets["anggaran"] = [row[:4] + row[5:] for row in sheets["anggaran"][:1]] + [
        ["BSM-01", 2023, f"Pos {i}", "peralatan", 1000] for i in range(500)
    ]
    _, problems = validate_workbook(write_xlsx(tmp_path / "review.xlsx", sheets))
    about = [p for p in problems if p.column == "rencana_rp"]
    assert len(about) == 1 and "is missing" in about[0].message


@pytest.mark.parametrize("character", ["\x00", "\x1b", "\ufffe", "\uffff", "\x7f", "\r"])
def test_control_characters_in_text_are_refused_where_they_are(tmp_path, character):
    folder = tmp_path / "csv"
    folder.mkdir()
    rows = valid_sheets()["kelompok"]
    rows[2][1] = f'"UMKM{character}Contoh"'
    text = "\n".join(",".join("" if value is None else str(value) for value in row) for row in rows)
    (folder / "kelompok.csv").write_text(text, encoding="utf-8", newline="")
    _, problems = validate_workbook(folder)
    assert [str(p) for p in problems] == [
        f"{folder / 'kelompok.csv'}, sheet 'kelompok', row 3, column 'nama_kelompok': expected text; found the "
        f"control character U+{ord(character):04X} at character 5 of the text: delete it (it is invisible, and no "
        f"report format can hold it)"
    ]


def test_tab_newline_and_windows_line_ends_are_kept_in_text(tmp_path):
    folder = tmp_path / "csv"
    folder.mkdir()
    rows = valid_sheets()["kelompok"]
    rows[2][1] = '"UMKM\tContoh\r\nbaris dua\nbaris tiga"'
    text = "\n".join(",".join("" if value is None else str(value) for value in row) for row in rows)
    (folder / "kelompok.csv").write_text(text, encoding="utf-8", newline="")
    loaded, problems = validate_workbook(folder)
    assert not problems and loaded["groups"]["name"].iloc[1] == "UMKM\tContoh\r\nbaris dua\nbaris tiga"


def test_the_limits_leave_room_for_a_review_of_a_thousand_groups():
    survey = 92_573 * 12  # the largest sheet of `tjsl-eval sample --groups 1000` (survei_ikm), measured
    assert limits.SHEET_CELLS >= 5 * survey
    assert limits.WORKBOOK_PART_BYTES >= 10 * 42_000_000 and limits.WORKBOOK_RATIO >= 10 * 14

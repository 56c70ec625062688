import hashlib
import subprocess
import sys

import openpyxl
import pytest
from conftest import valid_sheets, write_xlsx

from tjsl_eval.batch.manifest import data_fingerprint, group_fingerprints
from tjsl_eval.common.problems import InputError
from tjsl_eval.inputs.workbook import Workbook, load_workbook, validate_workbook


def problems_of(tmp_path, sheets):
    path = write_xlsx(tmp_path / "review.xlsx", sheets)
    workbook, problems = validate_workbook(path)
    assert workbook is None and problems
    return [str(p) for p in problems]


def test_valid_workbook_loads_typed(valid_xlsx):
    workbook = load_workbook(valid_xlsx)
    budget = workbook["budget"]
    assert list(budget.index) == [2, 3, 4, 5]  # Excel row numbers
    assert budget.loc[2, "planned"] == 40_000_000 and budget.loc[3, "realized"] == 12_500_000
    groups = workbook["groups"]
    assert list(groups["pillar"]) == ["lingkungan", "ekonomi"]
    assert groups.loc[2, "sdgs"] == (11, 12) and groups.loc[3, "sdgs"] == ()
    assert workbook["indicators"].loc[4, "direction"] == "naik"  # blank takes the default
    assert workbook["activities"].loc[2, "status"] == "selesai"
    feedback = workbook["fgd_feedback"]
    assert feedback.loc[3, "follow_up"] == "belum" and feedback["group_id"].isna().loc[3]
    assert workbook["survey"].empty  # an optional sheet that is absent is an empty table


def test_english_headers_and_loose_spelling(tmp_path):
    sheets = valid_sheets()
    sheets["Groups "] = [
        ["Group ID", "NAME", "program", "Pillar", "kelurahan", "start-year"],
        ["G1", "A", "B", "Social", "Margasari", 2021],
    ]
    del sheets["kelompok"]
    sheets = {"Groups ": sheets["Groups "]}
    workbook = load_workbook(write_xlsx(tmp_path / "en.xlsx", sheets))
    assert workbook.group_ids == ["G1"] and workbook["groups"].loc[2, "pillar"] == "sosial"


def test_csv_folder_with_semicolons(tmp_path):
    folder = tmp_path / "review"
    folder.mkdir()
    (folder / "kelompok.csv").write_text(
        "\ufeffid_kelompok;nama_kelompok;program;pilar;kelurahan;tahun_mulai\n"
        "G1;Kelompok A;Program;sosial;Margasari;2021\n",
        encoding="utf-8",
    )
    (folder / "anggaran.csv").write_text(
        "id_kelompok;tahun;pos_anggaran;rencana_rp;realisasi_rp\nG1;2023;Alat;Rp 1.250.000;\n", encoding="utf-8"
    )
    workbook = load_workbook(folder)
    assert workbook["budget"].loc[2, "planned"] == 1_250_000


def test_csv_problem_names_the_csv_file(tmp_path):
    folder = tmp_path / "review"
    folder.mkdir()
    (folder / "kelompok.csv").write_text(
        "id_kelompok,nama_kelompok,program,pilar,kelurahan,tahun_mulai\nG1,A,B,sosial,Margasari,dua ribu\n",
        encoding="utf-8",
    )
    _, problems = validate_workbook(folder)
    assert [str(p) for p in problems] == [
        f"{folder / 'kelompok.csv'}, sheet 'kelompok', row 2, column 'tahun_mulai': expected a whole number "
        "≥ 1990 and ≤ 2100; found 'dua ribu', which is not a number"
    ]


def test_every_problem_reported_in_one_pass(tmp_path):
    sheets = valid_sheets()
    sheets["kelompok"].append(["BSM-01", "Duplikat", "X", "lingkungan", "Margasari", None, 2021, -3, "8"])
    sheets["kelompok"].append(["bad id!", "Nama", "X", "budaya", "Margasari", None, "2021", None, None])
    sheets["anggaran"].append(["XYZ-9", 2023, "Alat", None, "sejuta", -1])
    sheets["indikator"].append(["BSM-01", 2023, "Sampah terkelola", "output", "kg", "naik", None, 0, 1])
    sheets["kegiatan"].append(["BSM-01", 2023, "Mundur", "2023-05-10", "2023-05-01", "done", 150])
    sheets["masukan_fgd"].append([2023, "BSM-01", "16/01/2024", "BPBD", "pemda", None, None, None, "nanti", None])
    problems = problems_of(tmp_path, sheets)
    path = tmp_path / "review.xlsx"
    expected = [
        f"{path}, sheet 'kelompok', row 2, column 'id_kelompok': expected each value only once (this one is repeated)",
        f"{path}, sheet 'kelompok', row 4, column 'id_kelompok': expected each value only once (this one is repeated)",
        f"{path}, sheet 'kelompok', row 4, column 'jumlah_anggota': expected a whole number ≥ 0; found -3",
        f"{path}, sheet 'kelompok', row 5, column 'id_kelompok': expected an id of 1–40 letters, digits, '-' or '_', "
        "starting with a letter or digit, other than fgd_register, index, manifest, metrics, portfolio, run; "
        "found 'bad id!'",
        f"{path}, sheet 'kelompok', row 5, column 'pilar': expected one of sosial, ekonomi, lingkungan, "
        "hukum_tata_kelola, social, economic, environmental, legal_governance; found 'budaya'",
        f"{path}, sheet 'anggaran', row 6, column 'id_kelompok': expected a group id listed in the sheet 'kelompok'; "
        "found 'XYZ-9'",
        f"{path}, sheet 'anggaran', row 6, column 'rencana_rp': expected an amount in Rupiah ≥ 0, e.g. 12500000 or "
        "Rp 12.500.000; found 'sejuta', which is not a number",
        f"{path}, sheet 'anggaran', row 6, column 'realisasi_rp': expected an amount in Rupiah ≥ 0, e.g. 12500000 or "
        "Rp 12.500.000; found -1",
        f"{path}, sheet 'indikator', row 2, column 'indikator': expected each combination of id_kelompok, tahun, "
        "indikator only once",
        f"{path}, sheet 'indikator', row 5, column 'indikator': expected each combination of id_kelompok, tahun, "
        "indikator only once",
        f"{path}, sheet 'indikator', row 5, column 'target': expected a number > 0; found 0",
        f"{path}, sheet 'kegiatan', row 5, column 'rencana_selesai': expected a date not before the planned start; "
        "found 2023-05-01",
        f"{path}, sheet 'kegiatan', row 5, column 'progres_persen': expected a percentage ≥ 0 and ≤ 100; found 150",
    ]
    for line in expected:
        assert line in problems
    fgd = [p for p in problems if "masukan_fgd" in p]
    assert len(fgd) == 3  # jenis_pemangku, masukan (required) and tindak_lanjut
    assert any("column 'jenis_pemangku'" in p and "found 'pemda'" in p for p in fgd)
    assert any("column 'masukan': a value is required" in p for p in fgd)
    assert any("column 'tindak_lanjut'" in p and "found 'nanti'" in p for p in fgd)
    assert len(problems) == len(expected) + 3


def test_missing_required_sheet_and_column(tmp_path):
    sheets = valid_sheets()
    del sheets["kelompok"]
    sheets["anggaran"] = [row[:4] + row[5:] for row in sheets["anggaran"]]  # drop rencana_rp
    problems = problems_of(tmp_path, sheets)
    assert any("sheet 'kelompok': the required sheet 'kelompok' (or 'groups') is missing" in p for p in problems)
    assert any(
        "sheet 'anggaran', row 1, column 'rencana_rp': the required column 'rencana_rp' (or 'planned') is missing" in p
        for p in problems
    )


def test_duplicate_and_headerless_columns(tmp_path):
    sheets = valid_sheets()
    sheets["kelompok"] = [GROUP_ROW + ["Nama Kelompok", None] for GROUP_ROW in [sheets["kelompok"][0]]] + [
        row + ["lagi", "tanpa judul"] for row in sheets["kelompok"][1:]
    ]
    problems = problems_of(tmp_path, sheets)
    assert any(
        "row 1, column 'Nama Kelompok': expected each column once, but 'nama_kelompok' is also column B" in p
        for p in problems
    )
    assert any("row 1, column 'K': expected a column name on row 1 above these values" in p for p in problems)


@pytest.mark.parametrize(
    "content, name, message",
    [
        (b"this is not a spreadsheet", "review.xlsx", "is not an Excel workbook (.xlsx)"),
        (b"\xd0\xcf\x11\xe0 old binary", "review.xls", "cannot be opened as an Excel 97–2003 workbook (.xls)"),
        (b"PK\x03\x04broken zip", "review.ods", "is not an OpenDocument spreadsheet (.ods)"),
        (b"a,b\n", "review.txt", "is not a spreadsheet (.xlsx, .xlsm, .xls or .ods)"),
        (b"PK\x03\x04broken zip", "review.xlsx", "is not an Excel workbook"),
    ],
)
def test_not_a_workbook(tmp_path, content, name, message):
    path = tmp_path / name
    path.write_bytes(content)
    _, problems = validate_workbook(path)
    assert len(problems) == 1 and message in str(problems[0]) and str(path) in str(problems[0])


def test_missing_file_and_non_utf8_csv(tmp_path):
    _, problems = validate_workbook(tmp_path / "nowhere.xlsx")
    assert "file not found" in str(problems[0])
    folder = tmp_path / "csv"
    folder.mkdir()
    (folder / "kelompok.csv").write_bytes("id_kelompok\nCaf\xe9".encode("latin-1"))
    _, problems = validate_workbook(folder)
    assert "is not UTF-8 text" in str(problems[0])


def test_row_numbers_skip_blank_rows_like_excel(tmp_path):
    sheets = valid_sheets()
    sheets["anggaran"] = sheets["anggaran"][:2] + [[None] * 6, ["BSM-01", 2023, "Alat", None, "x", None]]
    problems = problems_of(tmp_path, sheets)
    assert any("sheet 'anggaran', row 4, column 'rencana_rp'" in p for p in problems)


def test_percent_formatted_cells_and_extra_sheets(tmp_path):
    path = write_xlsx(tmp_path / "review.xlsx", {**valid_sheets(), "Catatan": [["apa saja"], ["bebas"]]})
    book = openpyxl.load_workbook(path)
    book["kegiatan"]["G3"].value = 0.5
    book["kegiatan"]["G3"].number_format = "0%"
    book["kelompok"]["J1"].value = "catatan"
    book.save(path)
    workbook = load_workbook(path)
    assert workbook["activities"].loc[3, "progress"] == 50
    assert any("'Catatan' is not part of the contract" in note for note in workbook.notes)
    assert any("column 'catatan' is not part of the contract" in note for note in workbook.notes)


def test_validation_never_changes_the_file(valid_xlsx):
    before = hashlib.sha256(valid_xlsx.read_bytes()).hexdigest()
    load_workbook(valid_xlsx)
    assert hashlib.sha256(valid_xlsx.read_bytes()).hexdigest() == before


def test_load_raises_with_all_problems(tmp_path):
    sheets = valid_sheets()
    sheets["anggaran"].append(["NOPE", 2023, "Alat", None, 1, 1])
    with pytest.raises(InputError) as raised:
        load_workbook(write_xlsx(tmp_path / "bad.xlsx", sheets))
    assert "NOPE" in str(raised.value) and len(raised.value.problems) == 1


def test_for_group_keeps_programme_wide_inputs(valid_xlsx):
    subset = load_workbook(valid_xlsx).for_group("BSM-01")
    assert set(subset["budget"]["group_id"]) == {"BSM-01"}
    assert subset["fgd_feedback"]["group_id"].isna().sum() == 1
    assert subset.years() == [2022, 2023]


def test_group_fingerprints_follow_each_groups_rows():
    workbook = load_workbook("sample")
    fingerprints = group_fingerprints(workbook)
    split = workbook.split_by_group()
    assert fingerprints == {group_id: data_fingerprint(rows) for group_id, rows in split.items()}
    assert len(set(fingerprints.values())) == len(fingerprints)

    def changed(sheet: str, row: int, column: str, value: object) -> set[str]:
        tables = {name: table.copy() for name, table in workbook.tables.items()}
        tables[sheet].iloc[row, tables[sheet].columns.get_loc(column)] = value
        after = group_fingerprints(Workbook(workbook.source, tables, []))
        return {group_id for group_id in fingerprints if after[group_id] != fingerprints[group_id]}

    budget = workbook.tables["budget"]
    assert changed("budget", 0, "realized", budget["realized"].iloc[0] + 1) == {budget["group_id"].iloc[0]}
    feedback = workbook.tables["fgd_feedback"]
    shared = int(feedback["group_id"].isna().to_numpy().nonzero()[0][0])  # a programme-wide input
    assert changed("fgd_feedback", shared, "feedback", "Masukan baru") == set(fingerprints)
    groups = workbook.tables["groups"]
    assert changed("groups", 1, "sdgs", [1]) == {groups["group_id"].iloc[1]}


def test_csv_quotes_as_excel_writes_them(tmp_path):
    folder = tmp_path / "review"
    folder.mkdir()
    (folder / "kelompok.csv").write_text(
        "id_kelompok,nama_kelompok,program,pilar,kelurahan,tahun_mulai\n"
        'G1,"Kelompok ""Maju"", Jaya","Program\nbaris dua",sosial,Margasari,2021\n',
        encoding="utf-8",
    )
    group = load_workbook(folder).group("G1")
    assert group["name"] == 'Kelompok "Maju", Jaya' and group["program"] == "Program\nbaris dua"


def test_validation_leaves_hypothesis_importable(valid_xlsx):
    """Validating does not import hypothesis (pandera would, for data synthesis never used), and a later
    ``import hypothesis`` in the same process works as usual."""
    code = f"""
import sys
from tjsl_eval.inputs.workbook import load_workbook
workbook = load_workbook({str(valid_xlsx)!r})
assert "hypothesis" not in sys.modules, "validation imported hypothesis"
from hypothesis import given, settings, strategies as st
drawn = []
@settings(max_examples=5, database=None)
@given(st.integers(min_value=1, max_value=9))
def draw(number):
    drawn.append(number)
draw()
assert drawn and all(1 <= n <= 9 for n in drawn)
print(len(workbook.group_ids))
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "2"

"""Property-based fuzzing of :func:`validate_workbook` with corrupted workbooks.

Each example starts from the small valid workbook of ``conftest.valid_sheets()`` (plus,
sometimes, valid optional sheets), applies one to several corruptions chosen by
hypothesis, writes it with openpyxl and validates it. The checks:

1. validation never raises, and returns a workbook with no problems or None with problems;
2. every problem names the file; a problem about a cell names sheet, row (≥ 1) and column;
   every message says what was expected;
3. whatever the corruptions made *definitely* invalid (an oracle written from the contract
   in ``schema.py``, deliberately conservative) is reported at that sheet, row and column;
4. validation leaves the file's bytes unchanged.

The plain tests at the end pin corruptions that proved interesting, among them the loader
bugs this fuzzing found (crashes on superscript digits and huge integers, overlong numbers,
formulas without saved results, merged cells, Excel error values, vague messages).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import re
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl
from conftest import header, needs, valid_sheets, write_xlsx
from hypothesis import HealthCheck, event, given, note, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from tjsl_eval.common.problems import Problem
from tjsl_eval.inputs import cells
from tjsl_eval.inputs.schema import GROUP_ID_PATTERN, SHEETS, SHEETS_BY_NAME, Column, Sheet
from tjsl_eval.inputs.workbook import validate_workbook

# --------------------------------------------------------------------------- the contract, as the oracle sees it

SHEET_BY_NAME_ID = {sheet.name_id: sheet for sheet in SHEETS}
NUMERIC = {"integer", "number", "money", "percent"}
EXCEL_MAX_TEXT = 32_767  # openpyxl truncates longer strings when it writes them
KEYWORDS = ("expected", "missing", "is not", "required")
# Structural messages that do not (yet) say what was expected: see
# test_structural_problem_messages_say_what_was_expected below.
KNOWN_WORDING_GAPS = ("appears twice", "has values but no header", "keep one of the two")

OPTIONAL_SHEETS = {
    "survei_ikm": [
        ["id_kelompok", "tahun", "id_responden", *(f"u{i}" for i in range(1, 10))],
        ["BSM-01", 2023, "R1", 4, 3, 3, 4, 2, 3, 4, 4, 3],
        ["BSM-01", 2023, "R2", 3, 3, 2, None, 4, 4, 3, 3, 4],
    ],
    "kemandirian": [
        ["id_kelompok", "tahun", "dimensi", "skor", "bukti"],
        ["BSM-01", 2023, "kelembagaan", 4, "AD/ART disahkan"],
        ["BSM-01", 2023, "keuangan", 3, None],
    ],
    "sroi": [
        header("sroi"),
        ["BSM-01", 2023, "Nasabah", "Pendapatan tambahan", 40, "Rp 1.200.000", "BPS", 3, 20, 10, 0, 25],
    ],
}


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _as_read(value: object) -> object:
    """The value openpyxl gives back for ``value`` once written (formulas have no cached value)."""
    if isinstance(value, float) and not math.isfinite(value):
        return None  # openpyxl writes NaN and ±inf as an empty <v/>
    if isinstance(value, str):
        value = value[:EXCEL_MAX_TEXT]
        if len(value) > 1 and value.startswith("="):
            return None  # a formula, read with data_only=True and never calculated
        return value.replace("\r\n", "\n").replace("\r", "\n")
    return value


def _out_of_bounds(column: Column, number: float) -> bool:
    return (
        (column.ge is not None and number < column.ge)
        or (column.gt is not None and number <= column.gt)
        or (column.le is not None and number > column.le)
    )


def _definitely_invalid(sheet: Sheet, column: Column, value: object, known_ids: set[str] | None) -> bool:
    """True when ``value`` (as read) can never be accepted in ``column`` (conservative)."""
    if _blank(value):
        return not column.blank_allowed
    kind = column.kind
    text: str | None = None
    if isinstance(value, bool):
        if kind in NUMERIC | {"date", "enum", "sdgs"}:
            return True
        text = str(value)
    elif isinstance(value, dt.date):  # datetime included
        day = value.date() if isinstance(value, dt.datetime) else value
        if kind in NUMERIC | {"enum", "sdgs"}:
            return True
        if kind == "date":
            return not dt.date(1990, 1, 1) <= day <= dt.date(2100, 12, 31)
        return False
    elif isinstance(value, (int, float)):
        number = float(value)
        if kind in NUMERIC:
            return (kind == "integer" and not number.is_integer()) or _out_of_bounds(column, number)
        if kind in {"date", "enum"}:
            return True
        if kind == "sdgs":
            return not (number.is_integer() and 1 <= number <= 17)
        text = str(int(number)) if number.is_integer() else str(number)
    elif isinstance(value, str):
        text = value.strip()
        if kind in NUMERIC | {"date"}:
            if kind != "date" and text.isdecimal() and len(text) > 400:
                return True  # beyond any float: not a finite number
            return not any(ch.isdigit() for ch in text)  # no digit: neither a number nor a date
        if kind == "enum":
            return cells.normalize_token(text) not in column.accepted_values()
        if kind == "sdgs":
            parts = [p.strip() for p in re.split(r"[;,]", text) if p.strip()]
            return any(not p.isdigit() or (p.isdecimal() and not 1 <= int(p) <= 17) for p in parts)
    if kind == "identifier" and text is not None:
        if re.fullmatch(GROUP_ID_PATTERN, text) is None:
            return True
        return sheet.name != "groups" and known_ids is not None and text not in known_ids
    return False


# --------------------------------------------------------------------------- the corrupted workbook


@dataclass
class Corrupted:
    sheets: dict[str, list[list[object]]]
    merges: list[tuple[str, int, int, int, int]] = field(default_factory=list)  # sheet, 1-based corners

    def view(self) -> dict[str, list[list[object]]]:
        """Every sheet as validation will read it: values as read back, merged cells emptied."""
        view = {name: [[_as_read(v) for v in row] for row in rows] for name, rows in self.sheets.items()}
        for name, top, left, bottom, right in self.merges:
            rows = view[name]
            for r in range(top, bottom + 1):
                for c in range(left, right + 1):
                    if (r, c) != (top, left) and r <= len(rows) and c <= len(rows[r - 1]):
                        rows[r - 1][c - 1] = None
        return view

    def write(self, path: Path) -> None:
        write_xlsx(path, self.sheets)
        if self.merges:
            book = openpyxl.load_workbook(path)
            for name, top, left, bottom, right in self.merges:
                book[name].merge_cells(start_row=top, start_column=left, end_row=bottom, end_column=right)
            book.save(path)


def _column_of(sheet_name: str, header: object) -> Column | None:
    sheet = SHEET_BY_NAME_ID.get(sheet_name)
    if sheet is None or _blank(header):
        return None
    token = cells.normalize_token(header)
    return next((c for c in sheet.columns if token in (c.name, c.name_id)), None)


def _pick_sheet(data, state: Corrupted, with_rows: bool = False) -> str | None:
    names = [n for n, rows in state.sheets.items() if rows and rows[0] and (len(rows) > 1 or not with_rows)]
    return data.draw(st.sampled_from(sorted(names)), label="sheet") if names else None


def _pick_cell(data, state: Corrupted) -> tuple[str, int, int] | None:
    name = _pick_sheet(data, state, with_rows=True)
    if name is None:
        return None
    rows = state.sheets[name]
    row = data.draw(st.integers(1, len(rows) - 1), label="row")
    column = data.draw(st.integers(0, len(rows[0]) - 1), label="column")
    return name, row, column


def _set_cell(data, state: Corrupted, values: st.SearchStrategy, cell: tuple[str, int, int] | None = None) -> None:
    cell = cell or _pick_cell(data, state)
    if cell is None:
        return
    name, row, index = cell
    value = data.draw(values, label="value")
    cells_of_row = state.sheets[name][row]
    cells_of_row.extend([None] * (index + 1 - len(cells_of_row)))
    cells_of_row[index] = value
    note(f"set {name}!row {row + 1} col {index + 1} = {value!r:.80}")


def _pick_cell_in(data, state: Corrupted, sheet: str, header: str) -> tuple[str, int, int] | None:
    rows = state.sheets.get(sheet)
    if not rows or len(rows) < 2 or header not in rows[0]:
        return None
    return sheet, data.draw(st.integers(1, len(rows) - 1), label="row"), rows[0].index(header)


# --------------------------------------------------------------------------- value strategies

WORDS = st.sampled_from(["abc", "dua ribu", "n/a", "TBD", "-", "Rp", "?", "nol", "%", "12 kg", "1.5.3", "1,2,3"])
NUMBERS = st.one_of(
    st.integers(-(10**12), 10**12), st.floats(min_value=-1e12, max_value=1e12, allow_nan=False, allow_infinity=False)
)
WRONG_TYPES = st.one_of(
    WORDS,
    st.booleans(),
    NUMBERS,
    st.just(dt.time(12, 30)),
    st.just(dt.timedelta(days=2)),
    st.sampled_from(["#DIV/0!", "#N/A", "#VALUE!", "#REF!", 1e20, -1e20, "9" * 400]),
)
OUT_OF_RANGE = [  # (sheet, header, values)
    ("anggaran", "rencana_rp", [-5, -1_000_000, -0.5, "-5", "Rp -12.500"]),
    ("anggaran", "realisasi_rp", [-1, "-1.000"]),
    ("anggaran", "tahun", [1800, 2300, 0, 1989, 2101, 2023.5]),
    ("kelompok", "tahun_mulai", [1800, 2300]),
    ("kelompok", "jumlah_anggota", [-1, 2.5]),
    ("kelompok", "tpb", [0, 18, "0;19", "11;99"]),
    ("indikator", "target", [0, -3, "0"]),
    ("indikator", "realisasi", [-1]),
    ("kegiatan", "progres_persen", [150, -1, 100.5]),
    ("survei_ikm", "u1", [0, 9, 5, 2.5]),
    ("survei_ikm", "u9", [0, 9]),
    ("kemandirian", "skor", [0, 9, 6]),
    ("sroi", "durasi_tahun", [0, 11]),
    ("sroi", "deadweight_persen", [150, -1]),
]
UNKNOWN_IDS = st.sampled_from(["ZZZ-99", "bsm-01", "BSM-1", "BSM_01", "UMKM-03", "12345"])
HUGE = st.sampled_from(["x" * 100_000, "é🙂" * 50_000, "a " * 50_000, "Bank Sampah " * 9_000])
FORMULAS = st.sampled_from(["=SUM(A1:A3)", "=1/0", "=A2", '=HYPERLINK("http://example.org","x")', "=NA()"])
ODD_DATES = st.one_of(
    st.dates(dt.date(1900, 1, 1), dt.date(1900, 12, 31)),
    st.dates(dt.date(2200, 1, 1), dt.date(2200, 12, 31)),
    st.datetimes(dt.datetime(1900, 1, 1), dt.datetime(1900, 12, 31)),
    st.just(dt.date(1800, 1, 1)),
    st.just(dt.date(1989, 12, 31)),
    st.just(dt.date(2101, 1, 1)),
)
NON_FINITE = st.sampled_from([math.nan, math.inf, -math.inf])
UNICODE = st.one_of(
    st.text(st.characters(exclude_categories=("Cs",)), max_size=20).map(lambda s: ILLEGAL_CHARACTERS_RE.sub("", s)),
    st.sampled_from(
        [
            "\u200bBSM-01",
            "BSM-01\u00a0",
            "\ufeffBSM-01",
            "Ｂ",
            "١٢٣",
            "２０２３",
            "\u202etext",
            "a\tb",
            "line1\nline2",
            "x\ry",
            "\x7f",
            "\x85",
            "_x0001_",
            "Ⅻ",
            "ß",
            "İ",
            "😀",
            "Ça va",
            "\u3000",
            "²",
            "11;¹²",
        ]
    ),
)
LEADING = st.builds(
    lambda lead, rest: lead + rest,
    st.sampled_from(["=", "+", "-", "@"]),
    st.sampled_from(["", "5", "62 812 3456", "cmd|' /C calc'!A0", "SUM(1,2)", "abc", "1.000"]),
)


# --------------------------------------------------------------------------- mutations


def wrong_type(data, state):
    _set_cell(data, state, WRONG_TYPES)


def out_of_range(data, state):
    sheet, header, values = data.draw(st.sampled_from(OUT_OF_RANGE), label="range rule")
    if sheet not in state.sheets and sheet in OPTIONAL_SHEETS:
        state.sheets[sheet] = [list(row) for row in OPTIONAL_SHEETS[sheet]]
    cell = _pick_cell_in(data, state, sheet, header)
    if cell is not None:
        _set_cell(data, state, st.sampled_from(values), cell)


def unknown_group_id(data, state):
    sheet = data.draw(st.sampled_from(["anggaran", "indikator", "kegiatan", "masukan_fgd"]), label="sheet")
    cell = _pick_cell_in(data, state, sheet, "id_kelompok")
    if cell is not None:
        _set_cell(data, state, UNKNOWN_IDS, cell)


def delete_sheet(data, state):
    names = sorted(state.sheets)
    if len(names) > 1:
        name = data.draw(st.sampled_from(names), label="deleted sheet")
        del state.sheets[name]
        state.merges = [m for m in state.merges if m[0] != name]


def delete_column(data, state):
    name = _pick_sheet(data, state)
    if name is not None:
        index = data.draw(st.integers(0, len(state.sheets[name][0]) - 1), label="deleted column")
        for row in state.sheets[name]:
            del row[index : index + 1]


def rename_header(data, state):
    name = _pick_sheet(data, state)
    if name is None:
        return
    header = state.sheets[name][0]
    index = data.draw(st.integers(0, len(header) - 1), label="renamed column")
    other = data.draw(st.sampled_from(header), label="other header")
    header[index] = data.draw(
        st.sampled_from(
            [
                "kolom_baru",
                f" {str(header[index]).upper()} ",
                f"{header[index]}_x",
                str(header[index]).replace("_", " "),
                other,
                "",
                None,
                2023,
                "h" * 100_000,
            ]
        )
        | UNICODE,
        label="new header",
    )


def duplicate_header(data, state):
    name = _pick_sheet(data, state)
    if name is None:
        return
    rows = state.sheets[name]
    index = data.draw(st.integers(0, len(rows[0]) - 1), label="duplicated column")
    spelling = data.draw(st.sampled_from([str(rows[0][index]), str(rows[0][index]).upper().replace("_", " ")]))
    if data.draw(st.booleans(), label="append a copy"):
        width = max(len(row) for row in rows)
        for number, row in enumerate(rows):
            row.extend([None] * (width - len(row)))
            row.append(spelling if number == 0 else (row[index] if index < len(row) else None))
    else:
        width = len(rows[0])
        target = (index + data.draw(st.integers(1, max(width - 1, 1)), label="overwritten header")) % width
        rows[0][target] = spelling


def empty_sheet(data, state):
    names = sorted(state.sheets)
    name = data.draw(st.sampled_from(names), label="emptied sheet")
    state.sheets[name] = [] if data.draw(st.booleans(), label="no header either") else state.sheets[name][:1]


def huge_string(data, state):
    _set_cell(data, state, HUGE)


def formula(data, state):
    _set_cell(data, state, FORMULAS)


def odd_date(data, state):
    if data.draw(st.booleans(), label="in a date column"):
        sheet, header = data.draw(
            st.sampled_from(
                [
                    ("kegiatan", "rencana_mulai"),
                    ("kegiatan", "rencana_selesai"),
                    ("masukan_fgd", "tanggal_fgd"),
                    ("masukan_fgd", "tenggat"),
                ]
            )
        )
        cell = _pick_cell_in(data, state, sheet, header)
        if cell is not None:
            _set_cell(data, state, ODD_DATES, cell)
    else:
        _set_cell(data, state, ODD_DATES)


def non_finite(data, state):
    _set_cell(data, state, NON_FINITE)


def unicode_text(data, state):
    _set_cell(data, state, UNICODE)


def leading_sign(data, state):
    _set_cell(data, state, LEADING)


def merge(data, state):
    name = _pick_sheet(data, state)
    if name is None:
        return
    rows = state.sheets[name]
    height, width = len(rows) + 1, max(len(row) for row in rows) + 1
    top = data.draw(st.integers(1, height), label="merge top")
    left = data.draw(st.integers(1, width), label="merge left")
    bottom = data.draw(st.integers(top, min(height, top + 3)), label="merge bottom")
    right = data.draw(st.integers(left, min(width, left + 3)), label="merge right")
    if (top, left) == (bottom, right):
        return
    overlaps = any(
        m[0] == name and not (bottom < m[1] or top > m[3] or right < m[2] or left > m[4]) for m in state.merges
    )
    if not overlaps:
        state.merges.append((name, top, left, bottom, right))
        note(f"merge {name}!R{top}C{left}:R{bottom}C{right}")


def add_optional_sheet(data, state):
    name = data.draw(st.sampled_from(sorted(OPTIONAL_SHEETS)), label="added sheet")
    state.sheets[name] = [list(row) for row in OPTIONAL_SHEETS[name]]


MUTATIONS = [
    wrong_type,
    out_of_range,
    unknown_group_id,
    delete_sheet,
    delete_column,
    rename_header,
    duplicate_header,
    empty_sheet,
    huge_string,
    formula,
    odd_date,
    non_finite,
    unicode_text,
    leading_sign,
    merge,
    add_optional_sheet,
]


# --------------------------------------------------------------------------- what must be reported


@dataclass(frozen=True)
class Expected:
    sheet: str
    row: int | None = None
    column: str | None = None
    why: str = ""

    def found_in(self, problems: list[Problem]) -> bool:
        return any(
            p.sheet == self.sheet
            and (self.row is None or p.row == self.row)
            and (self.column is None or p.column == self.column)
            for p in problems
        )


def _positions(sheet: Sheet, header: list[object]) -> dict[str, list[int]]:
    positions: dict[str, list[int]] = {c.name: [] for c in sheet.columns}
    for index, cell in enumerate(header):
        column = _column_of(sheet.name_id, cell)
        if column is not None:
            positions[column.name].append(index)
    return positions


def _known_group_ids(view: dict[str, list[list[object]]]) -> set[str] | None:
    """A superset of the ids validation will know, or None when that cannot be told."""
    rows = view.get("kelompok")
    if not rows:
        return set()
    where = _positions(SHEETS_BY_NAME["groups"], rows[0])["group_id"]
    if len(where) > 1:
        return None
    if not where:
        return set()
    return {cells.parse_text(row[where[0]]) for row in rows[1:] if where[0] < len(row) and not _blank(row[where[0]])}


def expected_problems(state: Corrupted) -> list[Expected]:
    view = state.view()
    expected = []
    if "kelompok" not in view:
        expected.append(Expected("kelompok", why="the required sheet is missing"))
    known_ids = _known_group_ids(view)
    for name, rows in view.items():
        sheet = SHEET_BY_NAME_ID[name]
        header = rows[0] if rows else []
        positions = _positions(sheet, header)
        for column in sheet.columns:
            if not positions[column.name] and not column.optional:
                expected.append(Expected(name, 1, column.name_id, f"required column {column.name_id} missing"))
            if len(positions[column.name]) > 1:
                expected.append(Expected(name, 1, why=f"column {column.name_id} twice"))
        data_rows = {number: row for number, row in enumerate(rows[1:], start=2) if not all(map(_blank, row))}
        width = max([len(header), *(len(row) for row in data_rows.values())])
        for index in range(width):
            if _blank(header[index] if index < len(header) else None) and any(
                index < len(row) and not _blank(row[index]) for row in data_rows.values()
            ):
                expected.append(Expected(name, 1, why=f"values without a header in column {index + 1}"))
        for column in sheet.columns:
            if len(positions[column.name]) != 1:
                continue
            index = positions[column.name][0]
            shown = str(header[index]).strip()
            for number, row in data_rows.items():
                value = row[index] if index < len(row) else None
                if _definitely_invalid(sheet, column, value, known_ids):
                    expected.append(Expected(name, number, shown, f"{value!r:.60} in {column.name_id}"))
    return expected


def check_problem_shape(problem: Problem, path: Path) -> None:
    assert problem.file == str(path), problem
    if problem.row is not None:
        assert isinstance(problem.row, int) and not isinstance(problem.row, bool) and problem.row >= 1, problem
        assert problem.sheet, problem
        assert isinstance(problem.column, str) and problem.column.strip(), problem
    if problem.column is not None:
        assert problem.row is not None, problem
    assert isinstance(problem.message, str) and problem.message.strip(), problem
    assert any(word in problem.message for word in KEYWORDS + KNOWN_WORDING_GAPS), problem


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None)
@given(st.data())
def test_corrupted_workbooks_are_reported_never_crash(data):
    state = _corrupted(data, MUTATIONS)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "review.xlsx"
        state.write(path)
        _check(state, path)


# Corruptions whose bytes a spreadsheet program changes on saving are left out in other formats: LibreOffice
# computes formulas (a result replaces "no saved result"), and reads openpyxl's empty NaN cell as 0.
SAVED_ALIKE = [mutation for mutation in MUTATIONS if mutation not in (formula, non_finite, odd_date)]


@settings(max_examples=3, deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None)
@given(st.data())
def test_corrupted_workbooks_are_reported_in_every_format(data):
    """The same checks on the corrupted workbook saved by LibreOffice as .ods and as .xls."""
    needs("soffice")
    state = _corrupted(data, SAVED_ALIKE)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "review.xlsx"
        state.write(path)
        for kind in ("ods", "xls"):
            profile = (Path(folder) / f"profile-{kind}").as_uri()
            command = ["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", kind]
            subprocess.run([*command, "--outdir", folder, str(path)], check=True, capture_output=True, timeout=300)
            _check(state, path.with_suffix(f".{kind}"))


def _corrupted(data, mutations: list) -> Corrupted:
    state = Corrupted(valid_sheets())
    if data.draw(st.booleans(), label="start with optional sheets"):
        for name in data.draw(st.sets(st.sampled_from(sorted(OPTIONAL_SHEETS)), min_size=1), label="optional"):
            state.sheets[name] = [list(row) for row in OPTIONAL_SHEETS[name]]
    for mutation in data.draw(st.lists(st.sampled_from(mutations), min_size=1, max_size=5), label="mutations"):
        mutation(data, state)
        event(f"mutation: {mutation.__name__}")
    return state


def _check(state: Corrupted, path: Path) -> None:
    """Checks 1 to 4 of the module's docstring on the workbook ``state`` saved at ``path``."""
    before = _sha256(path)
    workbook, problems = validate_workbook(path)  # 1. never raises
    assert _sha256(path) == before  # 4. the file is left as it was

    assert isinstance(problems, list)
    assert (workbook is None) == bool(problems), problems  # 1.
    for problem in problems:
        check_problem_shape(problem, path)  # 2.
    expected = expected_problems(state)
    event("definitely invalid" if expected else "maybe valid")
    event("validated: " + ("problems" if problems else "workbook"))
    for one in expected:  # 3.
        note(f"expected {one}")
        assert one.found_in(problems), (one, [str(p)[:200] for p in problems])


# --------------------------------------------------------------------------- regression tests


def _validate(tmp_path: Path, sheets, merges=()) -> tuple[object, list[Problem]]:
    state = Corrupted(sheets, list(merges))
    path = tmp_path / "review.xlsx"
    state.write(path)
    return validate_workbook(path)


def _at(problems: list[Problem], sheet: str, row: int | None = None) -> list[Problem]:
    return [p for p in problems if p.sheet == sheet and (row is None or p.row == row)]


def test_the_oracle_finds_nothing_wrong_in_the_valid_workbook(tmp_path):
    sheets = valid_sheets() | {name: [list(r) for r in rows] for name, rows in OPTIONAL_SHEETS.items()}
    workbook, problems = _validate(tmp_path, sheets)
    assert problems == [] and workbook is not None
    assert expected_problems(Corrupted(sheets)) == []


def test_formula_in_a_required_cell_is_reported_at_that_cell(tmp_path):
    sheets = valid_sheets()
    sheets["anggaran"][1][4] = "=1/0"  # rencana_rp, stored as a formula without a cached value
    _, problems = _validate(tmp_path, sheets)
    assert [(p.row, p.column) for p in _at(problems, "anggaran")] == [(2, "rencana_rp")]


def test_merged_cells_blank_out_required_cells_and_headers(tmp_path):
    _, problems = _validate(tmp_path, valid_sheets(), [("anggaran", 2, 1, 3, 1), ("kegiatan", 1, 1, 1, 2)])
    assert [(p.row, p.column) for p in _at(problems, "anggaran")] == [(3, "id_kelompok")]
    kegiatan = _at(problems, "kegiatan")
    assert any(p.row == 1 and p.column == "B" for p in kegiatan)  # the values under the merged header
    assert any(p.row == 1 and p.column == "tahun" and "missing" in p.message for p in kegiatan)


def test_dates_of_1900_and_2200_are_outside_the_contract(tmp_path):
    sheets = valid_sheets()
    sheets["kegiatan"][1][3] = dt.date(1900, 2, 28)
    sheets["kegiatan"][2][4] = dt.datetime(2200, 1, 1)
    sheets["anggaran"][1][1] = dt.date(1900, 1, 5)  # a date in the year column
    _, problems = _validate(tmp_path, sheets)
    assert {(p.sheet, p.row, p.column) for p in problems} == {
        ("kegiatan", 2, "rencana_mulai"),
        ("kegiatan", 3, "rencana_selesai"),
        ("anggaran", 2, "tahun"),
    }


def test_huge_and_unicode_text_is_read_and_left_unchanged(tmp_path):
    sheets = valid_sheets()
    sheets["kelompok"][1][1] = "Bank Sampah 🙂 " * 8_000  # truncated by openpyxl to Excel's 32767 characters
    sheets["anggaran"][1][4] = "x" * 100_000
    sheets["anggaran"][2][0] = "\u200bBSM-01"  # a zero-width space is not stripped
    workbook, problems = _validate(tmp_path, sheets)
    assert {(p.sheet, p.row, p.column) for p in problems} == {
        ("anggaran", 2, "rencana_rp"),
        ("anggaran", 3, "id_kelompok"),
    }


# ---- loader bugs this fuzzing found, now fixed


def test_superscript_digits_in_sdgs_are_a_problem_not_a_crash(tmp_path):
    sheets = valid_sheets()
    sheets["kelompok"][1][8] = "11;²"
    _, problems = _validate(tmp_path, sheets)
    assert [(p.row, p.column) for p in _at(problems, "kelompok")] == [(2, "tpb")]


def test_integer_too_large_for_int64_is_a_problem_not_a_crash(tmp_path):
    sheets = valid_sheets()
    sheets["kelompok"][1][7] = 1e20  # jumlah_anggota, e.g. an account number pasted in the wrong column
    _, problems = _validate(tmp_path, sheets)
    assert [(p.row, p.column) for p in _at(problems, "kelompok")] == [(2, "jumlah_anggota")]


def test_number_text_too_long_for_a_float_is_not_accepted(tmp_path):
    sheets = valid_sheets()
    sheets["anggaran"][1][4] = "9" * 400
    workbook, problems = _validate(tmp_path, sheets)
    assert [(p.row, p.column) for p in _at(problems, "anggaran")] == [(2, "rencana_rp")]


def test_formula_without_cached_value_is_not_silently_blank(tmp_path):
    sheets = valid_sheets()
    sheets["anggaran"][1][5] = "=SUM(E2:E3)"  # realisasi_rp, blank means 'nothing spent yet'
    _, problems = _validate(tmp_path, sheets)
    assert _at(problems, "anggaran", 2)


def test_merged_cell_over_a_blank_allowed_column_is_reported(tmp_path):
    _, problems = _validate(tmp_path, valid_sheets(), [("anggaran", 2, 6, 3, 6)])  # realisasi_rp F2:F3
    assert _at(problems, "anggaran", 3)


def test_excel_error_value_is_not_accepted_as_text(tmp_path):
    sheets = valid_sheets()
    sheets["kelompok"][1][1] = "#DIV/0!"  # openpyxl stores it as an error cell, as Excel caches =1/0
    _, problems = _validate(tmp_path, sheets)
    assert _at(problems, "kelompok", 2)


def test_structural_problem_messages_say_what_was_expected(tmp_path):
    sheets = valid_sheets()
    sheets["anggaran"][0][3] = "tahun"  # a duplicated header
    sheets["Anggaran "] = sheets["anggaran"]  # a second sheet for the same table
    sheets["kegiatan"][0][2] = None  # values without a header
    _, problems = _validate(tmp_path, sheets)
    assert problems
    for problem in problems:
        assert any(word in problem.message for word in KEYWORDS), problem

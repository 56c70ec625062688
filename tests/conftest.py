"""Shared fixtures: small workbooks written the way evaluators fill them in."""

from __future__ import annotations

import copy
import datetime as dt
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import openpyxl
import pytest
from hypothesis import settings

# Property tests try the same examples on every run, so the suite never fails one time in n;
# `pytest --hypothesis-profile=explore` draws new ones (pin what it finds as a plain test).
settings.register_profile("deterministic", derandomize=True)
settings.register_profile("explore", derandomize=False)
settings.load_profile("deterministic")

# The keys a metrics.json entry has for a year it judges (#23): status, findings with their follow-up, last year's
# findings, the follow-up figures and the sign-off.
JUDGED_KEYS = (
    "status",
    "findings",
    "fgd_open_inputs",
    "follow_up_previous",
    "recommendations_previous",
    "recommendations_done",
    "recommendations_followed_up_pct",
    "recommendations_overdue",
    "recommendations_without_owner",
    "approved",
    "approvals",
    "report_date",
)
GROUPS = [
    [
        "id_kelompok",
        "nama_kelompok",
        "program",
        "pilar",
        "kelurahan",
        "kecamatan",
        "tahun_mulai",
        "jumlah_anggota",
        "tpb",
    ],
    ["BSM-01", "Bank Sampah Contoh", "Bank sampah", "lingkungan", "Margasari", "Balikpapan Barat", 2021, 25, "11;12"],
    ["UMKM-02", "UMKM Contoh", "Olahan pangan", "Ekonomi", "Baru Tengah", None, 2022, None, None],
]
BUDGET = [
    ["id_kelompok", "tahun", "pos_anggaran", "kategori", "rencana_rp", "realisasi_rp"],
    ["BSM-01", 2023, "Mesin pencacah", "peralatan", "Rp 40.000.000", 38_000_000],
    ["BSM-01", 2023, "Pelatihan", "pelatihan", 10_000_000, "12.500.000"],
    ["BSM-01", 2023, "Operasional", "operasional", 10_000_000, None],
    ["BSM-01", 2022, "Pelatihan", "pelatihan", 20_000_000, 15_000_000],
]
INDICATORS = [
    ["id_kelompok", "tahun", "indikator", "tingkat", "satuan", "arah", "baseline", "target", "realisasi"],
    ["BSM-01", 2023, "Sampah terkelola", "output", "kg/bulan", "naik", 100, 500, 600],
    ["BSM-01", 2023, "Sampah ke TPA", "outcome", "ton/tahun", "turun", 10, 4, 5],
    ["BSM-01", 2023, "Nasabah aktif", "output", "orang", None, None, 200, None],
]
ACTIVITIES = [
    ["id_kelompok", "tahun", "kegiatan", "rencana_mulai", "rencana_selesai", "status", "progres_persen"],
    ["BSM-01", 2023, "Pelatihan pemilahan", dt.datetime(2023, 2, 1), "28/02/2023", "Selesai", 100],
    ["BSM-01", 2023, "Sosialisasi", "1 Maret 2023", "2023-03-31", "berjalan", 50],
    ["BSM-01", 2023, "Studi banding", "2023-05-01", "2023-05-03", "batal", None],
]
FEEDBACK = [
    [
        "tahun",
        "id_kelompok",
        "tanggal_fgd",
        "pemangku_kepentingan",
        "jenis_pemangku",
        "kriteria",
        "masukan",
        "rekomendasi",
        "tindak_lanjut",
        "tenggat",
    ],
    [
        2023,
        "BSM-01",
        "16 Januari 2024",
        "Dinas Lingkungan Hidup",
        "pemerintah",
        "efektivitas",
        "Perluas jangkauan nasabah",
        "Tambah titik jemput",
        "proses",
        "2023-12-31",
    ],
    [2023, None, "2024-01-16", "Dinas Sosial", "pemerintah", None, "Libatkan penyandang disabilitas", None, None, None],
]


def header(sheet_name_id: str, *without: str) -> list[str]:
    """The Indonesian header row of a sheet of the contract, leaving out optional columns ``without``."""
    from tjsl_eval.inputs.schema import SHEETS

    sheet = next(s for s in SHEETS if s.name_id == sheet_name_id)
    return [c.name_id for c in sheet.columns if c.name_id not in without]


def write_xlsx(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    """Write ``sheets`` (name -> rows, header first) as an .xlsx workbook."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def valid_sheets() -> dict[str, list[list[object]]]:
    """A fresh copy of a small valid workbook's sheets, safe to modify."""
    return copy.deepcopy(
        {
            "kelompok": GROUPS,
            "anggaran": BUDGET,
            "indikator": INDICATORS,
            "kegiatan": ACTIVITIES,
            "masukan_fgd": FEEDBACK,
        }
    )


@pytest.fixture
def valid_xlsx(tmp_path: Path) -> Path:
    return write_xlsx(tmp_path / "review.xlsx", valid_sheets())


def browser_dom(browser: str, page: Path, *flags: str) -> str:
    """The DOM of ``page`` once headless Chromium (the program ``browser``) has run its scripts;
    ``flags`` are added to the usual ones (e.g. a window size)."""
    with tempfile.TemporaryDirectory() as profile:
        command = [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={profile}",
            *flags,
            "--dump-dom",
            page.as_uri(),
        ]
        return subprocess.run(command, capture_output=True, text=True, timeout=120, check=True).stdout


def needs(*tools: str) -> None:
    """Skip (fail on CI) when a command-line tool the test needs is missing."""
    missing = [tool for tool in tools if shutil.which(tool) is None]
    if missing and os.environ.get("CI"):
        pytest.fail(f"CI must install {', '.join(missing)} (see .ci/run)")
    if missing:
        pytest.skip(f"not installed: {', '.join(missing)} (apt-get install chromium chromium-driver poppler-utils)")


def needs_chromium() -> None:
    """Skip (fail on CI) when no Chromium is found where PDF printing looks for one."""
    from tjsl_eval.render import pdf

    try:
        pdf.find_chromium()
    except pdf.PdfError:
        needs("chromium")


@pytest.fixture
def time_zone(monkeypatch):
    """A function that moves this process's local time zone (``TZ``), as a clock elsewhere would
    read; the zone is put back after the test."""

    def move_to(name: str) -> None:
        monkeypatch.setenv("TZ", name)
        time.tzset()

    yield move_to
    monkeypatch.undo()
    time.tzset()

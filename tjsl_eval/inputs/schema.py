"""The review workbook contract, declared as data.

Each :class:`Sheet` lists its :class:`Column` s with their type, range and choices.
The loader, the validation, the documentation (``docs/workbook.md``) and the
Excel template are all driven by these declarations: adding a sheet means
declaring it here, nothing more.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

Kind = Literal["text", "identifier", "integer", "number", "money", "percent", "date", "enum", "sdgs"]

GROUP_ID_PATTERN = r"[A-Za-z0-9][A-Za-z0-9_-]{0,39}"
FIRST_YEAR, LAST_YEAR = 1990, 2100


# Names of the review's own output files: a group with such an id would overwrite them.
RESERVED_IDS = frozenset({"index", "portfolio", "metrics", "manifest", "run", "fgd_register"})


# The Excel template's own marks (see tjsl_eval.inputs.template), which the loader knows: the instructions sheet and the
# hidden sheet of long drop-down lists are not read, and a row whose group id cell holds an example marker is the
# template's example row, skipped (a marker is never a valid group id, so no real row can carry it).
INSTRUCTIONS_SHEET = {"id": "petunjuk", "en": "instructions"}
CHOICES_SHEET = "_choices"
EXAMPLE_MARKERS = {"id": "#CONTOH", "en": "#EXAMPLE"}


def is_example_marker(value: object) -> bool:
    """True for a group id cell that marks the template's example row (``#CONTOH``, ``#example``, ...)."""
    return isinstance(value, str) and value.strip().upper() in EXAMPLE_MARKERS.values()


def is_group_id(text: str) -> bool:
    """True for a group id that is safe as a file name (see ``GROUP_ID_PATTERN``) and is not
    the name of one of the review's own files (``RESERVED_IDS``)."""
    return re.fullmatch(GROUP_ID_PATTERN, text) is not None and text.lower() not in RESERVED_IDS


@dataclass(frozen=True)
class Column:
    """One column: canonical English name, Indonesian name, type and rules."""

    name: str
    name_id: str
    kind: Kind
    optional: bool = False  # the column may be left out of the sheet
    blank: str | None = None  # what a blank cell means; None = a value is required
    default: object = None  # the value a blank cell takes
    choices: dict[str, tuple[str, ...]] = field(default_factory=dict)  # value -> accepted aliases
    ge: float | None = None
    gt: float | None = None
    le: float | None = None
    note: str = ""

    @property
    def blank_allowed(self) -> bool:
        return self.blank is not None

    def expected(self) -> str:
        """What a valid cell looks like, for error messages and documentation."""
        bounds = []
        if self.gt is not None:
            bounds.append(f"> {self.gt:g}")
        if self.ge is not None:
            bounds.append(f"≥ {self.ge:g}")
        if self.le is not None:
            bounds.append(f"≤ {self.le:g}")
        bound = " " + " and ".join(bounds) if bounds else ""
        return {
            "text": "text",
            "identifier": (
                "an id of 1–40 letters, digits, '-' or '_', starting with a letter or digit, other "
                "than " + ", ".join(sorted(RESERVED_IDS))
            ),
            "integer": f"a whole number{bound}",
            "number": f"a number{bound}",
            "money": f"an amount in Rupiah{bound}, e.g. 12500000 or Rp 12.500.000",
            "percent": f"a percentage{bound}",
            "date": "a date such as 17/01/2023, 2023-01-17 or 17 Januari 2023",
            "enum": "one of " + ", ".join(self.accepted_values()),
            "sdgs": "SDG goal numbers 1–17 separated by ';' or ','",
        }[self.kind]

    def accepted_values(self) -> list[str]:
        """Every value an enumeration cell accepts (canonical first, then aliases)."""
        values = list(self.choices)
        values += [alias for aliases in self.choices.values() for alias in aliases]
        return values


@dataclass(frozen=True)
class Sheet:
    """One sheet of the workbook (or one CSV file of a folder)."""

    name: str
    name_id: str
    columns: tuple[Column, ...]
    required: bool = False
    unique: tuple[str, ...] = ()  # columns whose combination must not repeat
    note: str = ""

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


def _group_id(blank: str | None = None) -> Column:
    return Column("group_id", "id_kelompok", "identifier", blank=blank, note="listed in the sheet `kelompok`")


YEAR = Column("year", "tahun", "integer", ge=FIRST_YEAR, le=LAST_YEAR)


def _percent(name: str, name_id: str) -> Column:
    return Column(name, name_id, "percent", ge=0, le=100)


PILLARS = {
    "sosial": ("social",),
    "ekonomi": ("economic",),
    "lingkungan": ("environmental",),
    "hukum_tata_kelola": ("legal_governance",),
}
DAC_CRITERIA = {
    "relevansi": ("relevance",),
    "koherensi": ("coherence",),
    "efektivitas": ("effectiveness",),
    "efisiensi": ("efficiency",),
    "dampak": ("impact",),
    "keberlanjutan": ("sustainability",),
}
FOLLOW_UP = {"belum": ("open", "not_started"), "proses": ("in_progress",), "selesai": ("done", "closed")}
# The parts of a group's report a narrative row or a photo belongs to: canonical Indonesian name -> the report's section
# key (English), also accepted. ``kesimpulan`` is the evaluator's closing conclusion, a section of its own.
REPORT_SECTIONS = {
    "profil": ("profile",),
    "ringkasan": ("summary",),
    "anggaran": ("budget",),
    "indikator": ("indicators",),
    "kegiatan": ("activities",),
    "ikm": (),
    "sroi": (),
    "kemandirian": ("independence",),
    "fgd": (),
    "dac": (),
    "temuan": ("findings",),
    "rencana": ("plan",),
    "kesimpulan": ("conclusion",),
    "metode": ("method",),
}
SECTION_KEYS = {name: aliases[0] if aliases else name for name, aliases in REPORT_SECTIONS.items()}
LIGHTS = {"hijau": ("green",), "kuning": ("amber", "yellow"), "merah": ("red",)}
PHOTO_EXTENSIONS = (".jpg", ".jpeg", ".png", ".webp")
# Sheets whose rows with a blank group id are about the whole programme (FGD inputs) or the whole review (approvals):
# every group's rows include them.
SHARED_SHEETS = ("fgd_feedback", "approval")
APPROVAL_ROLES = {"disusun": ("prepared",), "diperiksa": ("reviewed",), "disetujui": ("approved",)}
BENEFICIARY_CATEGORIES = {
    "anggota": ("members",),
    "penerima_langsung": ("direct",),
    "penerima_tidak_langsung": ("indirect",),
}
ACTIVITY_STATUS = {
    "selesai": ("done",),
    "berjalan": ("ongoing",),
    "belum": ("not_started",),
    "batal": ("cancelled", "canceled"),
}

SHEETS: tuple[Sheet, ...] = (
    Sheet(
        "groups",
        "kelompok",
        required=True,
        unique=("group_id",),
        note="One row per beneficiary group (kelompok mitra binaan).",
        columns=(
            Column("group_id", "id_kelompok", "identifier", note="it becomes the report's file name"),
            Column("name", "nama_kelompok", "text"),
            Column("program", "program", "text"),
            Column("pillar", "pilar", "enum", choices=PILLARS),
            Column("kelurahan", "kelurahan", "text"),
            Column("kecamatan", "kecamatan", "text", optional=True, blank="unknown"),
            Column("start_year", "tahun_mulai", "integer", ge=FIRST_YEAR, le=LAST_YEAR),
            Column("members", "jumlah_anggota", "integer", optional=True, blank="unknown", ge=0),
            Column("sdgs", "tpb", "sdgs", optional=True, blank="none", default=()),
        ),
    ),
    Sheet(
        "budget",
        "anggaran",
        note="Budget lines: plan and realization per item, per group and year.",
        columns=(
            _group_id(),
            YEAR,
            Column("item", "pos_anggaran", "text"),
            Column("category", "kategori", "text", optional=True, blank="uncategorised"),
            Column("planned", "rencana_rp", "money", ge=0),
            Column("realized", "realisasi_rp", "money", blank="nothing spent yet", ge=0),
        ),
    ),
    Sheet(
        "indicators",
        "indikator",
        unique=("group_id", "year", "indicator"),
        note="Output and outcome indicators with their targets and what was achieved.",
        columns=(
            _group_id(),
            YEAR,
            Column("indicator", "indikator", "text"),
            Column("level", "tingkat", "enum", choices={"output": (), "outcome": ()}),
            Column("unit", "satuan", "text"),
            Column(
                "direction",
                "arah",
                "enum",
                optional=True,
                blank="naik",
                default="naik",
                choices={"naik": ("up",), "turun": ("down",)},
                note="naik = higher is better; turun = lower is better",
            ),
            Column("baseline", "baseline", "number", optional=True, blank="none"),
            Column("target", "target", "number", gt=0),
            Column("actual", "realisasi", "number", blank="not measured yet", ge=0),
        ),
    ),
    Sheet(
        "activities",
        "kegiatan",
        note="Planned activities and their status.",
        columns=(
            _group_id(),
            YEAR,
            Column("activity", "kegiatan", "text"),
            Column("planned_start", "rencana_mulai", "date"),
            Column("planned_end", "rencana_selesai", "date", note="not before the start"),
            Column("status", "status", "enum", choices=ACTIVITY_STATUS),
            Column("progress", "progres_persen", "percent", optional=True, blank="unknown", ge=0, le=100),
        ),
    ),
    Sheet(
        "fgd_feedback",
        "masukan_fgd",
        note="Stakeholders' inputs at the FGD and their follow-up.",
        columns=(
            YEAR,
            _group_id(blank="about the whole programme"),
            Column("fgd_date", "tanggal_fgd", "date"),
            Column("stakeholder", "pemangku_kepentingan", "text"),
            Column(
                "stakeholder_type",
                "jenis_pemangku",
                "enum",
                choices={
                    "pemerintah": ("government",),
                    "swasta": ("private",),
                    "masyarakat": ("community",),
                    "perusahaan": ("company",),
                    "akademisi": ("academia",),
                    "lainnya": ("other",),
                },
            ),
            Column("criterion", "kriteria", "enum", optional=True, blank="none", choices=DAC_CRITERIA),
            Column("feedback", "masukan", "text"),
            Column("recommendation", "rekomendasi", "text", optional=True, blank="none"),
            Column(
                "follow_up", "tindak_lanjut", "enum", optional=True, blank="belum", default="belum", choices=FOLLOW_UP
            ),
            Column("due_date", "tenggat", "date", optional=True, blank="none"),
        ),
    ),
    Sheet(
        "survey",
        "survei_ikm",
        unique=("group_id", "year", "respondent_id"),
        note="Community satisfaction survey (IKM, PermenPAN-RB 14/2017), one row per respondent.",
        columns=(
            _group_id(),
            YEAR,
            Column("respondent_id", "id_responden", "text"),
            *(Column(f"u{i}", f"u{i}", "integer", blank="not answered", ge=1, le=4) for i in range(1, 10)),
        ),
    ),
    Sheet(
        "sroi",
        "sroi",
        note="Outcomes valued for the social return on investment (SROI).",
        columns=(
            _group_id(),
            YEAR,
            Column("stakeholder", "pemangku", "text"),
            Column("outcome", "dampak", "text"),
            Column("quantity", "jumlah", "number", ge=0),
            Column("proxy_value", "nilai_proksi_rp", "money", ge=0, note="per unit per year"),
            Column("proxy_source", "sumber_proksi", "text", optional=True, blank="none"),
            Column("duration_years", "durasi_tahun", "integer", ge=1, le=10),
            _percent("deadweight", "deadweight_persen"),
            _percent("attribution", "atribusi_persen"),
            _percent("displacement", "displacement_persen"),
            _percent("drop_off", "drop_off_persen"),
        ),
    ),
    Sheet(
        "independence",
        "kemandirian",
        unique=("group_id", "year", "dimension"),
        note="Independence (kemandirian) scores per dimension.",
        columns=(
            _group_id(),
            YEAR,
            Column(
                "dimension",
                "dimensi",
                "text",
                note="e.g. kelembagaan, keuangan, usaha, sdm, jejaring, ketergantungan_dana",
            ),
            Column("score", "skor", "integer", ge=1, le=5),
            Column("evidence", "bukti", "text", optional=True, blank="none"),
        ),
    ),
    Sheet(
        "narrative",
        "narasi",
        note=(
            "The evaluator's own text for a part of a report: analysis, quotations of beneficiaries and stakeholders, "
            "the closing conclusion. Several rows for one group, year and section are shown in workbook order."
        ),
        columns=(
            _group_id(blank="about the whole programme"),
            YEAR,
            Column(
                "section",
                "bagian",
                "enum",
                choices=REPORT_SECTIONS,
                note="the part of the report the text belongs to; kesimpulan = the evaluator's closing conclusion",
            ),
            Column(
                "text",
                "teks",
                "text",
                note=(
                    "Markdown: paragraphs, **bold**, *italic*, lists, > quotations, links (http, https, mailto "
                    "only); HTML is shown as text"
                ),
            ),
            Column("author", "penulis", "text", optional=True, blank="none"),
        ),
    ),
    Sheet(
        "photos",
        "dokumentasi",
        note="Photographs of the activities (dokumentasi kegiatan), shown in the report's sections.",
        columns=(
            _group_id(),
            YEAR,
            Column(
                "file",
                "berkas",
                "text",
                note=(
                    "a path relative to the folder that holds the workbook (or inside the CSV folder), "
                    "e.g. dokumentasi/foto1.jpg; " + ", ".join(PHOTO_EXTENSIONS)
                ),
            ),
            Column("caption", "keterangan", "text"),
            Column("date", "tanggal", "date", optional=True, blank="none"),
            Column(
                "section",
                "bagian",
                "enum",
                optional=True,
                blank="kegiatan",
                default="kegiatan",
                choices=REPORT_SECTIONS,
            ),
        ),
    ),
    Sheet(
        "dac_judgement",
        "penilaian_dac",
        unique=("group_id", "year", "criterion"),
        note=(
            "The evaluator's own traffic light for an OECD-DAC criterion; where it differs from the computed one, "
            "the report shows both and the evaluator's judgement stands."
        ),
        columns=(
            _group_id(),
            YEAR,
            Column("criterion", "kriteria", "enum", choices=DAC_CRITERIA),
            Column("light", "nilai", "enum", choices=LIGHTS),
            Column("justification", "alasan", "text"),
        ),
    ),
    Sheet(
        "follow_up",
        "tindak_lanjut",
        unique=("group_id", "year", "finding_code"),
        note=(
            "The follow-up of the findings: one row per finding acted on, with its owner (PIC), deadline and status. "
            "A finding of a report without a row here is shown as having no owner yet."
        ),
        columns=(
            _group_id(),
            Column(
                "year",
                "tahun",
                "integer",
                ge=FIRST_YEAR,
                le=LAST_YEAR,
                note="the evaluated year of the review that raised the finding",
            ),
            Column(
                "finding_code",
                "kode_temuan",
                "text",
                note="the finding's code as the report shows it, e.g. IND-NASABAH-AKTIF; a code the review computes "
                "for that group and year",
            ),
            Column(
                "recommendation",
                "rekomendasi",
                "text",
                optional=True,
                blank="the computed recommendation",
                note="the evaluator's own wording, which replaces the computed one",
            ),
            Column("owner", "penanggung_jawab", "text", optional=True, blank="no owner yet", note="the PIC"),
            Column("deadline", "tenggat", "date", optional=True, blank="none"),
            Column("status", "status", "enum", optional=True, blank="belum", default="belum", choices=FOLLOW_UP),
            Column("note", "keterangan", "text", optional=True, blank="none"),
        ),
    ),
    Sheet(
        "approval",
        "pengesahan",
        note=(
            "Who prepared, reviewed and approved the reports. A report without an approval (disetujui) row for its "
            "group or for the whole review is marked DRAF; the approval's date is the report's date."
        ),
        columns=(
            _group_id(blank="the whole review"),
            Column(
                "year",
                "tahun",
                "integer",
                optional=True,
                blank="every review",
                ge=FIRST_YEAR,
                le=LAST_YEAR,
                note="the evaluated year of the review signed",
            ),
            Column("role", "peran", "enum", choices=APPROVAL_ROLES),
            Column("name", "nama", "text"),
            Column("position", "jabatan", "text"),
            Column("date", "tanggal", "date"),
            Column("place", "tempat", "text"),
        ),
    ),
    Sheet(
        "beneficiaries",
        "penerima_manfaat",
        unique=("group_id", "year", "category"),
        note="Who benefits, per group, year and category: men and women, people with disabilities, other vulnerable "
        "people.",
        columns=(
            _group_id(),
            YEAR,
            Column("category", "kategori", "enum", choices=BENEFICIARY_CATEGORIES),
            Column("men", "laki_laki", "integer", ge=0),
            Column("women", "perempuan", "integer", ge=0),
            Column("with_disability", "disabilitas", "integer", blank="unknown", ge=0),
            Column("other_vulnerable", "rentan_lainnya", "integer", blank="unknown", ge=0),
            Column(
                "total",
                "total",
                "integer",
                optional=True,
                blank="men + women",
                ge=0,
                note="when given, men + women = total",
            ),
        ),
    ),
)

SHEETS_BY_NAME = {sheet.name: sheet for sheet in SHEETS}

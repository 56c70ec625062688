"""Synthetic review workbooks of any size, for demonstrations, load tests and benchmarks.

**The data is SYNTHETIC (fictional).** Every group, figure, FGD input, survey answer,
score and SROI value is drawn at random from small Indonesian vocabularies; it describes
no real group, company, agency or person. Only the setting (the kelurahan and kecamatan
of Balikpapan and the kinds of agencies at a TJSL review FGD) echoes the bundled sample
(see ``tjsl_eval/data/sample/README.md``).

The headers, sheet names and sheet order come from :data:`tjsl_eval.inputs.schema.SHEETS`; this
module only decides the value of each column; :func:`tjsl_eval.inputs.template.write_workbook` writes
the file in the layout of the blank template (formats, drop-downs, instructions), without its
example rows. The output depends on the arguments only: the same arguments give a byte-identical file.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from tjsl_eval.inputs.schema import DAC_CRITERIA, FIRST_YEAR, LAST_YEAR, LIGHTS, REPORT_SECTIONS, SHEETS
from tjsl_eval.inputs.synthetic_photos import write_pictures
from tjsl_eval.inputs.template import write_workbook

__all__ = ["SYNTHETIC_NOTE", "write_synthetic_workbook"]

SYNTHETIC_NOTE = (
    "Data sintetis (rekaan) dari tjsl_eval.inputs.synthetic, bukan data nyata. / "
    "Synthetic (fictional) data made by tjsl_eval.inputs.synthetic, not real data."
)

KELURAHAN = {  # kelurahan -> kecamatan
    "Baru Tengah": "Balikpapan Barat",
    "Margasari": "Balikpapan Barat",
    "Baru Ilir": "Balikpapan Barat",
    "Karang Joang": "Balikpapan Utara",
    "Muara Rapak": "Balikpapan Utara",
}
_NAME_WORDS = (
    "Berseri",
    "Berkah",
    "Mandiri",
    "Sejahtera",
    "Lestari",
    "Harapan",
    "Bersatu",
    "Melati",
    "Cempaka",
    "Maju Bersama",
    "Tunas Muda",
    "Bina Warga",
    "Sinar Pesisir",
    "Teratai",
)
DIMENSIONS = ("kelembagaan", "keuangan", "usaha", "sdm", "jejaring", "ketergantungan_dana")


@dataclass(frozen=True)
class _Theme:
    """One kind of programme: its pillar, and what its groups spend, measure, do and achieve."""

    pillar: str
    program: str
    prefix: str
    sdgs: str
    agency: str  # the government agency that speaks about it at the FGD
    budget: tuple[tuple[str, str, int, int], ...]  # item, category, planned range in millions
    indicators: tuple[tuple[str, str, str, str, int, int], ...]  # name, level, unit, direction, baseline range
    activities: tuple[str, ...]
    sroi: tuple[tuple[str, str, int, int, int, int, str, int, int, int, int, int], ...]
    # stakeholder, outcome, quantity range, proxy range (thousand Rp), source, duration, dw, attr, displ, drop-off


_THEMES = (
    _Theme(
        "lingkungan",
        "Pengelolaan Sampah Berbasis Masyarakat",
        "Bank Sampah",
        "11;12;13",
        "Dinas Lingkungan Hidup",
        (
            ("Timbangan digital dan gerobak pilah", "peralatan", 8, 15),
            ("Mesin pencacah plastik", "peralatan", 25, 45),
            ("Pelatihan pemilahan sampah", "pelatihan", 5, 10),
            ("Karung dan bahan kemasan", "bahan", 3, 6),
        ),
        (
            ("Sampah terpilah yang dikelola", "output", "kg/bulan", "naik", 200, 900),
            ("Nasabah aktif bank sampah", "output", "orang", "naik", 20, 120),
            ("Sampah rumah tangga yang dibuang ke TPA", "outcome", "kg/bulan", "turun", 800, 1600),
            ("Pendapatan kelompok dari penjualan sampah", "outcome", "Rp/bulan", "naik", 500_000, 2_500_000),
        ),
        (
            "Sosialisasi bank sampah ke warga RT",
            "Pelatihan pemilahan dan pencatatan nasabah",
            "Penimbangan rutin dua mingguan",
            "Pengadaan mesin pencacah plastik",
            "Pembuatan kompos dari sampah organik",
            "Kunjungan ke pengepul dan industri daur ulang",
        ),
        (
            (
                "Nasabah bank sampah",
                "Tambahan penghasilan dari tabungan sampah",
                60,
                220,
                150,
                260,
                "rata-rata saldo tabungan sampah per nasabah per tahun",
                3,
                10,
                20,
                0,
                20,
            ),
            (
                "Pemerintah kota (DLH)",
                "Berkurangnya sampah yang diangkut ke TPA",
                3,
                12,
                600,
                900,
                "biaya angkut dan pengelolaan sampah per ton di TPA (asumsi)",
                3,
                10,
                30,
                0,
                10,
            ),
            (
                "Warga sekitar",
                "Lingkungan lebih bersih dan titik sampah liar berkurang",
                150,
                350,
                120,
                200,
                "biaya kerja bakti dan iuran kebersihan yang dihemat per KK",
                2,
                20,
                30,
                0,
                30,
            ),
        ),
    ),
    _Theme(
        "lingkungan",
        "Rehabilitasi Mangrove dan Ekowisata Pesisir",
        "Kelompok Pelestari Mangrove",
        "13;14;15",
        "Dinas Lingkungan Hidup",
        (
            ("Bibit dan ajir mangrove", "bahan", 8, 15),
            ("Jembatan kayu dan papan informasi", "peralatan", 15, 30),
            ("Pelatihan pemandu ekowisata", "pelatihan", 5, 9),
            ("Perahu patroli pesisir", "peralatan", 18, 35),
        ),
        (
            ("Bibit mangrove ditanam", "output", "batang", "naik", 1000, 5000),
            ("Tingkat hidup bibit mangrove", "outcome", "%", "naik", 40, 70),
            ("Luas kawasan mangrove terehabilitasi", "outcome", "ha", "naik", 1, 6),
            ("Kunjungan wisatawan ke ekowisata mangrove", "outcome", "orang/bulan", "naik", 50, 400),
        ),
        (
            "Penanaman bibit mangrove bersama warga",
            "Penyulaman bibit yang mati",
            "Patroli pesisir bulanan",
            "Pelatihan pemandu ekowisata",
            "Pembangunan jembatan kayu",
            "Festival mangrove kelurahan",
        ),
        (
            (
                "Warga pesisir",
                "Berkurangnya kerusakan rumah akibat abrasi",
                15,
                40,
                1000,
                1800,
                "biaya perbaikan rumah panggung per tahun (survei kelompok)",
                5,
                20,
                40,
                0,
                10,
            ),
            (
                "Masyarakat kota",
                "Penyerapan karbon oleh mangrove",
                1,
                5,
                900,
                1400,
                "harga karbon sukarela x serapan karbon per ha per tahun (asumsi)",
                10,
                0,
                30,
                0,
                5,
            ),
            (
                "Anggota kelompok",
                "Pendapatan dari pemandu dan parkir ekowisata",
                6,
                20,
                900,
                1500,
                "tarif pemandu dan parkir per bulan x 12",
                3,
                10,
                20,
                0,
                30,
            ),
        ),
    ),
    _Theme(
        "lingkungan",
        "Pertanian Perkotaan Hidroponik",
        "Kelompok Tani Hidroponik",
        "2;11;12",
        "Dinas Pertanian",
        (
            ("Rangka dan pipa instalasi hidroponik", "peralatan", 10, 20),
            ("Nutrisi AB mix dan benih sayur", "bahan", 4, 9),
            ("Pelatihan budidaya hidroponik", "pelatihan", 4, 8),
            ("Pompa dan panel surya", "peralatan", 12, 22),
        ),
        (
            ("Lubang tanam aktif", "output", "lubang", "naik", 300, 1500),
            ("Panen sayur hidroponik", "output", "kg/bulan", "naik", 40, 200),
            ("Pendapatan penjualan sayur", "outcome", "Rp/bulan", "naik", 400_000, 2_000_000),
            ("Penghematan belanja sayur rumah tangga anggota", "outcome", "Rp/bulan", "naik", 50_000, 200_000),
        ),
        (
            "Perakitan instalasi hidroponik",
            "Pelatihan budidaya dan nutrisi",
            "Semai dan pindah tanam",
            "Pemasaran sayur ke warung sekitar",
            "Pelatihan olahan sayur",
            "Perawatan instalasi bulanan",
        ),
        (
            (
                "Anggota kelompok",
                "Tambahan penghasilan dari penjualan sayur",
                10,
                25,
                800,
                1600,
                "selisih penjualan sayur per anggota per tahun",
                3,
                15,
                25,
                5,
                20,
            ),
            (
                "Keluarga anggota",
                "Belanja sayur rumah tangga yang dihemat",
                10,
                25,
                600,
                1200,
                "harga sayur di pasar tradisional x konsumsi keluarga",
                2,
                20,
                20,
                0,
                30,
            ),
        ),
    ),
    _Theme(
        "ekonomi",
        "Penguatan UMKM Pangan Lokal",
        "UMKM Olahan Pangan",
        "1;5;8",
        "Dinas Koperasi UMKM dan Perindustrian",
        (
            ("Oven dan alat pengemas", "peralatan", 10, 25),
            ("Bahan baku ikan dan tepung", "bahan", 5, 12),
            ("Sertifikasi halal dan PIRT", "operasional", 3, 7),
            ("Pelatihan pencatatan keuangan usaha", "pelatihan", 3, 7),
        ),
        (
            ("Produksi amplang dan kerupuk ikan", "output", "kg/bulan", "naik", 80, 400),
            ("Produk bersertifikat halal", "output", "produk", "naik", 0, 3),
            ("Omzet rata-rata kelompok", "outcome", "Rp/bulan", "naik", 3_000_000, 15_000_000),
            ("Tenaga kerja lokal terserap", "outcome", "orang", "naik", 2, 10),
        ),
        (
            "Pelatihan higiene dan sanitasi pangan",
            "Pengurusan izin PIRT",
            "Pendampingan sertifikasi halal",
            "Pameran produk UMKM",
            "Pelatihan pemasaran daring",
            "Pengadaan alat pengemas",
        ),
        (
            (
                "Anggota kelompok",
                "Kenaikan keuntungan usaha olahan pangan",
                10,
                25,
                1800,
                3200,
                "selisih keuntungan bersih per anggota per tahun",
                3,
                15,
                30,
                5,
                20,
            ),
            (
                "Pekerja lokal",
                "Penghasilan dari bekerja di usaha kelompok",
                3,
                12,
                4000,
                7000,
                "upah harian pekerja olahan pangan",
                2,
                20,
                30,
                10,
                30,
            ),
            (
                "Nelayan pemasok",
                "Harga jual ikan lebih stabil",
                5,
                15,
                800,
                1500,
                "selisih harga jual ikan ke pengepul",
                2,
                30,
                30,
                0,
                30,
            ),
        ),
    ),
    _Theme(
        "ekonomi",
        "Pengembangan Kerajinan Batik Khas Balikpapan",
        "Sanggar Batik",
        "5;8;12",
        "Dinas Koperasi UMKM dan Perindustrian",
        (
            ("Canting, kompor dan meja batik", "peralatan", 6, 12),
            ("Pewarna alami dan kain", "bahan", 6, 14),
            ("Pelatihan desain motif", "pelatihan", 4, 8),
            ("Pameran kerajinan daerah", "operasional", 4, 9),
        ),
        (
            ("Kain batik diproduksi", "output", "lembar/bulan", "naik", 20, 120),
            ("Pengrajin batik aktif", "output", "orang", "naik", 5, 20),
            ("Omzet penjualan batik", "outcome", "Rp/bulan", "naik", 2_000_000, 10_000_000),
            ("Produk memakai pewarna alami", "outcome", "%", "naik", 10, 50),
        ),
        (
            "Pelatihan membatik tulis",
            "Pelatihan pewarnaan alami",
            "Pembuatan katalog motif",
            "Pameran kerajinan daerah",
            "Pemasaran melalui marketplace",
            "Pelatihan desain motif khas",
        ),
        (
            (
                "Pengrajin batik",
                "Tambahan penghasilan dari penjualan batik",
                8,
                22,
                1500,
                3000,
                "rata-rata keuntungan penjualan batik per pengrajin per tahun",
                3,
                10,
                30,
                5,
                20,
            ),
            (
                "Pemasok kain lokal",
                "Penjualan kain yang meningkat",
                2,
                6,
                1000,
                2500,
                "selisih penjualan kain per pemasok per tahun",
                2,
                30,
                30,
                10,
                30,
            ),
        ),
    ),
    _Theme(
        "ekonomi",
        "Pelatihan Kerja dan Wirausaha Pemuda",
        "Bengkel Las Pemuda",
        "4;8",
        "Dinas Ketenagakerjaan",
        (
            ("Mesin las dan gerinda", "peralatan", 15, 30),
            ("Bahan praktik besi dan elektroda", "bahan", 5, 10),
            ("Uji kompetensi BNSP", "pelatihan", 6, 12),
            ("Sewa tempat bengkel", "operasional", 4, 8),
        ),
        (
            ("Pemuda lulus pelatihan las bersertifikat BNSP", "output", "orang", "naik", 5, 20),
            ("Pesanan fabrikasi diterima bengkel", "output", "pesanan", "naik", 3, 20),
            ("Alumni pelatihan yang bekerja atau berwirausaha", "outcome", "orang", "naik", 2, 12),
            ("Pendapatan rata-rata alumni", "outcome", "Rp/bulan", "naik", 1_500_000, 3_500_000),
        ),
        (
            "Pelatihan las dasar",
            "Uji kompetensi BNSP",
            "Magang di bengkel mitra",
            "Pelatihan kewirausahaan",
            "Pengadaan mesin las",
            "Pemasaran jasa fabrikasi",
        ),
        (
            (
                "Alumni pelatihan",
                "Penghasilan dari bekerja sebagai tukang las",
                4,
                15,
                12000,
                24000,
                "UMK Balikpapan dikali 12 bulan (asumsi penyerapan)",
                2,
                30,
                30,
                10,
                30,
            ),
            (
                "Bengkel kelompok",
                "Keuntungan dari pesanan fabrikasi",
                1,
                1,
                8000,
                25000,
                "keuntungan bersih bengkel per tahun",
                3,
                10,
                20,
                10,
                20,
            ),
        ),
    ),
    _Theme(
        "sosial",
        "Kampung Siaga Bencana (KSB)",
        "Kampung Siaga Bencana",
        "3;11;13",
        "BPBD",
        (
            ("Peralatan evakuasi dan P3K", "peralatan", 10, 20),
            ("Rambu jalur evakuasi dan titik kumpul", "peralatan", 5, 10),
            ("Pelatihan relawan", "pelatihan", 6, 12),
            ("Simulasi evakuasi bersama warga", "operasional", 4, 8),
        ),
        (
            ("Relawan KSB terlatih", "output", "orang", "naik", 10, 40),
            ("Simulasi evakuasi bersama warga", "output", "kali", "naik", 1, 3),
            ("Rumah tangga memiliki rencana evakuasi keluarga", "outcome", "%", "naik", 10, 40),
            ("Waktu tanggap kejadian banjir dan longsor", "outcome", "menit", "turun", 30, 90),
        ),
        (
            "Pembentukan dan pelatihan relawan",
            "Pemetaan daerah rawan bencana",
            "Pemasangan rambu evakuasi",
            "Simulasi evakuasi bersama warga",
            "Pelatihan pertolongan pertama",
            "Penyusunan rencana kontinjensi",
        ),
        (
            (
                "Warga rawan bencana",
                "Kerugian harta benda akibat banjir yang dapat dihindari",
                20,
                60,
                500,
                900,
                "rata-rata kerugian perabot per KK per kejadian banjir",
                3,
                30,
                40,
                0,
                30,
            ),
            (
                "Relawan KSB",
                "Keterampilan pertolongan pertama",
                15,
                45,
                200,
                350,
                "biaya kursus pertolongan pertama",
                2,
                10,
                20,
                0,
                40,
            ),
        ),
    ),
    _Theme(
        "sosial",
        "Posyandu Sehat Cegah Stunting",
        "Kader Posyandu",
        "2;3;5",
        "Dinas Kesehatan",
        (
            ("Timbangan dan alat ukur balita", "peralatan", 4, 8),
            ("PMT balita berisiko stunting", "bahan", 8, 18),
            ("Kelas ibu hamil dan gizi keluarga", "pelatihan", 4, 8),
            ("Pelatihan kader posyandu", "pelatihan", 4, 8),
        ),
        (
            ("Balita ditimbang rutin setiap bulan", "output", "balita", "naik", 40, 150),
            ("Kader posyandu tersertifikasi", "output", "orang", "naik", 2, 10),
            ("Ibu hamil mengikuti kelas gizi", "output", "orang", "naik", 5, 30),
            ("Kasus stunting balita", "outcome", "kasus", "turun", 8, 30),
        ),
        (
            "Penimbangan dan pengukuran balita",
            "Pemberian makanan tambahan",
            "Kelas ibu hamil",
            "Pelatihan kader posyandu",
            "Kunjungan rumah balita berisiko",
            "Kebun gizi posyandu",
        ),
        (
            (
                "Balita berisiko stunting",
                "Kasus stunting yang tercegah",
                2,
                10,
                5000,
                8000,
                "biaya pengobatan dan perawatan gizi buruk per anak per tahun (asumsi)",
                3,
                20,
                40,
                0,
                10,
            ),
            (
                "Kader posyandu",
                "Kader bersertifikat dan lebih terampil",
                5,
                15,
                600,
                1000,
                "biaya pelatihan kader bersertifikat",
                2,
                10,
                20,
                0,
                30,
            ),
            (
                "Keluarga balita",
                "Penghematan biaya berobat ke klinik",
                80,
                200,
                100,
                150,
                "tarif konsultasi tumbuh kembang di klinik swasta",
                1,
                30,
                30,
                0,
                0,
            ),
        ),
    ),
    _Theme(
        "hukum_tata_kelola",
        "Kelurahan Sadar Hukum",
        "Kelompok Keluarga Sadar Hukum",
        "5;16",
        "Bagian Hukum Pemkot",
        (
            ("Penyuluhan hukum (narasumber dan konsumsi)", "operasional", 5, 10),
            ("Pelatihan paralegal", "pelatihan", 4, 8),
            ("Pojok konsultasi hukum", "peralatan", 3, 6),
            ("Buku saku hukum untuk warga", "bahan", 2, 5),
        ),
        (
            ("Penyuluhan hukum bagi warga", "output", "kali", "naik", 2, 6),
            ("Warga mengikuti penyuluhan hukum", "output", "orang", "naik", 50, 200),
            ("Paralegal kelurahan aktif", "output", "orang", "naik", 2, 8),
            ("Sengketa warga selesai melalui mediasi", "outcome", "kasus", "naik", 1, 8),
        ),
        (
            "Penyuluhan hukum keliling RT",
            "Pelatihan paralegal",
            "Pembukaan pojok konsultasi hukum",
            "Mediasi sengketa warga",
            "Penyusunan buku saku hukum",
            "Lomba kelurahan sadar hukum",
        ),
        (
            (
                "Warga bersengketa",
                "Biaya perkara yang dihemat karena mediasi",
                2,
                10,
                2000,
                5000,
                "biaya jasa hukum dan perkara di pengadilan (asumsi)",
                2,
                20,
                30,
                0,
                20,
            ),
            (
                "Warga kelurahan",
                "Pemahaman hak dan kewajiban hukum",
                50,
                200,
                100,
                200,
                "biaya seminar hukum sejenis per peserta",
                1,
                20,
                30,
                0,
                0,
            ),
        ),
    ),
    _Theme(
        "hukum_tata_kelola",
        "Tata Kelola Kampung yang Transparan",
        "Forum Tata Kelola Kampung",
        "16;17",
        "Kecamatan Balikpapan Barat",
        (
            ("Pelatihan administrasi dan keuangan RT", "pelatihan", 4, 8),
            ("Papan informasi kas RT", "peralatan", 2, 5),
            ("Aplikasi pencatatan kas sederhana", "operasional", 3, 7),
            ("Musyawarah warga tahunan", "operasional", 2, 5),
        ),
        (
            ("Pengurus RT dilatih administrasi dan pelaporan keuangan", "output", "orang", "naik", 10, 40),
            ("Musyawarah warga yang terdokumentasi", "output", "kali", "naik", 2, 8),
            ("RT yang mempublikasikan laporan kas RT", "outcome", "RT", "naik", 2, 10),
            ("Keluhan warga yang ditindaklanjuti", "outcome", "%", "naik", 30, 60),
        ),
        (
            "Pelatihan administrasi RT",
            "Pemasangan papan informasi kas",
            "Musyawarah warga tahunan",
            "Pendampingan laporan keuangan RT",
            "Sosialisasi aplikasi pencatatan kas",
            "Forum warga triwulanan",
        ),
        (
            (
                "Pengurus RT",
                "Waktu menyusun laporan kas yang dihemat",
                10,
                40,
                300,
                600,
                "upah harian pengurus x hari kerja yang dihemat",
                2,
                20,
                30,
                0,
                30,
            ),
            (
                "Warga kelurahan",
                "Iuran warga yang tercatat dan tidak hilang",
                100,
                300,
                50,
                120,
                "rata-rata iuran warga per KK per tahun",
                2,
                20,
                30,
                0,
                20,
            ),
        ),
    ),
)
_COMMON_BUDGET = (
    ("Pendampingan fasilitator lapangan", "pendampingan", 6, 15),
    ("Operasional kelompok", "operasional", 3, 7),
)

_FEEDBACK = {  # criterion -> (inputs, recommendations)
    "relevansi": (
        (
            "Kegiatan sudah sesuai dengan kebutuhan warga {kelurahan}.",
            "Sebagian kegiatan kurang menjawab masalah utama warga {kelurahan}.",
        ),
        (
            "Libatkan warga dalam menyusun rencana kegiatan tahun depan.",
            "Selaraskan kegiatan dengan prioritas musrenbang kelurahan.",
        ),
    ),
    "koherensi": (
        (
            "Kegiatan kelompok masih tumpang tindih dengan program dinas.",
            "Belum ada koordinasi dengan program pemerintah yang sejenis.",
        ),
        ("Koordinasikan jadwal kegiatan dengan {agency}.", "Bagikan rencana kegiatan ke kelurahan sejak awal tahun."),
    ),
    "efektivitas": (
        (
            "Sebagian target belum tercapai karena jadwal kegiatan mundur.",
            "Capaian output sudah baik, tetapi manfaat bagi anggota belum terukur.",
        ),
        (
            "Pantau capaian indikator setiap triwulan.",
            "Tambahkan pencatatan manfaat bagi anggota dalam laporan bulanan.",
        ),
    ),
    "efisiensi": (
        (
            "Beberapa pos anggaran terserap melebihi rencana.",
            "Pengadaan peralatan dapat dihemat dengan membeli bersama kelompok lain.",
        ),
        ("Perketat persetujuan belanja di atas rencana.", "Gabungkan pengadaan dengan kelompok binaan lain."),
    ),
    "dampak": (
        (
            "Pendapatan anggota mulai meningkat sejak program berjalan.",
            "Warga merasakan lingkungan yang lebih baik, tetapi belum terdokumentasi.",
        ),
        ("Dokumentasikan cerita perubahan anggota.", "Ukur dampak dengan survei sederhana setiap tahun."),
    ),
    "keberlanjutan": (
        (
            "Kelompok masih bergantung pada dana perusahaan.",
            "Pencatatan keuangan kelompok belum rutin sehingga sulit mandiri.",
        ),
        (
            "Susun rencana usaha agar kelompok mandiri dalam tiga tahun.",
            "Latih bendahara kelompok membuat laporan keuangan bulanan.",
        ),
    ),
}
_PROGRAMME_FEEDBACK = (
    (
        "Dinas Perumahan dan Permukiman",
        "pemerintah",
        "koherensi",
        "Program pemberdayaan perlu diselaraskan dengan penataan kawasan permukiman.",
        "Libatkan dinas sejak tahap perencanaan.",
    ),
    (
        "Dinas Sosial",
        "pemerintah",
        "relevansi",
        "Libatkan penyandang disabilitas dan lansia dalam kegiatan kelompok.",
        "Tetapkan kuota peserta dari kelompok rentan.",
    ),
    (
        "Rumah BUMN Kalimantan Timur",
        "swasta",
        "keberlanjutan",
        "Produk kelompok binaan belum banyak yang terdaftar di katalog daring.",
        "Daftarkan produk unggulan ke katalog.",
    ),
    (
        "Akademisi perguruan tinggi lokal",
        "akademisi",
        "dampak",
        "Pengukuran dampak program belum memakai data dasar yang sama setiap tahun.",
        "Tetapkan baseline dan metode survei yang baku.",
    ),
    (
        "Tim TJSL perusahaan",
        "perusahaan",
        "efisiensi",
        "Pelaporan realisasi anggaran dari kelompok sering terlambat.",
        "Terapkan tenggat laporan bulanan.",
    ),
    (
        "Forum warga Balikpapan",
        "masyarakat",
        "efektivitas",
        "Informasi jadwal kegiatan belum sampai ke semua warga.",
        "Umumkan jadwal kegiatan melalui grup RT.",
    ),
)
_EVIDENCE = {  # dimension -> (low score, middle, high)
    "kelembagaan": (
        "pengurus belum lengkap",
        "rapat pengurus tidak rutin",
        "rapat bulanan rutin dan notulen tersimpan",
    ),
    "keuangan": ("belum ada buku kas", "buku kas ada tetapi tidak rutin", "laporan keuangan bulanan tersusun"),
    "usaha": ("belum ada kegiatan usaha", "penjualan masih musiman", "penjualan rutin ke pembeli tetap"),
    "sdm": ("bergantung pada pendamping", "sebagian pengurus terlatih", "ada kader yang bisa melatih anggota baru"),
    "jejaring": ("belum punya mitra", "bekerja sama dengan kelurahan", "bermitra dengan dinas dan swasta"),
    "ketergantungan_dana": (
        "seluruh biaya dari dana TJSL",
        "sebagian biaya dari iuran anggota",
        "sebagian besar biaya dari pendapatan sendiri",
    ),
}


@dataclass(frozen=True)
class _Group:
    group_id: str
    name: str
    theme: _Theme
    kelurahan: str
    start_year: int
    members: int
    quality: float  # 0 (struggling) .. 1 (excellent): drives achievement, satisfaction and independence
    indicators: tuple[int, ...]  # which of the theme's indicators the group reports
    data_years: tuple[int, ...]


def write_synthetic_workbook(
    path: Path, groups: int, years: tuple[int, int] = (2021, 2023), seed: int = 0, language: str = "id"
) -> Path:
    """Write a valid, synthetic review workbook (.xlsx) of ``groups`` groups to ``path``; return ``path``.

    Every sheet of :data:`tjsl_eval.inputs.schema.SHEETS` is filled, in the contract's order, for every
    group and every year of the inclusive range ``years`` (a group in about twenty starts in
    the last year and has data for that year only), plus plans for the year after the last:
    budget lines with the planned amount only, indicator targets with a blank actual, and
    activities with status ``belum``. FGD inputs include a few programme-wide rows (blank
    group id); the IKM survey has about 30 respondents per group and year; independence is
    scored on six dimensions. The data has realistic gaps: unmeasured indicators, over-spent
    budget lines, cancelled activities, open FGD follow-ups, small survey samples.

    The photo sheet refers to a few small synthetic pictures (:data:`PICTURES`, labelled as synthetic), written
    into the folder ``dokumentasi`` beside ``path``.

    ``language`` ``"id"`` writes the Indonesian sheet names and headers (``name_id``), ``"en"``
    the English ones (``name``) and the English aliases of enumeration values; free text stays
    Indonesian. Money is in whole Rupiah and dates are real Excel dates, in the layout of
    ``tjsl-eval template`` (see :mod:`tjsl_eval.inputs.template`).

    The file depends on the arguments only (``random.Random(seed)``, fixed document and zip
    times): the same arguments give byte-identical files with the same openpyxl (which writes
    other, equally valid bytes when lxml is installed). It is written with openpyxl's write-only
    mode and replaced atomically (the folder of ``path`` is made if needed); 1000 groups over three
    years (about 1.7 million cells) take about 30 s of CPU. The data is synthetic: see :data:`SYNTHETIC_NOTE`.

    Raises ValueError for ``groups`` < 1, a year range outside the contract's years (the plan
    year must fit too) or another ``language``.
    """
    if isinstance(groups, bool) or not isinstance(groups, int) or groups < 1:
        raise ValueError(f"groups: expected a whole number of at least 1, found {groups!r}")
    first, last = years
    if not (isinstance(first, int) and isinstance(last, int) and FIRST_YEAR <= first <= last < LAST_YEAR):
        raise ValueError(
            f"years: expected (first, last) with {FIRST_YEAR} ≤ first ≤ last < {LAST_YEAR}, found {years!r}"
        )
    if language not in ("id", "en"):
        raise ValueError(f"language: expected 'id' or 'en', found {language!r}")
    rng = random.Random(seed)
    members = _groups(rng, groups, first, last)
    makers = {
        "groups": _group_rows,
        "budget": _budget_rows,
        "indicators": _indicator_rows,
        "activities": _activity_rows,
        "fgd_feedback": _feedback_rows,
        "survey": _survey_rows,
        "sroi": _sroi_rows,
        "independence": _independence_rows,
        "narrative": _narrative_rows,
        "photos": _photo_rows,
        "dac_judgement": _judgement_rows,
    }
    sheet_seeds = {sheet.name: rng.getrandbits(64) for sheet in SHEETS}
    tables = {
        sheet.name: makers[sheet.name](random.Random(sheet_seeds[sheet.name]), members, first, last) for sheet in SHEETS
    }
    properties = {
        "title": "Synthetic TJSL review workbook",
        "creator": "tjsl-eval (synthetic data)",
        "description": SYNTHETIC_NOTE,
    }
    written = write_workbook(Path(path), language, tables, properties=properties)
    write_pictures(written.parent, PICTURES)
    return written


# --- the groups and their rows, sheet by sheet ---------------------------------------------------------------


def _groups(rng: random.Random, count: int, first: int, last: int) -> list[_Group]:
    width = max(4, len(str(count)))
    result = []
    for number in range(1, count + 1):
        theme = rng.choice(_THEMES)
        kelurahan = rng.choice(list(KELURAHAN))
        late = number > 1 and rng.random() < 0.05  # the first group always covers every year
        start = last if late else max(FIRST_YEAR, first - rng.choice((0, 0, 0, 1, 2)))
        name = f"{theme.prefix} {rng.choice(_NAME_WORDS)} {kelurahan} RT {rng.randint(1, 45):02d}"
        chosen = sorted(rng.sample(range(len(theme.indicators)), rng.choice((3, 3, 4))))
        result.append(
            _Group(
                f"GRP-{number:0{width}d}",
                name,
                theme,
                kelurahan,
                start,
                rng.randint(12, 60),
                rng.betavariate(3, 2),
                tuple(chosen),
                tuple(range(max(first, start), last + 1)),
            )
        )
    return result


Rows = Iterator[dict[str, object]]


def _group_rows(rng: random.Random, groups: list[_Group], first: int, last: int) -> Rows:
    for group in groups:
        yield {
            "group_id": group.group_id,
            "name": group.name,
            "program": group.theme.program,
            "pillar": group.theme.pillar,
            "kelurahan": group.kelurahan,
            "kecamatan": None if rng.random() < 0.03 else KELURAHAN[group.kelurahan],
            "start_year": group.start_year,
            "members": None if rng.random() < 0.03 else group.members,
            "sdgs": group.theme.sdgs,
        }


def _budget_rows(rng: random.Random, groups: list[_Group], first: int, last: int) -> Rows:
    for group in groups:
        for year in (*group.data_years, last + 1):
            items = [*rng.sample(group.theme.budget, rng.choice((2, 3, 3, 4))), *_COMMON_BUDGET]
            for item, category, low, high in items:
                planned = rng.randint(low * 2, high * 2) * 500_000
                realized = None
                if year <= last:
                    draw = rng.random()
                    if draw < 0.08:
                        share = rng.uniform(1.03, 1.3)  # over-spent
                    elif draw < 0.12 and year == last:
                        share = None  # nothing spent yet
                    else:
                        share = rng.uniform(0.7, 1.0) if rng.random() < 0.7 else 1.0
                    realized = None if share is None else int(round(planned * share, -3))
                yield {
                    "group_id": group.group_id,
                    "year": year,
                    "item": item,
                    "category": None if rng.random() < 0.02 else category,
                    "planned": planned,
                    "realized": realized,
                }


def _indicator_rows(rng: random.Random, groups: list[_Group], first: int, last: int) -> Rows:
    for group in groups:
        for index in group.indicators:
            name, level, unit, direction, low, high = group.theme.indicators[index]
            value = _indicator_value(rng.uniform(low, high), unit)
            for year in (*group.data_years, last + 1):
                baseline = value
                if direction == "naik":
                    target = baseline * rng.uniform(1.1, 1.5) + (high - low) * 0.1
                else:
                    target = baseline * rng.uniform(0.7, 0.9)
                target = _indicator_value(target, unit)
                step = 0.1 if unit == "ha" else 1
                if direction == "naik" and target <= baseline:
                    target = _indicator_value(baseline + step, unit)
                elif direction == "turun" and target >= baseline:
                    target = baseline - step
                target = max(target, step)  # the contract wants a target above 0
                actual = None
                if year <= last and rng.random() >= 0.07:  # about one in 14 not measured
                    reach = rng.uniform(0.55, 1.05) + 0.25 * group.quality
                    actual = target * reach if direction == "naik" else target / reach
                    actual = _indicator_value(actual, unit)
                    value = actual
                yield {
                    "group_id": group.group_id,
                    "year": year,
                    "indicator": name,
                    "level": level,
                    "unit": unit,
                    "direction": None if direction == "naik" and rng.random() < 0.05 else direction,
                    "baseline": None if rng.random() < 0.04 else baseline,
                    "target": target,
                    "actual": actual,
                }


def _indicator_value(value: float, unit: str) -> float | int:
    if unit == "%":
        return min(100, max(0, round(value)))
    if unit == "ha":
        return round(value, 1)
    if unit.startswith("Rp"):
        return int(round(value, -4))
    return max(0, round(value))


def _activity_rows(rng: random.Random, groups: list[_Group], first: int, last: int) -> Rows:
    for group in groups:
        for year in (*group.data_years, last + 1):
            names = rng.sample(group.theme.activities, rng.choice((3, 4, 4, 5)))
            months = sorted(rng.sample(range(1, 12), len(names)))
            for name, month in zip(names, months, strict=True):
                start = dt.datetime(year, month, rng.randint(1, 20))
                end = min(start + dt.timedelta(days=rng.randint(7, 120)), dt.datetime(year, 12, 31))
                status = _activity_status(rng, year, last)
                progress = {"selesai": 100, "belum": 0, "batal": None}.get(status)
                if status == "berjalan":
                    progress = rng.randint(2, 9) * 10
                if status == "batal" and rng.random() < 0.5:
                    progress = rng.randint(1, 4) * 10
                if rng.random() < 0.03:
                    progress = None
                yield {
                    "group_id": group.group_id,
                    "year": year,
                    "activity": name,
                    "planned_start": start,
                    "planned_end": end,
                    "status": status,
                    "progress": progress,
                }


def _activity_status(rng: random.Random, year: int, last: int) -> str:
    if year > last:
        return "belum"
    if year < last:
        return rng.choices(("selesai", "berjalan", "batal"), (86, 9, 5))[0]
    return rng.choices(("selesai", "berjalan", "belum", "batal"), (60, 28, 7, 5))[0]


def _feedback_rows(rng: random.Random, groups: list[_Group], first: int, last: int) -> Rows:
    for year in range(first, last + 1):
        fgd = dt.datetime(year + 1, 1, rng.randint(12, 26))
        for stakeholder, kind, criterion, feedback, recommendation in rng.sample(
            _PROGRAMME_FEEDBACK, rng.randint(2, 3)
        ):
            yield {
                "year": year,
                "group_id": None,
                "fgd_date": fgd,
                "stakeholder": stakeholder,
                "stakeholder_type": kind,
                "criterion": criterion,
                "feedback": feedback,
                "recommendation": recommendation,
                "follow_up": _follow_up(rng, year, last),
                "due_date": fgd + dt.timedelta(days=rng.randint(60, 300)),
            }
        for group in groups:
            if year not in group.data_years:
                continue
            for _ in range(rng.choice((1, 1, 2))):
                stakeholder, kind = rng.choice(
                    (
                        (group.theme.agency, "pemerintah"),
                        (group.theme.agency, "pemerintah"),
                        (f"Lurah {group.kelurahan}", "pemerintah"),
                        (f"Ketua RT {group.kelurahan}", "masyarakat"),
                        ("Tim TJSL perusahaan", "perusahaan"),
                        ("LSM pendamping", "lainnya"),
                    )
                )
                criterion = rng.choice(list(_FEEDBACK))
                inputs, recommendations = _FEEDBACK[criterion]
                yield {
                    "year": year,
                    "group_id": group.group_id,
                    "fgd_date": fgd,
                    "stakeholder": stakeholder,
                    "stakeholder_type": kind,
                    "criterion": None if rng.random() < 0.05 else criterion,
                    "feedback": rng.choice(inputs).format(kelurahan=group.kelurahan),
                    "recommendation": None
                    if rng.random() < 0.08
                    else rng.choice(recommendations).format(agency=group.theme.agency),
                    "follow_up": None if rng.random() < 0.03 else _follow_up(rng, year, last),
                    "due_date": None if rng.random() < 0.05 else fgd + dt.timedelta(days=rng.randint(60, 300)),
                }


def _follow_up(rng: random.Random, year: int, last: int) -> str:
    weights = (10, 20, 70) if year < last else (50, 35, 15)
    return rng.choices(("belum", "proses", "selesai"), weights)[0]


def _survey_rows(rng: random.Random, groups: list[_Group], first: int, last: int) -> Rows:
    answers = (1, 2, 3, 4)
    for group in groups:
        for year in group.data_years:
            level = 1.5 + 2 * group.quality + 0.1 * (year - group.data_years[0])  # mean answer, roughly
            weights = list(itertools.accumulate(max(0.02, 1 - abs(level - answer)) for answer in answers))
            respondents = rng.randint(18, 29) if rng.random() < 0.06 else rng.randint(30, 35)
            for number in range(1, respondents + 1):
                row: dict[str, object] = {"group_id": group.group_id, "year": year, "respondent_id": f"R{number:02d}"}
                values = rng.choices(answers, cum_weights=weights, k=9)
                if rng.random() < 0.01:
                    values[rng.randrange(9)] = None  # not answered
                row.update(zip(_U_COLUMNS, values, strict=True))
                yield row


_U_COLUMNS = tuple(f"u{i}" for i in range(1, 10))


def _sroi_rows(rng: random.Random, groups: list[_Group], first: int, last: int) -> Rows:
    for group in groups:
        specs = group.theme.sroi
        for year in group.data_years:
            for spec in rng.sample(specs, min(len(specs), rng.choice((2, 2, 3)))):
                (
                    stakeholder,
                    outcome,
                    q_low,
                    q_high,
                    p_low,
                    p_high,
                    source,
                    duration,
                    deadweight,
                    attribution,
                    displacement,
                    drop_off,
                ) = spec
                quantity = rng.randint(q_low, q_high) if q_high > 5 else round(rng.uniform(q_low, q_high), 2)
                yield {
                    "group_id": group.group_id,
                    "year": year,
                    "stakeholder": stakeholder,
                    "outcome": outcome,
                    "quantity": quantity,
                    "proxy_value": rng.randint(p_low // 10, p_high // 10) * 10_000,
                    "proxy_source": None if rng.random() < 0.05 else source,
                    "duration_years": duration,
                    "deadweight": _jitter(rng, deadweight),
                    "attribution": _jitter(rng, attribution),
                    "displacement": _jitter(rng, displacement),
                    "drop_off": _jitter(rng, drop_off),
                }


def _jitter(rng: random.Random, percent: int) -> int:
    return min(100, max(0, percent + rng.choice((-5, 0, 0, 5))))


def _independence_rows(rng: random.Random, groups: list[_Group], first: int, last: int) -> Rows:
    for group in groups:
        for step, year in enumerate(group.data_years):
            level = 1.5 + 2.5 * group.quality + 0.35 * step
            for dimension in DIMENSIONS:
                score = min(5, max(1, round(level + rng.uniform(-1, 1))))
                evidence = _EVIDENCE[dimension][0 if score <= 2 else 1 if score == 3 else 2]
                yield {
                    "group_id": group.group_id,
                    "year": year,
                    "dimension": dimension,
                    "score": score,
                    "evidence": None if rng.random() < 0.1 else evidence,
                }


# --- the evaluator's narrative, photos and DAC judgements ---------------------------------------------------------

PICTURES = {f"dokumentasi/sintetis-{number}.jpg": f"Kegiatan kelompok {number}" for number in range(1, 5)}
_NARRATIVE = (
    "Kelompok {name} di {kelurahan} menjalankan sebagian besar kegiatan **sesuai rencana**.",
    "> Program ini membantu kami di {kelurahan}.\n>\n> — warga (rekaan)",
    "Catatan evaluator:\n\n- pencatatan perlu dirapikan;\n- jadwal kegiatan perlu ditetapkan bersama.",
    "Kelompok *layak dilanjutkan* dengan pendampingan yang makin berkurang.",
)


def _narrative_rows(rng: random.Random, groups: list[_Group], first: int, last: int) -> Rows:
    sections = list(REPORT_SECTIONS)
    for year in range(first, last + 1):
        yield {
            "group_id": None,
            "year": year,
            "section": "kesimpulan",
            "text": f"Program tahun {year} berjalan; rincian per kelompok ada di laporannya.",
            "author": "Tim evaluator (rekaan)",
        }
        for group in groups:
            if year not in group.data_years:
                continue
            for template in rng.sample(_NARRATIVE, 2):
                section = "kesimpulan" if template is _NARRATIVE[-1] else rng.choice(sections)
                yield {
                    "group_id": group.group_id,
                    "year": year,
                    "section": section,
                    "text": template.format(name=group.name, kelurahan=group.kelurahan),
                    "author": None if rng.random() < 0.3 else "Evaluator (rekaan)",
                }


def _photo_rows(rng: random.Random, groups: list[_Group], first: int, last: int) -> Rows:
    for group in groups:
        for year in group.data_years:
            for file in rng.sample(list(PICTURES), rng.choice((1, 2, 2, 3))):
                yield {
                    "group_id": group.group_id,
                    "year": year,
                    "file": file,
                    "caption": f"{PICTURES[file]}, {group.name} (ilustrasi sintetis)",
                    "date": None if rng.random() < 0.1 else dt.datetime(year, rng.randint(1, 12), rng.randint(1, 28)),
                    "section": None if rng.random() < 0.5 else rng.choice(("kegiatan", "anggaran", "indikator")),
                }


def _judgement_rows(rng: random.Random, groups: list[_Group], first: int, last: int) -> Rows:
    for number, group in enumerate(groups):
        if (number < 2 or rng.random() < 0.3) and last in group.data_years:
            yield {
                "group_id": group.group_id,
                "year": last,
                "criterion": rng.choice(list(DAC_CRITERIA)),
                "light": rng.choice(list(LIGHTS)),
                "justification": "Penilaian evaluator berdasarkan kunjungan lapangan (rekaan).",
            }

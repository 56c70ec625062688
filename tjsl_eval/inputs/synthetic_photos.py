"""Synthetic pictures for the bundled sample's and the synthetic workbooks' photo sheets.

Each picture is a simple drawn scene (sky, ground, sun, a few shapes) in a colour scheme chosen by its seed, with
"ILUSTRASI SINTETIS / synthetic illustration" and its title drawn into the image itself, so that no one takes it for
a photograph of a real activity. The sample's pictures are committed; regenerate them with
``python -m tjsl_eval.inputs.synthetic_photos``.
"""

from __future__ import annotations

import io
import random
from pathlib import Path

from tjsl_eval.common.files import write_atomic

LABEL = "ILUSTRASI SINTETIS / synthetic illustration"
SIZE = (800, 600)
SAMPLE_FOLDER = Path(__file__).resolve().parent.parent / "data" / "sample"
# The sample's pictures: file (relative to the sample folder) -> title drawn into it.
SAMPLE_PICTURES = {
    "dokumentasi/bsm-01-gudang.jpg": "Gudang pilah bank sampah",
    "dokumentasi/bsm-01-pelatihan.jpg": "Pelatihan kader lingkungan",
    "dokumentasi/bsm-01-timbang.jpg": "Penimbangan tabungan sampah",
    "dokumentasi/mgr-02-tanam.jpg": "Penanaman mangrove tahap 3",
    "dokumentasi/mgr-02-tracking.jpg": "Jalur tracking kayu ulin",
    "dokumentasi/umkm-03-produksi.jpg": "Produksi amplang",
    "dokumentasi/umkm-03-pameran.jpg": "Pameran produk UMKM",
    "dokumentasi/ksb-04-rambu.jpg": "Rambu jalur evakuasi",
    "dokumentasi/ksb-04-relawan.jpg": "Pelatihan relawan",
    "dokumentasi/psy-05-pmt.jpg": "PMT balita",
    "dokumentasi/psy-05-kelas.jpg": "Kelas ibu hamil",
    "dokumentasi/hdp-06-kebun.jpg": "Kebun hidroponik",
    "dokumentasi/hdp-06-panen.jpg": "Panen sayur hidroponik",
    "dokumentasi/btk-07-cap.jpg": "Cap motif batik",
    "dokumentasi/btk-07-galeri.jpg": "Galeri mini batik",
    "dokumentasi/btk-07-warna.jpg": "Pewarnaan alami",
    "dokumentasi/kdh-08-penyuluhan.jpg": "Penyuluhan hukum keliling",
    "dokumentasi/kdh-08-mediasi.jpg": "Pelatihan mediasi",
    "dokumentasi/tkk-09-forum.jpg": "Rapat forum kampung",
    "dokumentasi/tkk-09-papan.jpg": "Papan informasi anggaran",
    "dokumentasi/bkl-10-las.jpg": "Praktik las pemuda",
    "dokumentasi/bkl-10-bengkel.jpg": "Bengkel las",
}


def picture(title: str, seed: int, size: tuple[int, int] = SIZE):
    """A synthetic picture (a Pillow image) of ``size`` with ``title`` and :data:`LABEL` drawn in."""
    from PIL import Image, ImageDraw, ImageFont

    rng = random.Random(seed)
    width, height = size
    sky = tuple(rng.randrange(120, 220) for _ in range(3))
    ground = tuple(rng.randrange(40, 140) for _ in range(3))
    image = Image.new("RGB", size, sky)
    draw = ImageDraw.Draw(image)
    horizon = int(height * rng.uniform(0.5, 0.7))
    draw.rectangle((0, horizon, width, height), fill=ground)
    sun = rng.randrange(width // 10, width - width // 10)
    draw.ellipse((sun - 40, 40, sun + 40, 120), fill=(250, 220, 90))
    for _ in range(rng.randrange(3, 7)):
        left = rng.randrange(0, width - 100)
        top = rng.randrange(horizon - 160, horizon - 20)
        colour = tuple(rng.randrange(30, 230) for _ in range(3))
        shape = draw.rectangle if rng.random() < 0.5 else draw.ellipse
        shape((left, top, left + rng.randrange(50, 160), horizon + rng.randrange(10, 60)), fill=colour)
    font = ImageFont.load_default(size=max(14, height // 22))
    band = height // 6
    draw.rectangle((0, height - band, width, height), fill=(255, 255, 255))
    draw.text((16, height - band + 8), title, fill=(20, 20, 20), font=font)
    draw.text((16, height - band // 2 + 2), LABEL, fill=(180, 0, 0), font=font)
    return image


def jpeg_bytes(title: str, seed: int, size: tuple[int, int] = SIZE) -> bytes:
    """:func:`picture` as a JPEG file's bytes (no metadata)."""
    buffer = io.BytesIO()
    picture(title, seed, size).save(buffer, "JPEG", quality=75, optimize=True)
    return buffer.getvalue()


def write_pictures(folder: Path, pictures: dict[str, str]) -> list[Path]:
    """Write each picture (relative path -> title) below ``folder``, seeded by its order; return the paths."""
    written = []
    for seed, (file, title) in enumerate(pictures.items()):
        path = folder / file
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, jpeg_bytes(title, seed))
        written.append(path)
    return written


if __name__ == "__main__":  # regenerate the sample's committed pictures
    for written in write_pictures(SAMPLE_FOLDER, SAMPLE_PICTURES):
        print(written)

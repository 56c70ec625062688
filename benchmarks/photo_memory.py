"""Peak memory of a workbook that refers to many large photos: validation, then one group's photos in its report.

    python benchmarks/photo_memory.py [--photos 2000] [--files 5] [--groups 10] [--render-group 1]

Writes ``--files`` distinct 24-megapixel JPEG photos of about 8–9 MB each (noisy, so that they stay that large),
and a folder of CSV files whose sheet ``dokumentasi`` refers to them ``--photos`` times in all, spread over
``--groups`` groups. Each phase runs in a process of its own and prints its peak resident memory (VmHWM, Linux):
the interpreter with the package imported (the floor), the validation of the whole workbook (every photo read,
checked and hashed), and the evaluator's HTML of one group's photos (each photo decoded, turned, resized and
re-encoded). Memory stays flat because one image is processed at a time: compare the peaks with the floor.
"""

from __future__ import annotations

import argparse
import csv
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PHASES = {
    "floor": "import tjsl_eval.render.evaluator, tjsl_eval.inputs.workbook",
    "validate": (
        "from tjsl_eval.inputs.workbook import load_workbook; import pickle, sys; "
        "pickle.dump(load_workbook(sys.argv[1]), open(sys.argv[2], 'wb'))"
    ),
    "render": (
        "import pickle, sys; from tjsl_eval.render import document, evaluator; "
        "workbook = pickle.load(open(sys.argv[2], 'rb')); "
        "blocks = evaluator.photo_blocks(evaluator.photos(workbook, sys.argv[3], 2023), 'id'); "
        "html = document.to_html(blocks).markup; "
        "print(f'{len(html) / 1e6:.1f} MB of HTML', file=sys.stderr)"
    ),
}


def write_photos(folder: Path, count: int) -> list[str]:
    """``count`` distinct 6000 × 4000 JPEG photos of about 8 MB each, with an EXIF orientation."""
    import numpy as np
    from PIL import Image

    folder.mkdir(parents=True)
    names = []
    for number in range(count):
        rng = np.random.default_rng(number)
        base = np.linspace(40, 210, 6000, dtype=np.float32)[None, :, None]
        pixels = np.clip(base + rng.normal(0, 9, (4000, 6000, 3)), 0, 255).astype(np.uint8)
        exif = Image.Exif()
        exif[0x0112] = 6
        name = f"photo-{number}.jpg"
        Image.fromarray(pixels).save(folder / name, "JPEG", quality=92, exif=exif)
        names.append(name)
        del pixels
    return names


def write_workbook(folder: Path, names: list[str], photos: int, groups: int) -> None:
    with open(folder / "kelompok.csv", "w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(["id_kelompok", "nama_kelompok", "program", "pilar", "kelurahan", "tahun_mulai"])
        writer.writerows([f"G{n}", f"Kelompok {n}", "Program", "sosial", "Margasari", 2021] for n in range(groups))
    with open(folder / "dokumentasi.csv", "w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(["id_kelompok", "tahun", "berkas", "keterangan", "tanggal"])
        writer.writerows(
            [f"G{n % groups}", 2023, f"foto/{names[n % len(names)]}", f"Foto {n}", "2023-06-17"] for n in range(photos)
        )


# The peak resident memory of the child's own address space (VmHWM, in kB; ru_maxrss would include the parent's
# peak, inherited across fork and exec).
PEAK = "\nprint(next(line.split()[1] for line in open('/proc/self/status') if line.startswith('VmHWM')))"


def peak_of(phase: str, *arguments: str) -> tuple[float, float]:
    """Run ``phase`` in a fresh interpreter: its peak resident memory in MB, and its seconds."""
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", PHASES[phase] + PEAK, *arguments], capture_output=True, text=True)
    sys.stderr.write(done.stderr)
    done.check_returncode()
    return int(done.stdout.split()[-1]) / 1024, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--photos", type=int, default=2000)
    parser.add_argument("--files", type=int, default=5)
    parser.add_argument("--groups", type=int, default=10)
    parser.add_argument("--render-group", default="G1")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary) / "review"
        names = write_photos(folder / "foto", options.files)
        sizes = [(folder / "foto" / name).stat().st_size / 1e6 for name in names]
        write_workbook(folder, names, options.photos, options.groups)
        print(
            f"{options.photos} photo rows over {options.groups} groups, {options.files} files of "
            f"{min(sizes):.1f}–{max(sizes):.1f} MB (24 megapixels each)"
        )
        cache = str(Path(temporary) / "workbook.pkl")
        for phase in ("floor", "validate", "render"):
            peak, seconds = peak_of(phase, str(folder), cache, options.render_group)
            print(f"{phase:>9}: peak {peak:7.1f} MB resident, {seconds:6.1f} s")


if __name__ == "__main__":
    main()

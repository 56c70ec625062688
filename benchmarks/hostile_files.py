"""Time and peak memory of the refusals of hostile photos, params files and reference documents (issue #22).

    python benchmarks/hostile_files.py [--json FILE]

Each case is built on the fly (the big photos are sparse files: no disk is used) by the builders of
tests/test_hostile_files.py, and the command is run as a process of its own; its wall time, its peak resident memory
(VmHWM) and its exit status are printed, beside the same command on the untouched sample (the floor).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from bench import peak_memory_mb

sys.path.insert(0, str(Path(__file__).parent.parent / "tests"))
from test_hostile_files import alias_bomb, first_photo, hostile_reference  # noqa: E402

from tjsl_eval.inputs.sources import SAMPLE_PATH  # noqa: E402

CLI = [sys.executable, "-m", "tjsl_eval"]
CHECK_REFERENCE = [
    sys.executable,
    "-c",
    "import sys, pathlib; from tjsl_eval.render.office import check_reference; "
    "check_reference(pathlib.Path(sys.argv[1]), 'docx')",
]


def measured(command: list[str]) -> dict[str, float]:
    """Wall seconds, peak memory (MB) and exit status of ``command``."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    holder: dict[str, float] = {}
    watcher = threading.Thread(target=lambda: holder.update(peak=peak_memory_mb(process)))
    watcher.start()
    process.communicate()
    watcher.join()
    return {"seconds": time.perf_counter() - started, "peak_mb": holder.get("peak", 0.0), "exit": process.returncode}


def sample_with_photo(folder: Path, name: str, size: int | None) -> Path:
    """The sample in ``folder/name`` with its first photo made a sparse file of ``size`` bytes (None: a FIFO)."""
    copy = folder / name
    shutil.copytree(SAMPLE_PATH, copy)
    photo, _ = first_photo(copy)
    if size is None:
        photo.unlink()
        os.mkfifo(photo)
    else:
        os.truncate(photo, size)
    return copy


def cases(folder: Path) -> dict[str, list[str]]:
    """Each case's command."""
    bomb = folder / "bomb.yaml"
    bomb.write_text(alias_bomb("title"), encoding="utf-8")
    deep = folder / "deep.yaml"
    deep.write_text("title: " + "[" * 100_000 + "]" * 100_000 + "\n", encoding="utf-8")
    reference = hostile_reference(folder / "kop.docx")
    return {
        "validate the sample (floor)": [*CLI, "validate", str(SAMPLE_PATH)],
        "validate, a 2 GB photo": [*CLI, "validate", str(sample_with_photo(folder, "photo-2g", 2 * 1024**3))],
        "validate, a 40 GB photo": [*CLI, "validate", str(sample_with_photo(folder, "photo-40g", 40 * 1024**3))],
        "validate, a FIFO as photo": [*CLI, "validate", str(sample_with_photo(folder, "photo-fifo", None))],
        f"status, a {bomb.stat().st_size}-byte YAML alias bomb": [*CLI, "status", str(bomb)],
        "status, YAML nested 100,000 deep": [*CLI, "status", str(deep)],
        "check a docx_reference with links and fields": [*CHECK_REFERENCE, str(reference)],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        results = {name: measured(command) for name, command in cases(Path(temporary)).items()}
    width = max(map(len, results))
    print(f"{'case':<{width}}  {'seconds':>8}  {'peak MB':>8}  exit")
    for name, figures in results.items():
        print(f"{name:<{width}}  {figures['seconds']:>8.2f}  {figures['peak_mb']:>8.0f}  {figures['exit']:>4}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()

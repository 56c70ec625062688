"""Benchmark of the batch, measured side by side in one run on the same synthetic workbook.

    python benchmarks/bench.py [--groups 40] [--naive-groups 8] [--sizes 10,100,400] [--repeat 5] [--json FILE]

Prints a table of figures and ratios against the targets of the project and writes them as
JSON. Timings on a shared machine are noisy: compare the ratios of one run, not runs. The
cold run and the in-process floor, which the ratios (2), (3) and (5) compare, are measured
``--repeat`` times each, one after the other in turn, and the quickest of each is kept (the
least disturbed by other work on the machine); so is the run with nothing changed. Like
``tjsl-eval run``, the floor is timed as a process of its own, from start to exit. What the Word
and PowerPoint files add is measured twice: each writer in this process, per report, and a forced
run with ``--format html,docx,pptx`` against one with HTML only.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import openpyxl

from tjsl_eval.batch.execution import GROUP_NOTEBOOK
from tjsl_eval.inputs.synthetic import write_synthetic_workbook

YEARS = (2021, 2023)
FGD_DATE = dt.date(2024, 1, 16)
CLI = [sys.executable, "-m", "tjsl_eval"]
TOOLS = Path(sys.executable).parent  # papermill and jupyter of this environment


def peak_memory_mb(process: subprocess.Popen) -> float:
    """Follow a process's own peak resident memory (VmHWM) until it ends."""
    peak = 0.0
    status = Path(f"/proc/{process.pid}/status")
    while process.poll() is None:
        try:
            for line in status.read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peak = max(peak, int(line.split()[1]) / 1024)
        except (FileNotFoundError, ProcessLookupError):
            break
        time.sleep(0.05)
    return peak


def timed(command: list[str], **kwargs) -> tuple[float, float]:
    """Wall seconds and the command's own peak memory (MB); fails loudly on a non-zero exit."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kwargs)
    holder: dict[str, float] = {}
    watcher = threading.Thread(target=lambda: holder.update(peak=peak_memory_mb(process)))
    watcher.start()
    out, err = process.communicate()
    watcher.join()
    seconds = time.perf_counter() - started
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{out}\n{err}")
    return seconds, holder.get("peak", 0.0)


def write_params(folder: Path, workbook: Path) -> Path:
    params = folder / "review.yaml"
    params.write_text(
        f"title: Benchmark\norganiser: tjsl-eval\nfgd_date: {FGD_DATE.isoformat()}\nvenue: Balikpapan\n"
        f"evaluated_year: {YEARS[1]}\nworkbook: {workbook}\noutput_folder: out\n",
        encoding="utf-8",
    )
    return params


def naive(workbook: Path, groups: list[str], folder: Path) -> float:
    """Seconds per report the way a user would script it: papermill, then nbconvert, per group."""
    started = time.perf_counter()
    for group_id in groups:
        executed = folder / f"{group_id}.ipynb"
        subprocess.run(
            [
                str(TOOLS / "papermill"),
                str(GROUP_NOTEBOOK),
                str(executed),
                "-p",
                "group_id",
                group_id,
                "-p",
                "year",
                str(YEARS[1]),
                "-p",
                "workbook",
                str(workbook),
                "--log-level",
                "ERROR",
            ],
            check=True,
            capture_output=True,
        )
        subprocess.run(
            [str(TOOLS / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(executed)],
            check=True,
            capture_output=True,
        )
    return (time.perf_counter() - started) / len(groups)


def direct(workbook: Path) -> None:
    """The same analysis in one Python process, no notebooks: load the workbook, every section
    of every group's report, every group's figures for each year (metrics.json) and every
    section of the portfolio summary (``bench.py --floor WORKBOOK`` runs it, see main)."""
    from tjsl_eval.inputs.settings import MethodSettings
    from tjsl_eval.inputs.workbook import load_workbook
    from tjsl_eval.methods.portfolio import entry_years, yearly_entries
    from tjsl_eval.render import portfolio_report, report

    loaded = load_workbook(workbook)
    for group_id, data in loaded.split_by_group().items():
        group_report = report.GroupReport(data, group_id, YEARS[1])
        for section in report.SECTIONS:
            getattr(group_report, section)()._repr_html_()
    entries = yearly_entries(loaded, entry_years(loaded, YEARS[1]), MethodSettings(), FGD_DATE)
    summary = portfolio_report.PortfolioReport(loaded, YEARS[1], precomputed=entries)
    for section in portfolio_report.SECTIONS:
        getattr(summary, section)()._repr_html_()


def office_formats(params: Path, jobs: int, groups: int, repeat: int) -> dict[str, float]:
    """What Word and PowerPoint add: every report made again (``--force``) as HTML only, then with
    ``docx,pptx``, in turn ``repeat`` times (the quickest of each kept); and each writer's processor
    time in this process on the reports the notebooks kept."""
    from tjsl_eval.common.cache_files import load_cached
    from tjsl_eval.render.document import Document
    from tjsl_eval.render.docx_report import docx_bytes
    from tjsl_eval.render.pptx_deck import pptx_bytes

    run = [*CLI, "run", str(params), "--jobs", str(jobs), "--force"]
    html_only, with_office = [], []
    for _ in range(repeat):
        html_only.append(timed(run)[0])
        with_office.append(timed([*run, "--format", "html,docx,pptx"])[0])
    kept = sorted((params.parent / "out" / ".cache").glob("*.document.pkl"))
    documents = [load_cached(path, Document) for path in kept]
    writers = {}
    for name, write in (("docx", docx_bytes), ("pptx", pptx_bytes)):
        started = time.process_time()
        for document in documents:
            write(document, "0" * 64)
        writers[name] = (time.process_time() - started) / len(documents)
    return {
        "forced_html_s_per_report": min(html_only) / groups,
        "forced_office_s_per_report": min(with_office) / groups,
        "docx_writer_cpu_s_per_report": writers["docx"],
        "pptx_writer_cpu_s_per_report": writers["pptx"],
    }


def change_one_group(workbook: Path) -> None:
    book = openpyxl.load_workbook(workbook)
    sheet = book["anggaran"]
    sheet.cell(2, 5).value = (sheet.cell(2, 5).value or 0) + 1_000_000  # GRP-0001's first planned amount
    book.save(workbook)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--groups", type=int, default=40)
    parser.add_argument("--naive-groups", type=int, default=8)
    parser.add_argument("--sizes", default="10,100,400")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--repeat", type=int, default=5, help="cold, unchanged and in-process runs, quickest kept")
    parser.add_argument("--json", type=Path, default=Path("benchmarks/results.json"))
    parser.add_argument("--floor", type=Path, help=argparse.SUPPRESS)  # run the in-process analysis of this workbook
    args = parser.parse_args()
    if args.floor:
        direct(args.floor)
        return
    results: dict[str, object] = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "jobs": args.jobs,
        "groups": args.groups,
    }
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        workbook = write_synthetic_workbook(folder / "review.xlsx", args.groups, YEARS, seed=1)
        ids = [f"GRP-{n:04d}" for n in range(1, args.naive_groups + 1)]
        (folder / "naive").mkdir()
        results["naive_s_per_report"] = naive(workbook, ids, folder / "naive")
        params = write_params(folder, workbook)
        run = [*CLI, "run", str(params), "--jobs", str(args.jobs)]
        floor = [sys.executable, __file__, "--floor", str(workbook)]
        colds, directs, unchanged = [], [], []
        for _ in range(args.repeat):
            shutil.rmtree(folder / "out", ignore_errors=True)
            colds.append(timed(run))
            unchanged.append(timed(run)[0])
            directs.append(timed(floor)[0])
        (cold, memory), results["direct_s"] = min(colds), min(directs)
        results["cold_s"], results["cold_s_per_report"] = cold, cold / args.groups
        results["unchanged_s"] = min(unchanged)
        results["repeats"] = {
            "cold_s": [c for c, _ in colds],
            "unchanged_s": unchanged,
            "direct_s": directs,
            "pair_ratios_5": [c / (d / args.jobs) for (c, _), d in zip(colds, directs, strict=True)],
        }
        results["office"] = office_formats(params, args.jobs, args.groups, args.repeat)
        one = [*CLI, "run", str(params), "--jobs", "1", "--force", "--group", "GRP-0002"]
        results["one_report_s"] = timed(one)[0]
        change_one_group(workbook)
        results["one_changed_s"] = timed(run)[0]
        per_size = {}
        for size in [int(s) for s in args.sizes.split(",")]:
            size_folder = folder / f"size-{size}"
            size_folder.mkdir()
            sized = write_synthetic_workbook(size_folder / "review.xlsx", size, YEARS, seed=2)
            seconds, peak = timed([*CLI, "run", str(write_params(size_folder, sized)), "--jobs", str(args.jobs)])
            per_size[size] = {"s_per_report": seconds / size, "orchestrator_peak_mb": peak}
            shutil.rmtree(size_folder / "out")
        results["sizes"] = per_size
        results["cold_orchestrator_peak_mb"] = memory
    report(results)
    args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


def report(r: dict) -> None:
    sizes = r["sizes"]
    smallest, largest = min(sizes), max(sizes)
    checks = [
        ("(1) naive papermill + nbconvert, s/report", r["naive_s_per_report"], None, None),
        (
            "(2) tjsl-eval run cold, s/report",
            r["cold_s_per_report"],
            "(1)/(2) ≥ 3",
            r["naive_s_per_report"] / r["cold_s_per_report"],
        ),
        ("(3) run again, nothing changed, s", r["unchanged_s"], "(3)/(2) < 0.03", r["unchanged_s"] / r["cold_s"]),
        ("    one report (--group --force), s", r["one_report_s"], None, None),
        (
            "(4) run after one group changed, s",
            r["one_changed_s"],
            "(4)/one report < 1.5",
            r["one_changed_s"] / r["one_report_s"],
        ),
        (
            "(5) same analysis in one process, s",
            r["direct_s"],
            "(2)/((5)/jobs) ≤ 1.6",
            r["cold_s"] / (r["direct_s"] / r["jobs"]),
        ),
        *[(f"(6) {n} groups, s/report", v["s_per_report"], None, None) for n, v in sizes.items()],
        (
            f"    s/report at {largest} vs {smallest}",
            sizes[largest]["s_per_report"],
            "ratio ≤ 1.15",
            sizes[largest]["s_per_report"] / sizes[smallest]["s_per_report"],
        ),
        (
            f"    orchestrator peak memory at {largest}, MB",
            sizes[largest]["orchestrator_peak_mb"],
            "< 500 MB",
            sizes[largest]["orchestrator_peak_mb"],
        ),
    ]
    office = r["office"]
    html_cost = r["cold_s_per_report"] * r["jobs"]  # about one HTML report's cost in processor seconds
    writers = office["docx_writer_cpu_s_per_report"] + office["pptx_writer_cpu_s_per_report"]
    checks += [
        ("(7) Word writer, CPU s/report", office["docx_writer_cpu_s_per_report"], None, None),
        ("(8) PowerPoint writer, CPU s/report", office["pptx_writer_cpu_s_per_report"], None, None),
        ("    (7)+(8) against one HTML report, (2)×jobs", writers, "ratio < 0.5", writers / html_cost),
        ("(9) run --force, HTML only, s/report", office["forced_html_s_per_report"], None, None),
        (
            "(10) run --force, html,docx,pptx, s/report",
            office["forced_office_s_per_report"],
            "(10)/(9)",
            office["forced_office_s_per_report"] / office["forced_html_s_per_report"],
        ),
    ]
    print(f"machine: {r['machine']}; jobs: {r['jobs']}; workbook: {r['groups']} groups, {YEARS[0]}–{YEARS[1]}")
    pairs = ", ".join(f"{ratio:.2f}" for ratio in sorted(r["repeats"]["pair_ratios_5"]))
    print(f"(2), (3), (5): the quickest of {len(r['repeats']['cold_s'])} runs each, taken in turn")
    print(f"(2)/((5)/jobs) of each cold run and the floor measured after it: {pairs}")
    print(f"{'measure':48} {'value':>10}  {'target':22} {'measured':>9}")
    for name, value, target, ratio in checks:
        print(f"{name:48} {value:10.3f}  {target or '':22} {'' if ratio is None else f'{ratio:9.3f}'}")


if __name__ == "__main__":
    main()

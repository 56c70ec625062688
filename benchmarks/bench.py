"""Benchmark of the batch, measured side by side in one run on the same synthetic workbook.

    python benchmarks/bench.py [--groups 40] [--naive-groups 8] [--sizes 12,100,400] [--validation-groups 1000]
                               [--repeat 5] [--parts batch,sizes,validation,bombs] [--json FILE]

Prints a table of figures and ratios against the targets of the project and writes them as
JSON. Timings on a shared machine are noisy: compare the ratios of one run, not runs. The
cold run and the in-process floor, which the ratios (2), (3) and (5) compare, are measured
``--repeat`` times each, one after the other in turn, and the quickest of each is kept (the
least disturbed by other work on the machine); so is the run with nothing changed. Like
``tjsl-eval run``, the floor is timed as a process of its own, from start to exit. At each size a cold run
is followed by ``run`` and ``status`` with nothing changed; and ``tjsl-eval validate`` is timed against the
bare pandas/calamine read of the same workbook (as .xlsx, .ods and a CSV folder), each a process of its
own, with its peak memory. What the Word and PowerPoint files add is measured
twice: each writer in this process, per report, and a forced run with ``--format html,docx,pptx`` against
one with HTML only; the PDF writer's cost per report is measured in this process beside the HTML
report's, and beside it the same pages printed by headless Chromium (``chromium_print.py``). ``--parts`` takes
some of the measures only, keeping the others in the JSON.
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

import chromium_print
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


def timed(command: list[str], refused: bool = False, **kwargs) -> tuple[float, float]:
    """Wall seconds and the command's own peak memory (MB); fails loudly on a non-zero exit (on any exit but 1,
    when the command is expected to refuse its input)."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kwargs)
    holder: dict[str, float] = {}
    watcher = threading.Thread(target=lambda: holder.update(peak=peak_memory_mb(process)))
    watcher.start()
    out, err = process.communicate()
    watcher.join()
    seconds = time.perf_counter() - started
    if process.returncode != (1 if refused else 0) or "Traceback" in err:
        raise SystemExit(f"{' '.join(command)} failed:\n{out}\n{err}")
    return seconds, holder.get("peak", 0.0)


def cpu_timed(command: list[str]) -> tuple[float, float]:
    """Wall seconds and the CPU seconds (user + system) of a command and the processes it waited for: on a
    busy machine the wall time includes waiting for a core, the CPU time does not."""
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    seconds = timed(command)[0]
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return seconds, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


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
    ``docx,pptx``, in turn ``repeat`` times (the quickest of each kept); the HTML-only run's processor
    time (its workers' and kernels' too); and each writer's processor time in this process on the reports
    the notebooks kept."""
    from tjsl_eval.common.cache_files import load_cached
    from tjsl_eval.render.document import Document
    from tjsl_eval.render.docx_report import docx_bytes
    from tjsl_eval.render.pptx_deck import pptx_bytes

    run = [*CLI, "run", str(params), "--jobs", str(jobs), "--force"]
    html_only, with_office = [], []
    for _ in range(repeat):
        html_only.append(cpu_timed(run))
        with_office.append(timed([*run, "--format", "html,docx,pptx"])[0])
    kept = sorted((params.parent / "out" / ".cache").glob("*.document.pkl"))
    documents = [load_cached(path, Document) for path in kept]
    writers = {}
    for name, write in (("docx", docx_bytes), ("pptx", pptx_bytes)):
        started = time.process_time()
        for document in documents:
            write(document, "0" * 64)
        writers[name] = (time.process_time() - started) / len(documents)
    pdf, chromium = pdf_writer_cpu(kept, documents)
    return {
        "pdf_writer_cpu_s_per_report": pdf,
        "pdf_chromium": chromium,
        "forced_html_s_per_report": min(wall for wall, _ in html_only) / groups,
        "forced_html_cpu_s_per_report": min(cpu for _, cpu in html_only) / groups,
        "forced_office_s_per_report": min(with_office) / groups,
        "docx_writer_cpu_s_per_report": writers["docx"],
        "pptx_writer_cpu_s_per_report": writers["pptx"],
    }


def pdf_writer_cpu(kept: list[Path], documents: list) -> tuple[float, dict[str, float]]:
    """The PDF writer's processor time per report (WeasyPrint's layout of the HTML report, PDF/A-3b with its
    figures attached), on the reports the notebooks kept; beside it, the same printable pages printed by
    headless Chromium (its processes' time too): once, and twice as the contents' page numbers would need,
    without PDF/A. The browser's start is counted apart: a batch would start it once."""
    from tjsl_eval.common.files import json_text
    from tjsl_eval.render.pdf import Record, pdf_bytes, print_styles, printable

    pages = [path.parent.parent / path.name.replace(".document.pkl", ".html") for path in kept]
    records = [
        Record(page.stem, "tjsl-eval", "Benchmark", document.language, FGD_DATE, json_text(document.figures))
        for page, document in zip(pages, documents, strict=True)
    ]
    texts = [page.read_text(encoding="utf-8") for page in pages]
    started = time.process_time()
    for page, record in zip(texts, records, strict=True):
        pdf_bytes(page, record)
    weasyprint = (time.process_time() - started) / len(texts)
    figures: dict[str, float] = {}
    program = chromium_print.browser()
    if program:
        printables = [printable(page, print_styles(record)) for page, record in zip(texts, records, strict=True)]
        try:
            figures = chromium_cpu(program, printables)
        except (OSError, RuntimeError) as error:  # a browser that will not start or print: the rest still counts
            print(f"(15), (16): Chromium could not print: {error}")
    return weasyprint, figures


def chromium_cpu(program: str, printables: list[str]) -> dict[str, float]:
    """Processor time of one headless Chromium printing ``printables`` once each, then twice each, and its start."""
    started = time.process_time()
    printer = chromium_print.ChromiumPrinter(program)
    try:
        printer.print_pdf(printables[0])
        figures = {"start_cpu_s": printer.cpu_seconds() + time.process_time() - started}
        for passes, name in ((False, "one_print"), (True, "two_prints")):
            started, browser_started = time.process_time(), printer.cpu_seconds()
            for page in printables:
                printer.print_pdf(page, number_contents=passes)
            used = printer.cpu_seconds() - browser_started + time.process_time() - started
            figures[f"{name}_cpu_s_per_report"] = used / len(printables)
    finally:
        printer.close()
    return figures


def change_one_group(workbook: Path) -> None:
    book = openpyxl.load_workbook(workbook)
    sheet = book["anggaran"]
    sheet.cell(2, 5).value = (sheet.cell(2, 5).value or 0) + 1_000_000  # GRP-0001's first planned amount
    book.save(workbook)


def bare_read(path: Path) -> None:
    """The floor of validation: every sheet read by pandas with calamine (or every CSV file by pandas), as text
    and numbers, without any check (``bench.py --read PATH`` runs it as a process of its own)."""
    import pandas as pd

    if path.is_dir():
        for file in sorted(path.glob("*.csv")):
            pd.read_csv(file, dtype=object, keep_default_na=False)
    else:
        pd.read_excel(path, sheet_name=None, engine="calamine", dtype=object)


def as_csv_folder(workbook: Path, folder: Path) -> Path:
    """The workbook's sheets as a folder of CSV files (UTF-8, dates ISO, whole numbers without '.0'), with the
    photos it refers to."""
    import csv

    from python_calamine import CalamineWorkbook

    folder.mkdir()
    with CalamineWorkbook.from_path(str(workbook)) as book:
        for name in book.sheet_names:
            rows = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
            with (folder / f"{name}.csv").open("w", encoding="utf-8", newline="") as file:
                csv.writer(file).writerows([[_as_text(value) for value in row] for row in rows])
    pictures = workbook.parent / "dokumentasi"  # the photos the workbook refers to, relative to its folder
    if pictures.is_dir():
        shutil.copytree(pictures, folder / pictures.name)
    return folder


def _as_text(value: object) -> object:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value.isoformat() if isinstance(value, dt.date) else value


def as_ods(workbook: Path, folder: Path) -> Path:
    """The workbook converted by LibreOffice (headless, with a profile of its own)."""
    profile = (folder / "lo-profile").as_uri()
    subprocess.run(
        ["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "ods", "--outdir", str(folder)]
        + [str(workbook)],
        check=True,
        capture_output=True,
    )
    return folder / f"{workbook.stem}.ods"


def validation(args: argparse.Namespace, folder: Path) -> dict[str, dict[str, float]]:
    """``tjsl-eval validate`` against the bare read of the same data, process against process, for the
    workbook of ``--validation-groups`` groups as .xlsx, .ods and a CSV folder: seconds and peak memory, the
    quickest of ``--repeat`` runs taken in turn."""
    workbook = write_synthetic_workbook(folder / "big.xlsx", args.validation_groups, YEARS, seed=0)
    sources = {"xlsx": workbook, "csv": as_csv_folder(workbook, folder / "big-csv")}
    if shutil.which("soffice"):
        sources["ods"] = as_ods(workbook, folder)
    else:
        print("LibreOffice (soffice) is not installed: the .ods measure is skipped")
    figures = {}
    for kind, source in sources.items():
        reads, checks = [], []
        for _ in range(args.repeat):
            reads.append(timed([sys.executable, __file__, "--read", str(source)]))
            checks.append(timed([*CLI, "validate", str(source)]))
        (read_s, _), (validate_s, _) = min(reads), min(checks)
        read_mb, validate_mb = min(m for _, m in reads), min(m for _, m in checks)
        figures[kind] = {
            "read_s": read_s,
            "validate_s": validate_s,
            "read_peak_mb": read_mb,
            "validate_peak_mb": validate_mb,
            "time_ratio": validate_s / read_s,
            "memory_ratio": validate_mb / read_mb,
            "repeats": {"read": reads, "validate": checks},
        }
    return figures


def sizes(args: argparse.Namespace, folder: Path) -> dict[int, dict[str, float]]:
    """A cold run at each size (seconds per report, the orchestrator's peak memory), then ``run`` and
    ``status`` with nothing changed, the quickest of ``--repeat`` each."""
    per_size = {}
    for size in [int(s) for s in args.sizes.split(",")]:
        size_folder = folder / f"size-{size}"
        size_folder.mkdir()
        sized = write_synthetic_workbook(size_folder / "review.xlsx", size, YEARS, seed=2)
        params = write_params(size_folder, sized)
        seconds, peak = timed([*CLI, "run", str(params), "--jobs", str(args.jobs)])
        again = [cpu_timed([*CLI, "run", str(params), "--jobs", str(args.jobs)]) for _ in range(args.repeat)]
        status = [cpu_timed([*CLI, "status", str(params)]) for _ in range(args.repeat)]
        start = [cpu_timed([sys.executable, "-c", "pass"]) for _ in range(args.repeat)]
        per_size[size] = {
            "s_per_report": seconds / size,
            "orchestrator_peak_mb": peak,
            "cold_s": seconds,
            "unchanged_run_s": min(again)[0],
            "unchanged_status_s": min(status)[0],
            "unchanged_run_cpu_s": min(cpu for _, cpu in again),
            "unchanged_status_cpu_s": min(cpu for _, cpu in status),
            "interpreter_start_s": min(start)[0],
            "repeats": {"run": again, "status": status, "python -c pass": start},
        }
        shutil.rmtree(size_folder / "out")
    return per_size


def batch(args: argparse.Namespace, folder: Path) -> dict[str, object]:
    """The naive loop, cold runs, runs with nothing changed, the in-process floor, what the Office formats add
    and one group changed."""
    results: dict[str, object] = {"groups": args.groups}
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
    results["cold_orchestrator_peak_mb"] = memory
    return results


def bombs(folder: Path) -> dict[str, dict[str, float]]:
    """``tjsl-eval validate`` on workbooks built to cost memory or time (docs/trust.md): seconds and peak memory
    of each, refused (or, for the sheet outside the contract, validated) within the limits."""
    base = write_synthetic_workbook(folder / "base.xlsx", 10, YEARS, seed=0)
    cases = {
        "value at XFD1048576": _bomb(base, folder / "far.xlsx", far="XFD1048576"),
        "value at XFD10000": _bomb(base, folder / "far10000.xlsx", far="XFD10000"),
        "merged A5:XFD1048576": _bomb(base, folder / "merged.xlsx", merge="A5:XFD1048576"),
        "sheet padded to 1 GB": _bomb(base, folder / "padded.xlsx", padding=1024),
        "sheet padded to 100 MB": _bomb(base, folder / "padded100.xlsx", padding=100),
        ".ods rows repeated 1,000,000 times": _ods_bomb(folder / "rows.ods"),
    }
    extra = openpyxl.load_workbook(base)
    formulas = extra.create_sheet("rumus")
    for row in range(1, 200_001):
        formulas.cell(row, 1).value = f"=1+{row}"
    extra.save(folder / "formulas.xlsx")
    figures = {}
    for name, path in cases.items():
        seconds, peak = timed([*CLI, "validate", str(path)], refused=True)
        figures[name] = {"file_kb": path.stat().st_size / 1024, "validate_s": seconds, "validate_peak_mb": peak}
    seconds, peak = timed([*CLI, "validate", str(folder / "formulas.xlsx")])
    figures["sheet outside the contract, 200,000 formulas"] = {
        "file_kb": (folder / "formulas.xlsx").stat().st_size / 1024,
        "validate_s": seconds,
        "validate_peak_mb": peak,
    }
    return figures


def _bomb(base: Path, path: Path, far: str = "", merge: str = "", padding: int = 0) -> Path:
    """``base`` with its sheet 'kelompok' (the first) given a value at ``far``, a merged range ``merge`` or
    ``padding`` MB of spaces."""
    import re
    import zipfile

    part = "xl/worksheets/sheet1.xml"
    with zipfile.ZipFile(base) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename != part:
                target.writestr(info, data)
                continue
            if far:
                row = re.sub("[A-Z]", "", far)
                cell = f'<row r="{row}"><c r="{far}" t="inlineStr"><is><t>x</t></is></c></row>'
                data = data.replace(b"</sheetData>", f"{cell}</sheetData>".encode())
            if merge:
                merged = f'</sheetData><mergeCells count="1"><mergeCell ref="{merge}"/></mergeCells>'
                data = data.replace(b"</sheetData>", merged.encode())
            with target.open(part, "w", force_zip64=True) as stream:
                stream.write(data)
                for _ in range(padding):
                    stream.write(b" " * (1 << 20))
    return path


def _ods_bomb(path: Path) -> Path:
    """An .ods whose one row, 16 values wide, is repeated a million times (46 KB that claim 16 million cells)."""
    import zipfile

    office = "urn:oasis:names:tc:opendocument:xmlns"
    cell = '<table:table-cell table:number-columns-repeated="16" office:value-type="float" office:value="1"/>'
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="{office}:office:1.0" '
        f'xmlns:table="{office}:table:1.0" office:version="1.2"><office:body><office:spreadsheet>'
        f'<table:table table:name="kelompok"><table:table-row table:number-rows-repeated="1000000">{cell}'
        f"</table:table-row></table:table></office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        f'<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="{office}:manifest:1.0">'
        '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.'
        'spreadsheet"/></manifest:manifest>'
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", zipfile.ZIP_STORED)
        archive.writestr("META-INF/manifest.xml", manifest)
        archive.writestr("content.xml", content)
    return path


PARTS = ("batch", "sizes", "validation", "bombs")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--groups", type=int, default=40)
    parser.add_argument("--naive-groups", type=int, default=8)
    parser.add_argument("--sizes", default="12,100,400")
    parser.add_argument("--validation-groups", type=int, default=1000, help="the workbook validation is timed on")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--repeat", type=int, default=5, help="cold, unchanged and in-process runs, quickest kept")
    parser.add_argument("--parts", default=",".join(PARTS), help="which measures to take: " + ", ".join(PARTS))
    parser.add_argument("--json", type=Path, default=Path("benchmarks/results.json"))
    parser.add_argument("--floor", type=Path, help=argparse.SUPPRESS)  # run the in-process analysis of this workbook
    parser.add_argument("--read", type=Path, help=argparse.SUPPRESS)  # read this workbook bare
    args = parser.parse_args()
    if args.floor:
        direct(args.floor)
        return
    if args.read:
        bare_read(args.read)
        return
    parts = args.parts.split(",")
    results = json.loads(args.json.read_text(encoding="utf-8")) if args.json.exists() and parts != PARTS else {}
    results["machine"] = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    results["jobs"] = args.jobs
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        if "batch" in parts:
            results.update(batch(args, folder))
        if "sizes" in parts:
            results["sizes"] = sizes(args, folder)
        if "validation" in parts:
            results["validation"] = {"groups": args.validation_groups, **validation(args, folder)}
        if "bombs" in parts:
            results["bombs"] = bombs(folder)
    report(results)
    args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


def report(r: dict) -> None:
    print(f"machine: {r['machine']}; jobs: {r['jobs']}")
    checks = [*_batch_checks(r), *_size_checks(r), *_validation_checks(r), *_office_checks(r)]
    print(f"{'measure':48} {'value':>10}  {'target':22} {'measured':>9}")
    for name, value, target, ratio in checks:
        print(f"{name:48} {value:10.3f}  {target or '':22} {'' if ratio is None else f'{ratio:9.3f}'}")
    if "bombs" in r:
        print(f"\n{'validate on a bomb (docs/trust.md)':48} {'file KB':>10} {'seconds':>9} {'peak MB':>9}")
        for name, figures in r["bombs"].items():
            print(
                f"{name:48} {figures['file_kb']:10.0f} {figures['validate_s']:9.2f} {figures['validate_peak_mb']:9.0f}"
            )


def _batch_checks(r: dict) -> list[tuple]:
    if "cold_s" not in r:
        return []
    print(f"batch workbook: {r['groups']} groups, {YEARS[0]}–{YEARS[1]}")
    pairs = ", ".join(f"{ratio:.2f}" for ratio in sorted(r["repeats"]["pair_ratios_5"]))
    print(f"(2), (3), (5): the quickest of {len(r['repeats']['cold_s'])} runs each, taken in turn")
    print(f"(2)/((5)/jobs) of each cold run and the floor measured after it: {pairs}")
    return [
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
    ]


def _size_checks(r: dict) -> list[tuple]:
    sizes = {int(n): v for n, v in r.get("sizes", {}).items()}
    if not sizes:
        return []
    smallest, largest = min(sizes), max(sizes)
    checks = [(f"(6) {n} groups, s/report", v["s_per_report"], None, None) for n, v in sizes.items()]
    checks += [
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
    for n, v in sizes.items():
        if "unchanged_run_s" in v:
            checks.append((f"(7) {n} groups: run, nothing changed, s", v["unchanged_run_s"], "≤ 0.3 s", None))
            checks.append((f"    {n} groups: status, nothing changed, s", v["unchanged_status_s"], "≤ 0.3 s", None))
            checks.append((f"    {n} groups: that run's CPU time, s", v["unchanged_run_cpu_s"], None, None))
            checks.append((f"    {n} groups: that status's CPU time, s", v["unchanged_status_cpu_s"], None, None))
            checks.append((f"    {n} groups: python -c pass, s", v["interpreter_start_s"], None, None))
            checks.append(
                (
                    f"    {n} groups: that run ÷ the cold run",
                    v["unchanged_run_s"],
                    "< 0.03",
                    v["unchanged_run_s"] / v["cold_s"],
                )
            )
    return checks


def _validation_checks(r: dict) -> list[tuple]:
    figures = r.get("validation")
    if not figures:
        return []
    print(f"validation workbook: {figures['groups']} groups, {YEARS[0]}–{YEARS[1]} (as .xlsx, .ods, CSV folder)")
    checks = []
    for kind in [kind for kind in ("xlsx", "ods", "csv") if kind in figures]:
        v = figures[kind]
        checks.append((f"(8) {kind}: bare read (pandas), s", v["read_s"], None, None))
        checks.append((f"    {kind}: tjsl-eval validate, s", v["validate_s"], "validate ÷ read ≤ 2", v["time_ratio"]))
        checks.append((f"    {kind}: bare read peak memory, MB", v["read_peak_mb"], None, None))
        checks.append(
            (f"    {kind}: validate peak memory, MB", v["validate_peak_mb"], "÷ read ≤ 1.3", v["memory_ratio"])
        )
    return checks


def _office_checks(r: dict) -> list[tuple]:
    office = r.get("office")
    if not office or "cold_s_per_report" not in r:
        return []
    html_cost = office["forced_html_cpu_s_per_report"]  # one HTML report's processor seconds, its kernel's too
    writers = office["docx_writer_cpu_s_per_report"] + office["pptx_writer_cpu_s_per_report"]
    return [
        ("(14) HTML report (run --force), CPU s/report", html_cost, None, None),
        ("(9) Word writer, CPU s/report", office["docx_writer_cpu_s_per_report"], None, None),
        ("(10) PowerPoint writer, CPU s/report", office["pptx_writer_cpu_s_per_report"], None, None),
        ("    (9)+(10) against one HTML report (14)", writers, "ratio < 0.5", writers / html_cost),
        (
            "(13) PDF writer (WeasyPrint), CPU s/report",
            office["pdf_writer_cpu_s_per_report"],
            "÷ HTML report (14) ≤ 0.5",
            office["pdf_writer_cpu_s_per_report"] / html_cost,
        ),
        *_chromium_checks(office, html_cost),
        ("(11) run --force, HTML only, s/report", office["forced_html_s_per_report"], None, None),
        (
            "(12) run --force, html,docx,pptx, s/report",
            office["forced_office_s_per_report"],
            "(12)/(11)",
            office["forced_office_s_per_report"] / office["forced_html_s_per_report"],
        ),
    ]


def _chromium_checks(office: dict, html_cost: float) -> list[tuple]:
    """The same pages printed by Chromium, beside (13): no engine change is a claim without these."""
    chromium = office.get("pdf_chromium")
    if not chromium:
        print("(15), (16): no Chromium on this machine, the browser's print was not measured")
        return []
    one, two = chromium["one_print_cpu_s_per_report"], chromium["two_prints_cpu_s_per_report"]
    return [
        ("(15) Chromium, one print (no PDF/A), CPU s/report", one, "÷ (14), as (13)", one / html_cost),
        ("(16) Chromium, two prints (contents numbered)", two, "÷ (14), as (13)", two / html_cost),
        ("    Chromium's start (once a batch), CPU s", chromium["start_cpu_s"], None, None),
    ]


if __name__ == "__main__":
    main()

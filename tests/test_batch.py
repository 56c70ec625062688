"""The batch's guarantees: incremental, reproducible, failures isolated, folders protected."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest
from click.testing import CliRunner
from conftest import needs, valid_sheets, write_xlsx

from tjsl_eval.batch import execution
from tjsl_eval.cli import main
from tjsl_eval.inputs.params import load_review

PARAMS = (
    "title: Uji\norganiser: Unit\nfgd_date: 2024-01-16\nvenue: Balikpapan\nevaluated_year: 2023\n"
    "workbook: review.xlsx\noutput_folder: out\n"
)


@pytest.fixture
def review(tmp_path):
    write_xlsx(tmp_path / "review.xlsx", valid_sheets())
    params = tmp_path / "review.yaml"
    params.write_text(PARAMS, encoding="utf-8")
    return params


def invoke(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def outputs(folder: Path) -> dict[str, bytes]:
    return {
        p.name: p.read_bytes()
        for p in folder.iterdir()
        if p.suffix in {".html", ".json", ".csv"} and p.name != "manifest.json"
    }


def test_reports_are_byte_identical_across_forced_runs(review):
    assert invoke("run", review, "--jobs", 2).exit_code == 0
    first = outputs(review.parent / "out")
    assert invoke("run", review, "--force").exit_code == 0
    assert outputs(review.parent / "out") == first
    assert set(first) == {"BSM-01.html", "UMKM-02.html", "portfolio.html", "index.html", "metrics.json", "metrics.csv"}
    for content in first.values():
        assert str(review.parent).encode() not in content  # no absolute paths


def test_only_stale_reports_are_made_again(review):
    assert "2 reports written" in invoke("run", review).output
    again = invoke("run", review)
    assert "0 reports written, 2 already up to date" in again.output
    sheets = valid_sheets()
    sheets["anggaran"][1][4] = 45_000_000  # BSM-01's data changes
    write_xlsx(review.parent / "review.xlsx", sheets)
    status = invoke("status", review).output
    assert "BSM-01: stale — its data changed" in status and "UMKM-02: up to date" in status
    assert "1 reports written, 1 already up to date" in invoke("run", review).output
    metrics = json.loads((review.parent / "out" / "metrics.json").read_text(encoding="utf-8"))
    assert metrics["groups"]["BSM-01"]["budget_planned"] == 65_000_000
    sheets["masukan_fgd"][2][6] = "Masukan baru untuk seluruh program"  # a programme-wide input
    write_xlsx(review.parent / "review.xlsx", sheets)
    assert "3 of 3 reports stale" in invoke("status", review).output  # both groups and the portfolio
    (review.parent / "out" / "UMKM-02.html").unlink()
    review.write_text(PARAMS.replace("title: Uji", "title: Uji ulang"), encoding="utf-8")
    status = invoke("status", review).output
    assert "UMKM-02.html is missing" in status and "the review's params changed" in status


def test_a_group_removed_from_the_workbook_leaves_the_portfolio(review):
    assert invoke("run", review).exit_code == 0
    sheets = {name: [row for row in rows if "UMKM-02" not in row] for name, rows in valid_sheets().items()}
    write_xlsx(review.parent / "review.xlsx", sheets)
    assert invoke("run", review).exit_code == 0
    out = review.parent / "out"
    assert "UMKM-02" not in (out / "portfolio.html").read_text(encoding="utf-8")
    assert "UMKM-02" not in json.loads((out / "metrics.json").read_text(encoding="utf-8"))["groups"]


def broken_notebook(tmp_path: Path, code: str) -> Path:
    notebook = nbformat.read(execution.GROUP_NOTEBOOK, as_version=4)
    notebook.cells.insert(2, nbformat.v4.new_code_cell(code))
    path = tmp_path / "broken.ipynb"
    nbformat.write(notebook, path)
    return path


def test_one_failure_never_costs_the_others(review, tmp_path, monkeypatch):
    monkeypatch.setattr(
        execution,
        "GROUP_NOTEBOOK",
        broken_notebook(tmp_path, 'if group_id == "UMKM-02":\n    raise RuntimeError("data kelompok rusak")'),
    )
    result = invoke("run", review)
    out = review.parent / "out"
    assert result.exit_code == 1
    assert "1 reports written, 1 failed: UMKM-02 — cell 3: RuntimeError: data kelompok rusak" in result.output
    assert (out / "BSM-01.html").exists() and not (out / "UMKM-02.html").exists()
    failed = nbformat.read(out / "UMKM-02.failed.ipynb", as_version=4)
    assert any(o.get("ename") == "RuntimeError" for c in failed.cells for o in c.get("outputs", []))
    assert "data kelompok rusak" in (out / "index.html").read_text(encoding="utf-8")
    assert "UMKM-02: FAILED" in (out / "run.log").read_text(encoding="utf-8")
    status = invoke("status", review).output
    assert "UMKM-02: stale — it failed last time" in status
    # the summary, made beside the group reports, was made again without the failed group's link
    summary = (out / "portfolio.html").read_text(encoding="utf-8")
    assert 'href="BSM-01.html"' in summary and 'href="UMKM-02.html"' not in summary
    assert "Portfolio summary: written" in result.output and "portfolio: up to date" in status


def test_a_hung_notebook_times_out(review, tmp_path, monkeypatch):
    """A cell limit of 30 s, which the other cells keep even on a loaded machine (their longest
    took 7 s there); BSM-01's hangs for 10 minutes: only a stopped cell fails it sooner."""
    review.write_text(PARAMS + "notebook_timeout_minutes: 0.5\n", encoding="utf-8")
    monkeypatch.setattr(
        execution,
        "GROUP_NOTEBOOK",
        broken_notebook(tmp_path, 'import time\nif group_id == "BSM-01":\n    time.sleep(600)'),
    )
    result = invoke("run", review, "--jobs", 2)
    assert result.exit_code == 1 and "1 failed: BSM-01 — " in result.output
    assert "Timeout" in result.output or "timed out" in result.output


def test_another_reviews_folder_is_not_overwritten(review):
    assert invoke("run", review).exit_code == 0
    other = review.parent / "other.yaml"
    other.write_text(PARAMS, encoding="utf-8")
    refused = invoke("run", other)
    assert refused.exit_code == 1 and "holds the reports of another review" in refused.output
    assert "--force" in refused.output
    assert invoke("run", other, "--force").exit_code == 0


def descendants(pid: int) -> set[int]:
    """The processes started by ``pid`` and by those, recursively (its workers and kernels)."""
    children = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout.split()
    found = {int(child) for child in children}
    for child in list(found):
        found |= descendants(child)
    return found


def alive(pids: set[int], within: float) -> set[int]:
    """Those of ``pids`` still running after waiting up to ``within`` seconds for them to end
    (a zombie has ended)."""
    deadline = time.monotonic() + within
    while True:
        running = set()
        for pid in pids:
            try:
                state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
            except (FileNotFoundError, ProcessLookupError):
                continue
            if state != "Z":
                running.add(pid)
        if not running or time.monotonic() > deadline:
            return running
        time.sleep(0.2)


def start_sample_run(
    tmp_path: Path, reports: int, environment: dict[str, str] | None = None
) -> tuple[subprocess.Popen, list[str], Path]:
    """Start ``tjsl-eval run`` on the sample in a process (with ``environment``, else this one's) and wait until
    ``reports`` are written."""
    params = tmp_path / "review.yaml"
    params.write_text(PARAMS.replace("workbook: review.xlsx", "workbook: sample"), encoding="utf-8")
    command = [sys.executable, "-m", "tjsl_eval", "run", str(params), "--jobs", "2"]
    # Ctrl-C at its default in the run, whatever this process inherited: a shell starting the tests in the
    # background (``pytest &`` in a script) ignores SIGINT, and the run would then inherit that and never stop.
    process = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=environment,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    out = tmp_path / "out"
    deadline = time.monotonic() + 600  # generous for a loaded machine; polling ends as soon as they are there
    while len(list(out.glob("*.html"))) < reports:
        if time.monotonic() > deadline or process.poll() is not None:
            process.kill()
            pytest.fail(f"{reports} reports were not written within 600 s: {process.communicate()[1][-2000:]!r}")
        time.sleep(0.1)
    return process, command, out


def test_interrupted_run_leaves_no_kernels_and_completes_when_run_again(tmp_path):
    """Ctrl-C at the worst moment, whatever the machine's load: the workers hold on right after writing a
    report's HTML file (see tests/interrupt_hook), before the run has their result. That report is kept."""
    hook = str(Path(__file__).parent / "interrupt_hook")
    held = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [hook, os.environ.get("PYTHONPATH")]))}
    process, command, out = start_sample_run(tmp_path, 1, held)
    started = descendants(process.pid)
    assert started  # its workers and their kernels
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=300)
    assert process.returncode == 130, stderr
    assert b"Interrupted" in stderr and b"Traceback" not in stderr
    assert not alive(started, within=60)  # polled: returns as soon as they are gone
    assert not [*out.glob(".*.tmp"), *out.glob(".*.running-*")]
    finished = subprocess.run(command, capture_output=True, text=True)
    assert finished.returncode == 0, finished.stderr
    assert "already up to date" in finished.stdout
    assert len(list(out.glob("*.html"))) == 12  # ten reports, the portfolio summary and the index


def test_a_report_on_a_warm_kernel_is_the_report_made_alone(tmp_path):
    """A report made on a kernel that made nine others first is byte for byte the report of
    that group made alone in a fresh folder."""
    params = tmp_path / "review.yaml"
    params.write_text(PARAMS.replace("workbook: review.xlsx", "workbook: sample"), encoding="utf-8")
    result = invoke("run", params, "--jobs", 1)  # one worker: BKL-10 is its kernel's tenth notebook
    assert result.exit_code == 0 and "10 reports written" in result.output, result.output
    alone = tmp_path / "alone.yaml"
    alone.write_text(
        params.read_text(encoding="utf-8").replace("output_folder: out", "output_folder: alone"), encoding="utf-8"
    )
    assert invoke("run", alone, "--group", "BKL-10").exit_code == 0
    assert (tmp_path / "alone" / "BKL-10.html").read_bytes() == (tmp_path / "out" / "BKL-10.html").read_bytes()


def test_pdf_reports_footers_and_index_links(review):
    needs("chromium")
    assert invoke("run", review, "--format", "html,pdf").exit_code == 0
    out = review.parent / "out"
    assert (out / "BSM-01.pdf").read_bytes().startswith(b"%PDF") and (out / "portfolio.pdf").exists()
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    entry = manifest["groups"]["BSM-01"]
    assert set(entry["outputs"]) == {"BSM-01.html", "BSM-01.ipynb", "BSM-01.pdf"}
    assert entry["inputs"]["data"] in (out / "BSM-01.html").read_text(encoding="utf-8")  # the footer
    assert 'href="BSM-01.pdf"' in (out / "index.html").read_text(encoding="utf-8")
    assert "already up to date" in invoke("run", review, "--format", "html,pdf").output
    (out / "UMKM-02.pdf").unlink()
    assert "1 reports written, 1 already up to date" in invoke("run", review, "--format", "pdf").output


def test_pdf_without_weasyprint_libraries_is_refused_before_any_work(review, monkeypatch):
    import builtins

    real_import = builtins.__import__

    def no_pango(name, *args, **kwargs):
        if name == "weasyprint":
            raise OSError("cannot load library 'libpango-1.0-0'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pango)
    result = invoke("run", review, "--format", "html,pdf")
    assert result.exit_code == 1 and "apt-get install libpango-1.0-0" in result.output
    assert not (review.parent / "out").exists()


def test_dask_executor_on_a_local_cluster(review):
    from distributed import LocalCluster

    # the dashboard on a port the system picks: 8787, its default, may be taken (another run, a cluster)
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0") as cluster:
        result = invoke("run", review, "--executor", "dask", "--scheduler", cluster.scheduler_address)
    assert result.exit_code == 0, result.output
    assert "2 reports written" in result.output
    assert (review.parent / "out" / "UMKM-02.html").exists()


def test_dask_executor_needs_a_scheduler(review):
    result = invoke("run", review, "--executor", "dask")
    assert result.exit_code == 2 and "--scheduler" in result.output


@pytest.mark.parametrize(
    "folder, message",
    [
        ("review.xlsx", "is a file, not a folder"),
        (".", "holds the params file or the workbook"),
        ("..", "holds the params file or the workbook"),
    ],
)
def test_unsafe_output_folders_are_refused(review, folder, message):
    review.write_text(PARAMS.replace("output_folder: out", f"output_folder: {folder}"), encoding="utf-8")
    for args in ((), ("--force",)):
        result = invoke("run", review, *args)
        assert result.exit_code == 1 and message in result.output and "output_folder" in result.output


def test_a_folder_of_other_files_needs_force(review):
    out = review.parent / "out"
    out.mkdir()
    (out / "index.html").write_text("my own page", encoding="utf-8")
    refused = invoke("run", review)
    assert refused.exit_code == 1 and "already holds files that no review made" in refused.output
    assert (out / "index.html").read_text(encoding="utf-8") == "my own page"
    assert invoke("run", review, "--force").exit_code == 0


def test_killed_run_leaves_complete_files_and_no_kernels(tmp_path):
    process, command, out = start_sample_run(tmp_path, 2)
    started = descendants(process.pid)
    assert started
    process.kill()  # SIGKILL: no chance to clean up
    process.wait(timeout=30)
    for page in out.glob("*.html"):
        assert page.read_text(encoding="utf-8").rstrip().endswith("</html>")  # never half-written
    assert not alive(started, within=120)  # each worker sees its parent is gone, kills its kernel, exits
    finished = subprocess.run(command, capture_output=True, text=True)
    assert finished.returncode == 0, finished.stderr
    assert not [*out.glob(".*.tmp"), *out.glob(".*.running-*")]  # leftovers cleared by the next run
    assert len(list(out.glob("*.html"))) == 12


def _status_in_a_fresh_process(params: Path) -> tuple[str, set[str]]:
    """`tjsl-eval status` run in a new interpreter: its output, and which heavy libraries it imported."""
    code = (
        "import sys\nfrom tjsl_eval.cli import main\n"
        "try:\n    main(['status', sys.argv[1]])\nexcept SystemExit:\n    pass\n"
        "import json\nprint(json.dumps([m for m in ('pandas', 'numpy', 'nbconvert', 'nbformat', 'jupyter_client', "
        "'papermill') if m in sys.modules]))"
    )
    done = subprocess.run([sys.executable, "-c", code, str(params)], capture_output=True, text=True, check=True)
    *lines, imported = done.stdout.strip().splitlines()
    return "\n".join(lines), set(json.loads(imported))


def test_nothing_to_do_is_known_from_file_hashes_alone(review, monkeypatch):
    assert invoke("run", review).exit_code == 0
    output, imported = _status_in_a_fresh_process(review)
    assert "0 of 3 reports stale" in output and imported == set()
    assert "0 reports written, 2 already up to date" in invoke("run", review).output
    page = review.parent / "out" / "BSM-01.html"
    page.write_bytes(page.read_bytes() + b" ")  # an output changed: the full check finds which
    output, imported = _status_in_a_fresh_process(review)
    assert "BSM-01: stale — BSM-01.html was changed after it was made" in output and "pandas" in imported
    assert "1 reports written, 1 already up to date" in invoke("run", review).output
    assert _status_in_a_fresh_process(review)[1] == set()
    photo = review.parent / "photo.jpg"  # a photo the workbook comes to reference
    photo.write_bytes(b"one")
    from tjsl_eval.batch import run as batch_run
    from tjsl_eval.batch import unchanged

    monkeypatch.setattr(batch_run, "photo_files", lambda source, workbook: {"photo.jpg": photo})
    assert "2 reports written" in invoke("run", review, "--force").output  # recorded with the photo
    assert unchanged.NoOpCheck(load_review(review)).reports() == ["BSM-01", "UMKM-02", "portfolio"]
    photo.write_bytes(b"two")
    assert unchanged.NoOpCheck(load_review(review)).reports() is None
    photo.write_bytes(b"one")
    assert unchanged.NoOpCheck(load_review(review)).reports() == ["BSM-01", "UMKM-02", "portfolio"]


def test_no_op_check_falls_back_on_any_change_of_inputs_or_libraries(review, tmp_path, monkeypatch):
    from tjsl_eval.batch.unchanged import NoOpCheck, environment_fingerprint

    assert invoke("run", review).exit_code == 0
    assert NoOpCheck(load_review(review)).reports(("html",)) is not None
    assert NoOpCheck(load_review(review)).reports(("html", "pdf")) is None  # no PDF was made
    libraries = tmp_path / "site-packages"
    libraries.mkdir()
    monkeypatch.syspath_prepend(str(libraries))
    before = environment_fingerprint()
    (libraries / "somelib-1.0.dist-info").mkdir()  # a library installed
    assert environment_fingerprint() != before
    assert NoOpCheck(load_review(review)).reports() is None
    (libraries / "somelib-1.0.dist-info").rmdir()
    assert NoOpCheck(load_review(review)).reports() is not None
    review.write_text(PARAMS + "language: en\n", encoding="utf-8")
    assert NoOpCheck(load_review(review)).reports() is None
    assert "2 reports written" in invoke("run", review).output
    sheets = valid_sheets()
    sheets["anggaran"][1][4] = 45_000_000
    write_xlsx(review.parent / "review.xlsx", sheets)
    assert NoOpCheck(load_review(review)).reports() is None
    assert invoke("run", review, "--group", "UMKM-02").exit_code == 0  # BSM-01 still stale: nothing recorded
    assert NoOpCheck(load_review(review)).reports() is None
    assert "BSM-01: stale — its data changed" in invoke("status", review).output

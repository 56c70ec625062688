"""The batch on the bundled sample, through the command line, as a user runs it."""

import datetime as dt
import json
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from conftest import JUDGED_KEYS, needs_chromium

from tjsl_eval.cli import main
from tjsl_eval.inputs.workbook import load_workbook
from tjsl_eval.methods.evaluation import METHOD_KEYS, group_metrics
from tjsl_eval.methods.metrics import METRIC_KEYS

NOTEBOOK = Path(__file__).parent.parent / "notebooks" / "group_report.ipynb"
YEAR_KEYS = {*METRIC_KEYS, *METHOD_KEYS, "ikm_sample", "beneficiaries"}  # also the previous year's
GROUP_KEYS = {"name", "pillar", "year", *YEAR_KEYS, *JUDGED_KEYS, "previous_year", "changes"}


PARAMS = (
    "title: Uji <b>FGD</b>\norganiser: Unit\nfgd_date: 2024-01-16\nvenue: Balikpapan\n"
    "evaluated_year: 2023\nworkbook: sample\noutput_folder: out\n"
)


@pytest.fixture(scope="module")
def review_run(tmp_path_factory):
    folder = tmp_path_factory.mktemp("review")
    params = folder / "review.yaml"
    params.write_text(PARAMS, encoding="utf-8")
    result = CliRunner().invoke(main, ["run", str(params), "--jobs", "2"])
    return result, folder / "out"


def test_run_writes_every_report(review_run):
    result, out = review_run
    assert result.exit_code == 0, result.output
    sample = load_workbook("sample")
    assert "10 reports written" in result.output
    for group_id in sample.group_ids:
        html = (out / f"{group_id}.html").read_text(encoding="utf-8")
        assert sample.group(group_id)["name"] in html
        assert "GroupReport.from_parameters" not in html  # inputs hidden
        assert (out / f"{group_id}.ipynb").exists()
    index = (out / "index.html").read_text(encoding="utf-8")
    assert all(f'href="{group_id}.html"' in index for group_id in sample.group_ids)
    assert "Uji &lt;b&gt;FGD&lt;/b&gt;" in index
    assert not [*out.glob(".*.tmp"), *out.glob(".*.running.ipynb")]  # no temporary files left behind


def test_metrics_json(review_run):
    _, out = review_run
    data = json.loads((out / "metrics.json").read_text(encoding="utf-8"))
    assert data["review"]["evaluated_year"] == 2023 and data["review"]["workbook"] == "sample"
    assert data["review"]["output_folder"] == "out"  # as written, never an absolute path
    sample = load_workbook("sample")
    assert set(data["groups"]) == set(sample.group_ids)
    for group_id, figures in data["groups"].items():
        assert set(figures) == GROUP_KEYS
        expected = group_metrics(sample, group_id, 2023, as_of=dt.date(2024, 1, 16))
        assert {k: v for k, v in figures.items() if k != "changes"} == json.loads(json.dumps(expected))
        assert set(figures["changes"]) >= set(METRIC_KEYS)
        if figures["previous_year"]:
            assert set(figures["previous_year"]) == {"year", *YEAR_KEYS}
    # TKK-09 starts in 2023: no previous year, so null rather than zeros
    assert data["groups"]["TKK-09"]["previous_year"] is None
    # Hand-checked from anggaran.csv: BSM-01 planned 57.000.000 and realized 55.950.000 in 2023
    bsm = data["groups"]["BSM-01"]
    assert (bsm["budget_planned"], bsm["budget_realized"]) == (57_000_000, 55_950_000)
    assert bsm["budget_absorption_pct"] == pytest.approx(98.1579, abs=1e-4)
    assert bsm["previous_year"]["year"] == 2022


def test_only_chosen_groups(tmp_path):
    params = tmp_path / "review.yaml"
    params.write_text(
        "title: T\norganiser: O\nfgd_date: 2024-01-16\nvenue: V\nevaluated_year: 2023\n"
        "workbook: sample\noutput_folder: out\nlanguage: en\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["run", str(params), "--group", "KSB-04", "--jobs", "1"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "out").glob("*.html")) == ["KSB-04.html", "index.html", "portfolio.html"]
    assert "Group profile" in (tmp_path / "out" / "KSB-04.html").read_text(encoding="utf-8")
    # the index and metrics.json still cover the whole review, marking reports not made yet
    index = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    assert 'href="KSB-04.html"' in index and index.count("not made yet") == 9
    assert len(json.loads((tmp_path / "out" / "metrics.json").read_text(encoding="utf-8"))["groups"]) == 10


def test_papermill_by_hand(tmp_path):
    out = tmp_path / "out.ipynb"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "papermill",
            str(NOTEBOOK),
            str(out),
            "-p",
            "group_id",
            "MGR-02",
            "-p",
            "year",
            "2023",
            "-p",
            "workbook",
            "sample",
            "--log-level",
            "ERROR",
        ],
        check=True,
        capture_output=True,
    )
    assert "Kelompok Pelestari Mangrove" in out.read_text(encoding="utf-8")


def test_programme_view_files(review_run):
    _, out = review_run
    data = json.loads((out / "metrics.json").read_text(encoding="utf-8"))
    programme = data["programme"]
    assert programme["groups"] == 10 and programme["previous_year"]["groups"] == 9  # TKK-09 is new in 2023
    assert programme["changes"]["budget_absorption_pct"]["verdict"] in {"lebih_baik", "lebih_buruk", "tetap"}
    assert data["groups"]["TKK-09"]["changes"]["indicator_achievement_pct"]["verdict"] == "baru"
    portfolio = (out / "portfolio.html").read_text(encoding="utf-8")
    assert "Ringkasan program TJSL 2023" in portfolio and "Register tindak lanjut masukan FGD" in portfolio
    assert 'href="BSM-01.html"' in portfolio and "summary.numbers" not in portfolio  # linked, no code shown
    assert 'href="portfolio.html"' in (out / "index.html").read_text(encoding="utf-8")
    sheet = openpyxl.load_workbook(out / "fgd_register.xlsx").active
    feedback_rows = len(load_workbook("sample")["fgd_feedback"])
    assert sheet.max_row == feedback_rows + 1 and sheet.freeze_panes == "A2" and sheet.auto_filter.ref
    raw = (out / "metrics.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    lines = raw.decode("utf-8-sig").splitlines()
    assert len(lines) == 11 and lines[0].startswith("ID kelompok;Nama kelompok;Pilar;Kelurahan;Tahun;Rencana anggaran")
    bsm = next(line for line in lines if line.startswith("BSM-01;")).split(";")
    assert bsm[5] == "57000000,0"  # a number Excel in an Indonesian locale reads as 57.000.000


def test_the_sample_review_is_archived_and_verified(review_run, tmp_path):
    result, out = review_run
    assert result.exit_code == 0, result.output
    archive = tmp_path / "review-2023.zip"
    archived = CliRunner().invoke(main, ["archive", str(out.parent / "review.yaml"), str(archive)])
    assert archived.exit_code == 0, archived.output
    verified = CliRunner().invoke(main, ["verify", str(archive)])
    assert verified.exit_code == 0, verified.output
    with zipfile.ZipFile(archive) as opened:
        files = len(opened.namelist())  # every file of the archive is checked
    assert verified.output.startswith(f"verified: 10 reports, {files} files, made from sample sha256 ")


def reproducible_outputs(folder: Path) -> dict[str, bytes | dict]:
    """Every file a run wrote into ``folder`` but the executed notebooks (which carry their run's
    times) and the run's own cache (pickles, whose bytes follow object identity), by name; of
    ``manifest.json`` (which also holds durations), the outputs' hashes."""
    files = {
        path.name: path.read_bytes() for path in sorted(folder.iterdir()) if path.is_file() and path.suffix != ".ipynb"
    }
    manifest = json.loads(files.pop("manifest.json"))
    files["manifest.json: output hashes"] = {
        name: {output: digest for output, digest in entry["outputs"].items() if not output.endswith(".ipynb")}
        for name, entry in [*manifest["groups"].items(), ("portfolio", manifest["portfolio"])]
    }
    return files


def test_two_runs_apart_in_time_zone_and_folder_write_the_same_bytes(tmp_path, time_zone, monkeypatch):
    """The same inputs, run again later, under another time zone, into another folder: every output the same."""
    needs_chromium()
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)  # nothing may lean on it
    folders = [tmp_path / "first", tmp_path / "second"]
    arguments = ["--group", "BSM-01", "--group", "KSB-04", "--format", "html,pdf"]
    started = time.monotonic()
    for folder, zone, jobs in zip(folders, ["UTC", "Asia/Tokyo"], ["2", "1"], strict=True):
        time.sleep(max(0.0, started + 2.1 - time.monotonic()))  # the second run starts 2+ s after the first
        time_zone(zone)  # Chromium, openpyxl and zip entries read the local clock: nine hours apart
        folder.mkdir()
        (folder / "review.yaml").write_text(PARAMS, encoding="utf-8")
        result = CliRunner().invoke(main, ["run", str(folder / "review.yaml"), "--jobs", jobs, *arguments])
        assert result.exit_code == 0, result.output
    first, second = (reproducible_outputs(folder / "out") for folder in folders)
    expected = {"metrics.json", "metrics.csv", "fgd_register.xlsx", "index.html", "run.log"}
    expected |= {f"{name}.{kind}" for name in ("BSM-01", "KSB-04", "portfolio") for kind in ("html", "pdf")}
    assert expected <= set(first) and set(first) == set(second)
    assert [name for name in first if first[name] != second[name]] == []
    assert not [
        name for name, content in first.items() if isinstance(content, bytes) and str(tmp_path).encode() in content
    ]

"""Hostile and careless inputs on the batch side (issue #22): archives, review folders, caches, concurrent runs.

Each case is built on the fly from one small finished review and run as a user runs it: the command in a
subprocess under a memory limit (RLIMIT_AS 1.5 GB) and a timeout. It must end with exit status 1 (0 where
the input is valid), one clear message, no ``Traceback``, no file changed outside the expected folder, and
for ``verify --rerun`` and the caches, no marker file that the hostile code would have written.
"""

import errno
import hashlib
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from tjsl_eval.batch.folder_lock import LOCK_NAME
from tjsl_eval.cli import main
from tjsl_eval.common.cache_files import KEY_FOLDER_VARIABLE, MAGIC
from tjsl_eval.common.limits import ARCHIVE_RATIO, JSON_DEPTH

MEMORY_LIMIT = 1536 * 1024**2
TIMEOUT = 600  # generous for a loaded machine; a case ends as soon as its command does
PARAMS = (
    "title: Uji\norganiser: Unit\nfgd_date: 2024-01-16\nvenue: Balikpapan\nevaluated_year: 2023\n"
    "workbook: sample\ngroups: [BSM-01]\noutput_folder: out\n"
)
NOTEBOOK_ENTRY = "inputs/notebooks/group_report.ipynb"
MANIFEST_ENTRY = "outputs/manifest.json"


def _limited() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def tjsl(*args: object, cwd: Path, scratch: Path, keys: Path) -> subprocess.CompletedProcess:
    """``tjsl-eval ARGS`` in a process of its own under the memory limit, its temporary files in
    ``scratch``; never a traceback."""
    environment = {**os.environ, "TMPDIR": str(scratch), KEY_FOLDER_VARIABLE: str(keys)}
    result = subprocess.run(
        [sys.executable, "-m", "tjsl_eval", *map(str, args)],
        cwd=cwd,
        env=environment,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        preexec_fn=_limited,
    )
    assert "Traceback" not in result.stdout + result.stderr, result.stderr
    return result


@pytest.fixture(scope="module")
def keys(tmp_path_factory) -> Path:
    """The cache key's folder for every command of this module (outside any review folder)."""
    return tmp_path_factory.mktemp("keys")


@pytest.fixture(scope="module")
def review(tmp_path_factory, keys) -> tuple[Path, Path]:
    """A finished one-group review of the sample (HTML) and its archive."""
    folder = tmp_path_factory.mktemp("review")
    scratch = tmp_path_factory.mktemp("scratch")
    (folder / "review.yaml").write_text(PARAMS, encoding="utf-8")
    made = tjsl("run", "review.yaml", "--jobs", 1, cwd=folder, scratch=scratch, keys=keys)
    assert made.returncode == 0, made.stderr
    archived = tjsl("archive", "review.yaml", "review.zip", cwd=folder, scratch=scratch, keys=keys)
    assert archived.returncode == 0, archived.stderr
    return folder, folder / "review.zip"


@pytest.fixture
def run_here(tmp_path, keys):
    """Run a command in ``tmp_path`` with an empty scratch folder of its own; the scratch folder is checked
    to be empty afterwards (nothing extracted)."""
    scratch = tmp_path / "scratch"
    scratch.mkdir()

    def run(*args: object) -> subprocess.CompletedProcess:
        return tjsl(*args, cwd=tmp_path, scratch=scratch, keys=keys)

    yield run
    assert not list(scratch.iterdir()), "a command left files in the temporary folder"


def copied_archive(archive: Path, target: Path, change=None, extra=()) -> Path:
    """A copy of ``archive`` with its entries passed through ``change(name, data)`` (None drops one), then
    ``extra`` (name, data) entries appended."""
    with zipfile.ZipFile(archive) as source, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as copy:
        for name in source.namelist():
            data = source.read(name)
            data = change(name, data) if change else data
            if data is not None:
                copy.writestr(name, data)
        for name, data in extra:
            copy.writestr(name, data)
    return target


def hostile_notebook(data: bytes, marker: Path) -> bytes:
    """The archived group notebook with one added code cell that writes ``marker``."""
    notebook = json.loads(data)
    code = f"open({str(marker)!r}, 'w').write('ran')"
    cell = {"cell_type": "code", "metadata": {}, "execution_count": None, "outputs": [], "source": code}
    notebook["cells"].append(cell)
    return json.dumps(notebook).encode()


def with_sources_rehashed(archive: Path, target: Path, changed: dict[str, bytes]) -> Path:
    """A copy of ``archive`` with the ``changed`` entries AND its manifest updated to their new hashes, so that
    a plain verify passes (as a forger would make it)."""

    def change(name: str, data: bytes) -> bytes:
        if name == MANIFEST_ENTRY:
            manifest = json.loads(data)
            manifest["sources"].update({key: hashlib.sha256(value).hexdigest() for key, value in changed.items()})
            return json.dumps(manifest, indent=2, sort_keys=True).encode()
        return changed.get(name, data)

    return copied_archive(archive, target, change)


def forged_notebook(archive: Path, target: Path, marker: Path) -> Path:
    """A copy of ``archive`` whose group notebook writes ``marker``, its manifest updated: verify passes."""
    with zipfile.ZipFile(archive) as source:
        notebook = hostile_notebook(source.read(NOTEBOOK_ENTRY), marker)
    return with_sources_rehashed(archive, target, {NOTEBOOK_ENTRY: notebook})


def refused(result: subprocess.CompletedProcess, *phrases: str) -> None:
    assert result.returncode == 1, result.stdout + result.stderr
    for phrase in phrases:
        assert phrase in result.stderr, result.stderr


# --- verify: an archive is checked where it lies ---


def test_a_valid_archive_verifies_without_extracting_anything(review, run_here):
    _, archive = review
    result = run_here("verify", archive)
    assert result.returncode == 0 and "verified: 1 reports" in result.stdout + result.stderr


@pytest.mark.filterwarnings("ignore:Duplicate name")  # zipfile warns as it writes the case
def test_a_name_twice_is_refused_even_with_the_tampered_copy_first(review, tmp_path, run_here):
    _, archive = review
    target = tmp_path / "twice.zip"
    with zipfile.ZipFile(archive) as source, zipfile.ZipFile(target, "w") as copy:
        copy.writestr("outputs/BSM-01.html", b"<p>tampered</p>")  # read first by a careless reader
        for name in source.namelist():
            copy.writestr(name, source.read(name))
    refused(run_here("verify", target), "outputs/BSM-01.html: is in the archive 2 times")


def test_an_encrypted_entry_is_refused(review, tmp_path, run_here):
    _, archive = review
    target = copied_archive(archive, tmp_path / "encrypted.zip", extra=[("outputs/secret.txt", b"x" * 64)])
    raw = bytearray(target.read_bytes())  # its "encrypted" flag set, in its local and its central header
    with zipfile.ZipFile(target) as copy:
        raw[copy.getinfo("outputs/secret.txt").header_offset + 6] |= 0x1
    raw[raw.rfind(b"PK\x01\x02") + 8] |= 0x1  # the last entry's central header
    target.write_bytes(bytes(raw))
    refused(run_here("verify", target), "outputs/secret.txt: is encrypted")


def test_a_zip_bomb_entry_is_refused_before_it_is_read(review, tmp_path, run_here):
    _, archive = review
    bomb = ("inputs/workbook/sample/bomb.csv", bytes(64 * 1024**2))  # 64 MB of zeros: about 64 KB deflated
    target = copied_archive(archive, tmp_path / "bomb.zip", extra=[bomb])
    refused(
        run_here("verify", target), "inputs/workbook/sample/bomb.csv: expands", f"the limit is {ARCHIVE_RATIO} times"
    )


def test_an_entry_outside_the_archive_is_refused(review, tmp_path, run_here):
    _, archive = review
    target = copied_archive(archive, tmp_path / "slip.zip", extra=[("inputs/../../evil.txt", b"x")])
    refused(run_here("verify", target), "'inputs/../../evil.txt': is not a relative path inside the archive")
    assert not (tmp_path.parent / "evil.txt").exists()


def _damaged(archive: Path, target: Path, name: str, compress_type: int) -> Path:
    """A copy of ``archive`` whose ``name`` entry has one byte of its stored data flipped."""
    marker = b"DAMAGE-ME-" * 200
    with zipfile.ZipFile(archive) as source, zipfile.ZipFile(target, "w") as copy:
        for entry in source.namelist():
            data = source.read(entry)
            copy.writestr(entry, marker + data if entry == name else data, compress_type=compress_type)
    raw = bytearray(target.read_bytes())
    with zipfile.ZipFile(target) as copy:
        info = copy.getinfo(name)
    offset = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra) + 40  # inside its data
    raw[offset] ^= 0xFF
    target.write_bytes(bytes(raw))
    return target


@pytest.mark.parametrize("compress_type", [zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED], ids=["bad-crc", "bad-deflate"])
def test_damaged_data_is_named_with_its_entry(review, tmp_path, run_here, compress_type):
    _, archive = review
    target = _damaged(archive, tmp_path / "damaged.zip", "outputs/BSM-01.html", compress_type)
    refused(run_here("verify", target), "outputs/BSM-01.html: its data is damaged", "ask for a new copy")


def test_a_manifest_nested_100k_deep_is_refused(review, tmp_path, run_here):
    _, archive = review
    deep = b"[" * 100_000 + b"]" * 100_000
    target = copied_archive(archive, tmp_path / "deep.zip", lambda name, data: deep if name == MANIFEST_ENTRY else data)
    refused(run_here("verify", target), f"nest deeper than {JSON_DEPTH} levels")


def test_what_is_not_a_zip_is_named(tmp_path, run_here):
    (tmp_path / "noise.zip").write_bytes(b"PK\x03\x04" + bytes(range(256)) * 8)
    refused(run_here("verify", tmp_path / "noise.zip"), "cannot be read as a zip file")


# --- verify --rerun: no code from the archive ---


def test_rerun_refuses_an_archive_whose_notebook_differs_from_the_installed_one(review, tmp_path, run_here):
    _, archive = review
    marker = tmp_path / "pwned"
    forged = forged_notebook(archive, tmp_path / "forged.zip", marker)
    assert run_here("verify", forged).returncode == 0  # the forger updated the manifest: verify passes
    refused(run_here("verify", forged, "--rerun"), NOTEBOOK_ENTRY, "--trust-archive")
    assert not marker.exists()


def test_rerun_runs_nothing_from_an_archive_that_does_not_verify(review, tmp_path, run_here):
    _, archive = review
    marker = tmp_path / "pwned"

    def change(name: str, data: bytes) -> bytes:
        return hostile_notebook(data, marker) if name == NOTEBOOK_ENTRY else data

    changed = copied_archive(archive, tmp_path / "changed.zip", change)
    for trust in ((), ("--trust-archive",)):
        refused(run_here("verify", changed, "--rerun", *trust), "does not verify", f"changed: {NOTEBOOK_ENTRY}")
    assert not marker.exists()


def test_trust_archive_runs_the_archived_notebook_as_documented(review, tmp_path, keys):
    _, archive = review
    marker = tmp_path / "ran"
    forged = forged_notebook(archive, tmp_path / "forged.zip", marker)
    result = tjsl(
        "verify", forged, "--rerun", "--trust-archive", "--jobs", 1, cwd=tmp_path, scratch=tmp_path, keys=keys
    )
    assert "--trust-archive: running the archive's code" in result.stderr
    assert marker.exists()  # what --trust-archive means: the archive's code ran


# --- caches: never loaded unless sealed with the user's key ---


class Pwn:
    """A pickle that writes a marker file when it is loaded."""

    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return (Path.write_text, (self.marker, "ran"))


def sent_folder(review: tuple[Path, Path], tmp_path: Path) -> Path:
    """A copy of the finished review (params file and output folder), as someone would send it."""
    folder, _ = review
    sent = tmp_path / "sent"
    sent.mkdir()
    shutil.copy(folder / "review.yaml", sent)
    shutil.copytree(folder / "out", sent / "out", symlinks=True)
    return sent


def test_hostile_caches_in_a_review_folder_are_never_loaded(review, tmp_path, run_here, keys):
    import pickle

    from tjsl_eval.batch.cache import source_fingerprint

    sent = sent_folder(review, tmp_path)
    cache = sent / "out" / ".cache"
    marker = tmp_path / "pwned"
    hostile = pickle.dumps(Pwn(marker))
    key_text = (cache / "workbook.key").read_text(encoding="utf-8")
    assert key_text.startswith(source_fingerprint("sample"))  # a forger can compute the key: it is no secret
    for name in ("workbook.pkl", "entries.pkl", "BSM-01.pkl", "BSM-01.entries.pkl"):
        (cache / name).write_bytes(hostile)
    (cache / "MGR-02.entries.pkl").write_bytes(MAGIC + bytes(32) + hostile)  # a forged seal
    (cache / "unchanged.json").write_text("[" * 100_000, encoding="utf-8")
    for command in (("status", "sent/review.yaml"), ("verify", "sent/out"), ("run", "sent/review.yaml", "--jobs", 1)):
        result = run_here(*command)
        assert result.returncode == 0, (command, result.stderr)
    assert not marker.exists()
    assert (cache / "workbook.pkl").read_bytes().startswith(MAGIC)  # made again, sealed


@pytest.fixture
def own_key_folder(tmp_path, monkeypatch):
    from tjsl_eval.common.cache_files import cache_key

    monkeypatch.setenv(KEY_FOLDER_VARIABLE, str(tmp_path / "keys"))
    cache_key.cache_clear()
    yield tmp_path / "keys"
    cache_key.cache_clear()


def test_a_cache_is_read_only_with_the_key_that_sealed_it(own_key_folder, tmp_path):
    from tjsl_eval.common.cache_files import CacheRejected, cache_key, load_cached, save_cached

    save_cached({"figures": [1, 2]}, tmp_path / "kept.pkl")
    assert load_cached(tmp_path / "kept.pkl", dict) == {"figures": [1, 2]}
    with pytest.raises(CacheRejected):
        load_cached(tmp_path / "kept.pkl", list)  # sealed as a dict
    key = own_key_folder / "cache.key"
    assert key.stat().st_mode & 0o777 == 0o600
    key.chmod(0o644)  # a key others may read is no secret: replaced
    cache_key.cache_clear()
    with pytest.raises(CacheRejected):
        load_cached(tmp_path / "kept.pkl", dict)
    assert key.stat().st_mode & 0o777 == 0o600


# --- archive: nothing overwritten ---


def test_archive_refuses_an_existing_file_unless_forced_and_never_the_review_s_own_files(review, tmp_path, keys):
    folder, _ = review
    existing = tmp_path / "old.zip"
    existing.write_bytes(b"keep me")
    params = (folder / "review.yaml").read_bytes()

    def run(*args: object) -> subprocess.CompletedProcess:
        return tjsl("archive", folder / "review.yaml", *args, cwd=folder, scratch=tmp_path, keys=keys)

    refused(run(existing), "already exists", "--force")
    assert existing.read_bytes() == b"keep me"
    for own in ("review.yaml", folder / "review.yaml"):
        refused(run(own, "--force"), "is one of the review's own files")
    refused(run(folder / "out" / "index.html", "--force"), "write the archive outside the review's folder")
    assert (folder / "review.yaml").read_bytes() == params
    assert run(existing, "--force").returncode == 0
    assert zipfile.is_zipfile(existing)


# --- runs: one at a time per folder; a killed run's lock is stale; only the tool's own leftovers removed ---


def test_two_runs_at_once_leave_a_review_that_verifies(tmp_path, keys):
    (tmp_path / "review.yaml").write_text(PARAMS, encoding="utf-8")
    environment = {**os.environ, KEY_FOLDER_VARIABLE: str(keys)}
    command = [sys.executable, "-m", "tjsl_eval", "run", "review.yaml", "--jobs", "1"]
    runs = [
        subprocess.Popen(command, cwd=tmp_path, env=environment, stderr=subprocess.PIPE, text=True, preexec_fn=_limited)
        for _ in range(2)
    ]
    errors = [run.communicate(timeout=TIMEOUT)[1] for run in runs]
    assert [run.returncode for run in runs] == [0, 0], errors
    assert not any("Traceback" in error for error in errors)
    verified = tjsl("verify", "out", cwd=tmp_path, scratch=tmp_path, keys=keys)
    assert verified.returncode == 0, verified.stdout + verified.stderr


def test_a_stale_lock_is_recognised_and_only_the_tool_s_own_leftovers_removed(review, tmp_path, run_here):
    sent = sent_folder(review, tmp_path)
    out = sent / "out"
    (out / LOCK_NAME).write_text("4242-deadbeef\n", encoding="ascii")  # a run killed while holding it
    own = [out / ".BSM-01.html.a1b2c3d4.tmp", out / ".BSM-01.running-4242-deadbeef.ipynb"]
    foreign = [out / ".my-notes.txt.x1y2z3.tmp", out / ".draft.running-1.ipynb"]
    for path in own + foreign:
        path.write_text("left", encoding="utf-8")
    result = run_here("run", "sent/review.yaml", "--jobs", 1)  # every report up to date: nothing is made
    assert result.returncode == 0, result.stderr
    assert "run 4242-deadbeef) was killed; its lock is stale" in result.stderr
    assert not any(path.exists() for path in own)
    assert all(path.exists() for path in foreign)


def test_a_cache_folder_that_links_elsewhere_is_refused(tmp_path, run_here):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / ".cache").symlink_to(elsewhere)
    (tmp_path / "review.yaml").write_text(PARAMS, encoding="utf-8")
    for force in ((), ("--force",)):
        refused(run_here("run", "review.yaml", *force), ".cache is a symbolic link")
    assert not list(elsewhere.iterdir())


# --- disk errors: a message, not a traceback ---


@pytest.mark.parametrize(
    ("code", "advice"), [(errno.ENOSPC, "the disk is full"), (errno.EROFS, "read-only disk")], ids=["ENOSPC", "EROFS"]
)
def test_a_full_or_read_only_disk_is_a_message(review, tmp_path, monkeypatch, code, advice):
    from tjsl_eval.batch import archive, rerun

    def full(*args, **kwargs):
        raise OSError(code, os.strerror(code), str(tmp_path / "x"))

    folder, zip_path = review
    monkeypatch.chdir(folder)
    monkeypatch.setattr(archive, "write_zip", full)
    monkeypatch.setattr(rerun, "_write_inputs", full)
    for args in (("archive", "review.yaml", tmp_path / "a.zip"), ("verify", zip_path, "--rerun")):
        result = CliRunner().invoke(main, [str(arg) for arg in args])
        assert result.exit_code == 1 and advice in result.output and "Traceback" not in result.output, result.output


def test_rerun_without_room_for_the_inputs_extracts_nothing(review, monkeypatch):
    from collections import namedtuple

    from tjsl_eval.batch import rerun

    usage = namedtuple("usage", "total used free")
    monkeypatch.setattr(rerun.shutil, "disk_usage", lambda path: usage(10**6, 10**6 - 1000, 1000))
    result = CliRunner().invoke(main, ["verify", str(review[1]), "--rerun"])
    assert result.exit_code == 1 and "free some space, or set TMPDIR" in result.output, result.output


# --- the worker's kernels: no file descriptor leak ---

FD_SCRIPT = """
import os, sys, threading
from pathlib import Path
import nbformat
from jupyter_client.channels import HBChannel
from tjsl_eval.batch import workers
from tjsl_eval.batch.execution import ReportTask

folder = Path(sys.argv[1])
parameters = nbformat.v4.new_code_cell("x = 1", metadata={"tags": ["parameters"]})
notebook = nbformat.v4.new_notebook(cells=[parameters, nbformat.v4.new_code_cell("assert x != 3")])
notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
nbformat.write(notebook, folder / "t.ipynb")
for i in range(6):  # every other notebook fails: its kernel is discarded and a new one started
    task = ReportTask(f"r{i}", folder / "t.ipynb", {"x": 3 if i % 2 else 1}, folder, "t", {"data": "h"}, 60)
    run = workers.run_on_warm_kernel(task)
    heartbeats = sum(isinstance(thread, HBChannel) for thread in threading.enumerate())
    print(bool(run.error), len(os.listdir("/proc/self/fd")), heartbeats)
"""


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="counts /proc/self/fd")
def test_a_worker_keeps_no_file_descriptors_of_discarded_kernels(tmp_path):
    result = subprocess.run(
        [sys.executable, "-c", FD_SCRIPT, str(tmp_path)], capture_output=True, text=True, timeout=TIMEOUT
    )
    assert result.returncode == 0, result.stderr
    lines = [line.split() for line in result.stdout.splitlines()]
    assert [failed for failed, _, _ in lines] == ["False", "True"] * 3
    after_success = {count for failed, count, _ in lines if failed == "False"}
    after_failure = {count for failed, count, _ in lines if failed == "True"}
    assert len(after_success) == 1 and len(after_failure) == 1, lines  # before the fix: 6 more each time
    assert {heartbeats for _, _, heartbeats in lines} == {"0"}  # the manager knows whether its kernel lives


# --- one format's failure leaves the others ---


def test_a_failing_word_file_leaves_the_html_report(tmp_path):
    import nbformat

    from tjsl_eval.batch.execution import ReportTask, run_notebook
    from tjsl_eval.batch.receipts import read_receipt, receipt_path
    from tjsl_eval.common.files import sha256_file

    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1 + 1")])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(notebook, tmp_path / "t.ipynb")
    parameters = {"document_file": str(tmp_path / "missing.pkl")}  # the Word writer cannot read it
    task = ReportTask("G-1", tmp_path / "t.ipynb", parameters, tmp_path, "t", {"data": "h"}, 60, ("html", "docx"))
    run = run_notebook(task)
    assert run.error and run.error.startswith("docx: FileNotFoundError")
    assert set(run.outputs) == {"G-1.html", "G-1.ipynb"} and (tmp_path / "G-1.html").is_file()
    assert not (tmp_path / "G-1.docx").exists()
    receipt = read_receipt(receipt_path(tmp_path, "G-1"), "G-1")  # what an interrupted run would record
    assert receipt["outputs"] == run.outputs == {name: sha256_file(tmp_path / name) for name in run.outputs}
    assert receipt["error"] == run.error and receipt["inputs"] == {"data": "h"}

"""A finished review archived in one reproducible zip, verified against its manifest, and made
again from the archive (``tjsl-eval archive``, ``tjsl-eval verify [--rerun]``), as a user runs them."""

import hashlib
import json
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import needs

from tjsl_eval.batch.environment import LOCK_FILE
from tjsl_eval.batch.rerun import compare_outputs, first_difference
from tjsl_eval.cli import main

GROUPS = ("BSM-01", "MGR-02")
PARAMS = (
    "title: Uji arsip\norganiser: Unit\nfgd_date: 2024-01-16\nvenue: Balikpapan\nevaluated_year: 2023\n"
    f"workbook: sample\ngroups: [{', '.join(GROUPS)}]\noutput_folder: out\n"
)
VERIFIED = re.compile(r"^verified: 2 reports, (\d+) files, made from sample sha256 [0-9a-f]{64}$", re.MULTILINE)


def invoke(*args):
    return CliRunner().invoke(main, [str(arg) for arg in args])


@pytest.fixture(scope="module")
def archived(tmp_path_factory):
    """A two-group review of the sample, in HTML and PDF, and its archive."""
    needs("chromium")
    folder = tmp_path_factory.mktemp("review")
    params = folder / "review.yaml"
    params.write_text(PARAMS, encoding="utf-8")
    made = invoke("run", params, "--jobs", 2, "--format", "html,pdf")
    assert made.exit_code == 0, made.output
    archive = tmp_path_factory.mktemp("archives") / "review.zip"
    result = invoke("archive", params, archive)
    assert result.exit_code == 0, result.output
    return params, archive


def rewritten(archive: Path, target: Path, change) -> Path:
    """A copy of ``archive`` with its entries passed through ``change(name, data)`` (None drops one)."""
    with zipfile.ZipFile(archive) as source, zipfile.ZipFile(target, "w") as copy:
        for name in source.namelist():
            data = change(name, source.read(name))
            if data is not None:
                copy.writestr(name, data)
    return target


def resealed(archive: Path, target: Path) -> Path:
    """A copy of ``archive`` whose manifest records its inputs' new hashes (and whose README.txt follows):
    an edited archive that a plain verify passes, as anyone can make one."""
    from tjsl_eval.batch.archive import readme_text
    from tjsl_eval.batch.manifest import Manifest

    with zipfile.ZipFile(archive) as source:
        entries = {name: source.read(name) for name in source.namelist()}
    manifest = json.loads(entries["outputs/manifest.json"])
    for name in manifest["sources"]:
        manifest["sources"][name] = hashlib.sha256(entries[name]).hexdigest()
    entries["outputs/manifest.json"] = json.dumps(manifest).encode()
    entries["README.txt"] = readme_text(Manifest.parse(target, json.dumps(manifest))).encode()
    return rewritten(archive, target, lambda name, data: entries[name])


def flipped(name_to_flip: str):
    def change(name: str, data: bytes) -> bytes:
        if name != name_to_flip:
            return data
        middle = len(data) // 2
        return data[:middle] + bytes([data[middle] ^ 0x01]) + data[middle + 1 :]

    return change


def test_the_archive_holds_inputs_outputs_and_a_readme(archived):
    _, archive = archived
    with zipfile.ZipFile(archive) as opened:
        names = opened.namelist()
        readme = opened.read("README.txt").decode("utf-8")
        manifest = json.loads(opened.read("outputs/manifest.json"))
    for group in (*GROUPS, "portfolio"):
        assert {f"outputs/{group}.{kind}" for kind in ("html", "pdf", "ipynb")} <= set(names)
    review_files = ("index.html", "metrics.json", "metrics.csv", "fgd_register.xlsx", "manifest.json", "run.log")
    assert {f"outputs/{name}" for name in review_files} <= set(names)
    inputs = {
        "inputs/params/review.yaml",
        "inputs/workbook/sample/anggaran.csv",
        "inputs/notebooks/group_report.ipynb",
        "inputs/notebooks/portfolio_summary.ipynb",
        "inputs/template/tjsl_report/index.html.j2",
        "inputs/requirements-lock.txt",
        "inputs/VERSION",
    }
    assert inputs <= set(names)
    assert "tjsl-eval verify" in readme and "--rerun" in readme and "sign" in readme
    environment = manifest["environment"]
    assert set(environment) >= {"python", "platform", "tjsl-eval", "lock_sha256"}
    assert environment["lock_sha256"] == hashlib.sha256(LOCK_FILE.read_bytes()).hexdigest()


def test_archiving_twice_gives_the_same_bytes(archived, tmp_path):
    params, archive = archived
    again = tmp_path / "other-name.zip"
    assert invoke("archive", params, again).exit_code == 0
    assert again.read_bytes() == archive.read_bytes()
    with zipfile.ZipFile(again) as opened:
        entries = opened.infolist()
    assert [entry.filename for entry in entries] == sorted(entry.filename for entry in entries)
    assert {entry.date_time for entry in entries} == {(1980, 1, 1, 0, 0, 0)}
    assert {entry.external_attr >> 16 for entry in entries} == {0o100644}


def test_verify_an_untouched_archive_and_the_review_folder(archived, tmp_path):
    params, archive = archived
    result = invoke("verify", archive)
    assert result.exit_code == 0, result.output
    files = int(VERIFIED.search(result.output).group(1))
    with zipfile.ZipFile(archive) as opened:
        assert files == len(opened.namelist())
    folder = invoke("verify", params.parent / "out")
    assert folder.exit_code == 0 and VERIFIED.search(folder.output), folder.output


def test_verify_works_after_moving_and_unzipping(archived, tmp_path):
    _, archive = archived
    moved = tmp_path / "another place" / "kept.zip"
    moved.parent.mkdir()
    shutil.copy(archive, moved)
    assert invoke("verify", moved).exit_code == 0
    unzipped = tmp_path / "unzipped by the auditor"
    with zipfile.ZipFile(moved) as opened:
        opened.extractall(unzipped)
    result = invoke("verify", unzipped)
    assert result.exit_code == 0 and VERIFIED.search(result.output), result.output


@pytest.mark.parametrize(
    "name", ["outputs/BSM-01.html", "outputs/MGR-02.pdf", "outputs/metrics.json", "inputs/workbook/sample/kelompok.csv"]
)
def test_one_changed_byte_is_found(archived, tmp_path, name):
    _, archive = archived
    result = invoke("verify", rewritten(archive, tmp_path / "changed.zip", flipped(name)))
    assert result.exit_code == 1
    assert re.findall(r"^(?:changed|added|missing): .*$", result.output, re.MULTILINE) == [f"changed: {name}"]
    assert "1 file(s) differ from manifest.json" in result.output


def test_a_removed_report_and_an_added_file_are_named(archived, tmp_path):
    _, archive = archived

    def change(name: str, data: bytes) -> bytes | None:
        return None if name == "outputs/MGR-02.html" else data

    changed = rewritten(archive, tmp_path / "changed.zip", change)
    with zipfile.ZipFile(changed, "a") as opened:
        opened.writestr("outputs/notes.txt", b"added later")
    result = invoke("verify", changed)
    assert result.exit_code == 1
    assert "missing: outputs/MGR-02.html" in result.output and "added: outputs/notes.txt" in result.output


def test_verify_refuses_what_is_not_a_review(tmp_path):
    (tmp_path / "not.zip").write_bytes(b"no zip")
    assert "cannot be read as a zip file" in invoke("verify", tmp_path / "not.zip").output
    result = invoke("verify", tmp_path)
    assert result.exit_code == 1 and "neither a review archive" in result.output and "Traceback" not in result.output


def test_an_incomplete_or_stale_review_is_not_archived(archived, tmp_path):
    params, _ = archived
    copy = tmp_path / "copy"
    shutil.copytree(params.parent, copy)
    (copy / "out" / "MGR-02.pdf").unlink()
    result = invoke("archive", copy / "review.yaml", tmp_path / "a.zip")
    assert result.exit_code == 1 and "MGR-02: MGR-02.pdf is missing" in result.output
    assert "not complete or is stale" in result.output and not (tmp_path / "a.zip").exists()
    (copy / "review.yaml").write_text(PARAMS.replace("Uji arsip", "Uji lain"), encoding="utf-8")
    result = invoke("archive", copy / "review.yaml", tmp_path / "a.zip")
    assert result.exit_code == 1 and "the review's params changed" in result.output
    never_made = tmp_path / "new.yaml"
    never_made.write_text(PARAMS.replace("out\n", "elsewhere\n"), encoding="utf-8")
    assert "no review was made" in invoke("archive", never_made, tmp_path / "a.zip").output


def test_rerun_of_an_untouched_archive_is_identical(archived):
    _, archive = archived
    result = invoke("verify", archive, "--rerun", "--jobs", 2)
    assert result.exit_code == 0, result.output
    assert result.output.strip().splitlines()[-1] == "identical"


def test_rerun_after_editing_the_archived_workbook_names_the_changed_reports(archived, tmp_path):
    _, archive = archived

    def change(name: str, data: bytes) -> bytes:  # one budget line of BSM-01 in 2023 realised for less
        if name != "inputs/workbook/sample/anggaran.csv":
            return data
        lines = data.decode("utf-8").splitlines(keepends=True)
        number = next(i for i, line in enumerate(lines) if re.match(r"BSM-01,2023,.*,\d+$", line.rstrip("\n")))
        *fields, realised = lines[number].rstrip("\n").split(",")
        lines[number] = ",".join([*fields, str(int(realised) - 500_000)]) + "\n"
        return "".join(lines).encode("utf-8")

    edited = rewritten(archive, tmp_path / "edited.zip", change)
    assert "does not verify" in invoke("verify", edited, "--rerun").output  # nothing run from it
    result = invoke("verify", resealed(edited, tmp_path / "resealed.zip"), "--rerun", "--jobs", 2)
    assert result.exit_code == 1
    named = set(re.findall(r"^outputs/([^:]+): ", result.output, re.MULTILINE))
    assert {"BSM-01.html", "BSM-01.pdf", "metrics.json"} <= named
    assert not named & {"MGR-02.html", "MGR-02.pdf"}
    assert re.search(r"^outputs/metrics\.json: line \d+: archived '.*', made again '.*'$", result.output, re.MULTILINE)


def test_first_difference_of_text_and_bytes():
    assert first_difference("a.html", b"one\ntwo\n", b"one\ntwo!\n") == "line 2: archived 'two', made again 'two!'"
    assert first_difference("a.pdf", b"%PDF-1", b"%PDF-2") == "byte 5: archived 0x31, made again 0x32"
    assert first_difference("a.csv", b"x\n", b"x\ny\n") == "line 2: the archived file ends there"


def test_executed_notebooks_run_log_and_manifest_are_not_compared():
    archived = {f"outputs/{name}": b"old" for name in ("A.ipynb", "run.log", "manifest.json", "A.html", "B.html")}
    made = {**archived, "outputs/A.ipynb": b"new", "outputs/run.log": b"new", "outputs/manifest.json": b"new"}
    made.pop("outputs/B.html")
    made |= {"outputs/A.html": b"new", "outputs/C.html": b"x"}
    assert compare_outputs(archived, made) == [
        "outputs/A.html: line 1: archived 'old', made again 'new'",
        "outputs/B.html: archived, but not made again",
        "outputs/C.html: made again, but not in the archive",
    ]


def test_the_reference_documents_are_archived_and_a_rerun_uses_them(tmp_path):
    """A review whose Word report and deck follow the company's documents: both are in the archive, verify
    checks them, and the rerun (with the originals gone) uses the archived copies."""
    import docx
    import pptx

    folder = tmp_path / "review"
    (folder / "templates").mkdir(parents=True)
    word = docx.Document()
    word.styles["Normal"].font.name = "Courier New"
    word.sections[0].header.paragraphs[0].text = "KOP SURAT PT CONTOH"
    word.save(folder / "templates" / "kop.docx")
    deck = pptx.Presentation()
    deck.slide_width, deck.slide_height = pptx.util.Inches(10), pptx.util.Inches(6.25)
    deck.save(folder / "templates" / "fgd.pptx")
    params = folder / "review.yaml"
    references = "docx_reference: templates/kop.docx\npptx_reference: templates/fgd.pptx\n"
    params.write_text(PARAMS.replace(", MGR-02", "") + references, encoding="utf-8")
    made = invoke("run", params, "--jobs", 1, "--format", "html,docx,pptx")
    assert made.exit_code == 0, made.output
    archive = tmp_path / "review.zip"
    assert invoke("archive", params, archive).exit_code == 0
    with zipfile.ZipFile(archive) as opened:
        names = set(opened.namelist())
        assert opened.read("inputs/references/kop.docx") == (folder / "templates" / "kop.docx").read_bytes()
    assert {"inputs/references/fgd.pptx", "outputs/BSM-01.docx", "outputs/BSM-01.pptx"} <= names
    shutil.copy(folder / "templates" / "fgd.pptx", tmp_path / "fgd.pptx")
    word.sections[0].header.paragraphs[0].text = "KOP SURAT BARU"
    word.save(folder / "templates" / "kop.docx")
    changed = invoke("verify", folder / "out")
    assert changed.exit_code == 1 and "inputs/references/kop.docx" in changed.output, changed.output
    shutil.rmtree(folder / "templates")
    rerun = invoke("verify", archive, "--rerun", "--jobs", 1)
    assert rerun.exit_code == 0, rerun.output
    assert rerun.output.strip().splitlines()[-1] == "identical"

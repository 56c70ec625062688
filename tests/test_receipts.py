"""A report's receipt (batch/receipts.py): what a run records when it was interrupted before it had a
worker's result; recording it is safe, a receipt that is not one is ignored."""

import hashlib

import pytest

from tjsl_eval.batch.manifest import REASONS, Manifest
from tjsl_eval.batch.receipts import read_receipt, receipt_path, write_receipt

INPUTS = {"data": "d" * 64, "params": "p" * 64}


def made(out, name="BSM-01", page="<html>report</html>"):
    """A report's HTML file written and its receipt left, as by a worker the run never heard back from."""
    out.mkdir(exist_ok=True)
    (out / f"{name}.html").write_text(page, encoding="utf-8")
    outputs = {f"{name}.html": hashlib.sha256(page.encode()).hexdigest()}
    write_receipt(out, name, INPUTS, outputs, 1.5, None)
    return outputs


def test_an_adopted_receipt_is_a_recorded_report_and_is_deleted(tmp_path):
    out = tmp_path / "out"
    outputs = made(out)
    manifest = Manifest.load(out)
    assert manifest.adopt(["BSM-01", "UMKM-02"]) == ["BSM-01"]
    assert not receipt_path(out, "BSM-01").exists()
    saved = Manifest.load(out)  # saved, so a later interrupt loses nothing
    assert saved.reports["BSM-01"]["outputs"] == outputs and saved.reports["BSM-01"]["inputs"] == INPUTS
    assert saved.stale_reasons("BSM-01", INPUTS) == []
    assert saved.stale_reasons("BSM-01", {**INPUTS, "data": "e" * 64}) == [REASONS["data"]]


def test_a_receipt_whose_html_is_not_there_or_not_its_own_leaves_the_report_stale(tmp_path):
    out = tmp_path / "out"
    made(out)
    (out / "BSM-01.html").write_text("<html>an older report</html>", encoding="utf-8")  # interrupted before
    manifest = Manifest.load(out)
    manifest.adopt(["BSM-01"])
    assert manifest.stale_reasons("BSM-01", INPUTS) == ["BSM-01.html was changed after it was made"]
    (out / "BSM-01.html").unlink()
    assert manifest.stale_reasons("BSM-01", INPUTS) == ["BSM-01.html is missing"]


@pytest.mark.parametrize(
    "text",
    [
        "not json",
        "[]",
        '{"name": "UMKM-02", "inputs": {}, "outputs": {}, "seconds": 1, "error": null}',  # another report's
        '{"name": "BSM-01", "inputs": {}, "outputs": {"index.html": "x"}, "seconds": 1, "error": null}',
        '{"name": "BSM-01", "inputs": {}, "outputs": {"../BSM-01.html": "x"}, "seconds": 1, "error": null}',
        '{"name": "BSM-01", "inputs": {"data": 1}, "outputs": {}, "seconds": 1, "error": null}',
        '{"name": "BSM-01", "inputs": {}, "outputs": {}, "seconds": "1", "error": null}',
        '{"name": "BSM-01", "inputs": ' + "[" * 100_000 + "]" * 100_000 + "}",
    ],
)
def test_what_is_not_a_receipt_of_the_report_is_ignored_and_deleted(tmp_path, text):
    path = receipt_path(tmp_path, "BSM-01")
    path.parent.mkdir()
    path.write_text(text, encoding="utf-8")
    assert read_receipt(path, "BSM-01") is None
    manifest = Manifest.load(tmp_path)
    assert manifest.adopt(["BSM-01"]) == [] and manifest.reports == {}
    assert not path.exists() and not manifest.path.exists()

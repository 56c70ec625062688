"""The files a review is made from, by their name in an archive, and the workbook's hash."""

import hashlib

import pandas as pd

from tjsl_eval.batch.sources import review_sources, workbook_digest
from tjsl_eval.inputs.params import load_review
from tjsl_eval.inputs.sources import SAMPLE_PATH
from tjsl_eval.inputs.workbook import Workbook, load_workbook

PARAMS = "title: T\norganiser: U\nfgd_date: 2024-01-16\nvenue: V\nevaluated_year: 2023\noutput_folder: out\n"


def test_an_xlsx_workbook_and_its_photos_keep_their_layout(valid_xlsx, tmp_path):
    (tmp_path / "foto").mkdir()
    (tmp_path / "foto" / "panen.jpg").write_bytes(b"jpeg")
    params = tmp_path / "params" / "review.yaml"
    params.parent.mkdir()
    params.write_text(PARAMS + "workbook: ../review.xlsx\n", encoding="utf-8")
    workbook = load_workbook(valid_xlsx)
    workbook = Workbook(workbook.source, {**workbook.tables, "photos": pd.DataFrame({"file": ["foto/panen.jpg"]})})
    sources = review_sources(load_review(params), workbook)
    assert sources["inputs/params/review.yaml"] == params
    assert sources["inputs/workbook/review.xlsx"] == valid_xlsx
    assert sources["inputs/workbook/foto/panen.jpg"] == tmp_path / "foto" / "panen.jpg"
    assert {"inputs/notebooks/group_report.ipynb", "inputs/template/tjsl_report/conf.json"} <= set(sources)
    assert sources["inputs/VERSION"].startswith(b"tjsl-eval ")


def test_the_sample_is_archived_as_a_folder_of_csv_files(tmp_path):
    params = tmp_path / "review.yaml"
    params.write_text(PARAMS + "workbook: sample\n", encoding="utf-8")
    sources = review_sources(load_review(params), load_workbook("sample"))
    csv = {name: path for name, path in sources.items() if name.startswith("inputs/workbook/")}
    photos = {name for name in csv if not name.endswith(".csv")}
    assert len(csv) - len(photos) == len(list(SAMPLE_PATH.glob("*.csv")))
    assert photos and all(name.startswith("inputs/workbook/sample/dokumentasi/") for name in photos)
    assert all(name.startswith("inputs/workbook/sample/") for name in csv)


def test_the_workbook_hash_of_a_file_and_of_a_folder():
    hashes = {"inputs/workbook/a.xlsx": "11", "inputs/workbook/s/b.csv": "bb", "inputs/workbook/s/a.csv": "aa"}
    assert workbook_digest(hashes, "inputs/workbook/a.xlsx") == "11"
    listing = b"aa  a.csv\nbb  b.csv\n"  # as `sha256sum *.csv` lists them
    assert workbook_digest(hashes, "inputs/workbook/s") == hashlib.sha256(listing).hexdigest()

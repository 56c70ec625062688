import datetime as dt

import pytest

from tjsl_eval.common.problems import InputError
from tjsl_eval.inputs.params import KEYS, check_report_parameters, load_review

VALID = """title: Review
organiser: Unit
fgd_date: 17/01/2023
venue: Balikpapan
evaluated_year: 2022
workbook: sample
output_folder: ../out
"""


def write(tmp_path, text):
    path = tmp_path / "params" / "review.yaml"
    path.parent.mkdir(exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_and_paths_relative_to_the_params_file(tmp_path):
    review = load_review(write(tmp_path, VALID))
    assert review.fgd_date == dt.date(2023, 1, 17)
    assert (review.plan_year, review.language, review.groups) == (2023, "id", None)
    assert review.output_path == (tmp_path / "out").resolve()
    assert review.workbook_source == "sample"
    assert review.as_dict()["fgd_date"] == "2023-01-17" and review.as_dict()["groups"] == "all"
    assert "params_path" not in review.as_dict()
    assert review.report_date is None and review.as_dict()["report_date"] is None
    dated = load_review(write(tmp_path, VALID + "report_date: 31 Januari 2023\n"))
    assert dated.report_date == dt.date(2023, 1, 31) and dated.as_dict()["report_date"] == "2023-01-31"


def test_every_problem_names_file_and_key(tmp_path):
    text = VALID.replace("evaluated_year: 2022", "evaluated_year: dua ribu") + "langauge: en\ngroups: [ok, 'no/pe']\n"
    text = text.replace("title: Review\n", "")
    with pytest.raises(InputError) as raised:
        load_review(write(tmp_path, text))
    lines = str(raised.value).splitlines()
    assert any("column 'langauge': unknown key" in line for line in lines)
    assert any("column 'title': missing" in line for line in lines)
    assert any("column 'evaluated_year': expected a year" in line for line in lines)
    assert any("column 'groups': not a valid group id: 'no/pe'" in line for line in lines)
    assert all(line.startswith(str(tmp_path)) for line in lines)


@pytest.mark.parametrize(
    "text, message", [("[1, 2", "not a valid YAML file"), ("- a\n- b\n", "expected a YAML mapping")]
)
def test_not_a_params_file(tmp_path, text, message):
    with pytest.raises(InputError, match=message):
        load_review(write(tmp_path, text))


def test_missing_params_file(tmp_path):
    with pytest.raises(InputError, match="file not found"):
        load_review(tmp_path / "nope.yaml")


def test_documented_keys_match(tmp_path):
    from pathlib import Path

    doc = (Path(__file__).parent.parent / "docs" / "params.md").read_text(encoding="utf-8")
    for key in KEYS:
        assert f"| `{key}` |" in doc


def test_notebook_parameters_are_checked():
    checked = check_report_parameters(group_id="G1", year="2023", workbook="sample", language="en")
    assert checked["year"] == 2023 and checked["plan_year"] is None
    assert checked["review"]["report_date"] == ""  # not given: the entry falls back to the FGD date
    dated = check_report_parameters(
        group_id="G1", year=2023, workbook="sample", language="id", report_date="31/01/2024"
    )
    assert dated["review"]["report_date"] == "2024-01-31"
    with pytest.raises(ValueError, match="parameter report_date"):
        check_report_parameters(group_id="G1", year=2023, workbook="sample", language="id", report_date="soon")
    with pytest.raises(ValueError, match="parameter language"):
        check_report_parameters(group_id="G1", year=2023, workbook="sample", language="fr")
    with pytest.raises(ValueError, match="parameter group_id"):
        check_report_parameters(group_id="../etc", year=2023, workbook="sample", language="id")
    with pytest.raises(ValueError, match="parameter year"):
        check_report_parameters(group_id="G1", year=True, workbook="sample", language="id")

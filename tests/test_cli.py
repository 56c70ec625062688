"""The command line: exit codes and messages, never a traceback."""

from click.testing import CliRunner
from conftest import valid_sheets, write_xlsx

from tjsl_eval.cli import main


def invoke(*args):
    return CliRunner().invoke(main, list(args))


def test_validate_valid_workbook(valid_xlsx):
    result = invoke("validate", str(valid_xlsx))
    assert result.exit_code == 0
    assert "valid — 2 groups, years 2022–2023" in result.output


def test_validate_reports_every_problem_without_traceback(tmp_path):
    sheets = valid_sheets()
    sheets["anggaran"].append(["NOPE", 2023, "Alat", None, "x", None])
    result = invoke("validate", str(write_xlsx(tmp_path / "bad.xlsx", sheets)))
    assert result.exit_code == 1
    assert "row 6, column 'id_kelompok'" in result.output and "row 6, column 'rencana_rp'" in result.output
    assert "2 problem(s) found." in result.output
    assert "Traceback" not in result.output and isinstance(result.exception, SystemExit)


def test_validate_not_a_workbook(tmp_path):
    path = tmp_path / "notes.xlsx"
    path.write_text("hello")
    result = invoke("validate", str(path))
    assert result.exit_code == 1 and "is not an Excel workbook" in result.output


def test_run_with_bad_params_or_unknown_group(tmp_path):
    params = tmp_path / "review.yaml"
    params.write_text("title: T\n", encoding="utf-8")
    result = invoke("run", str(params))
    assert result.exit_code == 1 and "missing" in result.output and "Traceback" not in result.output
    params.write_text(
        "title: T\norganiser: O\nfgd_date: 2024-01-16\nvenue: V\nevaluated_year: 2023\n"
        "workbook: sample\noutput_folder: out\n",
        encoding="utf-8",
    )
    result = invoke("run", str(params), "--group", "NOPE-1")
    assert result.exit_code == 1 and "'NOPE-1' was asked for but is not in the workbook" in result.output
    assert not (tmp_path / "out").exists()


def test_usage_errors_exit_2():
    assert invoke("run").exit_code == 2
    assert invoke("frobnicate").exit_code == 2


def test_version_and_help():
    assert invoke("--version").output.startswith("tjsl-eval, version")
    assert "Example:" in invoke("run", "--help").output


def test_sample_writes_a_valid_workbook_of_the_size_asked(tmp_path):
    path = tmp_path / "synthetic.xlsx"
    result = invoke("sample", str(path), "--groups", "7", "--years", "2022-2023", "--seed", "5")
    assert result.exit_code == 0, result.output
    checked = invoke("validate", str(path))
    assert checked.exit_code == 0 and "valid — 7 groups, years 2022–2024" in checked.output
    assert invoke("sample", str(path), "--years", "2023-2021").exit_code == 2
    assert invoke("sample", str(path), "--years", "dua").exit_code == 2


def test_quiet_and_verbose(valid_xlsx):
    assert invoke("--quiet", "validate", str(valid_xlsx)).output == ""
    assert "valid — 2 groups" in invoke("--verbose", "validate", str(valid_xlsx)).output
    both = invoke("--quiet", "--verbose", "validate", str(valid_xlsx))
    assert both.exit_code == 2 and "cannot be used together" in both.output


def test_help_documents_exit_status():
    assert "Exit status: 0 success; 1 invalid input" in invoke("--help").output

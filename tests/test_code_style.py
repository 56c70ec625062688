"""The code and the notebooks are ruff-clean, and notebooks are committed without outputs."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
TOOLS = Path(sys.executable).parent
CHECKED = ["tjsl_eval", "tests", "notebooks", "benchmarks"]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


@pytest.mark.parametrize("command", [["check"], ["format", "--check"]], ids=["lint", "format"])
def test_ruff_passes_on_the_package_tests_and_notebooks(command):
    result = subprocess.run([TOOLS / "ruff", *command, *CHECKED], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_notebooks_are_stripped():
    result = subprocess.run([TOOLS / "nbstripout", "--verify", *NOTEBOOKS], capture_output=True, text=True)
    assert result.returncode == 0, f"run make hooks, or .venv/bin/nbstripout notebooks/*.ipynb: {result.stdout}"
    for path in NOTEBOOKS:
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        code = [cell for cell in cells if cell["cell_type"] == "code"]
        assert code and all(not c["outputs"] and c["execution_count"] is None for c in code), path.name

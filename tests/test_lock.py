"""requirements-lock.txt pins, with hashes, every package pyproject.toml and environment.yml ask
for, at a version they allow (`make lock` refreshes it); the running environment is compared with it."""

import re
import tomllib
from pathlib import Path

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet

from tjsl_eval.batch.environment import LOCK_FILE, applies, environment_differences, locked_pins, normalised

ROOT = Path(__file__).parent.parent
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
LOCK_TEXT = LOCK_FILE.read_text(encoding="utf-8")
HINT = "run `make lock` and commit requirements-lock.txt"


def pyproject_requirements() -> list[str]:
    extras = [r for extra in PROJECT["optional-dependencies"].values() for r in extra]
    return PROJECT["dependencies"] + extras


def conda_requirements() -> list[str]:
    conda = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))["dependencies"]
    return [d for d in conda if isinstance(d, str) and not d.startswith(("python", "pip"))]


def pins() -> dict[str, list[str]]:
    """Each locked package's versions (one per Python version or platform the lock forks on)."""
    found: dict[str, list[str]] = {}
    for name, version, _ in locked_pins(LOCK_TEXT):
        found.setdefault(name, []).append(version)
    return found


@pytest.mark.parametrize(
    ("source", "requirement"),
    [("pyproject.toml", r) for r in pyproject_requirements()] + [("environment.yml", r) for r in conda_requirements()],
)
def test_the_lock_satisfies_every_requirement(source, requirement):
    wanted = Requirement(requirement)
    versions = pins().get(normalised(wanted.name))
    assert versions, f"{wanted.name} ({requirement} in {source}) is not in requirements-lock.txt: {HINT}"
    unfit = [v for v in versions if not SpecifierSet(str(wanted.specifier)).contains(v, prereleases=True)]
    assert not unfit, f"requirements-lock.txt pins {wanted.name}=={unfit[0]}, {source} asks {requirement}: {HINT}"


def test_every_pin_is_exact_and_hashed():
    entries = re.split(r"\n(?=[A-Za-z0-9])", LOCK_TEXT.split("\n", 2)[2])
    assert len(entries) == len(locked_pins(LOCK_TEXT)) > 50
    for entry in entries:
        assert "==" in entry.split()[0] and "--hash=sha256:" in entry, f"not pinned with hashes: {entry.split()[0]}"


def test_the_lock_is_made_by_make_lock_for_every_platform():
    assert "#    make lock" in LOCK_TEXT  # not a hand edit
    markers = " ".join(marker or "" for *_, marker in locked_pins(LOCK_TEXT))
    assert "sys_platform" in markers or "platform_system" in markers  # universal: packages for every OS
    here = {name for name, _, marker in locked_pins(LOCK_TEXT) if applies(marker)}
    assert {"pandas", "papermill", "pytest"} <= here


def test_the_running_environment_is_compared_with_a_lock():
    recorded = {"python": "2.7.18", "platform": "Plan9-mips", "tjsl-eval": "0.0.1"}
    differences = environment_differences(recorded, "pandas==0.1.0 \\\n    --hash=sha256:00\nnot-a-package==1.0\n")
    assert any(d.startswith("Python ") and d.endswith("2.7.18 when the review was made") for d in differences)
    assert "platform" in differences[1] and "tjsl-eval" in differences[2]
    assert any(d.startswith("pandas ") and d.endswith("0.1.0 locked") for d in differences)
    assert "not-a-package not installed here, 1.0 locked" in differences
    assert environment_differences(recorded, None)[-1] == "the review's lock file is missing"

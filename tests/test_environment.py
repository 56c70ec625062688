"""environment.yml (conda) lists the same dependencies and lower bounds as pyproject.toml
(its dependencies and every optional extra)."""

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).parent.parent


def normalise(requirement: str) -> str:
    name, bound = re.match(r"([A-Za-z0-9_.\-]+)\s*(.*)", requirement).groups()
    return name.lower().replace("_", "-") + bound.replace(" ", "")


def test_conda_environment_mirrors_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    extras = [r for extra in project["optional-dependencies"].values() for r in extra]
    wanted = {normalise(r) for r in project["dependencies"] + extras}
    conda = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))["dependencies"]
    listed = {normalise(d) for d in conda if isinstance(d, str) and re.split("[<>=]", d)[0] not in ("python", "pip")}
    assert listed == wanted
    assert f"python>={project['requires-python'].removeprefix('>=')}" in conda

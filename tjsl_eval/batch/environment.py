"""The locked environment: the lock file (``requirements-lock.txt``, every package pinned with
its hashes), what a manifest records of the environment a review was made in, and how the
running environment differs from a lock."""

from __future__ import annotations

import platform
import re
from importlib import metadata

from tjsl_eval import __version__
from tjsl_eval.batch.execution import PROJECT_ROOT
from tjsl_eval.common.files import sha256_file

LOCK_NAME = "requirements-lock.txt"
LOCK_FILE = PROJECT_ROOT / LOCK_NAME
_PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?==([^\s;\\]+)\s*(?:;\s*([^\\]+?))?\s*\\?$")


def platform_name() -> str:
    """The operating system and machine, e.g. ``Linux-x86_64``."""
    return f"{platform.system()}-{platform.machine()}"


def environment() -> dict[str, str | None]:
    """What ``manifest.json`` records of the environment: Python, the platform, the package's
    version and the lock file's SHA-256 (None when the package runs without its lock file)."""
    return {
        "python": platform.python_version(),
        "platform": platform_name(),
        "tjsl-eval": __version__,
        "lock_file": LOCK_NAME,
        "lock_sha256": sha256_file(LOCK_FILE) if LOCK_FILE.is_file() else None,
    }


def normalised(name: str) -> str:
    """A distribution's name as PyPI compares them (PEP 503)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def locked_pins(lock_text: str) -> list[tuple[str, str, str | None]]:
    """Every pin of a lock file: (normalised name, version, environment marker or None)."""
    pins = []
    for line in lock_text.splitlines():
        match = _PIN.match(line.strip())
        if match:
            name, version, marker = match.groups()
            pins.append((normalised(name), version, marker))
    return pins


def applies(marker: str | None) -> bool:
    """Whether a pin's environment marker holds for the running interpreter."""
    from packaging.markers import Marker

    return marker is None or Marker(marker).evaluate()


def environment_differences(recorded: dict[str, str | None], lock_text: str | None) -> list[str]:
    """How the running environment differs from the one a review was made in (``recorded``,
    from its manifest) and from its lock file: Python, platform, package versions."""
    differences = [
        f"{label} {now} here, {recorded.get(key)} when the review was made"
        for key, label, now in (
            ("python", "Python", platform.python_version()),
            ("platform", "platform", platform_name()),
            ("tjsl-eval", "tjsl-eval", __version__),
        )
        if recorded.get(key) != now
    ]
    if lock_text is None:
        return [*differences, "the review's lock file is missing"]
    for name, version, marker in locked_pins(lock_text):
        if not applies(marker):
            continue
        try:
            installed = metadata.version(name)
        except metadata.PackageNotFoundError:
            installed = None
        if installed != version:
            differences.append(f"{name} {installed or 'not installed'} here, {version} locked")
    return differences

"""The message catalogue: every report text in Indonesian (``id``) and English (``en``).

The texts live in ``tjsl_eval/locale/<language>.yaml``, one file per language with the
same keys; ``{name}`` placeholders are filled with :meth:`str.format`.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from tjsl_eval.common.formatting import locale_of

LOCALE_FOLDER = Path(__file__).parent / "locale"


@cache
def catalogue(language: str) -> dict[str, str]:
    """All texts of one language, keyed like ``budget.planned``."""
    import yaml

    locale_of(language)  # rejects an unknown language with a clear message
    with open(LOCALE_FOLDER / f"{language}.yaml", encoding="utf-8") as file:
        return _flatten(yaml.safe_load(file))


def _flatten(tree: dict, prefix: str = "") -> dict[str, str]:
    flat = {}
    for key, value in tree.items():
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = str(value)
    return flat


def text(key: str, language: str = "id", **values: object) -> str:
    """The text for ``key`` in ``language``, with placeholders filled."""
    return catalogue(language)[key].format(**values)


def label(kind: str, value: str | None, language: str = "id") -> str:
    """The reader's label of an enumeration value, e.g. ``label("pillar", "sosial", "en")``."""
    if value is None or value != value:  # None or NaN
        return "–"
    return catalogue(language).get(f"{kind}.{value}", str(value))

"""The message catalogue: every report text in Indonesian (``id``) and English (``en``).

The texts live in ``tjsl_eval/locale/<language>.yaml``, one file per language with the
same keys; ``{name}`` placeholders are filled with :meth:`str.format`. A noun that follows a count
takes the count's plural form: ``{count:plural respondent|respondents}`` writes the form of the
language's CLDR plural category for ``count`` (Babel; English: one, other), so "1 respondent" and
"2 respondents"; Indonesian nouns have one form and need none.
"""

from __future__ import annotations

import string
from functools import cache
from pathlib import Path

from tjsl_eval.common.formatting import locale_of

LOCALE_FOLDER = Path(__file__).parent / "locale"
PLURAL = "plural "  # the format spec of a noun after a count: {count:plural form|form}
CATEGORIES = ("zero", "one", "two", "few", "many", "other")  # CLDR's plural categories, in its order


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
    template = catalogue(language)[key]
    counted = f":{PLURAL}" in template
    return _Counted(language).format(template, **values) if counted else template.format(**values)


def label(kind: str, value: str | None, language: str = "id") -> str:
    """The reader's label of an enumeration value, e.g. ``label("pillar", "sosial", "en")``."""
    if value is None or value != value:  # None or NaN
        return "–"
    return catalogue(language).get(f"{kind}.{value}", str(value))


class _Counted(string.Formatter):
    """:meth:`str.format` that also writes ``{count:plural form|form}`` as the noun form for ``count``."""

    def __init__(self, language: str) -> None:
        self.language = language

    def format_field(self, value: object, format_spec: str) -> str:
        if not format_spec.startswith(PLURAL):
            return super().format_field(value, format_spec)
        from babel import Locale

        rule = Locale.parse(locale_of(self.language)).plural_form
        categories = [tag for tag in CATEGORIES if tag in rule.tags or tag == "other"]
        forms = dict(zip(categories, format_spec.removeprefix(PLURAL).split("|"), strict=True))
        count = _count(value)
        return forms[rule(count) if count is not None else "other"]


def _count(value: object) -> float | None:
    """A count given as a number or as the report writes one ("1.250" in Indonesian, "1,250" in English)."""
    if isinstance(value, (int, float)):
        return value
    digits = str(value).replace(".", "").replace(",", "").strip()
    return int(digits) if digits.isdigit() else None

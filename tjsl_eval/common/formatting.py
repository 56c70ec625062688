"""Numbers, Rupiah, percentages and dates for Indonesian (default) or English readers."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from babel.dates import format_date
from babel.numbers import format_decimal

from tjsl_eval.common.languages import LANGUAGES

_LOCALES = {"id": "id_ID", "en": "en_US"}


def _missing(value: object) -> bool:
    return value is None or pd.isna(value)


def locale_of(language: str) -> str:
    """The Babel locale of a report language (``id`` or ``en``)."""
    if language not in _LOCALES:
        raise ValueError(f"language must be one of {', '.join(LANGUAGES)}, not {language!r}")
    return _LOCALES[language]


def number(value: float | None, language: str = "id", decimals: int = 0) -> str:
    """``1.250.000`` (id) or ``1,250,000`` (en); a dash for a missing figure."""
    if _missing(value):
        return "–"
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(value, format=pattern, locale=locale_of(language))


def rupiah(value: float | None, language: str = "id") -> str:
    """``Rp 1.250.000`` (whole Rupiah), ``−Rp 500.000`` below zero; a dash for a missing figure."""
    if _missing(value):
        return "–"
    return f"{'−' if value < 0 else ''}Rp {number(abs(value), language)}"


def percent(value: float | None, language: str = "id", decimals: int = 1) -> str:
    """``85,0 %`` (id) or ``85.0%`` (en) for a value already on the 0–100 scale."""
    if _missing(value):
        return "–"
    return number(value, language, decimals) + (" %" if language == "id" else "%")


def date(value: dt.date | None, language: str = "id") -> str:
    """``17 Januari 2023`` (id) or ``17 January 2023`` (en)."""
    if value is None or pd.isna(value):
        return "–"
    if isinstance(value, dt.datetime):
        value = value.date()
    return format_date(value, format="d MMMM y", locale=locale_of(language))

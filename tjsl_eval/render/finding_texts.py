"""A finding in the reader's words: its evidence formatted (Rupiah, percentages, dates, labels), its text and its
recommendation (the evaluator's own from sheet ``tindak_lanjut``, else the catalogue's for its kind, naming what the
finding is about)."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from tjsl_eval.common import formatting
from tjsl_eval.common.messages import label, text
from tjsl_eval.methods.metrics import format_figure

MONEY = ("planned", "realized", "present_value", "investment")
NUMBERS = ("score", "index", "index_before", "target", "actual", "gap", "figure")
LABELS = {
    "stage": "stage",
    "stage_before": "stage",
    "light": "light",
    "judged": "light",
    "criterion": "criterion",
    "follow_up": "follow_up",  # an FGD input's follow-up
    "status": "status",  # an activity's status
}
DATES = ("due_date", "planned_end")


def evidence_values(evidence: dict[str, object], language: str) -> dict[str, object]:
    """A finding's evidence as the catalogue's texts show it."""
    values: dict[str, object] = {}
    for key, value in evidence.items():
        if value is None or (isinstance(value, float) and pd.isna(value)):
            values[key] = label("light", "none", language) if key in ("light", "judged") else "–"
        elif key in MONEY:
            values[key] = formatting.rupiah(value, language)
        elif key.endswith("_pct"):
            values[key] = formatting.percent(value, language)
        elif key == "ratio":
            values[key] = format_figure("sroi_ratio", value, language)
        elif key in NUMBERS:
            fractional = not float(value).is_integer()
            values[key] = formatting.number(value, language, 2 if fractional else 0)
        elif key in LABELS:
            values[key] = label(LABELS[key], value, language)
        elif key in DATES:
            values[key] = formatting.date(dt.date.fromisoformat(str(value)[:10]), language)
        else:
            values[key] = value
    return values


def finding_text(finding: dict[str, object], language: str) -> str:
    """The finding with its figures (``finding.<kind>``)."""
    return text(f"finding.{finding['kind']}", language, **evidence_values(finding["evidence"], language))


def recommendation(finding: dict[str, object], language: str) -> str:
    """The evaluator's own recommendation (its follow-up row's) where given, else ``findings.recommendation.<kind>``
    with the finding's figures."""
    own = (finding.get("follow_up") or {}).get("recommendation")
    if own:
        return str(own)
    values = evidence_values(finding["evidence"], language)
    return text(f"findings.recommendation.{finding['kind']}", language, **values)

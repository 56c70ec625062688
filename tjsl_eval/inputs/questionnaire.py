"""The IKM questionnaire of PermenPAN-RB No. 14/2017 (``data/survey_form.yaml``): the nine elements' questions
and answers in Indonesian and English, and the form's other fields, for the XLSForm and the export reader."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

QUESTIONNAIRE_FILE = Path(__file__).resolve().parent.parent / "data" / "survey_form.yaml"
PROFILE_FIELDS = ("sex", "age_band", "education", "occupation")


@cache
def questionnaire() -> dict:
    """The questionnaire as the data file holds it."""
    import yaml

    return yaml.safe_load(QUESTIONNAIRE_FILE.read_text(encoding="utf-8"))


def folded(text: object) -> str:
    """``text`` for matching: case folded, inner spaces made one, dashes made plain."""
    return re.sub(r"\s+", " ", str(text).replace("–", "-").replace("—", "-")).strip().casefold()


def question_label(element: str, language: str) -> str:
    """The form's label of an element: its number, then the regulation's question (``U1. Bagaimana …``)."""
    return f"{element.upper()}. {questionnaire()['elements'][element][language]['question']}"


def answer_labels(element: str, language: str) -> list[str]:
    """The four answers of an element, from score 1 to score 4."""
    return list(questionnaire()["elements"][element][language]["answers"])


@cache
def answer_scores(element: str) -> dict[str, int]:
    """Each accepted answer of an element (folded): its score as text, and its label in either language."""
    scores = {str(score): score for score in range(1, 5)}
    for language in questionnaire()["elements"][element]:
        scores.update({folded(label): score for score, label in enumerate(answer_labels(element, language), 1)})
    return scores


def field_label(field: str, language: str) -> str:
    return questionnaire()["fields"][field][language]


@cache
def choice_names(field: str) -> dict[str, str]:
    """Each accepted value of a profile field (folded: its name or a label in either language): its name."""
    names = {}
    for name, labels in questionnaire()["choices"][field].items():
        names.update({folded(name): name, **{folded(label): name for label in labels.values()}})
    return names

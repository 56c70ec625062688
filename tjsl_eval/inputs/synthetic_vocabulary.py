"""The vocabulary synthetic workbooks are drawn from, read from the package data file
``tjsl_eval/data/synthetic/vocabulary.yaml`` (kelurahan, group names, programme themes, FGD
inputs, independence evidence). Its values are fictional."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

VOCABULARY_FILE = Path(__file__).resolve().parent.parent / "data" / "synthetic" / "vocabulary.yaml"

BudgetItem = tuple[str, str, int, int]  # item, category, planned range in millions of rupiah
Indicator = tuple[str, str, str, str, int, int]  # name, level, unit, direction, baseline range
SroiOutcome = tuple[str, str, int, int, int, int, str, int, int, int, int, int]
# stakeholder, outcome, quantity range, proxy range (thousand Rp), source, duration, dw, attr, displ, drop-off


@dataclass(frozen=True)
class Theme:
    """One kind of programme: its pillar, and what its groups spend, measure, do and achieve."""

    pillar: str
    program: str
    prefix: str
    sdgs: str
    agency: str  # the government agency that speaks about it at the FGD
    budget: tuple[BudgetItem, ...]
    indicators: tuple[Indicator, ...]
    activities: tuple[str, ...]
    sroi: tuple[SroiOutcome, ...]


@dataclass(frozen=True)
class Vocabulary:
    """Everything :mod:`tjsl_eval.inputs.synthetic` draws from."""

    kelurahan: dict[str, str]  # kelurahan -> kecamatan
    name_words: tuple[str, ...]
    themes: tuple[Theme, ...]
    common_budget: tuple[BudgetItem, ...]
    feedback: dict[str, tuple[tuple[str, ...], tuple[str, ...]]]  # criterion -> (inputs, recommendations)
    programme_feedback: tuple[tuple[str, str, str, str, str], ...]  # source, type, criterion, input, recommendation
    evidence: dict[str, tuple[str, str, str]]  # independence dimension -> (low, middle, high score)
    narrative: tuple[str, ...]  # the evaluator's notes on a group; the last one a closing conclusion


def _budget(items: list[dict]) -> tuple[BudgetItem, ...]:
    return tuple((i["item"], i["category"], *i["planned_million"]) for i in items)


def _theme(data: dict) -> Theme:
    return Theme(
        data["pillar"],
        data["program"],
        data["prefix"],
        str(data["sdgs"]),
        data["agency"],
        _budget(data["budget"]),
        tuple((i["name"], i["level"], i["unit"], i["direction"], *i["baseline"]) for i in data["indicators"]),
        tuple(data["activities"]),
        tuple(
            (
                o["stakeholder"],
                o["outcome"],
                *o["quantity"],
                *o["proxy_thousand_rp"],
                o["proxy_source"],
                o["duration_years"],
                o["deadweight"],
                o["attribution"],
                o["displacement"],
                o["drop_off"],
            )
            for o in data["sroi"]
        ),
    )


@cache
def vocabulary() -> Vocabulary:
    """The vocabulary, read once."""
    data = yaml.safe_load(VOCABULARY_FILE.read_text(encoding="utf-8"))
    return Vocabulary(
        kelurahan=dict(data["kelurahan"]),
        name_words=tuple(data["name_words"]),
        themes=tuple(_theme(theme) for theme in data["themes"]),
        common_budget=_budget(data["common_budget"]),
        feedback={k: (tuple(v["inputs"]), tuple(v["recommendations"])) for k, v in data["feedback"].items()},
        programme_feedback=tuple(
            (f["source"], f["source_type"], f["criterion"], f["input"], f["recommendation"])
            for f in data["programme_feedback"]
        ),
        evidence={k: (v["low"], v["middle"], v["high"]) for k, v in data["independence_evidence"].items()},
        narrative=tuple(data["narrative"]),
    )

"""Independence (kemandirian) of a group: an index 0–100 from dimension scores 1–5, and a stage.

index = weighted mean over dimensions of (score − 1) / 4 × 100, rounded to 2 decimals;
stage: ``rintisan`` < 40 ≤ ``berkembang`` < 60 ≤ ``maju`` < 80 ≤ ``mandiri`` by default.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

STAGES = ("rintisan", "berkembang", "maju", "mandiri")
DEFAULT_THRESHOLDS = (40.0, 60.0, 80.0)
TREND_COLUMNS = ["year", "index", "stage"]


@dataclass(frozen=True)
class IndependenceResult:
    """The independence of one group in one year; ``index`` and ``stage`` are None without scores."""

    index: float | None
    stage: str | None
    dimensions: int


def independence_stage(index: float, thresholds: Sequence[float] = DEFAULT_THRESHOLDS) -> str:
    """The stage of an index: below the first threshold ``rintisan``, at or above the last
    ``mandiri`` (a threshold itself belongs to the higher stage)."""
    lows = _check_thresholds(thresholds)
    return STAGES[sum(index >= low for low in lows)]


def independence_index(
    rows: pd.DataFrame, weights: Mapping[str, float] | None = None, thresholds: Sequence[float] = DEFAULT_THRESHOLDS
) -> IndependenceResult:
    """The index and stage of one group's dimension scores for one year.

    ``weights`` maps a dimension to a positive weight; a dimension not in it weighs 1.
    Dimension names are matched ignoring case and surrounding spaces. The stage is taken
    from the index rounded to 2 decimals, the figure readers see.
    """
    _check_thresholds(thresholds)
    return _index(rows["dimension"].tolist(), rows["score"].tolist(), _check_weights(weights), thresholds)


def _index(
    dimensions: list[object], scores: list[object], weight_of: dict[str, float], thresholds: Sequence[float]
) -> IndependenceResult:
    """:func:`independence_index` of rows given as their dimensions and scores (blank scores left out)."""
    scored = [(name, score) for name, score in zip(dimensions, scores, strict=True) if not pd.isna(score)]
    if not scored:
        return IndependenceResult(None, None, 0)
    dimension_weights = [weight_of.get(str(name).strip().lower(), 1.0) for name, _ in scored]
    points = [(int(score) - 1) / 4 * 100 for _, score in scored]
    index = round(sum(w * p for w, p in zip(dimension_weights, points, strict=True)) / sum(dimension_weights), 2)
    return IndependenceResult(index, independence_stage(index, thresholds), len(points))


def independence_trend(
    rows: pd.DataFrame, weights: Mapping[str, float] | None = None, thresholds: Sequence[float] = DEFAULT_THRESHOLDS
) -> pd.DataFrame:
    """Index and stage per year (columns ``year``, ``index``, ``stage``), sorted by year, from
    the rows of one group over all years; years without scores are left out."""
    _check_thresholds(thresholds)
    weight_of = _check_weights(weights)
    by_year: dict[int, tuple[list[object], list[object]]] = {}
    for year, name, score in zip(
        rows["year"].tolist(), rows["dimension"].tolist(), rows["score"].tolist(), strict=True
    ):
        if not pd.isna(year):
            dimensions, scores = by_year.setdefault(int(year), ([], []))
            dimensions.append(name)
            scores.append(score)
    records = []
    for year in sorted(by_year):
        result = _index(*by_year[year], weight_of, thresholds)
        if result.index is not None:
            records.append((year, result.index, result.stage))
    return pd.DataFrame.from_records(records, columns=TREND_COLUMNS).astype({"year": "int64", "index": "float64"})


def ready_to_graduate(trend: pd.DataFrame, year: int) -> bool:
    """True when the group is ``mandiri`` in ``year`` and in ``year − 1`` (two years running)."""
    return _stage(trend, year) == "mandiri" and _stage(trend, year - 1) == "mandiri"


def stage_change(trend: pd.DataFrame, year: int) -> str | None:
    """``"naik"``, ``"turun"`` or ``"tetap"``: the stage in ``year`` against ``year − 1``;
    None when either year has no stage. A fall (``turun``) is what findings flag."""
    current, previous = _stage(trend, year), _stage(trend, year - 1)
    if current is None or previous is None:
        return None
    change = STAGES.index(current) - STAGES.index(previous)
    return "naik" if change > 0 else "turun" if change < 0 else "tetap"


def _stage(trend: pd.DataFrame, year: int) -> str | None:
    return next(
        (stage for y, stage in zip(trend["year"].tolist(), trend["stage"].tolist(), strict=True) if y == year), None
    )


def _check_thresholds(thresholds: Sequence[float]) -> tuple[float, ...]:
    values = tuple(thresholds)
    if (
        len(values) != 3
        or not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values)
        or not 0 < values[0] < values[1] < values[2] < 100
    ):
        raise ValueError(
            f"thresholds: expected three increasing numbers between 0 and 100, such as (40, 60, 80); "
            f"found {thresholds!r}"
        )
    return values


def _check_weights(weights: Mapping[str, float] | None) -> dict[str, float]:
    """The weights keyed by lower-case dimension name."""
    weights = dict(weights or {})
    if not all(isinstance(w, (int, float)) and not isinstance(w, bool) and w > 0 for w in weights.values()):
        raise ValueError(
            f"weights: expected a mapping of dimension to a positive weight, such as "
            f"{{'keuangan': 2}}; found {weights!r}"
        )
    return {str(name).strip().lower(): float(w) for name, w in weights.items()}

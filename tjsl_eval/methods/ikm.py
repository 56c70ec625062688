"""Indeks Kepuasan Masyarakat (community satisfaction index), PermenPAN-RB No. 14/2017.

Each respondent scores nine service elements (``u1`` … ``u9``) from 1 to 4. The NRR
(nilai rata-rata) of an element is the mean of its answered scores, and

    IKM = 25 × Σ (NRR_i × w)

with w = 1/9 (``"exact"``) or the rounded weight practitioners use (``"0.111"``,
``"0.11"``). The arithmetic is exact (rational numbers, never float); the score is
rounded to 2 decimals half-up as a :class:`~decimal.Decimal` and banded by that rounded
score.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Context, Decimal
from fractions import Fraction

import numpy as np
import pandas as pd

# The nine service elements (their names for readers are in the message catalogue).
ELEMENTS = {
    "u1": "persyaratan",
    "u2": "sistem, mekanisme, dan prosedur",
    "u3": "waktu penyelesaian",
    "u4": "biaya/tarif",
    "u5": "produk spesifikasi jenis pelayanan",
    "u6": "kompetensi pelaksana",
    "u7": "perilaku pelaksana",
    "u8": "penanganan pengaduan, saran dan masukan",
    "u9": "sarana dan prasarana",
}
BAND_LABELS = {"A": "Sangat Baik", "B": "Baik", "C": "Kurang Baik", "D": "Tidak Baik"}

# Lowest score of bands A, B and C (anything lower is D), per regulation.
BAND_TABLES = {
    "2017": {"A": Decimal("88.31"), "B": Decimal("76.61"), "C": Decimal("65.00")},  # PermenPAN-RB 14/2017
    "2004": {"A": Decimal("81.26"), "B": Decimal("62.51"), "C": Decimal("43.76")},  # Kepmenpan 25/2004
}
# Decimal places of the per-element weight: None keeps 1/n exact.
WEIGHT_ROUNDINGS = {"exact": None, "0.111": 3, "0.11": 2}

_CONTEXT = Context(prec=28)
_CENT = Decimal("0.01")
_NRR_PLACES = Decimal("0.0001")


@dataclass(frozen=True)
class IkmResult:
    """The IKM of one group and year.

    ``score``, ``band`` and ``band_label`` are None when nobody answered (``respondents == 0``).
    ``nrr`` holds each element's NRR rounded to 4 decimals for display (the score uses full
    precision); an element nobody answered is None and left out of the score.
    """

    score: Decimal | None
    band: str | None
    band_label: str | None
    nrr: dict[str, Decimal | None]
    respondents: int
    small_sample: bool
    weight_rounding: str
    band_table: str


def ikm_band(score: Decimal | float | str, table: str = "2017") -> str:
    """The band letter A–D of an IKM score, after rounding it to 2 decimals half-up.

    ``table`` is ``"2017"`` (PermenPAN-RB 14/2017) or ``"2004"``. A score below the lowest
    band (possible with the rounded weights, e.g. 24.75) is D.
    """
    lows = BAND_TABLES.get(table)
    if lows is None:
        raise ValueError(f"table: expected one of {', '.join(BAND_TABLES)}, found {table!r}")
    rounded = Decimal(str(score)).quantize(_CENT, rounding=ROUND_HALF_UP)
    return next((band for band, low in lows.items() if rounded >= low), "D")


def compute_ikm(
    rows: pd.DataFrame, weight_rounding: str = "exact", band_table: str = "2017", min_respondents: int = 30
) -> IkmResult:
    """The IKM of one group's survey rows for one year.

    A respondent is a row with at least one answered element; ``small_sample`` is set when
    there are fewer than ``min_respondents``. With rounded weights the per-element weight is
    1/n rounded to 3 (``"0.111"``) or 2 (``"0.11"``) decimals, n being the number of elements
    with an NRR (9 unless an element went unanswered by everyone).
    """
    if weight_rounding not in WEIGHT_ROUNDINGS:
        raise ValueError(f"weight_rounding: expected one of {', '.join(WEIGHT_ROUNDINGS)}, found {weight_rounding!r}")
    if band_table not in BAND_TABLES:
        raise ValueError(f"band_table: expected one of {', '.join(BAND_TABLES)}, found {band_table!r}")
    if isinstance(min_respondents, bool) or not isinstance(min_respondents, int) or min_respondents < 1:
        raise ValueError(f"min_respondents: expected a whole number of at least 1, found {min_respondents!r}")

    answers = rows[list(ELEMENTS)].to_numpy("float64", na_value=np.nan)  # scores 1–4: exact as floats
    answered_cells = ~np.isnan(answers)
    respondents = int(answered_cells.any(axis=1).sum())
    exact_nrr = {
        element: _mean(answers[answered_cells[:, column], column].tolist()) for column, element in enumerate(ELEMENTS)
    }
    answered = [value for value in exact_nrr.values() if value is not None]
    nrr = {
        element: None if value is None else _decimal(value).quantize(_NRR_PLACES, rounding=ROUND_HALF_UP)
        for element, value in exact_nrr.items()
    }
    if not answered:
        return IkmResult(None, None, None, nrr, respondents, respondents < min_respondents, weight_rounding, band_table)
    score = 25 * _weight(len(answered), weight_rounding) * sum(answered)
    rounded = _decimal(score).quantize(_CENT, rounding=ROUND_HALF_UP)
    band = ikm_band(rounded, band_table)
    return IkmResult(
        rounded, band, BAND_LABELS[band], nrr, respondents, respondents < min_respondents, weight_rounding, band_table
    )


def _mean(scores: list[float]) -> Fraction | None:
    answered = [int(value) for value in scores]
    return Fraction(sum(answered), len(answered)) if answered else None


def _weight(elements: int, weight_rounding: str) -> Fraction:
    places = WEIGHT_ROUNDINGS[weight_rounding]
    if places is None:
        return Fraction(1, elements)
    rounded = _decimal(Fraction(1, elements)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return Fraction(rounded)


def _decimal(value: Fraction) -> Decimal:
    """``value`` to 28 significant digits (exact for the terminating decimals that sit on a
    rounding boundary, so half-up rounding afterwards is exact)."""
    return _CONTEXT.divide(Decimal(value.numerator), Decimal(value.denominator))

"""Is the IKM survey's sample large enough? The Krejcie & Morgan (1970) minimum sample, the table
PermenPAN-RB 14/2017 prescribes for community satisfaction surveys.

    s = X² · N · P(1 − P) / (d² · (N − 1) + X² · P(1 − P)),  X² = 3,841, P = 0,5, d = 0,05

rounded half up: N = 60 → 52, N = 100 → 80 (every pair of the published table, from N = 10 to 1 000 000).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import pandas as pd

CHI_SQUARE, PROPORTION, MARGIN = Decimal("3.841"), Decimal("0.5"), Decimal("0.05")


def krejcie_morgan(population: int) -> int:
    """The minimum sample for a population of ``population`` (≥ 0) members; 0 for nobody."""
    if population < 0:
        raise ValueError(f"expected a population of 0 or more, found {population}")
    if population == 0:
        return 0
    spread = CHI_SQUARE * PROPORTION * (1 - PROPORTION)
    size = spread * population / (MARGIN**2 * (population - 1) + spread)
    return int(size.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def ikm_sample(respondents: int, members: object) -> dict[str, object] | None:
    """``metrics.json``'s ``ikm_sample``: {respondents, members, minimum, adequate}; None when the group's members
    are unknown (blank or 0) or nobody answered the survey."""
    if not respondents or pd.isna(members) or members <= 0:
        return None
    minimum = krejcie_morgan(int(members))
    return {"respondents": respondents, "members": int(members), "minimum": minimum, "adequate": respondents >= minimum}

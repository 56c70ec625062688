"""Social Return on Investment (Social Value UK, *A Guide to Social Return on Investment*).

For each outcome, with the percentages as fractions:

    impact year 1 = quantity × proxy × (1 − deadweight) × (1 − displacement) × (1 − attribution)
    impact year t = impact year t−1 × (1 − drop-off), for ``duration_years`` years
    present value = Σ impact_t / (1 + r)^t, t from 1

The SROI ratio is the total present value over the investment (the group's realized budget
for the year). Figures that cannot be computed are None, never a division by zero.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

DEFAULT_DISCOUNT_RATE = 0.035
DEFAULT_SENSITIVITY_RATES = (0.0, 0.035, 0.06, 0.10)
SENSITIVITY_COLUMNS = ["scenario", "discount_rate", "present_value", "ratio"]


@dataclass(frozen=True)
class SroiResult:
    """The SROI of one group and year.

    ``outcomes`` is the input rows (without ``group_id`` and ``year``) plus
    ``impact_year_1`` … ``impact_year_N`` (N = the longest duration; NaN after an outcome's
    own duration) and ``present_value``. ``status`` is ``"ok"``, ``"no_rows"`` (nothing
    valued: every figure is None) or ``"no_investment"`` (investment None, NaN or 0: the
    present value is given, the ratio, net figures and payback are None).
    """

    outcomes: pd.DataFrame
    present_value: float | None
    investment: float | None
    ratio: float | None
    net_present_value: float | None
    net_ratio: float | None
    payback_months: float | None
    impact_year_1: float | None
    discount_rate: float
    status: str


def compute_sroi(
    rows: pd.DataFrame, investment: float | None, discount_rate: float = DEFAULT_DISCOUNT_RATE
) -> SroiResult:
    """The SROI of one group's outcome rows for one year.

    ``discount_rate`` is a fraction (0.035 = 3.5 %). Payback months = investment / (total
    year-1 impact / 12), None when the year-1 impact is 0.
    """
    investment = _investment(investment)
    outcomes = outcome_table(rows, discount_rate)
    if outcomes.empty:
        return SroiResult(outcomes, None, investment, None, None, None, None, None, discount_rate, "no_rows")
    present_value = float(outcomes["present_value"].sum())
    year_one = float(outcomes["impact_year_1"].sum())
    if not investment:
        return SroiResult(
            outcomes, present_value, investment, None, None, None, None, year_one, discount_rate, "no_investment"
        )
    net = present_value - investment
    payback = investment / (year_one / 12) if year_one else None
    return SroiResult(
        outcomes,
        present_value,
        investment,
        present_value / investment,
        net,
        net / investment,
        payback,
        year_one,
        discount_rate,
        "ok",
    )


def outcome_table(
    rows: pd.DataFrame,
    discount_rate: float = DEFAULT_DISCOUNT_RATE,
    deadweight_shift: float = 0.0,
    attribution_shift: float = 0.0,
) -> pd.DataFrame:
    """Per-outcome yearly impacts and present value (see :class:`SroiResult`).

    The shifts (percentage points, for sensitivity analysis) are added to each outcome's
    deadweight and attribution, clamped to 0–100.
    """
    _check_rate("discount_rate", discount_rate)
    frame = rows.drop(columns=["group_id", "year"], errors="ignore").reset_index(drop=True)
    if frame.empty:
        return frame.assign(impact_year_1=pd.Series(dtype="float64"), present_value=pd.Series(dtype="float64"))
    deadweight = np.clip(_floats(frame["deadweight"]) + deadweight_shift, 0, 100) / 100
    attribution = np.clip(_floats(frame["attribution"]) + attribution_shift, 0, 100) / 100
    displacement = _floats(frame["displacement"]) / 100
    retained = 1 - _floats(frame["drop_off"]) / 100
    durations = frame["duration_years"].to_numpy("int64")
    year_one = (
        _floats(frame["quantity"])
        * _floats(frame["proxy_value"])
        * (1 - deadweight)
        * (1 - displacement)
        * (1 - attribution)
    )
    impacts = {}
    present_value = np.zeros(len(frame))
    for year in range(1, int(durations.max()) + 1):
        impact = np.where(durations >= year, year_one * retained ** (year - 1), np.nan)
        impacts[f"impact_year_{year}"] = impact
        present_value += np.nan_to_num(impact) / (1 + discount_rate) ** year
    return frame.assign(**impacts, present_value=present_value)


def _floats(column: pd.Series) -> np.ndarray:
    return column.to_numpy("float64", na_value=np.nan)


def sensitivity(
    rows: pd.DataFrame,
    investment: float | None,
    rates: Sequence[float] = DEFAULT_SENSITIVITY_RATES,
    shift_points: float = 10,
    discount_rate: float = DEFAULT_DISCOUNT_RATE,
) -> pd.DataFrame:
    """The present value and ratio under alternative assumptions, one row per scenario.

    Scenarios: each of ``rates`` (key ``rate_<rate>``, e.g. ``rate_0.035``), then at
    ``discount_rate`` the deadweight and the attribution shifted down and up by
    ``shift_points`` (keys ``deadweight_minus_10``, ``deadweight_plus_10``,
    ``attribution_minus_10``, ``attribution_plus_10``). ``present_value`` is NaN without
    rows, ``ratio`` NaN without rows or investment.
    """
    for rate in rates:
        _check_rate("rates", rate)
    if isinstance(shift_points, bool) or not isinstance(shift_points, (int, float)) or not 0 <= shift_points <= 100:
        raise ValueError(f"shift_points: expected a number of percentage points from 0 to 100, found {shift_points!r}")
    investment = _investment(investment)
    points = float(shift_points)
    scenarios = [(f"rate_{float(rate)}", float(rate), 0.0, 0.0) for rate in rates] + [
        (f"deadweight_minus_{points:g}", discount_rate, -points, 0.0),
        (f"deadweight_plus_{points:g}", discount_rate, points, 0.0),
        (f"attribution_minus_{points:g}", discount_rate, 0.0, -points),
        (f"attribution_plus_{points:g}", discount_rate, 0.0, points),
    ]
    records = []
    for key, rate, deadweight_shift, attribution_shift in scenarios:
        outcomes = outcome_table(rows, rate, deadweight_shift, attribution_shift)
        present_value = float(outcomes["present_value"].sum()) if not outcomes.empty else math.nan
        ratio = present_value / investment if investment else math.nan
        records.append((key, rate, present_value, ratio))
    return pd.DataFrame.from_records(records, columns=SENSITIVITY_COLUMNS)


def _check_rate(option: str, rate: float) -> None:
    if isinstance(rate, bool) or not isinstance(rate, (int, float)) or not 0 <= rate <= 1:
        raise ValueError(
            f"{option}: expected a discount rate as a fraction from 0 to 1 (0.035 = 3.5 %), found {rate!r}"
        )


def _investment(investment: float | None) -> float | None:
    """The investment as a float; None when unknown (None or NaN). A negative one is an error."""
    if investment is None or pd.isna(investment):
        return None
    if investment < 0:
        raise ValueError(f"investment: expected an amount of at least 0, found {investment!r}")
    return float(investment)

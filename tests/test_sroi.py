"""SROI (Social Value UK guide) against values computed by hand."""

import math

import pandas as pd
import pytest

from tjsl_eval.methods import sroi

INVESTMENT = 100_000_000.0


def outcomes(*rows: dict) -> pd.DataFrame:
    """SROI rows of one group and year, typed as the loader does."""
    frame = pd.DataFrame(
        [
            {
                "group_id": "G-01",
                "year": 2023,
                "stakeholder": "anggota",
                "outcome": "pendapatan",
                "proxy_source": "survei",
                "displacement": 0.0,
                **row,
            }
            for row in rows
        ],
        columns=[
            "group_id",
            "year",
            "stakeholder",
            "outcome",
            "quantity",
            "proxy_value",
            "proxy_source",
            "duration_years",
            "deadweight",
            "attribution",
            "displacement",
            "drop_off",
        ],
    )
    return frame.astype(
        {
            "year": "Int64",
            "duration_years": "Int64",
            "quantity": "float64",
            "proxy_value": "float64",
            "deadweight": "float64",
            "attribution": "float64",
            "displacement": "float64",
            "drop_off": "float64",
        }
    )


WORKED = {
    "quantity": 20,
    "proxy_value": 6_000_000,
    "duration_years": 3,
    "deadweight": 20,
    "attribution": 25,
    "drop_off": 10,
}


@pytest.fixture
def worked_rows() -> pd.DataFrame:
    """20 members × Rp 6.000.000/year; deadweight 20 %, attribution 25 %, drop-off 10 %, 3 years."""
    return outcomes(WORKED)


def test_worked_case(worked_rows):
    result = sroi.compute_sroi(worked_rows, INVESTMENT)
    assert result.status == "ok"
    row = result.outcomes.iloc[0]
    # 120.000.000 × 0,8 × 1 × 0,75; then × 0,9 each year
    assert [row["impact_year_1"], row["impact_year_2"], row["impact_year_3"]] == pytest.approx(
        [72_000_000, 64_800_000, 58_320_000], abs=1e-6
    )
    # 72.000.000 / 1,035 + 64.800.000 / 1,035² + 58.320.000 / 1,035³
    assert result.present_value == pytest.approx(182_658_009.37, abs=0.01)
    assert row["present_value"] == pytest.approx(182_658_009.37, abs=0.01)
    assert result.investment == INVESTMENT
    assert result.net_present_value == pytest.approx(82_658_009.37, abs=0.01)
    assert round(result.ratio, 2) == 1.83
    assert result.net_ratio == pytest.approx(0.8265800937, abs=1e-9)
    assert result.impact_year_1 == pytest.approx(72_000_000)
    assert round(result.payback_months, 1) == 16.7  # 100.000.000 / (72.000.000 / 12)
    assert result.discount_rate == 0.035


def test_worked_case_at_six_percent(worked_rows):
    result = sroi.compute_sroi(worked_rows, INVESTMENT, discount_rate=0.06)
    assert result.present_value == pytest.approx(174_562_894.20, abs=0.01)
    assert round(result.ratio, 2) == 1.75


def test_outcomes_table_sums_and_pads_shorter_outcomes():
    rows = outcomes(
        WORKED,
        {
            "quantity": 10,
            "proxy_value": 1_000_000,
            "duration_years": 1,
            "deadweight": 0,
            "attribution": 50,
            "drop_off": 0,
            "displacement": 20,
        },
    )
    result = sroi.compute_sroi(rows, INVESTMENT, discount_rate=0.0)
    table = result.outcomes
    assert "group_id" not in table and "year" not in table
    second = table.iloc[1]
    assert second["impact_year_1"] == pytest.approx(4_000_000)  # 10.000.000 × 0,8 × 0,5
    assert math.isnan(second["impact_year_2"]) and math.isnan(second["impact_year_3"])
    assert second["present_value"] == pytest.approx(4_000_000)
    assert result.present_value == pytest.approx(195_120_000 + 4_000_000)
    assert result.impact_year_1 == pytest.approx(76_000_000)
    assert result.payback_months == pytest.approx(100 / 76 * 12)


@pytest.mark.parametrize("investment", [None, math.nan, 0, 0.0])
def test_no_investment(worked_rows, investment):
    result = sroi.compute_sroi(worked_rows, investment)
    assert result.status == "no_investment"
    assert result.present_value == pytest.approx(182_658_009.37, abs=0.01)
    assert (result.ratio, result.net_present_value, result.net_ratio, result.payback_months) == (None,) * 4


def test_no_rows():
    result = sroi.compute_sroi(outcomes(), INVESTMENT)
    assert result.status == "no_rows"
    assert result.outcomes.empty
    assert (
        result.present_value,
        result.ratio,
        result.net_present_value,
        result.net_ratio,
        result.payback_months,
        result.impact_year_1,
    ) == (None,) * 6
    assert result.investment == INVESTMENT


def test_zero_year_one_impact_has_no_payback():
    rows = outcomes({**WORKED, "deadweight": 100})
    result = sroi.compute_sroi(rows, INVESTMENT)
    assert result.status == "ok"
    assert result.present_value == 0 and result.ratio == 0
    assert result.net_present_value == -INVESTMENT and result.net_ratio == -1
    assert result.payback_months is None


def test_sensitivity(worked_rows):
    table = sroi.sensitivity(worked_rows, INVESTMENT)
    assert list(table.columns) == ["scenario", "discount_rate", "present_value", "ratio"]
    assert table["scenario"].tolist() == [
        "rate_0.0",
        "rate_0.035",
        "rate_0.06",
        "rate_0.1",
        "deadweight_minus_10",
        "deadweight_plus_10",
        "attribution_minus_10",
        "attribution_plus_10",
    ]
    assert table["discount_rate"].tolist() == [0.0, 0.035, 0.06, 0.1, 0.035, 0.035, 0.035, 0.035]
    expected_pv = [
        195_120_000.00,  # 72 + 64,8 + 58,32 million, undiscounted
        182_658_009.37,
        174_562_894.20,
        162_824_943.65,  # 72/1,1 + 64,8/1,21 + 58,32/1,331 million
        205_490_260.54,  # deadweight 10 %: year 1 = 81.000.000 → 81/72 of the base
        159_825_758.20,  # deadweight 30 %: 63.000.000 → 63/72
        207_012_410.62,  # attribution 15 %: 81.600.000 → 81,6/72
        158_303_608.12,  # attribution 35 %: 62.400.000 → 62,4/72
    ]
    assert table["present_value"].tolist() == pytest.approx(expected_pv, abs=0.01)
    assert table["ratio"].tolist() == pytest.approx([pv / INVESTMENT for pv in expected_pv], abs=1e-10)


def test_sensitivity_shifts_are_clamped():
    rows = outcomes({**WORKED, "deadweight": 95, "attribution": 5})
    table = sroi.sensitivity(rows, INVESTMENT, rates=(), shift_points=10).set_index("scenario")
    assert table.loc["deadweight_plus_10", "present_value"] == 0  # 105 % → 100 %
    attribution_minus = sroi.outcome_table(outcomes({**WORKED, "deadweight": 95, "attribution": 0}))
    assert table.loc["attribution_minus_10", "present_value"] == pytest.approx(
        attribution_minus["present_value"].sum()
    )  # −5 % → 0 %


def test_sensitivity_without_investment_or_rows(worked_rows):
    no_investment = sroi.sensitivity(worked_rows, None)
    assert no_investment["ratio"].isna().all() and no_investment["present_value"].notna().all()
    no_rows = sroi.sensitivity(outcomes(), INVESTMENT)
    assert len(no_rows) == 8
    assert no_rows["present_value"].isna().all() and no_rows["ratio"].isna().all()


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda rows: sroi.compute_sroi(rows, INVESTMENT, discount_rate=3.5), "discount_rate: expected"),
        (lambda rows: sroi.compute_sroi(rows, INVESTMENT, discount_rate=-0.01), "discount_rate: expected"),
        (lambda rows: sroi.compute_sroi(rows, -1.0), "investment: expected an amount of at least 0"),
        (lambda rows: sroi.sensitivity(rows, INVESTMENT, rates=(0.035, 6)), "rates: expected"),
        (lambda rows: sroi.sensitivity(rows, INVESTMENT, shift_points=-5), "shift_points: expected"),
    ],
)
def test_invalid_options(worked_rows, call, message):
    with pytest.raises(ValueError, match=message):
        call(worked_rows)

"""Metrics against values computed by hand from the fixture workbook in conftest.py."""

import pandas as pd
import pytest

from tjsl_eval.inputs.workbook import load_workbook
from tjsl_eval.methods import metrics


@pytest.fixture
def workbook(valid_xlsx):
    return load_workbook(valid_xlsx)


def test_budget_totals_and_absorption(workbook):
    summary = metrics.budget_summary(workbook.rows("budget", "BSM-01", 2023))
    assert summary.planned == 60_000_000
    assert summary.realized == 50_500_000  # the blank realization counts as nothing spent
    assert summary.absorption_pct == pytest.approx(50.5 / 60 * 100)
    by_category = summary.by_category.set_index("category")["absorption_pct"].to_dict()
    assert by_category == pytest.approx({"operasional": 0.0, "pelatihan": 125.0, "peralatan": 95.0})


def test_budget_without_rows_or_plan_is_none():
    empty = metrics.budget_summary(pd.DataFrame(columns=["category", "planned", "realized"]))
    assert (empty.planned, empty.realized, empty.absorption_pct) == (None, None, None)
    zero_plan = pd.DataFrame({"category": ["a"], "planned": [0.0], "realized": [5.0]})
    assert metrics.budget_summary(zero_plan).absorption_pct is None


@pytest.mark.parametrize(
    "target, actual, direction, expected",
    [
        (500, 600, "naik", 120.0),
        (500, 250, "naik", 50.0),
        (4, 5, "turun", 75.0),  # (2 × 4 − 5) / 4 × 100
        (4, 2, "turun", 150.0),  # better than target
        (4, 9, "turun", 0.0),  # floored at 0
        (10, None, "naik", None),
    ],
)
def test_indicator_achievement(target, actual, direction, expected):
    assert metrics.indicator_achievement(target, actual, direction) == expected


def test_indicator_summary_caps_each_at_100(workbook):
    summary = metrics.indicator_summary(workbook.rows("indicators", "BSM-01", 2023))
    assert summary == metrics.IndicatorSummary(achievement_pct=87.5, met=1, measured=2)  # mean(100, 75)
    assert metrics.indicator_summary(workbook.rows("indicators", "UMKM-02", 2023)).achievement_pct is None


def test_activity_completion_ignores_cancelled(workbook):
    assert metrics.activity_completion_pct(workbook.rows("activities", "BSM-01", 2023)) == 50.0
    assert metrics.activity_completion_pct(workbook.rows("activities", "UMKM-02", 2023)) is None


def test_fgd_counts_only_the_groups_own_inputs(workbook):
    assert metrics.fgd_counts(workbook.rows("fgd_feedback", "BSM-01", 2023)) == (1, 1)


def test_format_figure():
    assert metrics.format_figure("budget_planned", 1_250_000) == "Rp 1.250.000"
    assert metrics.format_figure("budget_absorption_pct", 85, "id") == "85,0 %"
    assert metrics.format_figure("fgd_open", 3, "en") == "3"
    assert metrics.format_figure("indicator_achievement_pct", None) == "–"
    assert metrics.format_figure("sroi_ratio", 1.8266, "id") == "1,83 : 1"
    assert metrics.format_figure("ikm_band", "A", "en") == "A — Very good"
    assert metrics.format_figure("sroi_net_present_value", -500_000) == "−Rp 500.000"


def test_format_change():
    assert metrics.format_change("budget_absorption_pct", 102.8, 90.7) == "+12,1 poin"
    assert metrics.format_change("budget_realized", 1_000_000, 1_500_000, "en") == "−Rp 500,000"
    assert metrics.format_change("sroi_ratio", 1.5, 1.25) == "+0,25"
    assert metrics.format_change("fgd_open", 2, 2) == "0"
    assert metrics.format_change("ikm_band", "A", "B") == "–"
    assert metrics.format_change("budget_planned", 5.0, None) == "–"

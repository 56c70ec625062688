"""Independence (kemandirian) index, stage and trend against values computed by hand."""

import pandas as pd
import pytest

from tjsl_eval.methods import independence

DIMENSIONS = ["kelembagaan", "keuangan", "usaha", "sdm", "jejaring", "ketergantungan_dana"]


def scores(year: int, values: list[int], dimensions: list[str] = DIMENSIONS) -> pd.DataFrame:
    """Independence rows of one group and year, typed as the loader does."""
    return pd.DataFrame(
        {
            "group_id": "G-01",
            "year": pd.array([year] * len(values), dtype="Int64"),
            "dimension": dimensions[: len(values)],
            "score": pd.array(values, dtype="Int64"),
            "evidence": None,
        }
    )


def test_index_and_stage():
    # (100 + 75 + 75 + 50 + 100 + 75) / 6 = 79.1666…
    result = independence.independence_index(scores(2023, [5, 4, 4, 3, 5, 4]))
    assert result == independence.IndependenceResult(index=79.17, stage="maju", dimensions=6)


@pytest.mark.parametrize(
    "values, index, stage",
    [
        ([3, 3, 3, 3, 1], 40.0, "berkembang"),  # (50 × 4 + 0) / 5
        ([5, 5, 5, 5, 1], 80.0, "mandiri"),  # (100 × 4 + 0) / 5
        ([1, 1, 1, 1], 0.0, "rintisan"),
        ([5, 5, 5, 5, 5, 5], 100.0, "mandiri"),
    ],
)
def test_index_on_boundaries(values, index, stage):
    result = independence.independence_index(scores(2023, values))
    assert (result.index, result.stage) == (index, stage)


@pytest.mark.parametrize(
    "index, stage",
    [
        (39.99, "rintisan"),
        (40, "berkembang"),
        (59.99, "berkembang"),
        (60, "maju"),
        (79.99, "maju"),
        (80, "mandiri"),
        (0, "rintisan"),
        (100, "mandiri"),
    ],
)
def test_stage_boundaries(index, stage):
    assert independence.independence_stage(index) == stage


def test_custom_thresholds():
    assert independence.independence_stage(75, thresholds=(30, 50, 70)) == "mandiri"
    result = independence.independence_index(scores(2023, [3, 3, 3]), thresholds=(30, 50, 70))
    assert (result.index, result.stage) == (50.0, "maju")


def test_weights_default_to_one_and_ignore_case():
    rows = scores(2023, [5, 1, 5], ["kelembagaan", "keuangan", "usaha"])
    assert independence.independence_index(rows).index == 66.67  # (100 + 0 + 100) / 3
    # keuangan counts twice: (100 + 2 × 0 + 100) / 4
    weighted = independence.independence_index(rows, weights={"Keuangan ": 2})
    assert (weighted.index, weighted.stage) == (50.0, "berkembang")
    # a weight for a dimension without a score changes nothing
    assert independence.independence_index(rows, weights={"jejaring": 3}).index == 66.67


def test_no_rows():
    empty = scores(2023, [])
    assert independence.independence_index(empty) == independence.IndependenceResult(None, None, 0)
    trend = independence.independence_trend(empty)
    assert list(trend.columns) == ["year", "index", "stage"] and trend.empty


@pytest.mark.parametrize("thresholds", [(60, 40, 80), (40, 40, 80), (40, 60), (0, 60, 80), (40, 60, 100)])
def test_invalid_thresholds(thresholds):
    with pytest.raises(ValueError, match="thresholds: expected three increasing numbers"):
        independence.independence_index(scores(2023, [3]), thresholds=thresholds)
    with pytest.raises(ValueError, match="thresholds: expected three increasing numbers"):
        independence.independence_stage(50, thresholds=thresholds)


@pytest.mark.parametrize("weights", [{"keuangan": 0}, {"keuangan": -1}, {"keuangan": "2"}])
def test_invalid_weights(weights):
    with pytest.raises(ValueError, match="weights: expected a mapping of dimension to a positive weight"):
        independence.independence_index(scores(2023, [3]), weights=weights)


@pytest.fixture
def trend() -> pd.DataFrame:
    rows = pd.concat(
        [
            scores(2024, [4, 4, 4, 4, 4, 4]),  # 75 maju
            scores(2021, [3, 3, 3, 3, 3, 3]),  # 50 berkembang
            scores(2023, [5, 5, 5, 5, 1]),  # 80 mandiri
            scores(2022, [5, 5, 5, 5, 5, 5]),  # 100 mandiri
            scores(2026, [2, 2, 2]),  # 25 rintisan, after a year without scores
        ],
        ignore_index=True,
    )
    return independence.independence_trend(rows)


def test_trend_is_sorted_by_year(trend):
    assert trend.to_dict("list") == {
        "year": [2021, 2022, 2023, 2024, 2026],
        "index": [50.0, 100.0, 80.0, 75.0, 25.0],
        "stage": ["berkembang", "mandiri", "mandiri", "maju", "rintisan"],
    }


@pytest.mark.parametrize("year, ready", [(2021, False), (2022, False), (2023, True), (2024, False), (2030, False)])
def test_ready_to_graduate_needs_two_mandiri_years(trend, year, ready):
    assert independence.ready_to_graduate(trend, year) is ready


@pytest.mark.parametrize(
    "year, change",
    [
        (2021, None),
        (2022, "naik"),
        (2023, "tetap"),
        (2024, "turun"),
        (2026, None),
        (2030, None),
    ],
)
def test_stage_change(trend, year, change):
    assert independence.stage_change(trend, year) == change

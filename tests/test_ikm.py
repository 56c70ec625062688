"""IKM (PermenPAN-RB 14/2017) against values computed by hand."""

from decimal import Decimal

import pandas as pd
import pytest

from tjsl_eval.methods import ikm

ELEMENTS = list(ikm.ELEMENTS)


def survey(columns: dict[str, list]) -> pd.DataFrame:
    """Survey rows of one group and year, typed as the loader does (nullable Int64)."""
    size = len(next(iter(columns.values())))
    frame = pd.DataFrame(
        {"group_id": ["G-01"] * size, "year": [2023] * size, "respondent_id": [f"R{i:02d}" for i in range(1, size + 1)]}
    )
    for element in ELEMENTS:
        frame[element] = pd.array(columns[element], dtype="Int64")
    frame["year"] = frame["year"].astype("Int64")
    return frame


def scores_with_total(total: int, respondents: int) -> list[int]:
    """``respondents`` scores of 3 or 4 (or all 4) adding up to ``total``."""
    base, extra = divmod(total, respondents)
    return [base + 1] * extra + [base] * (respondents - extra)


@pytest.fixture
def worked_case() -> pd.DataFrame:
    """29 respondents; element totals 105, 101, 100, 116, 102, 105, 106, 105, 115."""
    totals = [105, 101, 100, 116, 102, 105, 106, 105, 115]
    return survey({element: scores_with_total(total, 29) for element, total in zip(ELEMENTS, totals, strict=True)})


def test_worked_case_exact_weights(worked_case):
    assert worked_case[ELEMENTS].sum().tolist() == [105, 101, 100, 116, 102, 105, 106, 105, 115]
    result = ikm.compute_ikm(worked_case)
    assert result.nrr == {
        "u1": Decimal("3.6207"),
        "u2": Decimal("3.4828"),
        "u3": Decimal("3.4483"),
        "u4": Decimal("4.0000"),
        "u5": Decimal("3.5172"),
        "u6": Decimal("3.6207"),
        "u7": Decimal("3.6552"),
        "u8": Decimal("3.6207"),
        "u9": Decimal("3.9655"),
    }
    # 25 × (955 / 29) / 9 = 91.4751…
    assert result.score == Decimal("91.48")
    assert (result.band, result.band_label) == ("A", "Sangat Baik")
    assert result.respondents == 29
    assert result.small_sample  # 29 < 30


@pytest.mark.parametrize(
    "rounding, expected",
    [
        ("0.111", Decimal("91.38")),  # 25 × 0.111 × 955 / 29 = 91.3836…
        ("0.11", Decimal("90.56")),  # 25 × 0.11 × 955 / 29 = 90.5603…
    ],
)
def test_worked_case_rounded_weights(worked_case, rounding, expected):
    result = ikm.compute_ikm(worked_case, weight_rounding=rounding)
    assert result.score == expected
    assert result.weight_rounding == rounding


def test_all_threes_is_75():
    rows = survey({element: [3] * 30 for element in ELEMENTS})
    result = ikm.compute_ikm(rows)
    assert result.score == Decimal("75.00")
    assert (result.band, result.band_label) == ("C", "Kurang Baik")
    assert not result.small_sample
    assert ikm.compute_ikm(rows, band_table="2004").band == "B"


def test_score_is_rounded_half_up():
    # 40 respondents, nine 4s among 360 answers: 25 × (1089 / 40) / 9 = 75.625 exactly.
    columns = {element: [3] * 40 for element in ELEMENTS}
    columns["u1"] = [4] * 9 + [3] * 31
    assert ikm.compute_ikm(survey(columns)).score == Decimal("75.63")


@pytest.mark.parametrize(
    "score, band",
    [
        (Decimal("88.30"), "B"),
        (Decimal("88.31"), "A"),
        (Decimal("76.60"), "C"),
        (Decimal("76.61"), "B"),
        (Decimal("65.00"), "C"),
        (Decimal("64.99"), "D"),
        (Decimal("25.00"), "D"),
        (Decimal("100.00"), "A"),
        (88.305, "A"),  # rounded half-up to 88.31 first
        (24.75, "D"),  # possible with 0.11 weights when every answer is 1
    ],
)
def test_band_boundaries_2017(score, band):
    assert ikm.ikm_band(score) == band


@pytest.mark.parametrize(
    "score, band",
    [
        ("43.75", "D"),
        ("43.76", "C"),
        ("62.50", "C"),
        ("62.51", "B"),
        ("81.25", "B"),
        ("81.26", "A"),
    ],
)
def test_band_boundaries_2004(score, band):
    assert ikm.ikm_band(Decimal(score), table="2004") == band


def test_blanks_are_left_out_of_an_elements_mean():
    na = None
    rows = survey(
        {
            "u1": [4, na, 2],
            "u2": [4, 3, 2],
            "u3": [4, 3, 2],
            "u4": [4, 3, 2],
            "u5": [4, 3, 2],
            "u6": [4, 3, 2],
            "u7": [4, 3, 2],
            "u8": [4, 3, 2],
            "u9": [4, 3, na],
        }
    )
    result = ikm.compute_ikm(rows, min_respondents=3)
    assert result.nrr["u1"] == Decimal("3.0000")  # (4 + 2) / 2
    assert result.nrr["u9"] == Decimal("3.5000")  # (4 + 3) / 2
    assert result.nrr["u5"] == Decimal("3.0000")
    # 25 × (3 + 7 × 3 + 3.5) / 9 = 76.3888…
    assert result.score == Decimal("76.39")
    assert result.band == "C"
    assert result.respondents == 3 and not result.small_sample


def test_element_nobody_answered_is_none_and_left_out():
    columns = {element: [4, 3] for element in ELEMENTS}
    columns["u9"] = [None, None]
    rows = survey(columns)
    exact = ikm.compute_ikm(rows)
    assert exact.nrr["u9"] is None
    assert exact.score == Decimal("87.50")  # 25 × mean of eight NRRs of 3.5
    # Eight elements: weight 1/8 = 0.125 (3 decimals) or 0.13 (2 decimals).
    assert ikm.compute_ikm(rows, weight_rounding="0.111").score == Decimal("87.50")
    assert ikm.compute_ikm(rows, weight_rounding="0.11").score == Decimal("91.00")  # 25 × 0.13 × 28


def test_respondents_count_rows_with_an_answer_and_small_sample_flag():
    columns = {element: [3, 4, None] for element in ELEMENTS}
    result = ikm.compute_ikm(survey(columns))
    assert result.respondents == 2
    assert result.small_sample
    assert not ikm.compute_ikm(survey(columns), min_respondents=2).small_sample


@pytest.mark.parametrize(
    "rows",
    [
        survey({element: [] for element in ELEMENTS}),
        survey({element: [None, None] for element in ELEMENTS}),
    ],
    ids=["no rows", "no answers"],
)
def test_empty_survey_has_no_score(rows):
    result = ikm.compute_ikm(rows)
    assert (result.score, result.band, result.band_label) == (None, None, None)
    assert result.respondents == 0
    assert result.small_sample
    assert result.nrr == dict.fromkeys(ELEMENTS)


@pytest.mark.parametrize(
    "option, value, message",
    [
        ("weight_rounding", "0.1", "weight_rounding: expected one of exact, 0.111, 0.11"),
        ("band_table", "2020", "band_table: expected one of 2017, 2004"),
        ("min_respondents", 0, "min_respondents: expected a whole number of at least 1"),
    ],
)
def test_invalid_options_are_named(option, value, message):
    rows = survey({element: [3] for element in ELEMENTS})
    with pytest.raises(ValueError, match=message):
        ikm.compute_ikm(rows, **{option: value})


def test_invalid_band_table_for_ikm_band():
    with pytest.raises(ValueError, match="table: expected one of 2017, 2004"):
        ikm.ikm_band(Decimal("80"), table="1999")


def test_element_names():
    from tjsl_eval.common.messages import catalogue

    assert list(ikm.ELEMENTS) == [f"u{i}" for i in range(1, 10)]
    assert ikm.ELEMENTS["u8"] == "penanganan pengaduan, saran dan masukan"
    for language in ("id", "en"):
        assert all(f"ikm_element.{element}" in catalogue(language) for element in ikm.ELEMENTS)
    assert catalogue("en")["ikm_element.u4"] == "Cost/fee"

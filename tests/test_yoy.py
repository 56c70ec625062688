import pytest

from tjsl_eval.methods import yoy


@pytest.mark.parametrize(
    "now, before, direction, expected",
    [
        (90.0, 80.0, "naik", "lebih_baik"),
        (70.0, 80.0, "naik", "lebih_buruk"),
        (1, 3, "turun", "lebih_baik"),
        (4, 3, "turun", "lebih_buruk"),
        (80.0, 80.0, "naik", "tetap"),
        (2, 2, "turun", "tetap"),
        (98.0, 90.0, "target_100", "lebih_baik"),
        (103.0, 98.0, "target_100", "lebih_buruk"),  # 3 points off 100 is worse than 2
        (105.0, 95.0, "target_100", "tetap"),  # both 5 points off
        (120.0, 110.0, "target_100", "lebih_buruk"),  # over-spending more
        (5.0, 3.0, None, "berubah"),
        (5.0, 5.0, None, "tetap"),
        (None, 80.0, "naik", "tanpa_data"),
        (80.0, None, "naik", "tanpa_data"),
    ],
)
def test_verdict_for_each_direction_of_good(now, before, direction, expected):
    assert yoy.verdict(now, before, direction) == expected


def test_a_new_group_is_new_not_a_fall_from_zero():
    assert yoy.verdict(50.0, None, "naik", new=True) == "baru"
    entry = {"indicator_achievement_pct": 50.0, "fgd_open": 2}
    result = yoy.changes(entry, None)
    assert {c.verdict for c in result.values()} == {"baru"}
    assert result["indicator_achievement_pct"].difference is None


def test_changes_and_score():
    now = {"indicator_achievement_pct": 90.0, "fgd_open_earlier": 3, "budget_absorption_pct": 99.0, "ikm_score": None}
    before = {
        "indicator_achievement_pct": 80.0,
        "fgd_open_earlier": 1,
        "budget_absorption_pct": 70.0,
        "ikm_score": 80.0,
    }
    result = yoy.changes(now, before)
    assert result["indicator_achievement_pct"].as_dict() == {
        "now": 90.0,
        "before": 80.0,
        "difference": 10.0,
        "verdict": "lebih_baik",
    }
    assert result["fgd_open_earlier"].verdict == "lebih_buruk" and result["ikm_score"].verdict == "tanpa_data"
    assert yoy.score(result) == (2, 1)


def test_inputs_raised_at_this_fgd_are_new_not_worse():
    """Inputs raised at this review's FGD are open by definition: their count gets no direction of good; the open
    and overdue inputs raised at earlier FGDs do."""
    result = yoy.changes({"fgd_open": 17, "fgd_overdue_earlier": 1}, {"fgd_open": 4, "fgd_overdue_earlier": 3})
    assert result["fgd_open"].verdict == "berubah" and result["fgd_overdue_earlier"].verdict == "lebih_baik"


def test_every_metric_has_a_stated_direction():
    from tjsl_eval.methods.metrics import METRIC_KEYS

    assert set(METRIC_KEYS) <= set(yoy.DIRECTIONS)
    assert set(yoy.DIRECTIONS.values()) <= {"naik", "turun", "target_100", None}


def test_every_verdict_and_direction_has_a_label_in_both_languages():
    from tjsl_eval.common.messages import catalogue

    for language in ("id", "en"):
        texts = catalogue(language)
        assert all(f"verdict.{verdict}" in texts for verdict in yoy.VERDICTS)
        assert all(f"direction_of_good.{direction}" in texts for direction in set(yoy.DIRECTIONS.values()))

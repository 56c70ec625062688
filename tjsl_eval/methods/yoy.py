"""Year over year: is this year better than last year, metric by metric?

Each metric has a stated direction of good. A group with no data the year before is
``baru`` (new), never a fall from zero.
"""

from __future__ import annotations

from dataclasses import dataclass

# metric -> direction of good: "naik" (higher is better), "turun" (lower is better),
# "target_100" (closer to 100 % is better: absorption), or None (neither: shown, not judged).
DIRECTIONS: dict[str, str | None] = {
    "budget_planned": None,
    "budget_realized": None,
    "budget_absorption_pct": "target_100",
    "indicator_achievement_pct": "naik",
    "indicators_met": "naik",
    "indicators_measured": "naik",
    "activity_completion_pct": "naik",
    "fgd_inputs": None,
    "fgd_open": None,  # raised at this review's FGD: open by definition, not a fall
    "fgd_inputs_new": None,
    "fgd_open_earlier": "turun",
    "fgd_overdue_earlier": "turun",
    "ikm_score": "naik",
    "ikm_respondents": "naik",
    "sroi_ratio": "naik",
    "sroi_present_value": "naik",
    "independence_index": "naik",
    "recommendations_followed_up_pct": "naik",
    "recommendations_overdue": "turun",
    "recommendations_without_owner": "turun",
}
VERDICTS = ("lebih_baik", "lebih_buruk", "tetap", "berubah", "baru", "tanpa_data")
TOLERANCE = 1e-9


@dataclass(frozen=True)
class Change:
    """One metric this year against last year, with the verdict under its direction of good."""

    metric: str
    now: float | None
    before: float | None
    difference: float | None
    verdict: str  # one of VERDICTS

    def as_dict(self) -> dict[str, object]:
        return {"now": self.now, "before": self.before, "difference": self.difference, "verdict": self.verdict}


def verdict(now: float | None, before: float | None, direction: str | None, new: bool = False) -> str:
    """``lebih_baik``/``lebih_buruk``/``tetap`` under ``direction``; ``berubah`` for a metric
    with no direction of good; ``baru`` for a group new this year; ``tanpa_data`` when
    either year lacks the figure."""
    if new:
        return "baru"
    if now is None or before is None:
        return "tanpa_data"
    if abs(now - before) <= TOLERANCE:
        return "tetap"
    if direction is None:
        return "berubah"
    if direction == "target_100":
        now, before = -abs(now - 100), -abs(before - 100)  # a smaller gap to 100 % is better
        if abs(now - before) <= TOLERANCE:
            return "tetap"
        direction = "naik"
    better = (now > before) == (direction == "naik")
    return "lebih_baik" if better else "lebih_buruk"


def changes(now: dict[str, object], before: dict[str, object] | None) -> dict[str, Change]:
    """Every judged metric of a ``metrics.json`` entry against ``previous_year`` (None = new)."""
    result = {}
    for metric, direction in DIRECTIONS.items():
        value = now.get(metric)
        previous = None if before is None else before.get(metric)
        difference = None if value is None or previous is None else value - previous
        result[metric] = Change(
            metric, value, previous, difference, verdict(value, previous, direction, new=before is None)
        )
    return result


def with_changes(entry: dict[str, object]) -> dict[str, object]:
    """A group's entry as ``metrics.json`` holds it: its figures and ``changes``, each metric's :class:`Change`."""
    return {**entry, "changes": {k: c.as_dict() for k, c in changes(entry, entry["previous_year"]).items()}}


def score(changes_of_group: dict[str, Change]) -> tuple[int, int]:
    """How many judged metrics got better and how many worse."""
    verdicts = [c.verdict for c in changes_of_group.values()]
    return verdicts.count("lebih_baik"), verdicts.count("lebih_buruk")

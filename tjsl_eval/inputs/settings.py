"""Evaluation method settings: the optional ``methods`` mapping of a params file.

Every setting has a documented default (docs/params.md); ``MethodSettings.from_mapping``
checks the values a user wrote and names the bad ones.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields

DEFAULT_DAC_THRESHOLDS = {
    "effectiveness": {"green": 90.0, "amber": 70.0},  # indicator achievement %, at least
    "efficiency": {"green": [90.0, 100.0], "amber": [80.0, 110.0]},  # budget absorption %, within
    "impact": {"green": 1.5, "amber": 1.0},  # SROI ratio, at least
    "sustainability": {"green": 60.0, "amber": 40.0},  # independence index, at least
}


@dataclass(frozen=True)
class MethodSettings:
    """How IKM, SROI, independence and the DAC traffic lights are computed."""

    ikm_weight_rounding: str = "exact"  # exact | 0.111 | 0.11
    ikm_band_table: str = "2017"  # 2017 (PermenPAN-RB 14/2017) | 2004
    ikm_min_respondents: int = 30
    sroi_discount_rate_pct: float = 3.5
    independence_thresholds: tuple[float, float, float] = (40.0, 60.0, 80.0)
    independence_weights: dict[str, float] = field(default_factory=dict)
    dac_thresholds: dict[str, dict] = field(default_factory=lambda: DEFAULT_DAC_THRESHOLDS)

    @classmethod
    def from_mapping(cls, values: dict | None) -> MethodSettings:
        """Settings from a params file's ``methods`` mapping; ``ValueError`` names a bad key."""
        values = dict(values or {})
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(values) - known)
        if unknown:
            raise ValueError(f"unknown method setting(s) {', '.join(unknown)}; expected {', '.join(sorted(known))}")
        checked = {}
        for key, value in values.items():
            checked[key] = _CHECKS[key](key, value)
        return cls(**checked)

    def as_dict(self) -> dict[str, object]:
        values = asdict(self)
        values["independence_thresholds"] = list(self.independence_thresholds)
        return values


def _choice(options: tuple[str, ...]):
    def check(key: str, value: object) -> str:
        if str(value) not in options:
            raise ValueError(f"{key}: expected one of {', '.join(options)}, found {value!r}")
        return str(value)

    return check


def _number(low: float, high: float, integer: bool = False):
    def check(key: str, value: object) -> float:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or (integer and value != int(value)):
            raise ValueError(f"{key}: expected {'a whole number' if integer else 'a number'}, found {value!r}")
        if not low <= value <= high:
            raise ValueError(f"{key}: expected a value from {low:g} to {high:g}, found {value!r}")
        return int(value) if integer else float(value)

    return check


def _thresholds(key: str, value: object) -> tuple[float, float, float]:
    if (
        not isinstance(value, list)
        or len(value) != 3
        or not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in value)
        or not 0 < value[0] < value[1] < value[2] < 100
    ):
        raise ValueError(f"{key}: expected three increasing numbers between 0 and 100, such as [40, 60, 80]")
    return tuple(float(v) for v in value)


def _weights(key: str, value: object) -> dict[str, float]:
    if not isinstance(value, dict) or not all(
        isinstance(w, (int, float)) and not isinstance(w, bool) and w > 0 for w in value.values()
    ):
        raise ValueError(f"{key}: expected a mapping of dimension to a positive weight, such as {{keuangan: 2}}")
    return {str(k): float(w) for k, w in value.items()}


def _dac(key: str, value: object) -> dict[str, dict]:
    if not isinstance(value, dict) or not set(value) <= set(DEFAULT_DAC_THRESHOLDS):
        raise ValueError(f"{key}: expected a mapping with some of {', '.join(DEFAULT_DAC_THRESHOLDS)}")
    merged = {criterion: dict(levels) for criterion, levels in DEFAULT_DAC_THRESHOLDS.items()}
    for criterion, levels in value.items():
        if not isinstance(levels, dict) or not set(levels) <= {"green", "amber"}:
            raise ValueError(f"{key}.{criterion}: expected green and/or amber thresholds")
        merged[criterion].update(levels)
    return merged


_CHECKS = {
    "ikm_weight_rounding": _choice(("exact", "0.111", "0.11")),
    "ikm_band_table": _choice(("2017", "2004")),
    "ikm_min_respondents": _number(1, 100_000, integer=True),
    "sroi_discount_rate_pct": _number(0, 100),
    "independence_thresholds": _thresholds,
    "independence_weights": _weights,
    "dac_thresholds": _dac,
}

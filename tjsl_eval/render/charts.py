"""Report charts. Each function returns a matplotlib Figure with a title, axis labels and units.

Labels that come from the workbook are drawn as plain text (no mathtext), so a ``$``
in an indicator name stays a dollar sign.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

import pandas as pd

from tjsl_eval.common.messages import text

if TYPE_CHECKING:
    from matplotlib.figure import Figure

STYLE = {
    "text.parse_math": False,
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
}
PLAN_COLOUR, REALIZED_COLOUR, TARGET_COLOUR = "#9bb7d4", "#1f5f99", "#c0392b"


def _figure(rows: int) -> Figure:
    from matplotlib.figure import Figure

    return Figure(figsize=(7.5, max(2.2, 0.45 * rows + 1.3)), layout="constrained")


def _wrapped(labels: pd.Series, width: int = 38) -> list[str]:
    import textwrap

    return [textwrap.shorten(str(label), width=width, placeholder="…") for label in labels]


def budget_chart(by_category: pd.DataFrame, language: str = "id") -> Figure:
    """Planned vs realized budget per category, in millions of Rupiah."""
    import matplotlib

    with matplotlib.rc_context(STYLE):
        figure = _figure(len(by_category))
        axes = figure.add_subplot()
        positions = range(len(by_category))
        axes.barh(
            [p + 0.2 for p in positions],
            by_category["planned"] / 1e6,
            height=0.4,
            color=PLAN_COLOUR,
            label=text("budget.planned", language),
        )
        axes.barh(
            [p - 0.2 for p in positions],
            by_category["realized"] / 1e6,
            height=0.4,
            color=REALIZED_COLOUR,
            label=text("budget.realized", language),
        )
        axes.set_yticks(list(positions), _wrapped(by_category["category"]))
        axes.invert_yaxis()
        axes.set_xlabel(text("chart.budget_axis", language))
        axes.set_title(text("chart.budget_title", language))
        figure.legend(loc="outside lower center", ncols=2, frameon=False)
    return figure


def indicator_chart(indicators: pd.DataFrame, language: str = "id") -> Figure:
    """Achievement % per indicator against the 100 % target line; unmeasured ones are labelled."""
    import matplotlib

    with matplotlib.rc_context(STYLE):
        figure = _figure(len(indicators))
        axes = figure.add_subplot()
        achieved = indicators["achievement_pct"]
        positions = list(range(len(indicators)))
        colours = [REALIZED_COLOUR if value >= 100 else PLAN_COLOUR for value in achieved.fillna(0)]
        axes.barh(positions, achieved.fillna(0), color=colours)
        for position, value in zip(positions, achieved, strict=True):
            label = text("indicator.not_measured", language) if pd.isna(value) else f"{value:.0f}"
            axes.annotate(
                label,
                (0 if pd.isna(value) else value, position),
                xytext=(3, 0),
                textcoords="offset points",
                va="center",
                fontsize=8,
            )
        axes.axvline(100, color=TARGET_COLOUR, linestyle="--", linewidth=1)
        axes.set_yticks(positions, _wrapped(indicators["indicator"]))
        axes.invert_yaxis()
        axes.set_xlim(0, max(120.0, float(achieved.max(skipna=True) or 0) * 1.15))
        axes.set_xlabel(text("chart.achievement_axis", language))
        axes.set_title(text("chart.indicator_title", language))
    return figure


def png_bytes(figure: Figure) -> bytes:
    """The figure as PNG with fixed metadata, so the same data gives the same bytes."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=110, metadata={"Software": None})
    return buffer.getvalue()


def ikm_chart(nrr: dict[str, float | None], element_labels: dict[str, str], language: str = "id") -> Figure:
    """The NRR (mean score, 1–4) of each IKM service element."""
    import matplotlib

    with matplotlib.rc_context(STYLE):
        figure = _figure(len(nrr))
        axes = figure.add_subplot()
        elements = list(nrr)
        values = [float(nrr[e]) if nrr[e] is not None else 0.0 for e in elements]
        axes.barh(range(len(elements)), values, color=REALIZED_COLOUR)
        axes.set_yticks(range(len(elements)), [f"{e.upper()} {element_labels[e]}" for e in elements])
        axes.invert_yaxis()
        axes.set_xlim(1, 4)
        axes.set_xlabel(text("chart.nrr_axis", language))
        axes.set_title(text("chart.ikm_title", language))
    return figure


def sroi_chart(outcomes: pd.DataFrame, language: str = "id") -> Figure:
    """Present value of each SROI outcome, in millions of Rupiah."""
    import matplotlib

    with matplotlib.rc_context(STYLE):
        figure = _figure(len(outcomes))
        axes = figure.add_subplot()
        axes.barh(range(len(outcomes)), outcomes["present_value"] / 1e6, color=REALIZED_COLOUR)
        axes.set_yticks(range(len(outcomes)), _wrapped(outcomes["outcome"]))
        axes.invert_yaxis()
        axes.set_xlabel(text("chart.sroi_axis", language))
        axes.set_title(text("chart.sroi_title", language))
    return figure


def independence_chart(trend: pd.DataFrame, thresholds: tuple[float, float, float], language: str = "id") -> Figure:
    """The independence index over the years, with the stage thresholds."""
    import matplotlib

    with matplotlib.rc_context(STYLE):
        figure = _figure(4)
        axes = figure.add_subplot()
        years = [int(y) for y in trend["year"]]
        axes.plot(years, trend["index"], marker="o", color=REALIZED_COLOUR)
        for threshold in thresholds:
            axes.axhline(threshold, color="#999999", linestyle=":", linewidth=1)
        axes.set_xticks(years, [str(y) for y in years])
        axes.set_ylim(0, 100)
        axes.set_xlabel(text("chart.year_axis", language))
        axes.set_ylabel(text("chart.independence_axis", language))
        axes.set_title(text("chart.independence_title", language))
    return figure


def ranking_chart(values: pd.Series, title: str, axis_label: str) -> Figure:
    """The groups ranked by one metric (``values`` indexed by group name), best first."""
    import matplotlib

    ranked = values.sort_values(ascending=False)
    with matplotlib.rc_context(STYLE):
        figure = _figure(len(ranked))
        axes = figure.add_subplot()
        axes.barh(range(len(ranked)), ranked.to_numpy(), color=REALIZED_COLOUR)
        axes.set_yticks(range(len(ranked)), _wrapped(pd.Series(ranked.index)))
        axes.invert_yaxis()
        axes.set_xlabel(axis_label)
        axes.set_title(title)
    return figure


def trend_chart(years: pd.Series, values: pd.Series, title: str, axis_label: str, year_label: str) -> Figure:
    """One programme figure over the years."""
    import matplotlib

    with matplotlib.rc_context(STYLE):
        figure = _figure(3)
        axes = figure.add_subplot()
        axes.plot([int(y) for y in years], values.astype("float64"), marker="o", color=REALIZED_COLOUR)
        axes.set_xticks([int(y) for y in years], [str(int(y)) for y in years])
        axes.set_xlabel(year_label)
        axes.set_ylabel(axis_label)
        axes.set_title(title)
    return figure

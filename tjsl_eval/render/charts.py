"""Report charts. Each function returns a matplotlib Figure with a title, axis labels and units.

Every figure is made at the width it is printed (:data:`PRINT_WIDTH_IN`: the Word report's and the PDF's
chart width), its text no smaller than :data:`SMALLEST_PT` there; long labels are wrapped, never cut; bars
start at zero (the NRR scale and trend lines too); bars below their target are drawn in a warning colour,
with a legend saying so. The colours are the brand's (``colours``, :mod:`tjsl_eval.render.brand_colours`; the
warning colour kept distinct from them), else the reports' own. Labels that come from the workbook are drawn
as plain text (no mathtext), so a ``$`` in an indicator name stays a dollar sign.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

import pandas as pd

from tjsl_eval.common.messages import text
from tjsl_eval.render.brand_colours import DEFAULT_COLOURS, ChartColours

if TYPE_CHECKING:
    from matplotlib.figure import Figure

PRINT_WIDTH_IN = 16 / 2.54  # a chart's printed width (16 cm), in inches
SMALLEST_PT = 7  # no text smaller than this at the printed width
STYLE = {
    "text.parse_math": False,
    "font.size": 8.5,
    "axes.titlesize": 9.5,
    "axes.labelsize": 8.5,
    "xtick.labelsize": 8,
    "ytick.labelsize": 8,
    "legend.fontsize": 8,
    "axes.spines.top": False,
    "axes.spines.right": False,
}
LABEL_WIDTH = 30  # characters per line of a wrapped label


def _figure(lines: float) -> Figure:
    """A figure as wide as it is printed, tall enough for ``lines`` lines of labels (a bar's wrapped label)."""
    from matplotlib.figure import Figure

    return Figure(figsize=(PRINT_WIDTH_IN, max(2.0, 0.16 * lines + 1.0)), layout="constrained")


def _wrapped(labels, width: int = LABEL_WIDTH) -> list[str]:
    """Labels broken into lines of at most ``width`` characters (at spaces), never cut."""
    import textwrap

    return [textwrap.fill(str(label), width=width, break_long_words=False) or "–" for label in labels]


def _lines(labels: list[str]) -> float:
    """How many lines of text wrapped labels take, a bar's own space counted."""
    return sum(label.count("\n") + 1.6 for label in labels)


def budget_chart(by_category: pd.DataFrame, language: str = "id", colours: ChartColours = DEFAULT_COLOURS) -> Figure:
    """Planned vs realized budget per category, in millions of Rupiah."""
    import matplotlib

    with matplotlib.rc_context(STYLE):
        labels = _wrapped(by_category["category"])
        figure = _figure(_lines(labels) + len(labels))
        axes = figure.add_subplot()
        positions = range(len(by_category))
        axes.barh(
            [p + 0.2 for p in positions],
            by_category["planned"] / 1e6,
            height=0.4,
            color=colours.second,
            label=text("budget.planned", language),
        )
        axes.barh(
            [p - 0.2 for p in positions],
            by_category["realized"] / 1e6,
            height=0.4,
            color=colours.main,
            label=text("budget.realized", language),
        )
        axes.set_yticks(list(positions), labels)
        axes.invert_yaxis()
        axes.set_xlabel(text("chart.budget_axis", language))
        axes.set_title(text("chart.budget_title", language))
        figure.legend(loc="outside lower center", ncols=2, frameon=False)
    return figure


def indicator_chart(indicators: pd.DataFrame, language: str = "id", colours: ChartColours = DEFAULT_COLOURS) -> Figure:
    """Achievement % per indicator against the 100 % target line; unmeasured ones are labelled."""
    import matplotlib
    from matplotlib.patches import Patch

    with matplotlib.rc_context(STYLE):
        labels = _wrapped(indicators["indicator"])
        figure = _figure(_lines(labels))
        axes = figure.add_subplot()
        achieved = indicators["achievement_pct"]
        positions = list(range(len(indicators)))
        fills = [colours.main if value >= 100 else colours.warning for value in achieved.fillna(0)]
        axes.barh(positions, achieved.fillna(0), color=fills)
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
        axes.axvline(100, color=colours.target, linestyle="--", linewidth=1)
        axes.set_yticks(positions, labels)
        axes.invert_yaxis()
        axes.set_xlim(0, max(120.0, float(achieved.max(skipna=True) or 0) * 1.15))
        axes.set_xlabel(text("chart.achievement_axis", language))
        axes.set_title(text("chart.indicator_title", language))
        legend = [
            Patch(color=colours.main, label=text("documents.meets_target", language)),
            Patch(color=colours.warning, label=text("documents.below_target", language)),
        ]
        figure.legend(handles=legend, loc="outside lower center", ncols=2, frameon=False)
    return figure


def png_bytes(figure: Figure) -> bytes:
    """The figure as PNG with fixed metadata, so the same data gives the same bytes."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=110, metadata={"Software": None})
    return buffer.getvalue()


def ikm_chart(
    nrr: dict[str, float | None],
    element_labels: dict[str, str],
    language: str = "id",
    colours: ChartColours = DEFAULT_COLOURS,
) -> Figure:
    """The NRR (mean score, 1–4) of each IKM service element."""
    import matplotlib

    with matplotlib.rc_context(STYLE):
        elements = list(nrr)
        labels = _wrapped(f"{e.upper()} {element_labels[e]}" for e in elements)
        figure = _figure(_lines(labels))
        axes = figure.add_subplot()
        values = [float(nrr[e]) if nrr[e] is not None else 0.0 for e in elements]
        axes.barh(range(len(elements)), values, color=colours.main)
        axes.set_yticks(range(len(elements)), labels)
        axes.invert_yaxis()
        axes.set_xlim(0, 4)
        axes.set_xlabel(text("chart.nrr_axis", language))
        axes.set_title(text("chart.ikm_title", language))
    return figure


def sroi_chart(outcomes: pd.DataFrame, language: str = "id", colours: ChartColours = DEFAULT_COLOURS) -> Figure:
    """Present value of each SROI outcome, in millions of Rupiah."""
    import matplotlib

    with matplotlib.rc_context(STYLE):
        labels = _wrapped(outcomes["outcome"])
        figure = _figure(_lines(labels))
        axes = figure.add_subplot()
        axes.barh(range(len(outcomes)), outcomes["present_value"] / 1e6, color=colours.main)
        axes.set_yticks(range(len(outcomes)), labels)
        axes.invert_yaxis()
        axes.set_xlabel(text("chart.sroi_axis", language))
        axes.set_title(text("chart.sroi_title", language))
    return figure


def independence_chart(
    trend: pd.DataFrame,
    thresholds: tuple[float, float, float],
    language: str = "id",
    colours: ChartColours = DEFAULT_COLOURS,
) -> Figure:
    """The independence index over the years, with the stage thresholds."""
    import matplotlib

    with matplotlib.rc_context(STYLE):
        figure = _figure(8)
        axes = figure.add_subplot()
        years = [int(y) for y in trend["year"]]
        axes.plot(years, trend["index"], marker="o", color=colours.main)
        for threshold in thresholds:
            axes.axhline(threshold, color="#999999", linestyle=":", linewidth=1)
        axes.set_xticks(years, [str(y) for y in years])
        axes.set_ylim(0, 100)
        axes.set_xlabel(text("chart.year_axis", language))
        axes.set_ylabel(text("chart.independence_axis", language))
        axes.set_title(text("chart.independence_title", language))
    return figure


def ranking_chart(values: pd.Series, title: str, axis_label: str, colours: ChartColours = DEFAULT_COLOURS) -> Figure:
    """The groups ranked by one metric (``values`` indexed by group name), best first."""
    import matplotlib

    ranked = values.sort_values(ascending=False)
    with matplotlib.rc_context(STYLE):
        labels = _wrapped(ranked.index)
        figure = _figure(_lines(labels))
        axes = figure.add_subplot()
        axes.barh(range(len(ranked)), ranked.to_numpy(), color=colours.main)
        axes.set_yticks(range(len(ranked)), labels)
        axes.invert_yaxis()
        axes.set_xlabel(axis_label)
        axes.set_title(title)
    return figure


def trend_chart(
    years: pd.Series,
    values: pd.Series,
    title: str,
    axis_label: str,
    year_label: str,
    colours: ChartColours = DEFAULT_COLOURS,
) -> Figure:
    """One programme figure over the years, on an axis from zero (so a small change looks small)."""
    import matplotlib

    with matplotlib.rc_context(STYLE):
        figure = _figure(6)
        axes = figure.add_subplot()
        shown = values.astype("float64")
        axes.plot([int(y) for y in years], shown, marker="o", color=colours.main)
        axes.set_xticks([int(y) for y in years], [str(int(y)) for y in years])
        low, high = (0.0 if pd.isna(v) else float(v) for v in (shown.min(skipna=True), shown.max(skipna=True)))
        axes.set_ylim(min(0.0, low), max(high * 1.1, 1.0))
        axes.set_xlabel(year_label)
        axes.set_ylabel(axis_label)
        axes.set_title(title)
    return figure

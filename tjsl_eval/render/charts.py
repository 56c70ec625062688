"""Report charts. Each function returns a matplotlib Figure with a title, axis labels and units.

Every figure is made at the width it is printed (:data:`PRINT_WIDTH_IN`: the Word report's and the PDF's
chart width), its text no smaller than :data:`SMALLEST_PT` there; long labels are wrapped, never cut; bars
start at zero (the NRR scale and trend lines too); bars below their target are drawn in a warning colour,
with a legend saying so. The colours are the brand's (``style``, :mod:`tjsl_eval.render.brand_colours`; the
warning colour kept distinct from them), else the reports' own; the lettering is in the reports' font (the
brand's, Calibri's metric twin Carlito), as the text around the chart. Labels that come from the workbook are drawn
as plain text (no mathtext), so a ``$`` in an indicator name stays a dollar sign.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

import pandas as pd

from tjsl_eval.common.formatting import number
from tjsl_eval.common.messages import text
from tjsl_eval.render.brand_colours import DEFAULT_CHART_STYLE, ChartStyle

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
# A chart printed this much smaller (to fit a landscape page's height) keeps its text at SMALLEST_PT or more.
SHRINK_LIMIT = SMALLEST_PT / min(size for key, size in STYLE.items() if key.endswith("size"))
LABEL_WIDTH = 30  # characters per line of a wrapped label
BAR_LINES = 1.6  # the height of a bar with a one-line label, in lines of label text
WRAPPED_GAP_LINES = 0.2  # a wrapped label's lines and this much space
FALLBACK_FONTS = ("Carlito", "DejaVu Sans")


def _rc(style: ChartStyle) -> dict[str, object]:
    """:data:`STYLE` with the lettering in ``style``'s font: the installed ones of it, Carlito (the reports' font
    where Calibri is not installed) and DejaVu Sans (matplotlib's own, also for a character the others lack)."""
    from matplotlib import font_manager

    installed = {font.name for font in font_manager.fontManager.ttflist}
    families = [family for family in dict.fromkeys((style.font, *FALLBACK_FONTS)) if family in installed]
    return {**STYLE, "font.family": families or ["sans-serif"]}


def _numbered(axis, language: str) -> None:
    """``axis``'s tick labels written as the report writes numbers: ``0,5`` and ``1.500`` in Indonesian, ``0.5``
    and ``1,500`` in English, with as many decimals as the ticks need, the same for all."""
    from matplotlib.ticker import Formatter

    class ReportNumbers(Formatter):
        decimals = 0

        def set_locs(self, locs) -> None:
            super().set_locs(locs)
            self.decimals = next(
                (d for d in range(4) if all(abs(round(float(loc), d) - float(loc)) < 1e-9 for loc in locs)), 3
            )

        def __call__(self, value, pos=None) -> str:
            return number(value, language, self.decimals)

    axis.set_major_formatter(ReportNumbers())


def _figure(lines: float) -> Figure:
    """A figure as wide as it is printed, tall enough for ``lines`` lines of labels (a bar's wrapped label)."""
    from matplotlib.figure import Figure

    return Figure(figsize=(PRINT_WIDTH_IN, max(2.0, 0.16 * lines + 1.0)), layout="constrained")


def _wrapped(labels, width: int = LABEL_WIDTH) -> list[str]:
    """Labels broken into lines of at most ``width`` characters (at spaces), never cut."""
    import textwrap

    return [textwrap.fill(str(label), width=width, break_long_words=False) or "–" for label in labels]


def _lines(labels: list[str]) -> float:
    """How many lines of text wrapped labels take, with the space between bars: a bar of one line takes 1.6, a
    wrapped label its lines and a fifth of one (its lines already part it from the next bar)."""
    return sum(max(BAR_LINES, label.count("\n") + 1 + WRAPPED_GAP_LINES) for label in labels)


def budget_chart(by_category: pd.DataFrame, language: str = "id", style: ChartStyle = DEFAULT_CHART_STYLE) -> Figure:
    """Planned vs realized budget per category, in millions of Rupiah."""
    import matplotlib

    with matplotlib.rc_context(_rc(style)):
        labels = _wrapped(by_category["category"])
        figure = _figure(_lines(labels) + len(labels))
        axes = figure.add_subplot()
        positions = range(len(by_category))
        axes.barh(
            [p + 0.2 for p in positions],
            by_category["planned"] / 1e6,
            height=0.4,
            color=style.second,
            label=text("budget.planned", language),
        )
        axes.barh(
            [p - 0.2 for p in positions],
            by_category["realized"] / 1e6,
            height=0.4,
            color=style.main,
            label=text("budget.realized", language),
        )
        axes.set_yticks(list(positions), labels)
        axes.invert_yaxis()
        _numbered(axes.xaxis, language)
        axes.set_xlabel(text("chart.budget_axis", language))
        axes.set_title(text("chart.budget_title", language))
        figure.legend(loc="outside lower center", ncols=2, frameon=False)
    return figure


def indicator_chart(indicators: pd.DataFrame, language: str = "id", style: ChartStyle = DEFAULT_CHART_STYLE) -> Figure:
    """Achievement % per indicator against the 100 % target line; unmeasured ones are labelled."""
    import matplotlib
    from matplotlib.patches import Patch

    with matplotlib.rc_context(_rc(style)):
        labels = _wrapped(indicators["indicator"])
        figure = _figure(_lines(labels))
        axes = figure.add_subplot()
        achieved = indicators["achievement_pct"]
        positions = list(range(len(indicators)))
        fills = [style.main if value >= 100 else style.warning for value in achieved.fillna(0)]
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
        axes.axvline(100, color=style.target, linestyle="--", linewidth=1)
        axes.set_yticks(positions, labels)
        axes.invert_yaxis()
        axes.set_xlim(0, max(120.0, float(achieved.max(skipna=True) or 0) * 1.15))
        _numbered(axes.xaxis, language)
        axes.set_xlabel(text("chart.achievement_axis", language))
        axes.set_title(text("chart.indicator_title", language))
        legend = [
            Patch(color=style.main, label=text("documents.meets_target", language)),
            Patch(color=style.warning, label=text("documents.below_target", language)),
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
    style: ChartStyle = DEFAULT_CHART_STYLE,
) -> Figure:
    """The NRR (mean score, 1–4) of each IKM service element."""
    import matplotlib

    with matplotlib.rc_context(_rc(style)):
        elements = list(nrr)
        labels = _wrapped(f"{e.upper()} {element_labels[e]}" for e in elements)
        figure = _figure(_lines(labels))
        axes = figure.add_subplot()
        values = [float(nrr[e]) if nrr[e] is not None else 0.0 for e in elements]
        axes.barh(range(len(elements)), values, color=style.main)
        axes.set_yticks(range(len(elements)), labels)
        axes.invert_yaxis()
        axes.set_xlim(0, 4)
        _numbered(axes.xaxis, language)
        axes.set_xlabel(text("chart.nrr_axis", language))
        axes.set_title(text("chart.ikm_title", language))
    return figure


def sroi_chart(outcomes: pd.DataFrame, language: str = "id", style: ChartStyle = DEFAULT_CHART_STYLE) -> Figure:
    """Present value of each SROI outcome, in millions of Rupiah."""
    import matplotlib

    with matplotlib.rc_context(_rc(style)):
        labels = _wrapped(outcomes["outcome"])
        figure = _figure(_lines(labels))
        axes = figure.add_subplot()
        axes.barh(range(len(outcomes)), outcomes["present_value"] / 1e6, color=style.main)
        axes.set_yticks(range(len(outcomes)), labels)
        axes.invert_yaxis()
        _numbered(axes.xaxis, language)
        axes.set_xlabel(text("chart.sroi_axis", language))
        axes.set_title(text("chart.sroi_title", language))
    return figure


def independence_chart(
    trend: pd.DataFrame,
    thresholds: tuple[float, float, float],
    language: str = "id",
    style: ChartStyle = DEFAULT_CHART_STYLE,
) -> Figure:
    """The independence index over the years, with the stage thresholds."""
    import matplotlib

    with matplotlib.rc_context(_rc(style)):
        figure = _figure(8)
        axes = figure.add_subplot()
        years = [int(y) for y in trend["year"]]
        axes.plot(years, trend["index"], marker="o", color=style.main)
        for threshold in thresholds:
            axes.axhline(threshold, color="#999999", linestyle=":", linewidth=1)
        axes.set_xticks(years, [str(y) for y in years])
        axes.set_ylim(0, 100)
        _numbered(axes.yaxis, language)
        axes.set_xlabel(text("chart.year_axis", language))
        axes.set_ylabel(text("chart.independence_axis", language))
        axes.set_title(text("chart.independence_title", language))
    return figure


def ranking_chart(
    values: pd.Series, title: str, axis_label: str, language: str = "id", style: ChartStyle = DEFAULT_CHART_STYLE
) -> Figure:
    """The groups ranked by one metric (``values`` indexed by group name), best first."""
    import matplotlib

    ranked = values.sort_values(ascending=False)
    with matplotlib.rc_context(_rc(style)):
        labels = _wrapped(ranked.index)
        figure = _figure(_lines(labels))
        axes = figure.add_subplot()
        axes.barh(range(len(ranked)), ranked.to_numpy(), color=style.main)
        axes.set_yticks(range(len(ranked)), labels)
        axes.invert_yaxis()
        _numbered(axes.xaxis, language)
        axes.set_xlabel(axis_label)
        axes.set_title(title)
    return figure


def trend_chart(
    years: pd.Series,
    values: pd.Series,
    title: str,
    axis_label: str,
    year_label: str,
    language: str = "id",
    style: ChartStyle = DEFAULT_CHART_STYLE,
) -> Figure:
    """One programme figure over the years, on an axis from zero (so a small change looks small)."""
    import matplotlib

    with matplotlib.rc_context(_rc(style)):
        figure = _figure(6)
        axes = figure.add_subplot()
        shown = values.astype("float64")
        axes.plot([int(y) for y in years], shown, marker="o", color=style.main)
        axes.set_xticks([int(y) for y in years], [str(int(y)) for y in years])
        low, high = (0.0 if pd.isna(v) else float(v) for v in (shown.min(skipna=True), shown.max(skipna=True)))
        axes.set_ylim(min(0.0, low), max(high * 1.1, 1.0))
        _numbered(axes.yaxis, language)
        axes.set_xlabel(year_label)
        axes.set_ylabel(axis_label)
        axes.set_title(title)
    return figure

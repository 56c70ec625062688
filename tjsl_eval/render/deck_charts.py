"""Native PowerPoint charts for the FGD decks (python-pptx's chart API, the data embedded as a
workbook), so that a presenter can restyle or correct them: bars and columns with Indonesian or
English number formats, every text at 14 pt or more, values below target or worse in the
warning colour."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from pptx.chart.data import CategoryChartData
from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION, XL_LEGEND_POSITION
from pptx.util import Pt

from tjsl_eval.render.deck_design import TABLE_POINTS, Area, Deck, rgb

LOCALES = {"id": "[$-421]", "en": "[$-809]"}  # the number formats' locale: Indonesian, English (UK)
FORMATS = {  # how a kind of figure is shown, as the reports show it
    "money": '"Rp "#,##0',
    "pct": '0.0" %"',
    "score": "0.00",
    "ratio": '0.00" : 1"',
    "count": "#,##0",
}
SERIES_COLOURS = ("primary", "accent")


@dataclass(frozen=True)
class Series:
    """A chart's series: its name, its values (None where there is none) and the points to warn of."""

    name: str
    values: Sequence[float | None]
    warned: Sequence[bool] = ()


def number_format(kind: str, language: str) -> str:
    """The format code of a kind of figure (``money``, ``pct``, ``score``, ``ratio``, ``count``) in ``language``'s
    separators: format codes are written in en-US syntax, the locale prefix picks the separators."""
    return LOCALES.get(language, "") + FORMATS[kind]


def bar_chart(
    deck: Deck,
    slide,
    area: Area,
    categories: Sequence[str],
    series: Sequence[Series],
    kind: str,
    horizontal: bool = False,
):
    """A clustered column (or, ``horizontal``, bar) chart of ``series`` over ``categories``, with data labels
    in ``kind``'s format; a legend when there is more than one series. Returns the chart."""
    code = number_format(kind, deck.language)
    data = CategoryChartData(number_format=code)
    data.categories = list(categories)
    for one in series:
        data.add_series(one.name, list(one.values), number_format=code)
    shape = XL_CHART_TYPE.BAR_CLUSTERED if horizontal else XL_CHART_TYPE.COLUMN_CLUSTERED
    chart = slide.shapes.add_chart(shape, area.left, area.top, area.width, area.height, data).chart
    chart.has_title = False  # the slide's title says what it shows
    chart.font.size = Pt(TABLE_POINTS)
    chart.font.name = deck.colours.font
    plot = chart.plots[0]
    plot.gap_width = 60
    plot.has_data_labels = True
    labels = plot.data_labels
    labels.font.size = Pt(TABLE_POINTS)
    labels.number_format, labels.number_format_is_linked = code, False
    labels.position = XL_LABEL_POSITION.OUTSIDE_END
    values = chart.value_axis
    values.tick_labels.font.size = Pt(TABLE_POINTS)
    values.tick_labels.number_format, values.tick_labels.number_format_is_linked = code, False
    values.has_major_gridlines = False
    values.visible = False  # the data labels carry the values
    known = [v for one in series for v in one.values if v is not None]
    values.minimum_scale = min(0, *known) if known else 0
    if known and max(known) > 0:
        values.maximum_scale = max(known) * 1.2  # room for the labels
    chart.category_axis.tick_labels.font.size = Pt(TABLE_POINTS + 2)
    chart.category_axis.has_major_gridlines = False
    if horizontal:
        chart.category_axis.reverse_order = True  # the first category at the top
    chart.has_legend = len(series) > 1
    if chart.has_legend:
        chart.legend.position, chart.legend.include_in_layout = XL_LEGEND_POSITION.BOTTOM, False
        chart.legend.font.size = Pt(TABLE_POINTS)
    for index, (one, drawn) in enumerate(zip(series, plot.series, strict=True)):
        colour = getattr(deck.colours, SERIES_COLOURS[index % len(SERIES_COLOURS)])
        drawn.format.fill.solid()
        drawn.format.fill.fore_color.rgb = rgb(colour)
        drawn.invert_if_negative = False
        for point, warned in enumerate(one.warned):
            if warned:
                fill = drawn.points[point].format.fill
                fill.solid()
                fill.fore_color.rgb = rgb(deck.colours.warning)
    return chart

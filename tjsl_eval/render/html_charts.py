"""Bar charts drawn in HTML and CSS, for views that redraw on every slider move (no image to
render). Labels are escaped; the figures are shown as text beside each bar."""

from __future__ import annotations

import math
from collections.abc import Sequence

from tjsl_eval.render.brand_colours import DEFAULT_CHART_STYLE, ChartStyle
from tjsl_eval.render.tables import escape

STYLE = """<style>
.tjsl-bars{display:grid;grid-template-columns:minmax(10em,max-content) minmax(12em,1fr) max-content;gap:3px 8px;
  align-items:center;max-width:760px;font-size:0.92em}
.tjsl-bar-track{position:relative;height:1.1em;background:#f1f3f5}
.tjsl-bar{position:absolute;left:0;top:0;bottom:0;background:var(--tjsl-bar-second)}
.tjsl-bar-mark{position:absolute;top:-3px;bottom:-3px;width:3px;background:var(--tjsl-bar-main)}
.tjsl-bar-line{position:absolute;top:-3px;bottom:-3px;border-left:1px dashed var(--tjsl-bar-target)}
.tjsl-bar-value{white-space:nowrap;text-align:right}
.tjsl-bars-legend{font-size:0.85em;color:#555;margin:4px 0}
.tjsl-bars-legend span{display:inline-block;width:1em;height:0.8em;margin:0 4px 0 10px;vertical-align:middle}
.tjsl-bars-legend .tjsl-bar-second{background:var(--tjsl-bar-second)}
.tjsl-bars-legend .tjsl-bar-main{background:var(--tjsl-bar-main);width:3px}
</style>"""


def bar_chart(
    title: str,
    labels: Sequence[str],
    values: Sequence[float | None],
    marks: Sequence[float | None],
    shown: Sequence[str],
    legend: tuple[str, str],
    line_at: float | None = None,
    style: ChartStyle = DEFAULT_CHART_STYLE,
) -> str:
    """Horizontal bars (``values``) with a mark on each (``marks``, e.g. the workbook's value),
    ``shown`` (the formatted values) beside them, and an optional dashed line; ``legend``
    names the bars and the marks. The colours are ``style``'s, as the report's charts."""
    present = [v for v in (*values, *marks, line_at) if v is not None and not math.isnan(v)]
    top = max([*present, 0.0]) * 1.1 or 1.0

    def at(value: float) -> str:
        return f"{max(value, 0.0) / top * 100:.2f}%"

    rows = []
    for name, value, mark, text in zip(labels, values, marks, shown, strict=True):
        track = ""
        if value is not None and not math.isnan(value):
            track += f'<div class="tjsl-bar" style="width:{at(value)}"></div>'
        if mark is not None and not math.isnan(mark):
            track += f'<div class="tjsl-bar-mark" style="left:{at(mark)}"></div>'
        if line_at is not None:
            track += f'<div class="tjsl-bar-line" style="left:{at(line_at)}"></div>'
        rows.append(
            f'<div>{escape(name)}</div><div class="tjsl-bar-track">{track}</div>'
            f'<div class="tjsl-bar-value">{escape(text)}</div>'
        )
    legend_markup = (
        f'<p class="tjsl-bars-legend"><span class="tjsl-bar-second"></span>{escape(legend[0])}'
        f'<span class="tjsl-bar-main"></span>{escape(legend[1])}</p>'
    )
    colours = f"--tjsl-bar-main:{style.main};--tjsl-bar-second:{style.second};--tjsl-bar-target:{style.target}"
    figure = f'<figure class="tjsl-bar-chart" style="{escape(colours)}">'
    return f"{STYLE}{figure}<figcaption><b>{escape(title)}</b></figcaption>" + (
        f'<div class="tjsl-bars">{"".join(rows)}</div>{legend_markup}</figure>'
    )

"""The brand's colours (:mod:`tjsl_eval.inputs.brand`) worked out for the reports: paler tints, and the charts'
colours: the primary for the bars and lines, the accent for the second series (the planned budget), and a
warning colour (bars below their target) and a target line kept distinct from both. Without a brand, the
charts keep the reports' own blues (:data:`DEFAULT_CHART_STYLE`). The deck's native charts take their warning
colour from :func:`distinct` too."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from tjsl_eval.inputs.brand import DEFAULT_BRAND, Brand, hex_rgb

# Colours closer than this (the "redmean" weighted RGB distance, 0–765) are taken for one by a reader.
THRESHOLD = 140
WARNING_CHOICES = ("#D9822B", "#C0392B", "#7D3C98")  # orange, else red, else purple
TARGET_CHOICES = ("#C0392B", "#404040", "#7D3C98")  # red, else dark grey, else purple
PALE = 0.55  # the planned bars without a brand: the realized colour mixed with this share of white


@dataclass(frozen=True)
class ChartStyle:
    """A chart's colours as ``#RRGGBB``: ``main`` (bars, lines, bars that meet their target), ``second`` (the
    planned budget beside the realized), ``warning`` (bars below their target) and ``target`` (the target line);
    and the ``font`` family of its lettering, the reports' (:mod:`tjsl_eval.render.charts` falls back to Carlito,
    then DejaVu Sans, where it is not installed)."""

    main: str = "#1F5F99"
    second: str = "#9BB7D4"
    warning: str = "#D9822B"
    target: str = "#C0392B"
    font: str = DEFAULT_BRAND.font


DEFAULT_CHART_STYLE = ChartStyle()


def chart_style(brand: Brand | None) -> ChartStyle:
    """The charts' colours and font in ``brand`` (None: :data:`DEFAULT_CHART_STYLE`). The accent is the second
    series' colour unless a reader could take it for the primary; then a pale primary is."""
    if brand is None:
        return DEFAULT_CHART_STYLE
    main, accent = brand.primary_color, brand.accent_color
    second = accent if distance(main, accent) >= THRESHOLD else paler(main, PALE)
    warning = distinct(WARNING_CHOICES, (main, second))
    return ChartStyle(main, second, warning, distinct(TARGET_CHOICES, (main, second, warning)), brand.font)


def distinct(choices: Sequence[str], avoid: Sequence[str]) -> str:
    """The first of ``choices`` that no colour of ``avoid`` comes close to, else the one farthest from them."""
    for choice in choices:
        if all(distance(choice, colour) >= THRESHOLD for colour in avoid):
            return choice
    return max(choices, key=lambda choice: min(distance(choice, colour) for colour in avoid))


def distance(one: str, other: str) -> float:
    """How far apart two ``#RRGGBB`` colours look (the "redmean" approximation of perceived distance)."""
    (r1, g1, b1), (r2, g2, b2) = hex_rgb(one), hex_rgb(other)
    red = (r1 + r2) / 2
    return ((2 + red / 256) * (r1 - r2) ** 2 + 4 * (g1 - g2) ** 2 + (2 + (255 - red) / 256) * (b1 - b2) ** 2) ** 0.5


def paler(colour: str, share: float) -> str:
    """``colour`` mixed with ``share`` of white."""
    return "#" + "".join(f"{round(c + (255 - c) * share):02X}" for c in hex_rgb(colour))

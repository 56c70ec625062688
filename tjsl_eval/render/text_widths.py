"""How wide a text is printed: measured with the metrics of Carlito (metric-compatible with Calibri, the
Word report's font), so that a table's columns can be made as wide as their longest unbreakable word.

Where Carlito is not installed (Debian: ``fonts-crosextra-carlito``), DejaVu Sans, matplotlib's own and
wider, is measured instead: columns come out a little wider, never too narrow.
"""

from __future__ import annotations

import re
from functools import cache

UNITS = 1000  # the size fonts are loaded at: widths are exact to a thousandth of the size
BREAKABLE = re.compile(r"[ \t\n]+")  # where a line may break: a space (never a no-break space, U+00A0)


@cache
def _font(bold: bool):
    from matplotlib import font_manager
    from PIL import ImageFont

    weight = "bold" if bold else "normal"
    try:
        path = font_manager.findfont(font_manager.FontProperties(family="Carlito", weight=weight), False)
    except ValueError:
        path = font_manager.findfont(font_manager.FontProperties(family="DejaVu Sans", weight=weight))
    return ImageFont.truetype(path, UNITS)


def text_width(words: str, size_pt: float, bold: bool = False) -> float:
    """The printed width of ``words`` on one line, in points."""
    return _font(bold).getlength(words) * size_pt / UNITS if words else 0.0


def longest_word(words: str, size_pt: float, bold: bool = False) -> float:
    """The printed width of the widest part of ``words`` that cannot be broken (between spaces), in points."""
    return max((text_width(word, size_pt, bold) for word in BREAKABLE.split(words)), default=0.0)

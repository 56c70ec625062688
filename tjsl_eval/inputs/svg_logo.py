"""An SVG logo drawn once as a PNG picture, for the Word report and the deck (python-docx and python-pptx place
raster pictures only; the HTML report and the PDF show the SVG itself).

The SVG comes from the user's params folder but is treated as untrusted. CairoSVG draws it in its safe mode (no
XML entities, no very large trees) with a fetcher that loads nothing: no file and no address, only pictures
embedded in the SVG as ``data:image/png`` or ``data:image/jpeg`` URLs, within :data:`MAX_EMBEDDED_PIXELS`. The
picture is :data:`LOGO_HEIGHT_PX` high (sharp at a logo's printed size), or :data:`MAX_WIDTH_PX` wide for a
very wide logo, so its size is bounded; an SVG that draws its own parts more than :data:`MAX_REFERENCES` times
is refused (a "use bomb" of nested ``<use>`` would run for half a minute). The same SVG gives the same PNG
bytes. An SVG that cannot be drawn raises ``ValueError`` with the reason, which :mod:`tjsl_eval.inputs.brand`
reports before any work.
"""

from __future__ import annotations

import base64
import binascii
import io
from functools import lru_cache

LOGO_HEIGHT_PX = 600  # 16 mm on the Word cover: about 950 dpi
MAX_WIDTH_PX = 4800  # a logo eight times as wide as high is drawn this wide, and less high
MAX_EMBEDDED_PIXELS = 25_000_000  # a picture inside the SVG (as brand.py's limit for a PNG logo)
MAX_REFERENCES = 5_000  # <use> drawings of the SVG's own parts: a few in a logo, a billion in a "use bomb"
EMBEDDED_TYPES = ("data:image/png;base64,", "data:image/jpeg;base64,")


class _Refused(Exception):
    """The SVG asks for something the logo may not do (load a file or an address, an oversized picture)."""


class _TooWide(Exception):
    """The logo drawn :data:`LOGO_HEIGHT_PX` high would be wider than :data:`MAX_WIDTH_PX`."""


@lru_cache(maxsize=4)
def svg_png(data: bytes) -> bytes:
    """The SVG ``data`` drawn as PNG bytes (see the module's notes); ``ValueError`` says why it cannot be."""
    try:
        surface = _surface_class()
    except OSError as error:  # cairocffi finds no libcairo
        raise ValueError(f"an SVG logo is drawn with the cairo library, which is not installed ({error})") from None
    try:
        try:
            png = surface.convert(bytestring=data, url_fetcher=_fetch_embedded, output_height=LOGO_HEIGHT_PX)
        except _TooWide:
            png = surface.convert(bytestring=data, url_fetcher=_fetch_embedded, output_width=MAX_WIDTH_PX)
        _check_drawn(png)
        return png
    except _Refused as error:
        raise ValueError(str(error)) from None
    except Exception as error:  # noqa: BLE001 - CairoSVG raises many kinds of error on a drawing it cannot make
        reason = " ".join(f"{type(error).__name__}: {error}".split())[:200]
        raise ValueError(f"an SVG logo that cannot be drawn ({reason})") from None


def _surface_class():
    """CairoSVG's PNG surface, signalling a picture wider than :data:`MAX_WIDTH_PX` (or without a size) before it
    is made, and stopping at :data:`MAX_REFERENCES` drawings of the SVG's own parts."""
    from cairosvg.surface import PNGSurface

    class BoundedPNGSurface(PNGSurface):
        @property
        def reference_count(self) -> int:  # counted by CairoSVG at each <use>, which stops at 100 000 only
            return self._references

        @reference_count.setter
        def reference_count(self, count: int) -> None:
            if count > MAX_REFERENCES:
                raise _Refused(f"an SVG logo that draws its own parts more than {MAX_REFERENCES:,} times (<use>)")
            self._references = count

        def _create_surface(self, width, height):
            if round(width) > MAX_WIDTH_PX:
                raise _TooWide
            if round(width) < 1 or round(height) < 1:
                raise _Refused(
                    "an SVG logo needs a size to be drawn at: a width and a height, or a viewBox, in a logo's "
                    f"proportions (found {width:g} × {height:g} pixels)"
                )
            return super()._create_surface(width, height)

    return BoundedPNGSurface


def _check_drawn(png: bytes) -> None:
    """Refuse a drawing that shows nothing (every pixel transparent)."""
    from PIL import Image

    with Image.open(io.BytesIO(png)) as image:
        if image.mode == "RGBA" and image.getchannel("A").getbbox() is None:
            raise _Refused("an SVG logo that draws nothing (every pixel is transparent)")


def _fetch_embedded(url: str, _resource_type: str) -> bytes:
    """CairoSVG's ``url_fetcher``: only a PNG or JPEG picture embedded as a data URL, of a bounded size."""
    from PIL import Image

    kind = next((prefix for prefix in EMBEDDED_TYPES if url.startswith(prefix)), None)
    if kind is None:
        raise _Refused(f"an SVG logo may not load other files or addresses (found {url[:80]!r})")
    try:
        picture = base64.b64decode(url[len(kind) :], validate=False)
        with Image.open(io.BytesIO(picture)) as image:
            width, height = image.size
    except (binascii.Error, OSError, SyntaxError, Image.DecompressionBombError) as error:
        raise _Refused(f"an SVG logo holds a picture that cannot be read ({error})") from None
    if width * height > MAX_EMBEDDED_PIXELS:
        raise _Refused(f"an SVG logo holds a picture of more than {MAX_EMBEDDED_PIXELS // 1_000_000} megapixels")
    return picture

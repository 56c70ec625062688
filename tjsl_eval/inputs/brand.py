"""The params key ``brand``: the company's name, logo, colours and font, shared by every format.

Without the key a report uses :data:`DEFAULT_BRAND`, a neutral design (one sans-serif family,
dark blue headings). A bad value (a missing logo, a file that is not a PNG or SVG image, an SVG that
cannot be drawn, a colour that is not ``#RRGGBB``, a font name with characters a style sheet cannot
hold) is refused before any work, with the key and the reason.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
from dataclasses import dataclass
from pathlib import Path

from tjsl_eval.inputs.svg_logo import svg_png

MAX_LOGO_BYTES = 5_000_000  # a logo is a few KB; a larger file is refused
MAX_LOGO_PIXELS = 25_000_000
LOGO_SUFFIXES = (".png", ".svg")
COLOUR = re.compile(r"#(?:[0-9a-fA-F]{3}){1,2}")
FONT_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9 \-]{0,62}")  # goes into CSS and Word XML as written
BRAND_KEYS = ("name", "logo", "primary_color", "accent_color", "font")
CHART_KEYS = ("primary_color", "accent_color", "font")


def hex_rgb(colour: str) -> tuple[int, int, int]:
    """A ``#RRGGBB`` colour as (red, green, blue)."""
    digits = colour.lstrip("#")
    return int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16)


@dataclass(frozen=True)
class Brand:
    """How the reports look: the company's ``name`` (cover, running header), its ``logo``
    (resolved path of a PNG or SVG file, or None), its ``primary_color`` (headings, table
    headers) and ``accent_color`` (rules, highlights) as ``#RRGGBB``, and the ``font`` family."""

    name: str = ""
    logo: Path | None = None
    primary_color: str = "#1F3A5F"
    accent_color: str = "#2E75B6"
    font: str = "Calibri"  # Carlito, metric-compatible, stands in for it where Calibri is not installed

    @property
    def logo_kind(self) -> str | None:
        """``png``, ``svg`` or None."""
        return self.logo.suffix.lower().lstrip(".") if self.logo else None

    def rgb(self, which: str = "primary") -> tuple[int, int, int]:
        """``primary`` or ``accent`` colour as (red, green, blue)."""
        return hex_rgb(getattr(self, f"{which}_color"))

    def logo_png(self) -> bytes | None:
        """The logo as PNG bytes for Word and PowerPoint: the PNG file, or the SVG drawn once
        (:mod:`~tjsl_eval.inputs.svg_logo`); None without a logo."""
        if self.logo is None:
            return None
        data = self.logo.read_bytes()
        return svg_png(data) if self.logo_kind == "svg" else data

    def fingerprint(self) -> str:
        """A hash of every value and of the logo file's bytes: a changed brand makes the reports stale."""
        digest = hashlib.sha256("\0".join([self.name, self.primary_color, self.accent_color, self.font]).encode())
        digest.update(self.logo.read_bytes() if self.logo and self.logo.is_file() else b"no logo")
        return digest.hexdigest()

    def chart_values(self) -> dict[str, str]:
        """The brand's colours and font, as the notebooks' parameter ``chart_brand`` gives them to the charts."""
        return {key: getattr(self, key) for key in CHART_KEYS}

    def as_dict(self, base_folder: Path) -> dict[str, str | None]:
        """The brand as a params file writes it (the logo relative to ``base_folder``)."""
        logo = Path(os.path.relpath(self.logo, base_folder)).as_posix() if self.logo else None
        return {
            "name": self.name,
            "logo": logo,
            "primary_color": self.primary_color,
            "accent_color": self.accent_color,
            "font": self.font,
        }


DEFAULT_BRAND = Brand()


def brand_from_params(value: object, base_folder: Path) -> Brand:
    """The params' ``brand`` mapping checked (``ValueError`` saying which sub-key is wrong and why);
    the logo is read from ``base_folder`` (the params file's folder) when relative."""
    if not isinstance(value, dict):
        raise ValueError("expected a mapping with name, logo, primary_color, accent_color, font")
    unknown = [str(key) for key in value if key not in BRAND_KEYS]
    if unknown:
        raise ValueError(f"unknown key {', '.join(unknown)}; expected one of {', '.join(BRAND_KEYS)}")
    values: dict[str, object] = {}
    for key in BRAND_KEYS:
        given = value.get(key)
        if given in (None, ""):
            continue
        try:
            values[key] = _CHECKS[key](given, base_folder)
        except ValueError as error:
            raise ValueError(f"{key}: {error}") from None
    return Brand(**values)


def chart_brand_parameter(value: object) -> Brand | None:
    """The notebooks' parameter ``chart_brand`` (:meth:`Brand.chart_values`, for the charts) checked: a brand of
    those colours and font, or None when it is empty (the charts' own colours and the reports' font)."""
    if value in (None, {}):
        return None
    if not isinstance(value, dict) or not set(value) <= set(CHART_KEYS):
        raise ValueError(f"expected a mapping with {', '.join(CHART_KEYS)}, found {value!r}")
    return brand_from_params(value, Path())


def _name(value: object, _: Path) -> str:
    if not isinstance(value, (str, int, float)) or isinstance(value, bool):
        raise ValueError(f"expected text, found {value!r}")
    text = " ".join(str(value).split())
    if len(text) > 120:
        raise ValueError(f"expected at most 120 characters, found {len(text)}")
    return text


def _colour(value: object, _: Path) -> str:
    if not isinstance(value, str) or not COLOUR.fullmatch(value.strip()):
        raise ValueError(f"expected a hex colour such as '#1F3A5F' (quoted in YAML), found {value!r}")
    digits = value.strip()[1:]
    if len(digits) == 3:
        digits = "".join(digit * 2 for digit in digits)
    return "#" + digits.upper()


def _font(value: object, _: Path) -> str:
    if not isinstance(value, str) or not FONT_NAME.fullmatch(value.strip()):
        raise ValueError(f"expected a font family name such as Calibri (letters, digits, spaces), found {value!r}")
    return value.strip()


def _logo(value: object, base_folder: Path) -> Path:
    if not isinstance(value, str):
        raise ValueError(f"expected the path of a PNG or SVG file, found {value!r}")
    path = (base_folder / value.strip()).resolve()
    if path.suffix.lower() not in LOGO_SUFFIXES:
        raise ValueError(f"expected a .png or .svg file, found {value!r}")
    if not path.is_file():
        raise ValueError(f"file not found: {path}")
    size = path.stat().st_size
    if size > MAX_LOGO_BYTES:
        raise ValueError(f"expected a logo of at most {MAX_LOGO_BYTES // 1_000_000} MB, found {size:,} bytes")
    data = path.read_bytes()
    _check_svg(data) if path.suffix.lower() == ".svg" else _check_png(data)
    return path


def _check_png(data: bytes) -> None:
    from PIL import Image

    if not data.startswith(b"\x89PNG\r\n\x1a\n"):
        raise ValueError("not a PNG image (the file does not start as one)")
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.width * image.height > MAX_LOGO_PIXELS:
                raise ValueError(f"expected a logo of at most {MAX_LOGO_PIXELS // 1_000_000} megapixels")
            image.load()
    except (OSError, SyntaxError, Image.DecompressionBombError) as error:
        raise ValueError(f"not a readable PNG image ({error})") from None


def _check_svg(data: bytes) -> None:
    """An SVG file: UTF-8 text with an ``<svg`` root, no entity declarations and no script, that can be drawn."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise ValueError("not an SVG image (not UTF-8 text)") from None
    if not re.match(r"\s*(<\?xml[^>]*>\s*)?(<!--.*?-->\s*)*(<!DOCTYPE svg[^>\[]*>\s*)?<svg[\s>]", text, re.DOTALL):
        raise ValueError("not an SVG image (expected an <svg> root element)")
    if re.search(r"<!ENTITY|<script|\son\w+\s*=", text, re.IGNORECASE):
        raise ValueError("an SVG logo may hold no entity declarations, scripts or event handlers")
    svg_png(data)  # drawn now (and kept) for the Word and PowerPoint files: refused here when it cannot be


_CHECKS = {"name": _name, "logo": _logo, "primary_color": _colour, "accent_color": _colour, "font": _font}

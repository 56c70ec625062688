"""The brand (:mod:`tjsl_eval.inputs.brand`) as CSS: custom properties for the HTML report and its PDF, and the
HTML report's own few rules (headings, table headers, the logo on the cover) in the brand's colours and font."""

from __future__ import annotations

import base64

from tjsl_eval.inputs.brand import DEFAULT_BRAND, Brand
from tjsl_eval.render.brand_colours import paler

TINT = 0.86  # a table header's fill: the primary colour mixed with this much white
LOGO_TYPES = {"png": "image/png", "svg": "image/svg+xml"}


def css_string(value: str) -> str:
    """``value`` as a quoted CSS string (quotes, backslashes and line ends escaped)."""
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\a ")
    return f'"{escaped}"'


def tint(brand: Brand, share: float = TINT) -> str:
    """The brand's primary colour mixed with ``share`` of white, as ``RRGGBB``."""
    return paler(brand.primary_color, share).lstrip("#")


def brand_values(brand: Brand) -> dict[str, str]:
    """The brand as CSS custom properties: colours, the font stack, the logo (embedded, or ``none``)."""
    logo = "none"
    if brand.logo:
        encoded = base64.b64encode(brand.logo.read_bytes()).decode("ascii")
        logo = f'url("data:{LOGO_TYPES[brand.logo_kind]};base64,{encoded}")'
    return {
        "--tjsl-primary": brand.primary_color,
        "--tjsl-accent": brand.accent_color,
        "--tjsl-tint": "#" + tint(brand),
        "--tjsl-font": f'{css_string(brand.font)}, "Carlito", "Calibri", "DejaVu Sans", sans-serif',
        "--tjsl-logo": logo,
        "--tjsl-logo-height": "16mm" if brand.logo else "0",
        "--tjsl-logo-space": "24mm" if brand.logo else "0",
    }


def root_rule(values: dict[str, str]) -> str:
    """A ``:root`` rule setting the custom properties ``values``."""
    return ":root{" + ";".join(f"{name}:{value}" for name, value in values.items()) + "}\n"


def branded_page(page: str, brand: Brand) -> str:
    """The HTML report ``page`` in the brand's colours and font, its logo on the cover (unchanged without a brand)."""
    if brand == DEFAULT_BRAND:
        return page
    rules = (
        "body,h1,h2,h3{font-family:var(--tjsl-font)}h1,h2,h3,.tjsl-cover-review{color:var(--tjsl-primary)}"
        "h2{border-bottom-color:var(--tjsl-primary)}.tjsl-cover{border-top-color:var(--tjsl-primary)}"
        ".tjsl-table thead th{background:var(--tjsl-tint)}"
        ".tjsl-cover::before{content:'';display:block;height:var(--tjsl-logo-height);margin-bottom:0.5em;"
        "background:var(--tjsl-logo) no-repeat left center;background-size:contain}"
    )
    return with_style(page, root_rule(brand_values(brand)) + rules)


def unbroken(words: str) -> str:
    """``words`` with a no-break space after "Rp" (also in "+Rp", "−Rp") and before "%": an amount never parts
    from its unit at the end of a line."""
    return words.replace("Rp ", "Rp\u00a0").replace(" %", "\u00a0%")


def with_style(page: str, css: str) -> str:
    """The HTML ``page`` with ``css`` last in its body: after the report's own styles, so it wins."""
    style = f"<style>{css}</style>"
    at = page.rfind("</body>")
    return page[:at] + style + page[at:] if at >= 0 else page + style

"""A report (:class:`~tjsl_eval.render.document.Document`) as the FGD deck a group (or the
programme) presents as it is: 16:9 slides designed for what each shows (:mod:`deck_group`,
:mod:`deck_portfolio`), native charts, on the built-in design (:mod:`deck_design`) in the
brand's colours, or on the company's reference deck (its master and layouts; its own slides are
dropped). Saved byte-identical across runs (:func:`~tjsl_eval.render.office.saved`)."""

from __future__ import annotations

from pathlib import Path

from tjsl_eval.common.xml_text import xml_safe_copy
from tjsl_eval.inputs.brand import DEFAULT_BRAND, Brand
from tjsl_eval.render.deck_design import WIDE, Deck, palette
from tjsl_eval.render.deck_group import group_slides
from tjsl_eval.render.deck_portfolio import portfolio_slides
from tjsl_eval.render.document import Document
from tjsl_eval.render.office import drop_thumbnail, open_reference, saved, set_core_properties


def pptx_bytes(
    report: Document, fingerprint: str, reference: Path | None = None, brand: Brand = DEFAULT_BRAND
) -> bytes:
    """The FGD deck of ``report`` (a group's, or the programme's), on ``reference``'s master and layouts when
    given, else on the built-in design in ``brand``'s colours, font and logo (the params' ``brand``; an SVG logo
    is drawn as a PNG picture: python-pptx places raster pictures only)."""
    report = xml_safe_copy(report)  # no text can make the writer fail
    presentation = open_reference(reference, "pptx")
    _drop_slides(presentation)
    if reference is None:
        _widescreen(presentation)
    drop_thumbnail(presentation.part.package)
    cover = report.front
    logo = brand.logo_png()
    deck = Deck(presentation, report.language, palette(brand), cover.review_title, reference is not None, logo)
    makers = group_slides(report) if "profile" in report.sections() else portfolio_slides(report)
    for make in makers:
        make(deck)
    set_core_properties(
        presentation.core_properties, cover.title, cover.review_title, report.language, f"sha256:{fingerprint}"
    )
    return saved(presentation)


def _drop_slides(presentation) -> None:
    """Remove the reference deck's own slides (its master and layouts stay)."""
    slide_ids = presentation.slides._sldIdLst
    for slide_id in list(slide_ids):
        presentation.part.drop_rel(slide_id.rId)
        slide_ids.remove(slide_id)


def _widescreen(presentation) -> None:
    """Make python-pptx's 4:3 template 16:9: the slide size, and every shape of the master and
    layouts widened in proportion (placeholders would otherwise keep the 4:3 geometry)."""
    ratio = WIDE[0] / presentation.slide_width
    presentation.slide_width, presentation.slide_height = WIDE
    masters = list(presentation.slide_masters)
    for owner in [*masters, *(layout for master in masters for layout in master.slide_layouts)]:
        for shape in owner.shapes:
            if shape.element.xpath("./p:spPr/a:xfrm"):  # its own position (else inherited, already widened)
                shape.left, shape.width = int(shape.left * ratio), int(shape.width * ratio)

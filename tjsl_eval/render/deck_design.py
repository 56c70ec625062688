"""The FGD decks' design: a 16:9 slide with a title bar, a colour band, a logo area, the slide
number and the review in the footer, and the pieces slides are made of (texts sized for a room,
tables of at most six rows, large figures, traffic lights, SDG badges, pictures).

On the company's ``pptx_reference`` the slides use its layouts instead: its title (cover) layout
and its "title only" layout, their title and subtitle placeholders filled, its slide number
placeholder copied; the content goes below the layout's title.
"""

from __future__ import annotations

import copy
import io
from collections.abc import Sequence
from dataclasses import dataclass

from lxml import etree
from PIL import Image
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE, PP_PLACEHOLDER
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.util import Emu, Inches, Pt

from tjsl_eval.common.messages import text
from tjsl_eval.inputs.brand import Brand
from tjsl_eval.render.brand_colours import distinct

WIDE = (Emu(12192000), Emu(6858000))  # 16:9, 13.333 × 7.5 in, as PowerPoint makes it
MARGIN = Inches(0.5)
BAR = Inches(1.05)  # the title bar's height
BAND = Inches(0.08)  # the colour band under it
FOOTER = Inches(0.5)  # the footer's height (review title, slide number)
LOGO = Inches(1.7)  # the logo area's width, at the title bar's right
LOGO_PLATE = Inches(0.06)  # the white plate's margin around the logo
WARNING_CHOICES = ("#C0392B", "#D9822B", "#7D3C98")  # red, else orange, else purple: the first unlike the brand's
BODY_POINTS, TABLE_POINTS, TITLE_POINTS = 18, 14, 28  # the smallest sizes a room can read
MAX_ROWS = 6  # table rows or bullet lines on a slide
TITLE = "Title"  # the name of a slide's title box on the built-in design (a reference deck's is its placeholder)
SMALL_TEXT = ("Footer", "Slide number", "Caption", "Badge")  # the shapes whose text is at 14 pt, not 18
CHAR_WIDTH = 0.55  # an average character's width, in ems (for wrapping estimates)
LINE_HEIGHT = 1.2  # a line's height, in ems
ELLIPSIS = "…"
LIGHT_COLOURS = {"hijau": "2E9E4F", "kuning": "F2B705", "merah": "D64533", "none": "9E9E9E"}
SLIDE_NUMBER_FIELD = "{B6F15528-21DE-4FAA-801E-634DDDAF4B2B}"  # a fixed field id: the same bytes every run


@dataclass(frozen=True)
class Palette:
    """The deck's colours (hex RRGGBB) and font: the brand's primary and accent, the rest the deck's own."""

    primary: str
    accent: str
    font: str
    warning: str = "C0392B"
    caution: str = "D68910"
    good: str = "2E9E4F"
    neutral: str = "7F7F7F"
    text: str = "262626"
    light: str = "F2F5F8"


def palette(brand: Brand) -> Palette:
    """The colours and font of ``brand`` (the params' ``brand``, else the shared default design); the warning colour
    one a reader does not take for the brand's (:func:`~tjsl_eval.render.brand_colours.distinct`)."""
    primary, accent = brand.primary_color, brand.accent_color
    warning = distinct(WARNING_CHOICES, (primary, accent))
    return Palette(*(colour.lstrip("#").upper() for colour in (primary, accent)), brand.font, warning.lstrip("#"))


@dataclass(frozen=True)
class Area:
    """A rectangle of a slide (EMU)."""

    left: int
    top: int
    width: int
    height: int

    @property
    def right(self) -> int:
        return self.left + self.width

    @property
    def bottom(self) -> int:
        return self.top + self.height

    def columns(self, count: int, gap: int = Inches(0.3), shares: Sequence[float] = ()) -> list[Area]:
        """The area cut into ``count`` columns side by side (by ``shares`` of the width, else equal)."""
        shares = list(shares) or [1.0] * count
        usable = self.width - gap * (count - 1)
        cut, left = [], self.left
        for share in shares:
            width = int(usable * share / sum(shares))
            cut.append(Area(left, self.top, width, self.height))
            left += width + gap
        return cut

    def rows(self, heights: Sequence[int]) -> list[Area]:
        """Areas stacked from the top, each of the given height (the last gets the rest when 0)."""
        cut, top = [], self.top
        for height in heights:
            height = height or self.bottom - top
            cut.append(Area(self.left, top, self.width, height))
            top += height
        return cut


def rgb(hex_colour: str) -> RGBColor:
    return RGBColor.from_string(hex_colour)


def lines_needed(value: str, width: int, points: float) -> int:
    """How many lines ``value`` takes in a box ``width`` EMU wide at ``points`` (an estimate on the safe side)."""
    per_line = max(int(Emu(width).pt / (points * CHAR_WIDTH)), 1)
    total = 0
    for paragraph in value.split("\n"):
        line, count = 0, 1
        for word in paragraph.split():
            size = len(word)
            while size > per_line:  # a word longer than the line is broken
                count, size = count + 1, size - per_line
            if line and line + 1 + size > per_line:
                count, line = count + 1, size
            else:
                line += size + (1 if line else 0)
        total += count
    return total


def text_height(lines: Sequence[str], width: int, points: float) -> int:
    """The height ``lines`` take in a text box ``width`` wide at ``points`` (margins included)."""
    usable = width - Inches(0.2)
    return int(sum(lines_needed(line, usable, points) for line in lines) * Pt(points * LINE_HEIGHT)) + Inches(0.15)


def shortened(value: str, width: int, points: float, lines: int = 1) -> str:
    """``value`` cut (with an ellipsis) to what ``lines`` lines ``width`` wide hold at ``points``."""
    if lines_needed(value, width - Inches(0.2), points) <= lines:
        return value
    words = value.split()
    while len(words) > 1 and lines_needed(" ".join(words) + ELLIPSIS, width - Inches(0.2), points) > lines:
        words.pop()
    cut = " ".join(words)
    per_line = max(int(Emu(width - Inches(0.2)).pt / (points * CHAR_WIDTH)), 1)
    return cut[: per_line * lines - 1].rstrip() + ELLIPSIS


def fitted(lines: Sequence[str], width: int, height: int, largest: int, smallest: int) -> int:
    """The largest size from ``largest`` down to ``smallest`` at which ``lines`` fit ``width`` × ``height``."""
    for points in range(largest, smallest - 1, -1):
        if text_height(lines, width, points) <= height:
            return points
    return smallest


class Deck:
    """The deck being written: its slides, each made of the pieces below, in the palette's colours."""

    def __init__(
        self, presentation, language: str, colours: Palette, footer: str, on_reference: bool, logo: bytes | None
    ):
        self.presentation = presentation
        self.logo = logo
        self.language = language
        self.colours = colours
        self.footer = footer
        self.on_reference = on_reference
        layouts = list(presentation.slide_layouts)
        self.cover_layout = next((lay for lay in layouts if _has(lay, PP_PLACEHOLDER.CENTER_TITLE)), layouts[0])
        with_title = [lay for lay in layouts if _has(lay, PP_PLACEHOLDER.TITLE)] or layouts
        self.body_layout = min(with_title, key=lambda lay: len(lay.placeholders))  # "Title Only", as a rule
        with_body = [lay for lay in with_title if _body_placeholders(lay)]
        self.text_layout = min(with_body, key=lambda lay: len(lay.placeholders)) if with_body else self.body_layout

    @property
    def width(self) -> int:
        return self.presentation.slide_width

    @property
    def height(self) -> int:
        return self.presentation.slide_height

    def slide_count(self) -> int:  # the number of the slide just added
        return len(self.presentation.slides)

    # Slides.
    def cover(self, title: str, lines: Sequence[str], notes: Sequence[str] = ()):
        """The opening slide: ``title`` and ``lines``; the slide and the free area at its bottom (for badges)."""
        if self.on_reference:
            slide = self.presentation.slides.add_slide(self.cover_layout)
            heading = slide.shapes.title
            subtitle = next(
                (p for p in slide.placeholders if p.placeholder_format.type == PP_PLACEHOLDER.SUBTITLE), None
            )
            _drop_placeholders(slide, keep=[p for p in (heading, subtitle) if p is not None])
            if heading is None:
                heading = slide.shapes.add_textbox(MARGIN, MARGIN, self.width - 2 * MARGIN, Inches(1.5))
            self.fill(heading, [title], fitted([title], heading.width, heading.height, 40, 24), bold=True)
            if subtitle is None:
                subtitle = slide.shapes.add_textbox(
                    MARGIN, heading.top + heading.height, self.width - 2 * MARGIN, Inches(2)
                )
            self.fill(subtitle, lines, fitted(lines, subtitle.width, subtitle.height, 24, BODY_POINTS))
            top = max(subtitle.top + subtitle.height, heading.top + heading.height) + Inches(0.1)
            free = Area(MARGIN, top, self.width - 2 * MARGIN, max(self.height - top - FOOTER, 0))
        else:
            slide = self._blank()
            self.rectangle(slide, Area(0, 0, self.width, Inches(4.3)), self.colours.primary)
            self.rectangle(slide, Area(0, Inches(4.3), self.width, BAND * 2), self.colours.accent)
            box = Area(MARGIN, Inches(0.9), self.width - 2 * MARGIN - LOGO, Inches(1.7))
            heading = self.text(slide, box, [title], 40, 28, bold=True, colour="FFFFFF", anchor=MSO_ANCHOR.BOTTOM)
            heading.name = TITLE
            self.text(slide, Area(MARGIN, Inches(2.7), box.width, Inches(1.5)), lines, 22, BODY_POINTS, colour="FFFFFF")
            free = Area(MARGIN, Inches(4.7), self.width - 2 * MARGIN, self.height - Inches(4.7) - FOOTER)
        self._footer(slide)
        self._notes(slide, notes)
        self._logo(slide)
        return slide, free

    def slide(self, title: str, notes: Sequence[str] = (), with_text: bool = False):
        """A content slide with ``title`` and speaker ``notes``; the slide and its content area. ``with_text``: the
        slide has a text (:meth:`body`), on a reference deck in its "title and content" layout's placeholder."""
        if self.on_reference:
            slide = self.presentation.slides.add_slide(self.text_layout if with_text else self.body_layout)
            heading = slide.shapes.title
            body = _body_placeholders(slide)[:1] if with_text else []
            _drop_placeholders(slide, keep=([heading] if heading is not None else []) + body)
            if heading is None:
                heading = slide.shapes.add_textbox(MARGIN, MARGIN // 2, self.width - 2 * MARGIN, Inches(0.9))
            self.fill(heading, [title], fitted([title], heading.width, heading.height, TITLE_POINTS, 20), bold=True)
            top = heading.top + heading.height + Inches(0.15)
            left = max(heading.left, MARGIN)
            area = Area(left, top, self.width - 2 * left, self.height - top - FOOTER)
        else:
            slide = self._blank()
            self.rectangle(slide, Area(0, 0, self.width, BAR), self.colours.primary)
            self.rectangle(slide, Area(0, BAR, self.width, BAND), self.colours.accent)
            box = Area(MARGIN, Inches(0.08), self.width - 2 * MARGIN - LOGO, BAR - Inches(0.16))
            heading = self.text(
                slide, box, [title], TITLE_POINTS, 20, bold=True, colour="FFFFFF", anchor=MSO_ANCHOR.MIDDLE
            )
            heading.name = TITLE
            top = BAR + BAND + Inches(0.25)
            area = Area(MARGIN, top, self.width - 2 * MARGIN, self.height - top - FOOTER)
        self._footer(slide)
        self._notes(slide, notes)
        self._logo(slide)
        return slide, area

    def body(self, slide, area: Area, lines: Sequence[str], largest: int = 24):
        """``lines`` in ``area``: in the slide's content placeholder when it has one (a reference deck's, moved to
        ``area``, its own bullets kept), else numbered in a text box."""
        found = _body_placeholders(slide)
        if not found:
            numbered = [f"{number}. {line}" for number, line in enumerate(lines, 1)]
            return self.text(slide, area, numbered, largest, BODY_POINTS, shorten=True)
        placeholder = found[0]
        placeholder.left, placeholder.top, placeholder.width, placeholder.height = (
            area.left,
            area.top,
            area.width,
            area.height,
        )
        points = fitted(lines, area.width, area.height, largest, BODY_POINTS)
        each = max(int((area.height - Inches(0.15)) / Pt(points * LINE_HEIGHT)) // max(len(lines), 1), 1)
        self.fill(placeholder, [shortened(line, area.width, points, each) for line in lines], points)
        return placeholder

    def _blank(self):
        """A slide of the built-in master's blank layout (no placeholder: the design is drawn)."""
        layout = min(self.presentation.slide_layouts, key=lambda lay: len(lay.placeholders))
        slide = self.presentation.slides.add_slide(layout)
        _drop_placeholders(slide, keep=[])
        return slide

    def _footer(self, slide) -> None:
        """The review's title at the bottom left, the slide number at the bottom right."""
        top = self.height - FOOTER
        if not self.on_reference:
            box = self.text(
                slide,
                Area(MARGIN, top, self.width // 2, FOOTER),
                [self.footer],
                TABLE_POINTS,
                TABLE_POINTS,
                colour=self.colours.neutral,
                shorten=True,
            )
            box.name = SMALL_TEXT[0]
        copied = self._layout_slide_number(slide)
        if copied:
            return
        box = slide.shapes.add_textbox(self.width - MARGIN - Inches(1.2), top, Inches(1.2), FOOTER)
        box.name = SMALL_TEXT[1]
        frame = box.text_frame
        frame.margin_top = frame.margin_bottom = 0
        frame.vertical_anchor = MSO_ANCHOR.MIDDLE
        paragraph = frame.paragraphs[0]
        paragraph.alignment = PP_ALIGN.RIGHT
        field = etree.SubElement(paragraph._p, qn("a:fld"), id=SLIDE_NUMBER_FIELD, type="slidenum")
        properties = etree.SubElement(field, qn("a:rPr"), lang="id-ID", sz=str(TABLE_POINTS * 100))
        fill = etree.SubElement(properties, qn("a:solidFill"))
        etree.SubElement(fill, qn("a:srgbClr"), val=self.colours.neutral)
        etree.SubElement(field, qn("a:t")).text = str(self.slide_count())

    def _layout_slide_number(self, slide) -> bool:
        """Copy the reference layout's slide number placeholder onto ``slide`` (python-pptx does not); False
        when there is none (or the deck is on the built-in master)."""
        if not self.on_reference:
            return False
        found = [p for p in slide.slide_layout.placeholders if p.placeholder_format.type == PP_PLACEHOLDER.SLIDE_NUMBER]
        if not found:
            return False
        element = copy.deepcopy(found[0]._element)
        element.nvSpPr.cNvPr.id = slide.shapes._next_shape_id
        slide.shapes._spTree.append(element)
        for field in element.iter(qn("a:fld")):
            field.find(qn("a:t")).text = str(self.slide_count())
        copied, layout = slide.shapes[-1], found[0]
        if layout.left + layout.width > self.width or layout.top + layout.height > self.height:
            width, height = min(layout.width, Inches(1.5)), min(layout.height, FOOTER)  # a master of another size
            copied.left, copied.top = self.width - MARGIN - width, self.height - height
            copied.width, copied.height = width, height
        return True

    def _notes(self, slide, notes: Sequence[str]) -> None:
        if notes:
            slide.notes_slide.notes_text_frame.text = "\n".join(notes)

    # Pieces.
    def rectangle(self, slide, area: Area, colour: str, shape=MSO_SHAPE.RECTANGLE):
        box = slide.shapes.add_shape(shape, area.left, area.top, area.width, area.height)
        box.fill.solid()
        box.fill.fore_color.rgb = rgb(colour)
        box.line.fill.background()
        box.shadow.inherit = False
        return box

    def text(
        self,
        slide,
        area: Area,
        lines: Sequence[str],
        largest: int = 24,
        smallest: int = BODY_POINTS,
        bold: bool = False,
        colour: str | None = None,
        align=None,
        anchor=MSO_ANCHOR.TOP,
        shorten: bool = False,
    ):
        """A text box of ``lines`` in ``area``, as large as fits from ``largest`` down to ``smallest``;
        lines that still do not fit are cut (``shorten``) or the last ones dropped, never run off the slide."""
        points = fitted(lines, area.width, area.height, largest, smallest)
        shown = list(lines)
        if shorten:  # each line cut to its share of the lines the box holds
            each = max(int((area.height - Inches(0.15)) / Pt(points * LINE_HEIGHT)) // max(len(shown), 1), 1)
            shown = [shortened(line, area.width, points, each) for line in shown]
        while len(shown) > 1 and text_height(shown, area.width, points) > area.height:
            shown.pop()
        box = slide.shapes.add_textbox(area.left, area.top, area.width, area.height)
        self.fill(box, shown, points, bold, colour, align)
        box.text_frame.vertical_anchor = anchor
        return box

    def fill(self, shape, lines: Sequence[str], points: int, bold=False, colour=None, align=None) -> None:
        """``lines`` as the literal text of ``shape``, wrapped, at ``points``, in the palette's font."""
        frame = shape.text_frame
        frame.word_wrap = True
        frame.auto_size = MSO_AUTO_SIZE.NONE
        frame.margin_left = frame.margin_right = Inches(0.1)
        frame.margin_top = frame.margin_bottom = Inches(0.05)
        frame.text = ""
        for index, line in enumerate(lines):
            paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
            self.run(paragraph, line, points, bold, colour)
            if align is not None:
                paragraph.alignment = align

    def run(self, paragraph, value: str, points: int, bold=False, colour=None):
        run = paragraph.add_run()
        run.text = value
        run.font.size = Pt(points)
        run.font.bold = bold or None
        run.font.name = self.colours.font
        if colour:
            run.font.color.rgb = rgb(colour)
        elif not self.on_reference:
            run.font.color.rgb = rgb(self.colours.text)
        return run

    def table(
        self,
        slide,
        area: Area,
        headers: Sequence[str],
        rows: Sequence[Sequence[str]],
        numeric: Sequence[int] = (),
        fills: dict[tuple[int, int], str] | None = None,
        shares: Sequence[float] = (),
        limit: int = MAX_ROWS,
    ):
        """A table of its first ``limit`` rows at 14 pt or more, each cell cut to the lines the rows leave room for,
        and the count of the rows left to the speaker notes under it; ``fills``: (row, column) -> a cell's colour
        (a light, a value below target)."""
        if len(rows) > limit:
            more = text("deck.more_in_notes", self.language, count=len(rows) - limit)
            self.text(slide, Area(area.left, area.bottom - Inches(0.5), area.width, Inches(0.5)), [more], BODY_POINTS)
            area = Area(area.left, area.top, area.width, area.height - Inches(0.5))
        rows = list(rows)[:limit]
        shares = list(shares) or [1.0] * len(headers)
        widths = [int(area.width * share / sum(shares)) for share in shares]
        points = 16 if len(headers) <= 4 else TABLE_POINTS
        line = Pt(points * LINE_HEIGHT)
        header = max(lines_needed(str(h), w - Inches(0.2), points) for h, w in zip(headers, widths, strict=True))
        room = (area.height - header * line - Inches(0.25)) // max(len(rows), 1) - Inches(0.12)
        most = min(max(int(room / line), 1), 4)  # a cell's lines: as many as the rows leave room for
        cells = [
            [shortened(str(value), width, points, most) for value, width in zip(row, widths, strict=True)]
            for row in rows
        ]
        heights = [
            int(
                max(lines_needed(v, w - Inches(0.2), points) for v, w in zip(row, widths, strict=True))
                * Pt(points * LINE_HEIGHT)
            )
            + Inches(0.15)
            for row in [list(headers), *cells]
        ]
        frame = slide.shapes.add_table(len(cells) + 1, len(headers), area.left, area.top, area.width, sum(heights))
        grid = frame.table
        for position, width in enumerate(widths):
            grid.columns[position].width = width
        for line, height in enumerate(heights):
            grid.rows[line].height = height
        for position, header in enumerate(headers):
            self._cell(
                grid.cell(0, position), str(header), points, position in numeric, True, self.colours.primary, "FFFFFF"
            )
        for line, row in enumerate(cells, start=1):
            for position, value in enumerate(row):
                fill = (fills or {}).get((line - 1, position))
                background = fill or (self.colours.light if line % 2 else "FFFFFF")
                self._cell(
                    grid.cell(line, position),
                    value,
                    points,
                    position in numeric,
                    bool(fill),
                    background,
                    "FFFFFF" if fill else None,
                )
        return frame

    def _cell(self, cell, value: str, points: int, numeric: bool, bold: bool, background: str, colour) -> None:
        cell.fill.solid()
        cell.fill.fore_color.rgb = rgb(background)
        cell.margin_top = cell.margin_bottom = Inches(0.05)
        cell.margin_left = cell.margin_right = Inches(0.1)
        frame = cell.text_frame
        frame.word_wrap = True
        paragraph = frame.paragraphs[0]
        self.run(paragraph, value, points, bold, colour)
        if numeric:
            paragraph.alignment = PP_ALIGN.RIGHT

    def figure(self, slide, area: Area, name: str, value: str, details: Sequence[tuple[str, str | None]] = ()):
        """A key figure: its name, its value in large type, and detail lines under it (text, colour)."""
        self.rectangle(slide, area, self.colours.light)
        inner = Area(area.left + Inches(0.1), area.top + Inches(0.1), area.width - Inches(0.2), area.height)
        two_lines = text_height([name], inner.width, BODY_POINTS) > Inches(0.5)
        name_area, value_area, detail_area = inner.rows([Inches(0.8 if two_lines else 0.5), Inches(0.75), 0])
        self.text(slide, name_area, [name], 20, BODY_POINTS, bold=True, shorten=True, colour=self.colours.primary)
        self.text(slide, value_area, [value], 36, 24, bold=True)
        detail_area = Area(detail_area.left, detail_area.top, detail_area.width, detail_area.height - Inches(0.1))
        for index, (line, colour) in enumerate(details):
            row = Area(detail_area.left, detail_area.top + index * Inches(0.38), detail_area.width, Inches(0.38))
            if row.bottom > detail_area.bottom:
                break
            self.text(
                slide, row, [line], BODY_POINTS, BODY_POINTS, bold=colour is not None, colour=colour, shorten=True
            )

    def light(self, slide, left: int, top: int, size: int, light: str | None):
        """A traffic light: a filled circle in the light's colour."""
        return self.rectangle(slide, Area(left, top, size, size), LIGHT_COLOURS[light or "none"], MSO_SHAPE.OVAL)

    def badge(self, slide, area: Area, colour: str, lines: Sequence[str]):
        """A coloured badge with white text (an SDG goal)."""
        box = self.rectangle(slide, area, colour, MSO_SHAPE.ROUNDED_RECTANGLE)
        box.name = SMALL_TEXT[3]
        points = fitted(lines, area.width, area.height, 20, TABLE_POINTS)
        total = max(int((area.height - Inches(0.15)) / Pt(points * LINE_HEIGHT)), len(lines))
        shown = [
            shortened(line, area.width, points, total - len(lines) + 1 if index == 1 else 1)
            for index, line in enumerate(lines)
        ]
        self.fill(box, shown, points, True, "FFFFFF", PP_ALIGN.CENTER)
        box.text_frame.vertical_anchor = MSO_ANCHOR.MIDDLE
        return box

    def picture(self, slide, area: Area, image: bytes, caption: str = "") -> None:
        """A picture as large as ``area`` allows (the caption under it), centred."""
        caption_height = Inches(0.45) if caption else 0
        pixels_wide, pixels_high = Image.open(io.BytesIO(image)).size
        scale = min(area.width / pixels_wide, (area.height - caption_height) / pixels_high)
        width, height = int(pixels_wide * scale), int(pixels_high * scale)
        slide.shapes.add_picture(io.BytesIO(image), area.left + (area.width - width) // 2, area.top, width, height)
        if caption:
            below = Area(area.left, area.top + height, area.width, caption_height)
            box = self.text(slide, below, [caption], TABLE_POINTS, TABLE_POINTS, align=PP_ALIGN.CENTER, shorten=True)
            box.name = SMALL_TEXT[2]

    @property
    def logo_shown(self) -> bool:
        """Whether the slides show the brand's logo (at the title bar's right end, on the built-in master)."""
        return bool(self.logo) and not self.on_reference

    def _logo(self, slide) -> None:
        """The brand's logo at the title bar's right end, on a white plate (a logo in the brand's own colour
        would not show on the bar)."""
        if self.logo_shown:
            inner = Area(
                self.width - MARGIN - LOGO + Inches(0.2) + LOGO_PLATE,
                Inches(0.12) + LOGO_PLATE,
                LOGO - Inches(0.2) - 2 * LOGO_PLATE,
                BAR - Inches(0.24) - 2 * LOGO_PLATE,
            )
            pixels_wide, pixels_high = Image.open(io.BytesIO(self.logo)).size
            scale = min(inner.width / pixels_wide, inner.height / pixels_high)
            width, height = int(pixels_wide * scale), int(pixels_high * scale)
            left = inner.left + (inner.width - width) // 2 - LOGO_PLATE
            plate = Area(left, inner.top - LOGO_PLATE, width + 2 * LOGO_PLATE, height + 2 * LOGO_PLATE)
            self.rectangle(slide, plate, "FFFFFF", MSO_SHAPE.ROUNDED_RECTANGLE).adjustments[0] = 0.12
            self.picture(slide, inner, self.logo)


def _has(layout, kind) -> bool:
    return any(p.placeholder_format.type == kind for p in layout.placeholders)


def _body_placeholders(owner) -> list:
    """The content (body or object) placeholders of a slide or layout."""
    kinds = (PP_PLACEHOLDER.BODY, PP_PLACEHOLDER.OBJECT)
    return [p for p in owner.placeholders if p.placeholder_format.type in kinds]


def _drop_placeholders(slide, keep: Sequence) -> None:
    """Remove the slide's placeholders but ``keep`` (an empty placeholder shows its prompt text)."""
    kept = {id(shape.element) for shape in keep}
    for placeholder in list(slide.placeholders):
        if id(placeholder.element) not in kept:
            placeholder.element.getparent().remove(placeholder.element)

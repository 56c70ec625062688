"""A report (:class:`~tjsl_eval.render.document.Document`) as the FGD deck: about ten 16:9 slides.

Written with python-pptx, on the company's reference deck when there is one (its slide master
and layouts; its own slides are dropped), else on python-pptx's template made 16:9 by widening
its master and layouts. Texts are real text boxes and placeholders, tables real tables, charts
pictures of the report's charts; a long table continues on the next slide, and every box is
sized from its text so that nothing runs off a slide. The report's notes (how a figure is
computed) go to the slides' speaker notes. Each slide kind is a function of :data:`GROUP_SLIDES`
and :data:`PORTFOLIO_SLIDES`.
"""

from __future__ import annotations

import io
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from PIL import Image
from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.enum.text import MSO_AUTO_SIZE, PP_ALIGN
from pptx.util import Emu, Inches, Pt

from tjsl_eval.common.messages import label, text
from tjsl_eval.common.xml_text import xml_safe_copy
from tjsl_eval.methods import yoy
from tjsl_eval.methods.metrics import format_change, format_figure
from tjsl_eval.render.document import Chart, Document, Narrative, Paragraph, Photo, Section, Table, flat_blocks
from tjsl_eval.render.office import column_widths, drop_thumbnail, open_reference, saved, set_core_properties
from tjsl_eval.render.portfolio_report import TABLE_KEYS  # the key figures, as in the programme's table

WIDE = (Emu(12192000), Emu(6858000))  # 16:9, 13.333 × 7.5 in, as PowerPoint makes it
MARGIN = Inches(0.5)
PHOTOS_PER_SLIDE = 4
TABLE_POINTS = 12  # a table's font size, 10 with more than six columns; larger when a table fits one slide
LARGER_POINTS = (18, 16, 14)
CHAR_WIDTH = 0.55  # an average character's width, in ems (for wrapping estimates)
LINE_HEIGHT = 1.25  # a line's height, in ems
CELL_PADDING = Pt(8)  # a table cell's top and bottom margins together


def pptx_bytes(report: Document, fingerprint: str, reference: Path | None = None) -> bytes:
    """The FGD deck of ``report`` (a group's, or the programme's), on ``reference``'s master and layouts when given."""
    report = xml_safe_copy(report)  # no text can make the writer fail
    presentation = open_reference(reference, "pptx")
    _drop_slides(presentation)
    if reference is None:
        _widescreen(presentation)
    drop_thumbnail(presentation.part.package)
    deck = Deck(presentation, report.language)
    sections = report.sections()
    for make in GROUP_SLIDES if "profile" in sections else PORTFOLIO_SLIDES:
        make(deck, report, sections)
    cover = report.front
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


@dataclass(frozen=True)
class Area:
    """Where a slide's content goes (EMU)."""

    left: int
    top: int
    width: int
    height: int


class Deck:
    """The deck being written: its layouts, and slides of tables, charts, figures and texts."""

    def __init__(self, presentation, language: str):
        self.presentation = presentation
        self.language = language
        layouts = list(presentation.slide_layouts)
        self.title_layout = next((lay for lay in layouts if _has(lay, PP_PLACEHOLDER.CENTER_TITLE)), layouts[0])
        with_title = [lay for lay in layouts if _has(lay, PP_PLACEHOLDER.TITLE)] or layouts
        self.body_layout = min(with_title, key=lambda lay: len(lay.placeholders))  # "Title Only", as a rule

    @property
    def width(self) -> int:
        return self.presentation.slide_width

    @property
    def height(self) -> int:
        return self.presentation.slide_height

    def title_slide(self, title: str, lines: Sequence[str]) -> None:
        """The opening slide: ``title`` and one line per fact, in the layout's subtitle or a text box."""
        slide = self.presentation.slides.add_slide(self.title_layout)
        subtitle, heading = None, slide.shapes.title
        for placeholder in list(slide.placeholders):
            kind = placeholder.placeholder_format.type
            if heading is not None and placeholder.element is heading.element:
                self._fill(heading, [title], self._points_to_fit([title], heading.width, heading.height, 36), bold=True)
            elif kind == PP_PLACEHOLDER.SUBTITLE and subtitle is None:
                subtitle = placeholder
            else:
                placeholder.element.getparent().remove(placeholder.element)  # an empty placeholder is not shown
        if subtitle is None:
            subtitle = slide.shapes.add_textbox(MARGIN, self.height // 2, self.width - 2 * MARGIN, self.height // 3)
        points = self._points_to_fit(lines, subtitle.width, subtitle.height, 18)
        self._fill(subtitle, lines, points)

    def slide(self, title: str, notes: Sequence[str] = ()):
        """A content slide with ``title`` and the report's ``notes`` as speaker notes; the slide and its free area."""
        slide = self.presentation.slides.add_slide(self.body_layout)
        heading = slide.shapes.title
        for placeholder in list(slide.placeholders):
            if heading is None or placeholder.element is not heading.element:
                placeholder.element.getparent().remove(placeholder.element)
        if heading is None:
            heading = slide.shapes.add_textbox(MARGIN, MARGIN // 2, self.width - 2 * MARGIN, Inches(0.8))
        self._fill(heading, [title], self._points_to_fit([title], heading.width, heading.height, 28), bold=True)
        if notes:
            slide.notes_slide.notes_text_frame.text = "\n".join(notes)
        return slide, self._area()

    def table_slides(self, title: str, table: Table, notes: Sequence[str] = (), columns: Sequence[int] = ()) -> None:
        """``table`` (only ``columns``, when given) on as many slides as its rows need; the header on each."""
        keep = list(columns) or list(range(len(table.headers)))
        headers = [str(table.headers[i]) for i in keep]
        rows = [[str(row[i]) for i in keep] for row in table.rows]
        if table.footer is not None:
            rows.append([str(table.footer[i]) for i in keep])
        numeric = {position for position, i in enumerate(keep) if i in table.numeric}
        area = self._area()
        for points in (
            *LARGER_POINTS,
            TABLE_POINTS if len(keep) <= 6 else TABLE_POINTS - 2,
        ):  # larger when it fits, numbers unwrapped
            widths = _widths(headers, rows, numeric, area.width, points)
            heights = [_row_height(row, widths, points) for row in rows]
            header_height = _row_height(headers, widths, points)
            unwrapped = all(_lines(row[i], widths[i] - Inches(0.2), points) == 1 for row in rows for i in numeric)
            if unwrapped and header_height + sum(heights) <= area.height:
                break
        pages = _pages(heights, area.height - header_height)
        for number, page in enumerate(pages):
            shown = title if number == 0 else f"{title} ({text('deck.continued', self.language)})"
            slide, area = self.slide(shown, notes if number == len(pages) - 1 else ())
            height = header_height + sum(heights[i] for i in page)
            frame = slide.shapes.add_table(len(page) + 1, len(headers), area.left, area.top, area.width, height)
            grid = frame.table
            for position, width in enumerate(widths):
                grid.columns[position].width = width
            grid.rows[0].height = header_height
            for position, value in enumerate(headers):
                _cell(grid.cell(0, position), value, points, position in numeric, bold=True)
            for line, index in enumerate(page, start=1):
                grid.rows[line].height = heights[index]
                footer = table.footer is not None and index == len(rows) - 1
                for position, value in enumerate(rows[index]):
                    _cell(grid.cell(line, position), value, points, position in numeric, bold=footer)

    def _area(self) -> Area:
        """The content area of a body slide: below the layout's title (or the title box added
        when it has none), within the slide's margins."""
        title = next(
            (p for p in self.body_layout.placeholders if p.placeholder_format.type == PP_PLACEHOLDER.TITLE), None
        )
        bottom = title.top + title.height if title is not None and title.top is not None else MARGIN // 2 + Inches(0.8)
        left = max(title.left, MARGIN) if title is not None and title.left is not None else MARGIN
        top = bottom + Inches(0.15)
        return Area(left, top, self.width - 2 * left, self.height - top - MARGIN // 2)

    def picture_slide(self, title: str, pictures: Sequence[tuple[bytes, str]], notes: Sequence[str] = ()) -> None:
        """One picture (a chart, a photo), or up to four in a grid, each as large as its area allows,
        with its caption below."""
        slide, area = self.slide(title, notes)
        across = 1 if len(pictures) == 1 else 2
        down = math.ceil(len(pictures) / across)
        cell_width, cell_height = area.width // across, area.height // down
        caption = Inches(0.35)
        for index, (image, words) in enumerate(pictures):
            left = area.left + (index % across) * cell_width
            top = area.top + (index // across) * cell_height
            pixels_wide, pixels_high = Image.open(io.BytesIO(image)).size
            scale = min(cell_width / pixels_wide, (cell_height - caption) / pixels_high)
            width, height = int(pixels_wide * scale), int(pixels_high * scale)
            slide.shapes.add_picture(io.BytesIO(image), left + (cell_width - width) // 2, top, width, height)
            box = slide.shapes.add_textbox(left, top + height, cell_width, caption)
            self._fill(box, [words], self._points_to_fit([words], cell_width, caption, 11), align=PP_ALIGN.CENTER)

    def figures_slide(self, title: str, figures: Sequence[tuple[str, str, str]], notes: Sequence[str] = ()) -> None:
        """Key figures side by side: each a label, a large value and a line under it (band, stage)."""
        slide, area = self.slide(title, notes)
        width = area.width // max(len(figures), 1)
        for index, (name, value, detail) in enumerate(figures):
            left = area.left + index * width + Inches(0.1)
            box = slide.shapes.add_textbox(left, area.top + Inches(0.3), width - Inches(0.2), Inches(0.9))
            self._fill(box, [name], self._points_to_fit([name], box.width, box.height, 18), bold=True)
            box = slide.shapes.add_textbox(left, area.top + Inches(1.3), width - Inches(0.2), Inches(1.2))
            self._fill(box, [value], self._points_to_fit([value], box.width, box.height, 40), bold=True)
            box = slide.shapes.add_textbox(left, area.top + Inches(2.6), width - Inches(0.2), Inches(1.6))
            self._fill(box, [detail], self._points_to_fit([detail], box.width, box.height, 18))

    def text_slide(self, title: str, lines: Sequence[str]) -> None:
        """A slide of text lines (a section with nothing else: no data this year)."""
        slide, area = self.slide(title)
        box = slide.shapes.add_textbox(area.left, area.top, area.width, area.height)
        self._fill(box, lines, self._points_to_fit(lines, area.width, area.height, 20))

    @staticmethod
    def _points_to_fit(lines: Sequence[str], width: int, height: int, largest: int) -> int:
        """The largest font size up to ``largest`` at which ``lines`` fit in ``width`` × ``height``."""
        for points in range(largest, 7, -1):
            if _text_height(lines, width, points) <= height:
                return points
        return 8

    @staticmethod
    def _fill(shape, lines: Sequence[str], points: int, bold: bool = False, align=None) -> None:
        """``lines`` as the literal text of ``shape``, wrapped, at ``points``."""
        frame = shape.text_frame
        frame.word_wrap = True
        frame.auto_size = MSO_AUTO_SIZE.NONE
        frame.margin_left = frame.margin_right = Inches(0.05)
        frame.margin_top = frame.margin_bottom = Inches(0.03)
        frame.text = ""
        for index, line in enumerate(lines):
            paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
            run = paragraph.add_run()
            run.text = line
            run.font.size = Pt(points)
            run.font.bold = bold or None
            if align is not None:
                paragraph.alignment = align


def _has(layout, kind) -> bool:
    return any(p.placeholder_format.type == kind for p in layout.placeholders)


def _lines(value: str, width: int, points: float) -> int:
    """How many lines ``value`` takes in a box ``width`` EMU wide at ``points`` (an estimate on the safe side)."""
    per_line = max(int(Emu(width).pt / (points * CHAR_WIDTH)), 1)
    total = 0
    for paragraph in value.split("\n"):
        words, line, count = paragraph.split(), 0, 1
        for word in words:
            size = len(word)
            while size > per_line:  # a word longer than the line is broken
                count, size = count + 1, size - per_line
            if line and line + 1 + size > per_line:
                count, line = count + 1, size
            else:
                line += size + (1 if line else 0)
        total += count
    return total


def _text_height(lines: Sequence[str], width: int, points: float) -> int:
    usable = width - Inches(0.1)
    return int(sum(_lines(line, usable, points) for line in lines) * Pt(points * LINE_HEIGHT)) + Inches(0.1)


def _widths(headers: list[str], rows: list[list[str]], numeric: set[int], total: int, points: float) -> list[int]:
    """Column widths: numbers as wide as their longest figure (never wrapped), the rest shared by need."""
    widths = column_widths([headers, *rows], total)
    longest = {i: max([len(row[i]) for row in rows] + [len(word) for word in headers[i].split()]) for i in numeric}
    fixed = {i: int(Pt((length + 3) * points * CHAR_WIDTH)) for i, length in longest.items()}  # bold included
    others = [i for i in range(len(headers)) if i not in fixed]
    left = total - sum(fixed.values())
    if not others or left < total // 4:
        return widths
    share = sum(widths[i] for i in others)
    return [fixed[i] if i in fixed else int(left * widths[i] / share) for i in range(len(headers))]


def _pages(heights: Sequence[int], available: int) -> list[list[int]]:
    """The rows (by index) of each slide, as many as fit in ``available`` height, at least one each."""
    pages, page, used = [], [], 0
    for index, height in enumerate(heights):
        if page and used + height > available:
            pages.append(page)
            page, used = [], 0
        page.append(index)
        used += height
    return [*pages, page]


def _row_height(row: Sequence[str], widths: Sequence[int], points: float) -> int:
    lines = max(_lines(value, width - Inches(0.2), points) for value, width in zip(row, widths, strict=True))
    return int(lines * Pt(points * LINE_HEIGHT)) + CELL_PADDING


def _cell(cell, value: str, points: float, numeric: bool, bold: bool = False) -> None:
    frame = cell.text_frame
    frame.word_wrap = True
    cell.margin_top = cell.margin_bottom = Pt(4)
    cell.margin_left = cell.margin_right = Inches(0.08)
    paragraph = frame.paragraphs[0]
    run = paragraph.add_run()
    run.text = value
    run.font.size = Pt(points)
    run.font.bold = bold or None
    if numeric:
        paragraph.alignment = PP_ALIGN.RIGHT


def _notes(section: Section) -> list[str]:
    """The section's texts: its notes, and the evaluator's narrative (without the labels over it)."""
    notes = []
    for block in flat_blocks(section.blocks):
        if isinstance(block, Paragraph) and not block.kind.endswith("-label"):
            notes.append(block.text)
        elif isinstance(block, Narrative):
            notes += ["".join(run.text for run in paragraph.runs) for paragraph in block.paragraphs]
    return notes


def _tables(section: Section) -> list[Table]:
    return [block for block in flat_blocks(section.blocks) if isinstance(block, Table)]


def _charts(section: Section) -> list[Chart]:
    return [block for block in flat_blocks(section.blocks) if isinstance(block, Chart)]


def _section_slides(deck: Deck, section: Section, columns: Sequence[int] = (), tables: int = 1) -> None:
    """The section's charts (one slide) and its first ``tables`` tables, or its notes when it has neither."""
    found, charts = _tables(section)[:tables], _charts(section)
    if charts:
        deck.picture_slide(section.title, [(chart.png, chart.title) for chart in charts[:4]], _notes(section))
    for table in found:
        deck.table_slides(section.title, table, () if charts else _notes(section), columns)
    if not found and not charts:
        deck.text_slide(section.title, _notes(section) or ["–"])


# The group's deck, slide by slide.
def _title(deck: Deck, report: Document, sections: dict[str, Section]) -> None:
    cover = report.front
    lines = [cover.review_title] if cover.review_title else []
    lines += [f"{name}: {value}" for name, value in cover.facts]
    profile = _tables(sections["profile"]) if "profile" in sections else []
    kelurahan = text("profile.kelurahan", report.language)
    lines += [f"{name}: {value}" for name, value in (profile[0].rows if profile else []) if name == kelurahan]
    deck.title_slide(cover.title, lines)


def _profile(deck: Deck, report: Document, sections: dict[str, Section]) -> None:
    _section_slides(deck, sections["profile"])


def _this_year(deck: Deck, report: Document, sections: dict[str, Section]) -> None:
    """This year against last year: the key figures, each with its direction of good and verdict."""
    language, figures = report.language, report.figures
    before = figures.get("previous_year") or None
    changes = yoy.changes(figures, before)
    year = figures.get("year")
    headers = [
        text("summary.metric", language),
        str(year),
        str(year - 1) if year else "",
        text("summary.change", language),
        text("portfolio.direction", language),
        text("portfolio.verdict", language),
    ]
    rows = [
        (
            text(f"metric.{key}", language),
            format_figure(key, figures.get(key), language),
            format_figure(key, before.get(key) if before else None, language),
            format_change(key, figures.get(key), before.get(key) if before else None, language),
            label("direction_of_good", str(yoy.DIRECTIONS.get(key)), language),
            label("verdict", changes[key].verdict, language),
        )
        for key in TABLE_KEYS
    ]
    deck.table_slides(sections["summary"].title, Table(headers, rows, numeric=(1, 2, 3)), _notes(sections["summary"]))


def _budget(deck: Deck, report: Document, sections: dict[str, Section]) -> None:
    _section_slides(deck, sections["budget"], tables=0)


def _indicators(deck: Deck, report: Document, sections: dict[str, Section]) -> None:
    _section_slides(deck, sections["indicators"], tables=0)


def _activities(deck: Deck, report: Document, sections: dict[str, Section]) -> None:
    _section_slides(deck, sections["activities"])


def _methods(deck: Deck, report: Document, sections: dict[str, Section]) -> None:
    """IKM, SROI and independence side by side: the figures with the band and the stage."""
    language, figures = report.language, report.figures
    cards = [
        (
            text("metric.ikm_score", language),
            format_figure("ikm_score", figures.get("ikm_score"), language),
            label("ikm_band", figures.get("ikm_band"), language),
        ),
        (
            text("metric.sroi_ratio", language),
            format_figure("sroi_ratio", figures.get("sroi_ratio"), language),
            format_figure("sroi_present_value", figures.get("sroi_present_value"), language),
        ),
        (
            text("metric.independence_index", language),
            format_figure("independence_index", figures.get("independence_index"), language),
            label("stage", figures.get("independence_stage"), language),
        ),
    ]
    title = " · ".join(sections[key].title for key in ("ikm", "sroi", "independence"))
    notes = [note for key in ("ikm", "sroi", "independence") for note in _notes(sections[key])]
    deck.figures_slide(title, cards, notes)


def _fgd(deck: Deck, report: Document, sections: dict[str, Section]) -> None:
    """The stakeholders' inputs and what was done about them: stakeholder, input, recommendation, follow-up, due."""
    _section_slides(deck, sections["fgd"], columns=(1, 5, 6, 7, 8))


def _findings(deck: Deck, report: Document, sections: dict[str, Section]) -> None:
    _section_slides(deck, sections["findings"])


def _conclusion(deck: Deck, report: Document, sections: dict[str, Section]) -> None:
    """The evaluator's closing conclusion, when the workbook has one (none without)."""
    section = sections["conclusion"]
    if any(isinstance(block, Narrative) for block in section.blocks):
        deck.text_slide(section.title, _notes(section))


def _plan(deck: Deck, report: Document, sections: dict[str, Section]) -> None:
    _section_slides(deck, sections["plan"], tables=3)


def _photos(deck: Deck, report: Document, sections: dict[str, Section]) -> None:
    """The report's photos, up to four a slide, on one or two slides (none without photos)."""
    photos = [
        block for section in sections.values() for block in flat_blocks(section.blocks) if isinstance(block, Photo)
    ]
    for first in range(0, min(len(photos), 2 * PHOTOS_PER_SLIDE), PHOTOS_PER_SLIDE):
        shown = photos[first : first + PHOTOS_PER_SLIDE]
        deck.picture_slide(text("deck.photos", report.language), [(photo.image, photo.label) for photo in shown])


GROUP_SLIDES: tuple[Callable[[Deck, Document, dict[str, Section]], None], ...] = (
    _title,
    _profile,
    _this_year,
    _budget,
    _indicators,
    _activities,
    _methods,
    _fgd,
    _findings,
    _conclusion,
    _plan,
    _photos,
)


# The programme's deck, slide by slide.
def _numbers(deck: Deck, report: Document, sections: dict[str, Section]) -> None:
    """The programme in numbers against last year, then by pillar and by kelurahan."""
    section = sections["numbers"]
    tables = _tables(section)
    deck.table_slides(section.title, tables[0], _notes(section))
    subtitles = [block.title for block in section.blocks if getattr(block, "level", 0) == 3]
    for subtitle, table in zip(subtitles, tables[1:], strict=False):
        deck.table_slides(f"{section.title}: {subtitle}", table)


def _attention(deck: Deck, report: Document, sections: dict[str, Section]) -> None:
    _section_slides(deck, sections["attention"])


def _trends(deck: Deck, report: Document, sections: dict[str, Section]) -> None:
    _section_slides(deck, sections["trends"], tables=0)


def _open_inputs(deck: Deck, report: Document, sections: dict[str, Section]) -> None:
    """The FGD register's inputs not yet followed up to completion."""
    section = sections["fgd_register"]
    tables = _tables(section)
    if not tables:
        deck.text_slide(section.title, _notes(section) or ["–"])
        return
    register = tables[0]
    done = label("follow_up", "selesai", report.language)
    status = [str(header) for header in register.headers].index(text("register.follow_up", report.language))
    still_open = [row for row in register.rows if str(row[status]) != done]
    title = f"{section.title}: {text('portfolio.open', report.language)}"
    deck.table_slides(title, Table(register.headers, still_open), _notes(section), columns=(2, 3, 5, 7, 8, 9))


PORTFOLIO_SLIDES: tuple[Callable[[Deck, Document, dict[str, Section]], None], ...] = (
    _title,
    _numbers,
    _trends,
    _attention,
    _open_inputs,
)

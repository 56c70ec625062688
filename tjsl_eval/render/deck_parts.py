"""What the group's and the programme's FGD decks share: the cover with the SDG badges and the
draft mark, the photo slides, the closing slide for the discussion, and the speaker notes made
from a section's texts and tables."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import PP_ALIGN
from pptx.util import Inches

from tjsl_eval.common.messages import text
from tjsl_eval.render.blocks import SDG_COLOURS
from tjsl_eval.render.deck_design import BODY_POINTS, LOGO, Area, Deck
from tjsl_eval.render.document import Document, Goals, Narrative, Paragraph, Photo, Section, Table, flat_blocks

PHOTOS_PER_SLIDE = 4
BADGES_ACROSS = 6  # SDG badges in a row of the cover (two rows at most)
Maker = Callable[[Deck], None]


def tables_of(section: Section | None) -> list[Table]:
    return [block for block in flat_blocks(section.blocks) if isinstance(block, Table)] if section else []


def section_notes(section: Section | None) -> list[str]:
    """The section's texts for the speaker notes: its notes, and the evaluator's narrative (without the labels
    over it)."""
    notes = []
    for block in flat_blocks(section.blocks) if section else []:
        if isinstance(block, Paragraph) and not block.kind.endswith("-label"):
            notes.append(f"{block.lead} {block.text}".strip())
        elif isinstance(block, Narrative):
            notes += ["".join(run.text for run in paragraph.runs) for paragraph in block.paragraphs]
    return notes


def table_notes(tables: Sequence[Table]) -> list[str]:
    """Tables in full for the speaker notes: a line per row, ``header: value`` joined by " | "."""
    lines = []
    for table in tables:
        headers = [str(header) for header in table.headers]
        for row in [*table.rows, *([table.footer] if table.footer is not None else [])]:
            lines.append(" | ".join(f"{h}: {v}" for h, v in zip(headers, row, strict=False) if str(v).strip()))
        lines.append("")
    return lines[:-1]


def cover_slide(report: Document, first_lines: Sequence[str]) -> Maker:
    """The opening slide: the report's title, ``first_lines``, the review, the FGD's date and place, the report
    date; the SDG badges in their official colours; DRAF/DRAFT when the report is not approved."""
    cover, language = report.front, report.language
    goals = next((value for _, value in cover.facts if isinstance(value, Goals)), Goals(()))
    lines = [*first_lines, cover.review_title] if cover.review_title else list(first_lines)
    fgd = text("cover.fgd", language)
    lines += [f"{name}: {value}" for name, value in cover.facts if name == fgd]
    if getattr(report, "report_date", ""):
        lines.append(text("deck.report_date", language, date=report.report_date))
    notes = [f"{name}: {value}" for name, value in cover.facts] + ([cover.notice] if cover.notice else [])

    def make(deck: Deck) -> None:
        slide, free = deck.cover(cover.title, lines, notes)
        shown = goals.goals[: 2 * BADGES_ACROSS]
        rows = -(-len(shown) // BADGES_ACROSS)
        if shown and free.height >= Inches(1) * rows:
            gap = Inches(0.15)
            size = min(Inches(1.6), (free.height - gap * rows) // rows)
            width = min(Inches(2.1), (free.width - gap * (BADGES_ACROSS - 1)) // BADGES_ACROSS)
            for index, (number, name) in enumerate(shown):
                left = free.left + (index % BADGES_ACROSS) * (width + gap)
                area = Area(left, free.top + (index // BADGES_ACROSS) * (size + gap), width, size)
                deck.badge(slide, area, SDG_COLOURS[number - 1].lstrip("#").upper(), [f"SDG {number}", name])
        if getattr(report, "draft", False):
            right = deck.width - Inches(0.8) - (LOGO if deck.logo_shown else 0)  # left of the logo
            area = Area(right - Inches(2.4), Inches(0.25), Inches(2.4), Inches(0.7))
            mark = deck.rectangle(slide, area, deck.colours.warning, MSO_SHAPE.ROUNDED_RECTANGLE)
            deck.fill(mark, [text("deck.draft", language)], 28, True, "FFFFFF", PP_ALIGN.CENTER)

    return make


def photo_slides(sections: dict[str, Section], language: str, room: int) -> list[Maker]:
    """The report's photos, up to four a slide, captioned, on at most ``room`` slides."""
    photos = [
        block for section in sections.values() for block in flat_blocks(section.blocks) if isinstance(block, Photo)
    ]

    def slide_of(shown: Sequence[Photo]) -> Maker:
        def make(deck: Deck) -> None:
            slide, area = deck.slide(text("deck.photos", language), [photo.label for photo in shown])
            across = len(shown) if len(shown) < PHOTOS_PER_SLIDE else 2  # one row of up to three, or two by two
            rows = area.rows([area.height // 2, 0]) if len(shown) == PHOTOS_PER_SLIDE else [area]
            for index, photo in enumerate(shown):
                cell = rows[index // across].columns(across)[index % across]
                deck.picture(
                    slide, Area(cell.left, cell.top, cell.width, cell.height - Inches(0.1)), photo.image, photo.label
                )

        return make

    firsts = range(0, min(len(photos), max(room, 0) * PHOTOS_PER_SLIDE), PHOTOS_PER_SLIDE)
    return [slide_of(photos[first : first + PHOTOS_PER_SLIDE]) for first in firsts]


def closing(report: Document, notes: Sequence[str] = ()) -> Maker:
    """The last slide: the floor is open for the stakeholders' input; ``notes`` (the evaluator's conclusion) for
    the presenter."""
    cover, language = report.front, report.language

    def make(deck: Deck) -> None:
        slide, free = deck.cover(text("deck.discussion", language), [cover.review_title, cover.title], notes)
        questions = [text("deck.discussion_prompt", language)]
        if free.height < Inches(0.6):  # a reference cover layout with no room left under its subtitle
            return
        deck.text(
            slide, Area(free.left, free.top, free.width, min(free.height, Inches(1.5))), questions, 24, BODY_POINTS
        )

    return make

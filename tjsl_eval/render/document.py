"""A report as format-neutral blocks (headings, texts, tables, charts, a cover), from which the
HTML, Word and PowerPoint writers each make their own format.

The reports' section methods build these blocks once; :func:`to_html` turns them into the
escaped markup the notebooks show, :mod:`tjsl_eval.render.docx_report` and
:mod:`tjsl_eval.render.pptx_deck` into Office files. Text from the user's data stays plain
text in every block: each writer escapes it or writes it as literal text.
"""

from __future__ import annotations

import base64
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from tjsl_eval.render.tables import Html, escape, html_table, sortable_table


@dataclass(frozen=True)
class Light:
    """A traffic light in a table cell (``hijau``, ``kuning``, ``merah`` or ``none``) and its label."""

    light: str
    text: str

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class Link:
    """A link made by the report itself (never from the data), e.g. to a group's report."""

    href: str
    text: str

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class Goals:
    """The SDGs a group supports: each goal's number and name."""

    goals: tuple[tuple[int, str], ...]

    def __str__(self) -> str:
        return ", ".join(f"SDG {number} {name}" for number, name in self.goals) or "–"


@dataclass(frozen=True)
class Sortable:
    """A cell shown as ``shown`` and sorted by ``sort_value`` in the HTML report's sortable tables."""

    shown: object
    sort_value: object

    def __str__(self) -> str:
        return str(self.shown)


@dataclass(frozen=True)
class Judgement:
    """The evaluator's own light for a DAC criterion (a table cell), whether it differs from the computed one
    (``differs``: the label saying so, else empty), and their justification."""

    light: Light
    differs: str
    justification: str

    def __str__(self) -> str:
        return " ".join(part for part in (self.light.text, "—", self.differs, self.justification) if part)


@dataclass(frozen=True)
class Heading:
    """A section's heading (``key``: the section, whose id the contents link to) or a sub-heading."""

    title: str
    level: int = 2
    key: str | None = None


@dataclass(frozen=True)
class Paragraph:
    """A text: ``note`` (an explanation, in italics), ``banner`` (a highlighted notice), ``body``, or a label
    over the evaluator's content (``narrative-label``, ``photos-label``); ``lead`` is a bold lead-in."""

    text: str
    kind: str = "body"
    lead: str = ""


@dataclass(frozen=True)
class Table:
    """A table: header, rows and an optional footer row; ``numeric`` columns are right-aligned."""

    headers: Sequence[object]
    rows: Sequence[Sequence[object]]
    numeric: Sequence[int] = ()
    footer: Sequence[object] | None = None
    sortable: bool = False  # the HTML report sorts it by a click on a column's header
    caption: str = ""  # what the table shows ("Tabel n. caption" above it in Word and PDF)


@dataclass(frozen=True)
class Chart:
    """A chart as PNG bytes, with its title (the image's description and the caption)."""

    png: bytes
    title: str


@dataclass(frozen=True)
class Cover:
    """A report's cover: the review's title, the report's, facts (label, value), the contents."""

    review_title: str
    title: str
    facts: Sequence[tuple[str, object]]
    notice: str = ""  # e.g. that the data is the synthetic sample
    contents_title: str = ""
    contents: Sequence[tuple[str, str]] = ()  # (section key, title)


@dataclass(frozen=True)
class Run:
    """A piece of a rich paragraph's text, bold and/or italic."""

    text: str
    bold: bool = False
    italic: bool = False


@dataclass(frozen=True)
class RichParagraph:
    """A paragraph of the evaluator's narrative: ``body``, ``bullet``, ``number`` (list items) or ``quote``."""

    runs: Sequence[Run]
    kind: str = "body"


@dataclass(frozen=True)
class Narrative:
    """The evaluator's own text (parsed from its Markdown by the caller): paragraphs, lists, quotes; its
    author; ``html``: the same text as sanitised HTML (with its links), for the HTML report."""

    paragraphs: Sequence[RichParagraph]
    author: str = ""
    html: str = ""


@dataclass(frozen=True)
class Photo:
    """A photo (JPEG or PNG bytes, ``width`` × ``height`` pixels) with its caption and the date it was taken."""

    image: bytes
    caption: str
    date: str = ""
    width: int = 0
    height: int = 0

    @property
    def label(self) -> str:
        """The caption with the date, as the Office formats show it under the photo."""
        return f"{self.caption} ({self.date})" if self.date else self.caption


@dataclass(frozen=True)
class Gallery:
    """Photos shown together (a grid in the HTML report; ``compact``: a denser one)."""

    photos: Sequence[Photo]
    compact: bool = False


@dataclass(frozen=True)
class Beside:
    """Parts (a chart, small tables; each a list of blocks) beside each other where the page is wide enough,
    one above the other on a phone and in the Office formats; printed on one page."""

    parts: Sequence[Sequence[Block]]


@dataclass(frozen=True)
class Raw:
    """Markup only the HTML report has (a script): left out of the Office formats."""

    markup: str


Block = Heading | Paragraph | Table | Chart | Cover | Narrative | Photo | Gallery | Beside | Raw


def flat_blocks(blocks: Sequence[Block]) -> Iterator[Block]:
    """The blocks with those of a :class:`Beside` and the photos of a :class:`Gallery` in their place, in order."""
    for block in blocks:
        if isinstance(block, Beside):
            for part in block.parts:
                yield from flat_blocks(part)
        elif isinstance(block, Gallery):
            yield from block.photos
        else:
            yield block


@dataclass
class Section:
    """One section of a report: its key, title and blocks."""

    key: str
    title: str
    blocks: list[Block] = field(default_factory=list)


@dataclass
class Chapter:
    """A chapter of a report (Heading 1 in the Word report): its title and sections."""

    title: str
    sections: list[Section]


@dataclass
class Document:
    """A whole report: the cover section, then the chapters, in the report's language, and its figures."""

    cover: Section
    chapters: list[Chapter]
    language: str
    figures: dict = field(default_factory=dict)  # a group's figures as in metrics.json, or the programme's
    draft: bool = False  # not approved yet: marked DRAF / DRAFT in every format
    report_date: str = ""  # the report's date, formatted in its language

    @property
    def front(self) -> Cover:
        """The cover's :class:`Cover` block (titles, facts, contents)."""
        return next(block for block in self.cover.blocks if isinstance(block, Cover))

    def sections(self) -> dict[str, Section]:
        """Every section by its key, the cover's included."""
        found = {self.cover.key: self.cover}
        found.update((section.key, section) for chapter in self.chapters for section in chapter.sections)
        return found


def section_id(key: str) -> str:
    """The HTML id of a section's heading: from the section's key, never from the data."""
    return f"section-{key}"


def cell_html(cell: object) -> Html | str:
    """A table cell as :func:`~tjsl_eval.render.tables.html_table` takes it."""
    if isinstance(cell, Light):
        return Html(f'<span class="tjsl-light tjsl-{cell.light}">{escape(cell.text)}</span>')
    if isinstance(cell, Link):
        return Html(f'<a href="{escape(cell.href)}">{escape(cell.text)}</a>')
    if isinstance(cell, Judgement):
        differs = f" <strong>{escape(cell.differs)}</strong>" if cell.differs else ""
        return Html(
            cell_markup(cell.light) + differs + f'<span class="tjsl-judged">{escape(cell.justification)}</span>'
        )
    if isinstance(cell, Goals):
        badges = "".join(
            f'<span class="tjsl-sdg tjsl-sdg-{number}"><b>SDG {number}</b> {escape(name)}</span>'
            for number, name in cell.goals
        )
        return Html(badges or "–")
    return cell


def cell_markup(cell: object) -> str:
    """A cell's escaped markup."""
    shown = cell_html(cell)
    return shown.markup if isinstance(shown, Html) else escape(shown)


def heading_html(block: Heading) -> str:
    if block.key is None:
        return f"<h{block.level}>{escape(block.title)}</h{block.level}>"
    return f'<h{block.level} class="tjsl-section" id="{section_id(block.key)}">{escape(block.title)}</h{block.level}>'


def chart_html(chart: Chart) -> str:
    """An embedded PNG image with its title as alt text."""
    encoded = base64.b64encode(chart.png).decode("ascii")
    return f'<img class="tjsl-chart" alt="{escape(chart.title)}" src="data:image/png;base64,{encoded}">'


def paragraph_html(block: Paragraph) -> str:
    if block.kind != "body":
        return f'<p class="tjsl-{block.kind}">{escape(block.text)}</p>'
    lead = f"<strong>{escape(block.lead)}</strong> " if block.lead else ""
    return f"<p>{lead}{escape(block.text)}</p>"


def cover_html(block: Cover) -> str:
    markup = '<header class="tjsl-cover">'
    if block.review_title:
        markup += f'<p class="tjsl-cover-review">{escape(block.review_title)}</p>'
    markup += heading_html(Heading(block.title, 1)) + '<dl class="tjsl-facts">'
    for name, value in block.facts:
        markup += f"<dt>{escape(name)}</dt><dd>{cell_markup(value)}</dd>"
    markup += "</dl>"
    if block.notice:
        markup += paragraph_html(Paragraph(block.notice, "banner"))
    markup += "</header>"
    if block.contents:
        items = "".join(f'<li><a href="#{section_id(key)}">{escape(title)}</a></li>' for key, title in block.contents)
        markup += f'<nav class="tjsl-toc"><h2>{escape(block.contents_title)}</h2><ol>{items}</ol></nav>'
    return markup


def table_html(block: Table) -> str:
    if block.sortable:
        rows = [
            [
                (cell_html(cell.shown), cell.sort_value) if isinstance(cell, Sortable) else (cell_html(cell), cell)
                for cell in row
            ]
            for row in block.rows
        ]
        return sortable_table([str(header) for header in block.headers], rows, block.numeric)
    rows = [[cell_html(cell) for cell in row] for row in block.rows]
    footer = None if block.footer is None else [cell_html(cell) for cell in block.footer]
    return html_table([cell_html(cell) for cell in block.headers], rows, block.numeric, footer)


def runs_html(runs: Sequence[Run]) -> str:
    """Runs as escaped text in ``<strong>`` and ``<em>``."""
    parts = []
    for run in runs:
        part = escape(run.text)
        part = f"<em>{part}</em>" if run.italic else part
        parts.append(f"<strong>{part}</strong>" if run.bold else part)
    return "".join(parts)


def narrative_html(block: Narrative) -> str:
    """The sanitised HTML, else paragraphs, lists (consecutive items of one kind in one list) and quotes; then
    the author."""
    author = f'<p class="tjsl-author">— {escape(block.author)}</p>' if block.author else ""
    if block.html:
        return f'<div class="tjsl-narrative">{block.html}{author}</div>'
    markup, open_list = [], None
    for paragraph in block.paragraphs:
        wanted = {"bullet": "ul", "number": "ol"}.get(paragraph.kind)
        if open_list and open_list != wanted:
            markup.append(f"</{open_list}>")
            open_list = None
        if wanted and not open_list:
            markup.append(f"<{wanted}>")
            open_list = wanted
        tag = "li" if wanted else "blockquote" if paragraph.kind == "quote" else "p"
        markup.append(f"<{tag}>{runs_html(paragraph.runs)}</{tag}>")
    if open_list:
        markup.append(f"</{open_list}>")
    return '<div class="tjsl-narrative">' + "".join(markup) + author + "</div>"


def photo_html(block: Photo) -> str:
    """A figure: the embedded image (its size given, so the page does not jump) with its caption and date."""
    kind = "png" if block.image.startswith(b"\x89PNG") else "jpeg"
    encoded = base64.b64encode(block.image).decode("ascii")
    size = f' width="{block.width}" height="{block.height}"' if block.width else ""
    date = f' <span class="tjsl-photo-date">({escape(block.date)})</span>' if block.date else ""
    return (
        f'<figure class="tjsl-photo"><img src="data:image/{kind};base64,{encoded}" alt="{escape(block.caption)}"{size}>'
        f"<figcaption>{escape(block.caption)}{date}</figcaption></figure>"
    )


def gallery_html(block: Gallery) -> str:
    compact = " tjsl-photos-many" if block.compact else ""
    return f'<div class="tjsl-photos{compact}">' + "".join(photo_html(photo) for photo in block.photos) + "</div>"


def beside_html(block: Beside) -> str:
    return '<div class="tjsl-pair">' + "".join(f"<div>{to_html(part).markup}</div>" for part in block.parts) + "</div>"


def block_html(block: Block) -> str:
    """One block as escaped HTML."""
    if isinstance(block, Heading):
        return heading_html(block)
    if isinstance(block, Paragraph):
        return paragraph_html(block)
    if isinstance(block, Table):
        return table_html(block)
    if isinstance(block, Chart):
        return chart_html(block)
    if isinstance(block, Cover):
        return cover_html(block)
    if isinstance(block, Narrative):
        return narrative_html(block)
    if isinstance(block, Photo):
        return photo_html(block)
    if isinstance(block, Gallery):
        return gallery_html(block)
    if isinstance(block, Beside):
        return beside_html(block)
    return block.markup


def to_html(blocks: Sequence[Block]) -> Html:
    """The blocks as the escaped HTML the notebooks show."""
    return Html("".join(block_html(block) for block in blocks))

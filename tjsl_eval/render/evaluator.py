"""The evaluator's own words and pictures (sheets ``narasi`` and ``dokumentasi``): as plain data for any report
format, and as the report blocks shown after each section's figures.

:func:`narrative` and :func:`photos` return structured rows (the Markdown source, the processed image bytes) that
other exporters can reuse; :func:`narrative_blocks` and :func:`photo_blocks` make them the format-neutral blocks
(:mod:`tjsl_eval.render.document`) that the HTML, Word and PowerPoint writers all write.
A group id of None selects the programme-wide narrative (blank ``id_kelompok``), shown in the portfolio summary.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import pandas as pd

from tjsl_eval.common import formatting
from tjsl_eval.common.messages import text
from tjsl_eval.inputs.photos import HASH_COLUMN, PhotoError, read_checked, resolve
from tjsl_eval.inputs.schema import SECTION_KEYS
from tjsl_eval.inputs.workbook import Workbook
from tjsl_eval.render import document
from tjsl_eval.render.images import ProcessedImage, process_image
from tjsl_eval.render.markdown import markdown_html, markdown_paragraphs

COMPACT_AFTER = 6  # a section with more photos shows them in a denser grid
STYLE = """
.tjsl-narrative{border-left:4px solid #8fb3cf;background:#f7fafc;padding:0.2em 1em;margin:0.8em 0}
.tjsl-narrative blockquote{margin:0.5em 0 0.5em 0.5em;padding-left:0.8em;border-left:3px solid #c9c9c9;
  font-style:italic;color:#333}
.tjsl-narrative-label,.tjsl-photos-label{color:#1f5f8b;font-weight:600;font-size:0.9em;margin:0.6em 0 0.2em;
  break-after:avoid}
.tjsl-author{color:#555;font-size:0.9em;text-align:right}
.tjsl-photos{display:grid;grid-template-columns:repeat(auto-fill,minmax(220px,1fr));gap:12px;margin:0.5em 0 1em}
.tjsl-photos-many{grid-template-columns:repeat(auto-fill,minmax(130px,1fr));gap:6px;font-size:0.82em}
.tjsl-photo{margin:0;break-inside:avoid}
.tjsl-photo img{width:100%;height:auto;display:block;border:1px solid #ddd}
.tjsl-photo figcaption{font-size:0.88em;color:#333;margin-top:3px}
.tjsl-photo-date{color:#666;white-space:nowrap}
@media print{
  .tjsl-narrative{padding:0.1em 0.8em;margin:0.5em 0}
  .tjsl-narrative{break-inside:avoid}
  .tjsl-narrative:has(>:nth-child(4)){break-inside:auto}
  .tjsl-narrative blockquote,.tjsl-narrative li,.tjsl-author{break-inside:avoid}
  .tjsl-narrative p{orphans:3;widows:3}
  .tjsl-photos{grid-template-columns:repeat(4,1fr);gap:8px}
  .tjsl-photos-many{grid-template-columns:repeat(6,1fr);gap:5px}
  .tjsl-photo img{width:auto;max-width:100%;max-height:32mm}
  .tjsl-photos-many .tjsl-photo img{max-height:24mm}
}
"""


@dataclass(frozen=True)
class NarrativeEntry:
    """One row of the sheet ``narasi``: the report section's key, the Markdown text and its author."""

    row: int  # the Excel row
    section: str  # the report's section key, e.g. "budget" or "conclusion"
    text: str
    author: str | None


@dataclass(frozen=True)
class Photo:
    """One row of the sheet ``dokumentasi`` with its image ready for a report (upright, resized, no metadata)."""

    row: int
    section: str
    caption: str
    date: dt.date | None
    file: str  # as written in the workbook, relative to its folder
    image: ProcessedImage


def _selected(table: pd.DataFrame, group_id: str | None, year: int, section: str | None) -> pd.DataFrame:
    about = table["group_id"].isna() if group_id is None else table["group_id"] == group_id
    rows = table[(table["year"] == year) & about]
    if section is not None:
        rows = rows[rows["section"].map(SECTION_KEYS) == section]
    return rows


def narrative(workbook: Workbook, group_id: str | None, year: int, section: str | None = None) -> list[NarrativeEntry]:
    """The narrative rows of a group (None: the whole programme) and year, in workbook order; one section's only
    when ``section`` (a report section key) is given."""
    rows = _selected(workbook.tables["narrative"], group_id, year, section)
    return [
        NarrativeEntry(int(row), SECTION_KEYS[record["section"]], record["text"], _text_or_none(record["author"]))
        for row, record in rows.iterrows()
    ]


def photo_rows(workbook: Workbook, group_id: str, year: int, section: str | None = None) -> pd.DataFrame:
    """The photo rows of a group and year (one section's when ``section`` is given), in workbook order."""
    return _selected(workbook.tables["photos"], group_id, year, section)


def photos(workbook: Workbook, group_id: str, year: int, section: str | None = None) -> Iterator[Photo]:
    """:func:`photo_rows` with each image read and processed, one at a time (memory stays bounded)."""
    for row, record in photo_rows(workbook, group_id, year, section).iterrows():
        yield Photo(
            int(row),
            SECTION_KEYS[record["section"]],
            record["caption"],
            None if pd.isna(record["date"]) else record["date"].date(),
            record["file"],
            process_image(photo_bytes(workbook, record)),
        )


def photo_bytes(workbook: Workbook, record: pd.Series) -> bytes:
    """A photo file's bytes, checked against the hash taken when the workbook was validated."""
    if workbook.folder is None:
        raise PhotoError(f"{workbook.source}: the workbook's folder is unknown, so its photos cannot be read")
    data, digest = read_checked(resolve(workbook.folder, record["file"]))
    if digest != record[HASH_COLUMN]:
        raise PhotoError(f"{record['file']} changed after the workbook was validated: run tjsl-eval again")
    return data


def photo_counts(workbook: Workbook, year: int) -> dict[str, int]:
    """The number of photos of each group for ``year``."""
    table = workbook.tables["photos"]
    return {str(group): int(count) for group, count in table[table["year"] == year].groupby("group_id").size().items()}


def narrative_blocks(entries: Iterable[NarrativeEntry], language: str, labelled: bool = True) -> list[document.Block]:
    """Each entry's Markdown as a narrative block (sanitised HTML and plain-text paragraphs) with its author; under
    a "notes" label when ``labelled``."""
    blocks: list[document.Block] = [
        document.Narrative(tuple(markdown_paragraphs(entry.text)), entry.author or "", markdown_html(entry.text))
        for entry in entries
    ]
    if blocks and labelled:
        blocks.insert(0, document.Paragraph(text("evaluator.notes", language), "narrative-label"))
    return blocks


def photo_blocks(shown: Iterable[Photo], language: str) -> list[document.Block]:
    """The photos with their captions and dates, under a "photos" label (a denser grid above six photos)."""
    photos = tuple(
        document.Photo(
            photo.image.data,
            photo.caption,
            formatting.date(photo.date, language) if photo.date else "",
            photo.image.width,
            photo.image.height,
        )
        for photo in shown
    )
    if not photos:
        return []
    label = document.Paragraph(text("evaluator.photos", language), "photos-label")
    return [label, document.Gallery(photos, compact=len(photos) > COMPACT_AFTER)]


def section_blocks(workbook: Workbook, group_id: str, year: int, section: str, language: str) -> list[document.Block]:
    """A group section's narrative, then its photos (empty when it has neither)."""
    notes = narrative_blocks(narrative(workbook, group_id, year, section), language, labelled=section != "conclusion")
    return notes + photo_blocks(photos(workbook, group_id, year, section), language)


def _text_or_none(value: object) -> str | None:
    return None if value is None or pd.isna(value) else str(value)

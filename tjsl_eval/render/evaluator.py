"""The evaluator's own words and pictures (sheets ``narasi`` and ``dokumentasi``): as plain data for any report
format, and as the HTML the reports show after each section's figures.

:func:`narrative` and :func:`photos` return structured rows (the Markdown source, the processed image bytes) that
other exporters can reuse; :func:`narrative_html` and :func:`photos_html` make the report's safe HTML of them.
A group id of None selects the programme-wide narrative (blank ``id_kelompok``), shown in the portfolio summary.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import pandas as pd

from tjsl_eval.common import formatting
from tjsl_eval.common.messages import text
from tjsl_eval.inputs.photos import HASH_COLUMN, PhotoError, resolve
from tjsl_eval.inputs.schema import SECTION_KEYS
from tjsl_eval.inputs.workbook import Workbook
from tjsl_eval.render.images import ProcessedImage, process_image
from tjsl_eval.render.markdown import markdown_html
from tjsl_eval.render.tables import escape

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
    data = resolve(workbook.folder, record["file"]).read_bytes()
    if hashlib.sha256(data).hexdigest() != record[HASH_COLUMN]:
        raise PhotoError(f"{record['file']} changed after the workbook was validated: run tjsl-eval again")
    return data


def photo_counts(workbook: Workbook, year: int) -> dict[str, int]:
    """The number of photos of each group for ``year``."""
    table = workbook.tables["photos"]
    return {str(group): int(count) for group, count in table[table["year"] == year].groupby("group_id").size().items()}


def narrative_html(entries: Iterable[NarrativeEntry], language: str, labelled: bool = True) -> str:
    """Each entry's Markdown rendered and sanitised, with its author; under a "notes" label when ``labelled``."""
    blocks = []
    for entry in entries:
        author = f'<p class="tjsl-author">— {escape(entry.author)}</p>' if entry.author else ""
        blocks.append(f'<div class="tjsl-narrative">{markdown_html(entry.text)}{author}</div>')
    if not blocks:
        return ""
    heading = f'<p class="tjsl-narrative-label">{escape(text("evaluator.notes", language))}</p>' if labelled else ""
    return heading + "".join(blocks)


def photos_html(shown: Iterable[Photo], language: str) -> str:
    """A grid of figures, each image embedded with its caption and date (a denser grid above six photos)."""
    figures = []
    for photo in shown:
        date = (
            f' <span class="tjsl-photo-date">({escape(formatting.date(photo.date, language))})</span>'
            if photo.date
            else ""
        )
        figures.append(
            f'<figure class="tjsl-photo"><img src="{photo.image.data_uri()}" alt="{escape(photo.caption)}" '
            f'width="{photo.image.width}" height="{photo.image.height}">'
            f"<figcaption>{escape(photo.caption)}{date}</figcaption></figure>"
        )
    if not figures:
        return ""
    compact = " tjsl-photos-many" if len(figures) > COMPACT_AFTER else ""
    return (
        f'<p class="tjsl-photos-label">{escape(text("evaluator.photos", language))}</p>'
        f'<div class="tjsl-photos{compact}">{"".join(figures)}</div>'
    )


def section_html(workbook: Workbook, group_id: str, year: int, section: str, language: str) -> str:
    """A group section's narrative, then its photos (empty when it has neither)."""
    notes = narrative_html(narrative(workbook, group_id, year, section), language, labelled=section != "conclusion")
    return notes + photos_html(photos(workbook, group_id, year, section), language)


def _text_or_none(value: object) -> str | None:
    return None if value is None or pd.isna(value) else str(value)

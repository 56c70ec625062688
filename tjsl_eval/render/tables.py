"""HTML tables for reports. Every cell is escaped: workbook text always stays text."""

from __future__ import annotations

import html
import math
import re
from collections.abc import Sequence

NUMERIC = ' class="num"'
KEPT_ROWS = 12  # a table of at most this many rows is never split between two printed pages
# A table is printed on a landscape page when it has this many columns, or WIDE_TEXT_COLUMNS and this many
# characters of text in an average row (tall rows of text in narrow columns on a portrait page).
WIDE_COLUMNS, WIDE_TEXT_COLUMNS, WIDE_ROW_CHARACTERS = 10, 8, 160


class Html:
    """A piece of report HTML that Jupyter displays as rich output."""

    def __init__(self, markup: str):
        self.markup = markup

    def _repr_html_(self) -> str:
        return self.markup

    def __add__(self, other: Html) -> Html:
        return Html(self.markup + other.markup)


def escape(value: object) -> str:
    """``value`` as HTML-safe text (quotes included)."""
    return html.escape(str(value), quote=True)


def cell_markup(cell: object) -> str:
    """The markup of a table cell: escaped text, or the markup of an :class:`Html` cell."""
    return cell.markup if isinstance(cell, Html) else escape(cell)


def link(href: str, caption: str) -> Html:
    """A link whose address and caption are escaped."""
    return Html(f'<a href="{escape(href)}">{escape(caption)}</a>')


def is_wide(headers: Sequence[object], rows: Sequence[Sequence[object]]) -> bool:
    """Whether a table needs a landscape page (see :data:`WIDE_COLUMNS`)."""
    if len(headers) >= WIDE_COLUMNS:
        return True
    characters = sum(len(_shown_text(cell)) for row in rows for cell in row) / max(len(rows), 1)
    return len(headers) >= WIDE_TEXT_COLUMNS and characters >= WIDE_ROW_CHARACTERS


def _shown_text(cell: object) -> str:
    """A cell's text as a reader sees it (an :class:`Html` cell without its tags)."""
    return re.sub(r"<[^>]*>", "", cell.markup) if isinstance(cell, Html) else str(cell)


def _scroll_class(headers: Sequence[object], rows: Sequence[Sequence[object]]) -> str:
    """The classes of a table's wrapper: ``tjsl-keep`` (a small table, kept on one page), ``tjsl-wide``."""
    kept = " tjsl-keep" if len(rows) <= KEPT_ROWS else ""
    return "tjsl-scroll" + kept + (" tjsl-wide" if is_wide(headers, rows) else "")


def html_table(
    headers: Sequence[str],
    rows: Sequence[Sequence[object]],
    numeric: Sequence[int] = (),
    footer: Sequence[object] | None = None,
) -> str:
    """A table whose cells are escaped (an :class:`Html` cell is markup already made safe);
    columns at ``numeric`` positions are right-aligned. A small table (``KEPT_ROWS``) is
    marked ``tjsl-keep``: print keeps it on one page; a wide one ``tjsl-wide`` (:func:`is_wide`)."""

    def row_markup(cells: Sequence[object], tag: str) -> str:
        return (
            "<tr>"
            + "".join(
                f"<{tag}{NUMERIC if i in numeric else ''}>{cell_markup(cell)}</{tag}>" for i, cell in enumerate(cells)
            )
            + "</tr>"
        )

    parts = [
        f'<div class="{_scroll_class(headers, rows)}"><table class="tjsl-table"><thead>',
        row_markup(headers, "th"),
        "</thead><tbody>",
    ]
    parts += [row_markup(row, "td") for row in rows]
    parts.append("</tbody>")
    if footer is not None:
        parts += ["<tfoot>", row_markup(footer, "th"), "</tfoot>"]
    parts.append("</table></div>")
    return "".join(parts)


def sortable_table(
    headers: Sequence[str], rows: Sequence[Sequence[tuple[object, object]]], numeric: Sequence[int] = ()
) -> str:
    """A table that the pages' script (``templates/tjsl_report/static/sort.js``) sorts by any
    column: each cell is (shown, sort key), the key a number or text, ``None`` for no value;
    both are escaped (a shown :class:`Html` is markup already made safe)."""

    def cell(column: int, shown: object, key: object) -> str:
        empty = key is None or (isinstance(key, float) and math.isnan(key))
        aligned = NUMERIC if column in numeric else ""
        return f'<td{aligned} data-sort="{"" if empty else escape(key)}">{cell_markup(shown)}</td>'

    head = "".join(f'<th scope="col"{NUMERIC if i in numeric else ""}>{escape(h)}</th>' for i, h in enumerate(headers))
    body = "".join("<tr>" + "".join(cell(i, *pair) for i, pair in enumerate(row)) + "</tr>" for row in rows)
    return (
        f'<div class="{_scroll_class(headers, [[shown for shown, _ in row] for row in rows])}">'
        f'<table class="tjsl-table tjsl-sortable"><thead><tr>{head}</tr></thead>'
        f"<tbody>{body}</tbody></table></div>"
    )

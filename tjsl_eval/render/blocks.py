"""The small blocks every report is made of (headings, notes, banners, tables, charts, side-by-side parts,
the cover) and the reports' own style."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence

from tjsl_eval.common import formatting
from tjsl_eval.common.messages import label, text
from tjsl_eval.render import charts, evaluator
from tjsl_eval.render.document import Beside, Block, Chart, Cover, Goals, Heading, Paragraph, Raw, Table
from tjsl_eval.render.tables import escape

# The 17 Sustainable Development Goals' official colours, goal 1 first.
SDG_COLOURS = (
    "#e5243b",
    "#dda63a",
    "#4c9f38",
    "#c5192d",
    "#ff3a21",
    "#26bde2",
    "#fcc30b",
    "#a21942",
    "#fd6925",
    "#dd1367",
    "#fd9d24",
    "#bf8b2e",
    "#3f7e44",
    "#0a97d9",
    "#56c02b",
    "#00689d",
    "#19486a",
)
# The reports' own styles, in the first cell's output so that the notebook shows them too;
# the page around them (layout, print) is the nbconvert template's (tjsl_eval/templates).
STYLE = (
    """<style>
.tjsl-scroll{overflow-x:auto;max-width:100%}
.tjsl-table{border-collapse:collapse;margin:0.5em 0 1em;font-size:0.92em}
.tjsl-table th,.tjsl-table td{border-bottom:1px solid #ddd;padding:4px 8px;vertical-align:top;
  text-align:left !important}
.tjsl-table .num{text-align:right !important}.tjsl-table td.num{white-space:nowrap}
.tjsl-table thead{display:table-header-group}
.tjsl-table tr{break-inside:avoid}
.tjsl-table tbody tr:nth-child(odd){background:#f5f7f9}
.tjsl-note{color:#555;font-style:italic}
.tjsl-banner{background:#fff4d6;border:1px solid #e0b84c;padding:6px 10px;margin:8px 0}
.tjsl-chart{max-width:100%;height:auto}
.tjsl-light{padding:1px 8px;border-radius:8px;white-space:nowrap}
.tjsl-hijau{background:#cdebd3}.tjsl-kuning{background:#fbe7a6}.tjsl-merah{background:#f6c1bb}.tjsl-none{background:#e4e4e4}
.tjsl-cover{border-top:6px solid #1f5f8b;padding-top:0.6em;margin-bottom:1em}
.tjsl-cover-review{color:#1f5f8b;font-weight:600;margin:0}
.tjsl-cover h1{margin:0.2em 0 0.6em;line-height:1.2}
.tjsl-facts{display:grid;grid-template-columns:max-content 1fr;gap:4px 16px;margin:0}
.tjsl-facts dt{color:#555}.tjsl-facts dd{margin:0}
@media (max-width:480px){.tjsl-facts{grid-template-columns:1fr;gap:0}.tjsl-facts dd{margin-bottom:6px}}
.tjsl-sdg{display:inline-block;color:#fff;text-shadow:0 0 1px rgba(0,0,0,0.5);border-radius:4px;
  padding:1px 7px;margin:0 4px 4px 0;font-size:0.88em}
.tjsl-sdg b{margin-right:4px}
.tjsl-toc{background:#f4f7fa;border-left:4px solid #1f5f8b;padding:0.2em 1em;margin:1em 0}
.tjsl-toc h2{font-size:1.1em;margin:0.5em 0}.tjsl-toc ol{margin:0.2em 0 0.6em;padding-left:1.6em}
@media (min-width:40rem),print{.tjsl-toc ol{columns:2;column-gap:2em}}
.tjsl-pair{display:flex;flex-wrap:wrap;gap:0 1.5rem;align-items:flex-start}
.tjsl-pair>div{flex:1 1 18rem;min-width:0}.tjsl-pair>div:has(>.tjsl-chart){flex-grow:1.6}
@media print{.tjsl-pair{break-inside:avoid}}
.tjsl-judged{display:block;margin-top:3px}
.tjsl-draft{border:2px solid #b3261e;color:#b3261e;font-weight:700;text-align:center;padding:1px 8px;margin:0 0 4px}
"""
    + evaluator.STYLE
    + "".join(f".tjsl-sdg-{goal}{{background:{colour}}}\n" for goal, colour in enumerate(SDG_COLOURS, 1))
    + "</style>"
)


def heading(title: str, level: int = 2, section: str | None = None) -> list[Block]:
    """A heading; a section's own (``section``: its key) gets the id the contents link to."""
    return [Heading(title, level, section)]


def sdg_badges(goals: Iterable[int], language: str) -> Goals:
    """The SDG goals, each with its number and name (a coloured badge in the HTML report)."""
    return Goals(tuple((int(goal), label("sdg", str(int(goal)), language)) for goal in goals))


def cover(
    title: str,
    review: Mapping[str, str],
    language: str,
    facts: Sequence[tuple[str, object]] = (),
    synthetic: bool = False,
    sections: Sequence[tuple[str, str]] = (),
) -> list[Block]:
    """A report's cover: the review's title, the report's, organiser, FGD date and venue,
    then ``facts`` (label, value), a banner when the data is the synthetic sample, and the
    contents: a link to each of ``sections`` (key, title)."""
    rows = []
    if review.get("organiser"):
        rows.append((text("cover.organiser", language), review["organiser"]))
    if review.get("fgd_date"):
        fgd = formatting.date(dt.date.fromisoformat(review["fgd_date"]), language)
        rows.append(
            (text("cover.fgd", language), text("cover.fgd_value", language, date=fgd, venue=review.get("venue") or "–"))
        )
    rows += facts
    notice = text("report.synthetic", language) if synthetic else ""
    block = Cover(review.get("title", ""), title, rows, notice, text("contents.title", language), sections)
    return [Raw(STYLE), block]


def draft_mark(message: str) -> list[Block]:
    """The HTML report's DRAF / DRAFT banner, above the cover; the PDF, Word and PowerPoint writers mark a
    draft on every page or slide from :attr:`~tjsl_eval.render.document.Document.draft` themselves."""
    return [Raw(f'<p class="tjsl-draft" role="note">{escape(message)}</p>')]


def banner(message: str) -> list[Block]:
    """A highlighted notice (synthetic data, a small sample)."""
    return [Paragraph(message, "banner")]


def note(message: str) -> list[Block]:
    return [Paragraph(message, "note")]


def chart(figure, description: str) -> list[Block]:
    """``figure`` as a PNG image (the figure is closed afterwards), ``description`` its title."""
    return [Chart(charts.png_bytes(figure), description)]


def side_by_side(*parts: list[Block]) -> list[Block]:
    """``parts`` (a chart, small tables) beside each other where the page is wide enough, one above the other
    on a phone; printed on one page."""
    return [Beside(parts)]


def table_block(
    headers: Sequence[object],
    rows: Sequence[Sequence[object]],
    numeric: Sequence[int] = (),
    footer: Sequence[object] | None = None,
    caption: str = "",
) -> list[Block]:
    """A table; columns at ``numeric`` positions are right-aligned; ``caption`` says what it shows."""
    return [Table(headers, rows, numeric, footer, caption=caption)]

"""A written HTML report laid out as paged media by WeasyPrint: an A4 PDF/A-3b file of record.

The print styles (``templates/tjsl_report/static/print.css``) add a running header (the report
and the review, the brand's logo, DRAF on a draft), "Halaman x dari y" and the data's
fingerprint in the footer, page numbers in the contents, landscape pages for wide tables, and
keep numbers whole. Chapters follow on (a heading is never left at the foot of a page) and small
tables are kept on one page. Where a page would end above a third of its height, the layout is made
again (:func:`layout_decisions`): before a wide table's landscape pages, with what is on that page moved
onto them (else with the table in portrait); before a kept table, with that table let to break. One
layout for most reports, two or three for some.

The file is PDF/A-3b with the report's title, author (the organiser), subject and language, the
report date as its dates (never the clock: the same report gives the same bytes), and its
figures attached as ``metrics.json``. WeasyPrint needs no browser; Chromium stays for the
browser tests of the HTML report.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass

from tjsl_eval.common.messages import text
from tjsl_eval.inputs.brand import DEFAULT_BRAND, Brand
from tjsl_eval.render.brand_css import brand_values, css_string, root_rule, unbroken, with_style
from tjsl_eval.render.report_page import template_file

INSTALL_HINT = (
    "PDF reports are laid out by WeasyPrint, whose libraries were not found: on Debian or Ubuntu run "
    "`sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-crosextra-carlito` "
    "(see docs/documents.md)"
)
VARIANT = "pdf/a-3b"
ATTACHMENT_NAME = "metrics.json"
THIN = 1 / 3  # no page but the last may end above this share of its height
WIDE_ID = "tjsl-wide-"  # the wide tables, numbered, printed on landscape pages
KEPT_ID = "tjsl-kept-"  # the small tables, numbered, kept on one page
BLOCK_ID = "tjsl-block-"  # the report's blocks (a section each), numbered, which may move onto landscape pages
MAX_LAYOUTS = 3  # the first layout, and as many again with tables that follow on


class PdfError(RuntimeError):
    """A PDF could not be made; the message says why (and how to install what is missing)."""


def check_pdf_engine() -> None:
    """Raise :class:`PdfError`, with how to install them, when WeasyPrint's libraries are missing."""
    try:
        import weasyprint  # noqa: F401  (loads Pango through cffi)
    except (ImportError, OSError) as error:
        raise PdfError(f"{INSTALL_HINT} ({error})") from None


@dataclass(frozen=True)
class Record:
    """What the PDF says about itself: the document's ``title``, ``author`` (the organiser),
    ``subject``, ``language``, its ``date`` (the report date), the ``metrics`` it attaches (a
    group's entry of ``metrics.json``, or the whole file for the portfolio), the short data
    fingerprint printed in the footer, and whether it is a ``draft``."""

    title: str
    author: str
    subject: str
    language: str
    date: dt.date
    metrics: str
    fingerprint: str = ""
    draft: bool = False


def print_styles(record: Record, brand: Brand = DEFAULT_BRAND) -> str:
    """The brand's and the record's values for ``print.css`` (a ``:root`` rule), then ``print.css``."""
    language = record.language
    before, rest = text("documents.page", language, page="\0", pages="\1").split("\0")
    between, after = rest.split("\1")
    data = text("documents.data", language, fingerprint=record.fingerprint[:12]) if record.fingerprint else ""
    values = {
        **brand_values(brand),
        "--tjsl-page-label": css_string(before),
        "--tjsl-of-label": css_string(between + after),
        "--tjsl-data-label": css_string(data),
        "--tjsl-draft": css_string(text("documents.draft", language) if record.draft else ""),
    }
    return root_rule(values) + template_file("static/print.css")


def printable(page: str, styles: str, following: frozenset[str] = frozenset()) -> str:
    """The report page with the print styles last in its body (after the report's own), each wide table
    numbered (``tjsl-wide-1``, …), each kept one (``tjsl-kept-1``, …) and each block of the report
    (``tjsl-block-1``, …), the layout decisions in ``following`` (those ids: see :func:`_follow_on`) applied,
    and no amount parted from its "Rp" or "%" (:func:`unbroken`)."""
    numbers = {WIDE_ID: itertools.count(1), KEPT_ID: itertools.count(1), BLOCK_ID: itertools.count(1)}

    def numbered(match: re.Match) -> str:
        prefix = BLOCK_ID if "jp-OutputArea-child" in match[1] else WIDE_ID if " tjsl-wide" in match[1] else KEPT_ID
        return f'id="{prefix}{next(numbers[prefix])}" {match[0]}'

    page = re.sub(r'class="(tjsl-scroll[^"]* tjsl-(?:wide|keep)[^"]*|jp-OutputArea-child[^"]*)"', numbered, page)
    lifted = "".join(_follow_on(element_id) for element_id in sorted(following))
    return unbroken(with_style(page, styles + lifted))


def _follow_on(element_id: str) -> str:
    """The style of a layout decision: a block moved onto the landscape pages of the wide table after it
    (``tjsl-block-n``), a wide table printed in portrait (``tjsl-wide-n``), a kept table let to break between
    its rows (``tjsl-kept-n``)."""
    element = f"#{element_id}"
    if element_id.startswith(BLOCK_ID):
        return f"{element}{{page:wide}}"
    if element_id.startswith(KEPT_ID):
        return f"{element}{{break-inside:auto}}"
    return f":is({element},:is(h2,h3,p):has(+ {element}),:is(h2,h3):has(+ p:has(+ {element}))){{page:auto}}"


def pdf_bytes(page: str, record: Record, brand: Brand = DEFAULT_BRAND) -> bytes:
    """The report ``page`` (HTML) as a PDF/A-3b file. Its links to files beside it (``BSM-01.html``) stay
    relative, so the PDF names no folder of this machine."""
    check_pdf_engine()
    from weasyprint import HTML, Attachment

    logging.getLogger("weasyprint").setLevel(logging.ERROR)  # not the screen styles it has no use for

    styles = print_styles(record, brand)
    following: frozenset[str] = frozenset()
    for _ in range(MAX_LAYOUTS):
        document = HTML(string=printable(page, styles, following)).render()
        decided = layout_decisions(document, following)
        if decided == following:
            break
        following = decided
    moment = dt.datetime.combine(record.date, dt.time())
    metadata = document.metadata
    metadata.title, metadata.authors = record.title, [record.author]
    metadata.description, metadata.lang = record.subject, record.language
    metadata.created = metadata.modified = record.date.isoformat()
    attached = Attachment(
        file_obj=io.BytesIO(record.metrics.encode("utf-8")),
        name=ATTACHMENT_NAME,
        description=ATTACHMENT_NAME,
        created=moment,
        modified=moment,
        relationship="Data",
    )
    return document.write_pdf(pdf_variant=VARIANT, attachments=[attached])


def layout_decisions(document, following: frozenset[str]) -> frozenset[str]:
    """``following`` and what a layout shows to be needed so that no page but the last ends above :data:`THIN`:
    where a portrait page is left nearly empty by the landscape pages after it, the blocks on it (begun on it
    or on the page before) move onto them; if those were moved already, or none can be, they stay in portrait
    and the wide table goes with them. Where a kept table leaves the page before it nearly empty, it may break."""
    pages = document.pages
    first: dict[str, int] = {}
    last: dict[str, int] = {}
    for number, page in enumerate(pages):
        for box in _boxes(page._page_box):
            element = getattr(box, "element", None)
            element_id = element.get("id", "") if element is not None else ""
            if element_id.startswith((WIDE_ID, KEPT_ID, BLOCK_ID)):
                first.setdefault(element_id, number)
                last[element_id] = number
    decided = set(following)
    after_thin = {number for number in range(1, len(pages)) if fill(pages[number - 1]) < THIN}  # pages after one
    for number in sorted(after_thin):
        if not _landscape(pages[number]) or _landscape(pages[number - 1]):
            continue
        tables = [i for i in first if i.startswith(WIDE_ID) and first[i] >= number]
        if not tables:
            continue
        table = min(tables, key=first.get)
        blocks = [i for i in first if i.startswith(BLOCK_ID)]
        moving = {i for i in blocks if first[i] >= number - 2 and last[i] == number - 1}
        moved = {i for i in decided if i.startswith(BLOCK_ID) and number <= first[i] <= first[table]}
        if moving and not moved:
            decided |= moving
        else:
            decided = (decided - moved) | {table}
    for element_id, number in first.items():
        if element_id.startswith(KEPT_ID) and number in after_thin and pages[number - 1].width == pages[number].width:
            decided.add(element_id)
    return frozenset(decided)


def _landscape(page) -> bool:
    return page.width > page.height


def fill(page) -> float:
    """How far down its content area a laid-out page's text and images reach, from 0 to 1."""
    from weasyprint.formatting_structure import boxes

    box = page._page_box
    top, height = box.content_box_y(), box.height
    bottoms = [
        found.position_y + found.margin_height()
        for found in _boxes(box)
        if isinstance(found, (boxes.LineBox, boxes.ReplacedBox))
    ]
    return max(0.0, (max(bottoms, default=top) - top) / height)


def _boxes(page_box) -> Iterator:
    """Every box of a page's content (not its margin boxes: header and footer)."""
    from weasyprint.formatting_structure import boxes

    for child in page_box.children:
        if not isinstance(child, boxes.MarginBox):
            yield from child.descendants()

"""A written HTML report printed to PDF by headless Chromium, on A4 as its print styles lay it out.

Chromium prints what a reader's browser shows (the same engine the browser test uses), with
the sections' headings as the PDF's bookmarks. Its bytes that would vary are rewritten (and
the cross-reference table with them): the creation and modification dates become a fixed date;
links to files beside the page, which Chromium writes as absolute ``file://`` addresses naming
this machine's folders, become relative; the ids of the tagged structure (``node00000079``),
which Chromium numbers after its DOM nodes and which shift from one print to the next, are
numbered from 1 in the same order. So the same HTML gives the same PDF, whatever the clock,
the time zone or the output folder.
"""

from __future__ import annotations

import bisect
import contextlib
import itertools
import os
import re
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from tjsl_eval.common.files import DOCUMENT_TIME, write_atomic

BROWSER_VARIABLE = "TJSL_EVAL_BROWSER"  # a browser's path, when it is not on PATH under a usual name
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
INSTALL_HINT = (
    "PDF reports need headless Chromium, which was not found (looked for "
    + ", ".join(BROWSERS)
    + f" on PATH, and ${BROWSER_VARIABLE}): on Debian or Ubuntu run `sudo apt-get install chromium`; "
    f"elsewhere install Chromium or Google Chrome and set {BROWSER_VARIABLE} to its path (see README, PDF)"
)
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--no-pdf-header-footer",
    "--generate-pdf-document-outline",
)
PDF_DATE = re.compile(rb"/(?:CreationDate|ModDate) (\(D:\d{14}[^)]{0,8}\))")
LAST_XREF = re.compile(rb"startxref\s+(\d+)\s+%%EOF\s*\Z")
XREF_HEAD = re.compile(rb"xref\s+0 (\d+)\s+")  # Chromium (Skia) writes one classic table from object 0
XREF_ENTRY = 20  # bytes: "0000012345 00000 n \n"
NODE_ID = re.compile(rb"\(node(\d+)\)")  # a tagged structure element's id, as Skia writes it
FIXED_DATE = DOCUMENT_TIME.strftime("(D:%Y%m%d%H%M%SZ)").encode("ascii")


class PdfError(RuntimeError):
    """A PDF could not be made; the message says why (and how to install Chromium)."""


def find_chromium() -> str:
    """The path of a Chromium or Chrome browser, or :class:`PdfError` saying how to install one."""
    for name in (os.environ.get(BROWSER_VARIABLE), *BROWSERS):
        found = shutil.which(name) if name else None
        if found:
            return found
    raise PdfError(INSTALL_HINT)


def reproducible_pdf(pdf: bytes, folder: Path) -> bytes:
    """Chromium's ``pdf`` of a page in ``folder`` with its creation and modification dates set to
    :data:`FIXED_DATE`, its links into ``folder`` made relative (``BSM-01.html``) and its structure
    ids renumbered 1, 2, … in their order (which keeps the sorted id tree sorted), the
    cross-reference table and ``startxref`` moved to match."""
    address = folder.resolve().as_uri()
    prefix = (address if address.endswith("/") else address + "/").encode("ascii")
    escaped = prefix.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")  # as in a PDF string
    links = re.compile(rb"/URI \((" + re.escape(escaped) + rb")")
    edits = [(match.span(1), FIXED_DATE) for match in PDF_DATE.finditer(pdf)]
    edits += [(match.span(1), b"") for match in links.finditer(pdf)]
    node_ids = list(NODE_ID.finditer(pdf))
    ranks = {number: rank for rank, number in enumerate(sorted({match[1] for match in node_ids}), start=1)}
    edits += [(match.span(1), b"%08d" % ranks[match[1]]) for match in node_ids]
    return _edited(pdf, sorted(edits))


def _edited(pdf: bytes, edits: list[tuple[tuple[int, int], bytes]]) -> bytes:
    """``pdf`` with each span ``(start, end)`` of its body replaced by the bytes given, and the
    object offsets in its cross-reference table moved by what the edits before them added."""
    if not edits:
        return pdf
    last = LAST_XREF.search(pdf)
    table = XREF_HEAD.match(pdf, int(last[1])) if last else None
    if table is None or edits[-1][0][1] > table.start():
        raise PdfError("Chromium's PDF has no cross-reference table where expected; cannot make it reproducible")
    ends = [end for (_, end), _ in edits]
    added = list(itertools.accumulate(len(new) - (end - start) for (start, end), new in edits))

    def moved(offset: int) -> int:
        before = bisect.bisect_right(ends, offset)
        return offset + (added[before - 1] if before else 0)

    body, kept_from = [], 0
    for (start, end), new in edits:
        body += [pdf[kept_from:start], new]
        kept_from = end
    body.append(pdf[kept_from : table.end()])
    entries_end = table.end() + XREF_ENTRY * int(table[1])
    for entry_at in range(table.end(), entries_end, XREF_ENTRY):
        entry = pdf[entry_at : entry_at + XREF_ENTRY]
        body.append(b"%010d" % moved(int(entry[:10])) + entry[10:] if entry[17:18] == b"n" else entry)
    body += [pdf[entries_end : last.start(1)], b"%d" % moved(table.start()), pdf[last.end(1) :]]
    return b"".join(body)


def write_pdf(html_path: Path, pdf_path: Path, timeout: float = 120.0) -> None:
    """Print the report page ``html_path`` to ``pdf_path`` (written atomically) with headless Chromium.

    Raises :class:`PdfError` when there is no Chromium, it fails, or it takes longer than
    ``timeout`` seconds (it is then stopped).
    """
    browser = find_chromium()
    if not html_path.is_file():
        raise PdfError(f"cannot print {html_path} to PDF: the file does not exist")
    with tempfile.TemporaryDirectory(prefix="tjsl-pdf-") as scratch:
        printed = Path(scratch) / "report.pdf"
        command = [
            browser,
            *FLAGS,
            f"--user-data-dir={Path(scratch) / 'profile'}",
            f"--print-to-pdf={printed}",
            html_path.resolve().as_uri(),
        ]
        process = subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, start_new_session=True
        )
        try:
            _, errors = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)  # the browser and its helper processes
            process.communicate()
            raise PdfError(f"Chromium took more than {timeout:g} s to print {html_path.name}; stopped") from None
        if process.returncode != 0 or not printed.is_file() or printed.stat().st_size == 0:
            last = errors.strip().splitlines()[-1:] or ["no message"]
            raise PdfError(f"Chromium could not print {html_path.name} (exit {process.returncode}): {last[0]}")
        write_atomic(pdf_path, reproducible_pdf(printed.read_bytes(), html_path.parent))

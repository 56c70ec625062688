"""A written HTML report printed to PDF by headless Chromium, on A4 as its print styles lay it out.

Chromium prints what a reader's browser shows (the same engine the browser test uses), with
the sections' headings as the PDF's bookmarks. Its bytes that would vary are rewritten, at the
same length so that the cross-reference offsets stay right: the creation and modification
dates become a fixed date, and links to files beside the page, which Chromium writes as
absolute ``file://`` addresses naming this machine's folders, become relative. So the same
HTML gives the same PDF, whatever the clock, the time zone or the output folder.
"""

from __future__ import annotations

import contextlib
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
PDF_DATE = re.compile(rb"/(CreationDate|ModDate) \(D:\d{14}[^)]{0,8}\)")
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


def fixed_dates(pdf: bytes) -> bytes:
    """``pdf`` with its creation and modification dates set to :data:`FIXED_DATE` (without its
    ``Z`` where the date printed had no time zone), padded with spaces to the same length."""

    def replace(match: re.Match[bytes]) -> bytes:
        new = b"/" + match[1] + b" " + FIXED_DATE
        return _same_length(match[0], new if len(new) <= len(match[0]) else new.replace(b"Z)", b")"))

    return PDF_DATE.sub(replace, pdf)


def relative_links(pdf: bytes, folder: Path) -> bytes:
    """``pdf`` with its links into ``folder`` (the printed page's) relative, e.g. ``BSM-01.html``,
    padded with spaces to the same length."""
    address = folder.resolve().as_uri()
    prefix = (address if address.endswith("/") else address + "/").encode("ascii")
    escaped = prefix.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")  # as in a PDF string
    links = re.compile(rb"/URI \(" + re.escape(escaped) + rb"((?:[^()\\]|\\.)*)\)")
    return links.sub(lambda match: _same_length(match[0], b"/URI (" + match[1] + b")"), pdf)


def _same_length(old: bytes, new: bytes) -> bytes:
    """``new`` padded with spaces to the length of ``old``, which it replaces in a PDF."""
    if len(new) > len(old):
        raise ValueError(f"{new!r} is longer than the {old!r} it replaces")
    return new.ljust(len(old))


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
        write_atomic(pdf_path, relative_links(fixed_dates(printed.read_bytes()), html_path.parent))

"""A written HTML report printed to PDF by headless Chromium, on A4 as its print styles lay it out.

Chromium prints what a reader's browser shows (the same engine the browser test uses), with
the sections' headings as the PDF's bookmarks. Its only varying bytes, the creation and
modification dates, are set to a fixed date, so the same HTML gives the same PDF.
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

from tjsl_eval.common.files import write_atomic

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
FIXED_DATE = b"(D:20000101000000Z)"


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
    """``pdf`` with its creation and modification dates set to a fixed date, padded with spaces
    to the same length so that the cross-reference offsets stay right."""

    def replace(match: re.Match[bytes]) -> bytes:
        old = match.group(0)
        new = b"/" + match.group(1) + b" " + FIXED_DATE
        return new.ljust(len(old)) if len(new) <= len(old) else old

    return PDF_DATE.sub(replace, pdf)


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
        write_atomic(pdf_path, fixed_dates(printed.read_bytes()))

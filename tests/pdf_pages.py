"""Test helpers that look at a printed report page by page: how full each page is, and which
pages start one of the report's chapters (the notebook's cells tagged ``chapter``)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import nbformat
from PIL import Image

from tjsl_eval.common.messages import text
from tjsl_eval.render.report_page import template_file

INK = 250  # a pixel darker than this is ink (a striped table row, #f5f7f9, is 246)


def page_margins_mm() -> tuple[float, float]:
    """The top and bottom margins of the printed page (``@page`` in page.css), in millimetres."""
    found = re.search(r"@page\{[^}]*?margin:(\d+)mm \d+mm (\d+)mm", template_file("static/page.css"))
    assert found, "page.css has no @page margin"
    return float(found.group(1)), float(found.group(2))


def page_fullness(pdf: Path, scratch: Path, resolution: int = 20) -> list[float]:
    """Each page's fullness: how far down its text area (between the top and bottom margins,
    so without the page number) the lowest ink reaches, from 0 (blank) to 1 (full)."""
    prefix = scratch / pdf.stem
    subprocess.run(["pdftoppm", "-gray", "-r", str(resolution), str(pdf), str(prefix)], check=True)
    top_mm, bottom_mm = page_margins_mm()
    fullness = []
    for page in sorted(scratch.glob(f"{pdf.stem}-*.pgm"), key=lambda p: int(p.stem.rsplit("-", 1)[1])):
        image = Image.open(page)
        per_mm = image.height / 297  # A4
        area = image.crop((0, round(top_mm * per_mm), image.width, round(image.height - bottom_mm * per_mm)))
        inked = area.point(lambda value: 255 if value < INK else 0).getbbox()
        fullness.append(0.0 if inked is None else inked[3] / area.height)
    return fullness


def page_texts(pdf: Path) -> list[str]:
    """Each page's text, as pdftotext reads it."""
    return subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout.split("\f")[:-1]


def first_lines(pdf: Path) -> list[str]:
    """The first line of text of each page ("" on a blank page)."""
    return [(shown.strip().splitlines() or [""])[0].strip() for shown in page_texts(pdf)]


def chapter_titles(notebook: Path, language: str = "id") -> list[str]:
    """The title of each chapter's first section: the first ``report.<section>()`` call of each
    cell tagged ``chapter`` in ``notebook``."""
    cells = nbformat.read(notebook, as_version=4).cells
    sections = [
        re.search(r"report\.(\w+)\(", c.source).group(1) for c in cells if "chapter" in c.metadata.get("tags", [])
    ]
    return [text(f"section.{section}", language, year=0) for section in sections]


def thin_pages(pdf: Path, scratch: Path, titles: list[str], least: float = 1 / 3) -> list[tuple[int, float]]:
    """The pages (number, fullness) less than ``least`` full that are not a chapter's last page,
    i.e. that are neither the last page nor followed by a page that starts with a chapter's title."""
    fullness = page_fullness(pdf, scratch)
    starts = [any(first.startswith(title) for title in titles) for first in first_lines(pdf)]
    assert len(starts) == len(fullness)
    return [
        (number, full)
        for number, full in enumerate(fullness, 1)
        if full < least and number < len(fullness) and not starts[number]
    ]


def stranded_headings(pdf: Path, titles: list[str]) -> list[tuple[int, str]]:
    """The pages (number, heading) whose last line, above the page number, is one of ``titles``:
    a heading left at the bottom of a page, apart from what it introduces."""
    stranded = []
    for number, page in enumerate(page_texts(pdf), 1):
        lines = [line.strip() for line in page.splitlines() if line.strip()]
        if lines and re.fullmatch(r"\d+\s*/\s*\d+", lines[-1]):
            lines.pop()  # the page number
        if lines and lines[-1] in titles:
            stranded.append((number, lines[-1]))
    return stranded

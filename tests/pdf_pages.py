"""Test helpers that look at a printed report page by page: how full each page is (between its running
header and footer), which text begins it, and whether a heading is left at its bottom."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from xml.etree import ElementTree

import nbformat
from PIL import Image

from tjsl_eval.common.messages import text
from tjsl_eval.render.report_page import template_file

XHTML = "{http://www.w3.org/1999/xhtml}"
INK = 250  # a pixel darker than this is ink (a striped table row, #f5f7f9, is 246)


def page_margins_mm() -> tuple[float, float]:
    """The top and bottom margins of the printed page (the first ``@page`` of print.css), in millimetres: the
    running header and the footer lie in them."""
    found = re.search(r"@page\{[^}]*?margin:(\d+)mm \d+mm (\d+)mm", template_file("static/print.css"))
    assert found, "print.css has no @page margin"
    return float(found.group(1)), float(found.group(2))


def page_height_mm(width: float, height: float) -> float:
    """An A4 page's height in millimetres, portrait or landscape."""
    return 297 if height >= width else 210


def page_images(pdf: Path, scratch: Path, resolution: int = 20) -> list[Image.Image]:
    """Each page as a grey image (pdftoppm), ``resolution`` pixels per inch."""
    prefix = scratch / pdf.stem
    subprocess.run(["pdftoppm", "-gray", "-r", str(resolution), str(pdf), str(prefix)], check=True)
    pages = sorted(scratch.glob(f"{pdf.stem}-*.pgm"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
    images = [Image.open(page) for page in pages]
    for page in pages:
        page.unlink()  # so that another resolution's pages are not mixed in
    return images


def lowest_ink(image: Image.Image, from_mm: float) -> float | None:
    """How far down the page's text area (from ``from_mm`` below the page's top to the bottom margin) the
    lowest ink reaches, as a share of that area's height; None when the area is blank."""
    _, bottom_mm = page_margins_mm()
    per_mm = image.height / page_height_mm(image.width, image.height)
    area = image.crop((0, round(from_mm * per_mm), image.width, round(image.height - bottom_mm * per_mm)))
    inked = area.point(lambda value: 255 if value < INK else 0).getbbox()
    return None if inked is None else inked[3] / area.height


def page_fullness(pdf: Path, scratch: Path, resolution: int = 20) -> list[float]:
    """Each page's fullness: how far down its text area (between the top and bottom margins,
    so without the page number) the lowest ink reaches, from 0 (blank) to 1 (full)."""
    top_mm, _ = page_margins_mm()
    return [lowest_ink(image, top_mm) or 0.0 for image in page_images(pdf, scratch, resolution)]


def first_lines(pdf: Path) -> list[str]:
    """The first line of text of each page below its running header ("" on a blank page)."""
    top_mm, _ = page_margins_mm()
    return [
        next((shown for shown, bottom in lines if bottom > top_mm and shown.strip()), "") for lines in text_lines(pdf)
    ]


def chapter_titles(notebook: Path, language: str = "id") -> list[str]:
    """The title of each chapter's first section: the first ``report.<section>()`` call of each
    cell tagged ``chapter`` in ``notebook``."""
    cells = nbformat.read(notebook, as_version=4).cells
    sections = [
        re.search(r"report\.(\w+)\(", c.source).group(1) for c in cells if "chapter" in c.metadata.get("tags", [])
    ]
    return [text(f"section.{section}", language, year=0) for section in sections]


def thin_pages(pdf: Path, scratch: Path, least: float = 1 / 3) -> list[tuple[int, float]]:
    """The pages (number, fullness) but the last whose content ends above ``least`` of their text area."""
    fullness = page_fullness(pdf, scratch)
    return [(number, full) for number, full in enumerate(fullness[:-1], 1) if full < least]


def text_lines(pdf: Path) -> list[list[tuple[str, float]]]:
    """Each page's lines of text (pdftotext's layout), each with how far below the page's top it ends, in mm."""
    layout = subprocess.run(
        ["pdftotext", "-bbox-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    pages = []
    for page in ElementTree.fromstring(layout).iter(f"{XHTML}page"):
        per_mm = float(page.get("height")) / page_height_mm(float(page.get("width")), float(page.get("height")))
        pages.append(
            [
                (" ".join(word.text or "" for word in line.iter(f"{XHTML}word")), float(line.get("yMax")) / per_mm)
                for line in page.iter(f"{XHTML}line")
            ]
        )
    return pages


def stranded_headings(pdf: Path, scratch: Path, titles: list[str], gap_mm: float = 3) -> list[tuple[int, str]]:
    """The pages (number, heading) where one of ``titles`` is printed with nothing below it (text, table,
    chart or photo; its own underline, within ``gap_mm``, aside): a heading left at the bottom of a page,
    apart from what it introduces. Charts and photos are images, so the ink is looked at, not the text."""
    stranded = []
    for number, (lines, image) in enumerate(zip(text_lines(pdf), page_images(pdf, scratch, 40), strict=True), 1):
        for shown, bottom_mm in lines:
            if shown.strip() in titles and lowest_ink(image, bottom_mm + gap_mm) is None:
                stranded.append((number, shown.strip()))
    return stranded

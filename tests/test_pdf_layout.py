"""The PDF's layout decisions (render/pdf.py) on small pages made for them: a portrait page left nearly empty
before a wide table's landscape pages gives its blocks to those pages, or, where no block can go, keeps the
table in portrait; a kept table that leaves one so may break."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import needs_pdf_engine

from tjsl_eval.render import pdf

RECORD = pdf.Record("Laporan uji", "Unit", "Uji", "id", dt.date(2024, 1, 16), "{}")
LINE = "Baris teks uji untuk mengisi halaman laporan."  # one line at the size below


def block(lines: int) -> str:
    text = "<br>".join([LINE] * lines)
    return f'<div class="jp-OutputArea-child"><p style="font-size:10pt;line-height:20pt">{text}</p></div>'


def wide_table() -> str:
    header = "".join(f"<th>Kolom {n}</th>" for n in range(10))
    row = "".join(f"<td>isi {n}</td>" for n in range(10))
    table = f'<table class="tjsl-table"><thead><tr>{header}</tr></thead><tbody><tr>{row}</tr></tbody></table>'
    return f'<div class="jp-OutputArea-child"><div class="tjsl-scroll tjsl-keep tjsl-wide">{table}</div></div>'


def laid_out(body: str, following: frozenset[str] = frozenset()):
    from weasyprint import HTML

    page = f"<html><head></head><body>{body}</body></html>"
    return HTML(string=pdf.printable(page, pdf.print_styles(RECORD), following)).render()


def orientations(document) -> str:
    return "".join("L" if page.width > page.height else "P" for page in document.pages)


@pytest.fixture(autouse=True)
def engine():
    needs_pdf_engine()


def test_the_blocks_of_a_nearly_empty_page_move_onto_the_landscape_pages():
    body = block(30) + block(10) + wide_table()  # the second block runs over onto a page of its own
    first = laid_out(body)
    assert orientations(first) == "PPL" and pdf.fill(first.pages[1]) < pdf.THIN
    decided = pdf.layout_decisions(first, frozenset())
    assert decided == {"tjsl-block-2"}
    second = laid_out(body, decided)
    assert orientations(second) == "PL" and pdf.fill(second.pages[0]) >= pdf.THIN
    assert pdf.layout_decisions(second, decided) == decided  # nothing more to do: one more layout at most


def test_a_wide_table_stays_in_portrait_where_no_block_can_move():
    body = block(80) + wide_table()  # one block over three pages, its last one nearly empty
    first = laid_out(body)
    assert orientations(first) == "PPPL" and pdf.fill(first.pages[2]) < pdf.THIN
    decided = pdf.layout_decisions(first, frozenset())
    assert decided == {"tjsl-wide-1"}
    assert "L" not in orientations(laid_out(body, decided))


def kept_table(rows: int) -> str:
    body = "".join(f"<tr><td>baris {n}</td><td>{n}</td></tr>" for n in range(rows))
    table = f'<table class="tjsl-table"><tbody>{body}</tbody></table>'
    return f'<div class="jp-OutputArea-child"><div class="tjsl-scroll tjsl-keep">{table}</div></div>'


def test_a_kept_table_that_leaves_a_page_nearly_empty_may_break():
    body = block(8) + kept_table(50)  # most of a page: kept whole, it leaves page 1 a fifth full
    first = laid_out(body)
    assert len(first.pages) == 2 and pdf.fill(first.pages[0]) < pdf.THIN
    decided = pdf.layout_decisions(first, frozenset())
    assert decided == {"tjsl-kept-1"}
    assert pdf.fill(laid_out(body, decided).pages[0]) > 0.9
    assert pdf.layout_decisions(laid_out(block(8) + kept_table(10)), frozenset()) == frozenset()  # it fits

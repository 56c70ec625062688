"""The review's index.html: the reports' design, key figures, links to every format, and a
table that sorts in a browser (headless Chromium)."""

import dataclasses
import html
import json
from pathlib import Path

from conftest import browser_dom, needs_chromium

from tjsl_eval.inputs.params import load_review
from tjsl_eval.methods.portfolio import PROGRAMME_KEYS
from tjsl_eval.render.index_page import index_html, report_formats
from tjsl_eval.render.report_page import template_file

ROOT = Path(__file__).parent.parent
REVIEW = load_review(ROOT / "params" / "review-2023.yaml")
BUDGETS = {"G-10": 10_000_000, "G-100": 100_000_000, "G-9": 9_000_000, "G-X": None}  # in the workbook's order


def group(name: str, planned: float | None) -> dict:
    return {
        "name": name,
        "pillar": "sosial",
        "budget_planned": planned,
        "budget_realized": None if planned is None else planned / 2,
        "budget_absorption_pct": None if planned is None else 50.0,
        "indicator_achievement_pct": 80.0,
        "activity_completion_pct": 75.5,
        "fgd_open": 1,
    }


GROUPS = {group_id: group(f"Kelompok {group_id}", planned) for group_id, planned in BUDGETS.items()}
BEFORE = {key: 2.0 for key in PROGRAMME_KEYS} | {"year": 2022, "budget_planned": 397_000_000.0}
PROGRAMME = {key: 3.0 for key in PROGRAMME_KEYS} | {
    "year": 2023,
    "groups": 4,
    "budget_planned": 460_500_000.0,
    "previous_year": BEFORE,
    "changes": {key: {"verdict": "lebih_baik"} for key in PROGRAMME_KEYS} | {"groups": {"verdict": "berubah"}},
}
PRESENT = {f"{g}.{ext}" for g in BUDGETS for ext in ("html", "pdf", "ipynb")} | {
    "G-10.docx",
    "G-9.failed.ipynb",
    "portfolio.html",
    "portfolio.pdf",
    "metrics.csv",
    "metrics.json",
    "fgd_register.xlsx",
}


def page(review=REVIEW, groups=GROUPS, failures=None, present=PRESENT) -> str:
    return index_html(review, groups, PROGRAMME, failures or {}, present)


def test_index_has_the_reports_design_and_the_review_title_block():
    shown = page()
    assert shown.startswith('<!DOCTYPE html>\n<html lang="id">')
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in shown
    assert template_file("static/page.css") in shown  # the reports' own styles, the same file
    assert '<header class="tjsl-cover">' in shown and '<footer class="tjsl-footer">' in shown
    for expected in (REVIEW.title, REVIEW.organiser, "16 Januari 2024", REVIEW.venue, "Tahun yang dievaluasi"):
        assert html.escape(expected) in shown, expected
    assert "Laporan evaluasi program TJSL 2023" in shown and "Data contoh sintetis" in shown
    assert "<script" in shown and '="http' not in shown  # the sorting script, nothing from the network


def test_index_shows_the_programme_key_figures_against_last_year():
    shown = page()
    figures = shown.split('<ul class="tjsl-figures">', 1)[1].split("</ul>", 1)[0]
    assert figures.count("<li>") == len(PROGRAMME_KEYS) - 1  # this FGD's open inputs: open by definition (#23)
    assert "Masukan FGD belum selesai<" not in figures and "Masukan FGD sebelumnya yang belum selesai" in figures
    assert "Rp 460.500.000" in figures and "2022: Rp 397.000.000 (+Rp 63.500.000) ▲ lebih baik" in figures
    assert "2022: 2 (+2) ~ berubah" in figures  # the number of groups has no direction of good
    assert "Jumlah kelompok" in figures


def test_index_links_every_format_of_each_report_and_lists_failures():
    shown = page(failures={"G-9": "data kelompok <rusak>"}, present=PRESENT - {"G-X.html", "G-X.pdf"})
    assert 'href="G-10.html"' in shown and 'href="G-10.pdf"' in shown and 'href="G-10.docx">DOCX</a>' in shown
    assert 'href="G-10.ipynb"' not in shown and ".failed.ipynb" not in shown
    assert shown.count("data kelompok &lt;rusak&gt;") == 1 and "gagal: data kelompok &lt;rusak&gt;" in shown
    assert 'href="G-9.html"' not in shown
    assert "belum dibuat" in shown  # G-X: only its notebook is there
    assert 'href="portfolio.html"' in shown and 'href="portfolio.pdf"' in shown and 'href="metrics.json"' in shown


def test_report_formats_are_generic_and_ordered():
    present = {"A.pptx", "A.pdf", "A.html", "A.docx", "A.ipynb", "A.B.html", "A.failed.ipynb", "AB.html"}
    assert report_formats("A", present) == ["html", "pdf", "docx", "pptx"]
    assert report_formats("A.B", present) == ["html"]
    assert report_formats("C", present) == []


def test_index_escapes_the_data_and_is_reproducible():
    hostile = "<script>alert(1)</script>"
    review = dataclasses.replace(REVIEW, title=hostile, organiser=hostile, venue=hostile)
    groups = {"G-1": group(hostile, 1.0)}
    shown = page(review, groups, present={"G-1.html"})
    assert hostile not in shown and "&lt;script&gt;alert(1)&lt;/script&gt;" in shown
    assert page() == page()


PROBE = """<script>
(function () {
  var table = document.querySelector('table.tjsl-sortable');
  var buttons = table.querySelectorAll('thead th > button.tjsl-sort');
  function ids() {
    return Array.prototype.map.call(table.tBodies[0].rows, function (row) { return row.cells[0].textContent; });
  }
  var result = {before: ids(), buttons: buttons.length, headings: table.tHead.rows[0].cells.length};
  buttons[4].focus();
  result.focused = document.activeElement === buttons[4];
  buttons[4].click();
  result.ascending = ids();
  result.sortedBy = buttons[4].parentNode.getAttribute('aria-sort');
  buttons[4].click();
  result.descending = ids();
  result.sortedAgain = buttons[4].parentNode.getAttribute('aria-sort');
  buttons[1].click();
  result.byName = ids();
  result.othersCleared = buttons[4].parentNode.hasAttribute('aria-sort') === false;
  table.querySelectorAll('td[data-sort]').forEach(function (cell) { cell.removeAttribute('data-sort'); });
  buttons[4].click();
  result.fromRupiahText = ids();
  result.pageWidth = document.documentElement.scrollWidth;
  result.viewport = window.innerWidth;
  document.body.setAttribute('data-probe', JSON.stringify(result));
})();
</script>
</body>"""


def probed(tmp_path: Path, width: int) -> dict:
    """The index page opened in headless Chromium ``width`` pixels wide, after the probe
    clicked its headings: what it saw."""
    browser = needs_chromium()
    written = tmp_path / f"index-{width}.html"
    written.write_text(page().replace("</body>", PROBE), encoding="utf-8")
    dom = browser_dom(browser, written, f"--window-size={width},900")
    return json.loads(html.unescape(dom.split('data-probe="', 1)[1].split('"', 1)[0]))


def test_clicking_a_heading_sorts_the_groups_in_a_browser(tmp_path):
    seen = probed(tmp_path, 1280)
    assert seen["before"] == list(BUDGETS)
    assert seen["buttons"] == seen["headings"] == 10 and seen["focused"]  # a button per heading: the keyboard sorts
    assert seen["ascending"] == ["G-9", "G-10", "G-100", "G-X"]  # by amount, not by text; no amount last
    assert seen["sortedBy"] == "ascending" and seen["sortedAgain"] == "descending"
    assert seen["descending"] == ["G-100", "G-10", "G-9", "G-X"]
    assert seen["byName"] == ["G-9", "G-10", "G-100", "G-X"] and seen["othersCleared"]  # numbers in text too
    assert seen["fromRupiahText"] == ["G-9", "G-10", "G-100", "G-X"]  # "Rp 9.000.000" read as a number


def test_on_a_phone_the_table_scrolls_in_its_box_not_the_page(tmp_path):
    seen = probed(tmp_path, 390)  # headless Chromium's window is 500 pixels wide at least
    assert seen["viewport"] <= 500 and seen["pageWidth"] <= seen["viewport"]
    assert seen["ascending"] == ["G-9", "G-10", "G-100", "G-X"]

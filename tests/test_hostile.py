"""Hostile text stays text: reports opened in a real browser, parameters that look like code."""

import os
import re
import shutil
from pathlib import Path

import nbformat
import pandas as pd
import pytest
import yaml
from click.testing import CliRunner
from conftest import browser_dom, write_xlsx

from tjsl_eval.cli import main
from tjsl_eval.inputs.schema import SHEETS
from tjsl_eval.inputs.sources import SAMPLE_PATH
from tjsl_eval.inputs.workbook import load_workbook

MARK = "tjsl-pwned"
PAYLOADS = [
    f"<script>document.body.setAttribute('data-{MARK}', 'script')</script>",
    f"<img src=x onerror=\"document.body.setAttribute('data-{MARK}', 'img')\">",
    f"[klik](javascript:document.body.setAttribute('data-{MARK}','link'))",
    f"<svg onload=\"document.body.setAttribute('data-{MARK}','svg')\"></svg>",
    "**tebal** _miring_ $x^2$ `kode` {{ jinja }}",
]
PAYLOAD = " ".join(PAYLOADS)


def chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def hostile_workbook(folder: Path) -> Path:
    """The sample, with the payload written into every free-text column of every sheet (narrative, photo
    captions, DAC justifications, follow-up recommendations and approvals included; photo paths kept, with the
    sample's photos beside the workbook), and a DAC judgement for BSM-01."""
    sample = load_workbook("sample")
    shutil.copytree(SAMPLE_PATH / "dokumentasi", folder / "dokumentasi")
    sheets = {}
    for sheet in SHEETS:
        table = sample.tables[sheet.name]
        rows = [[c.name_id for c in sheet.columns]]
        for _, record in table.iterrows():
            row = []
            for column in sheet.columns:
                value = record[column.name]
                if column.kind == "sdgs":
                    value = ";".join(map(str, value))
                elif pd.isna(value):
                    value = None
                elif column.kind == "text" and column.name not in ("respondent_id", "file", "finding_code"):
                    value = f"{value} {PAYLOAD}"
                elif column.kind == "date":
                    value = value.date().isoformat()
                elif column.kind == "integer":
                    value = int(value)
                row.append(value)
            rows.append(row)
        sheets[sheet.name_id] = rows
    sheets["penilaian_dac"].append(["BSM-01", 2023, "dampak", "merah", f"Alasan {PAYLOAD}"])
    # A finding code is no free text (one with the payload is an unknown code, a located problem); the codes of FGD
    # inputs are made from the stakeholders' names, which carry the payload here: their follow-up rows are left out.
    follow_up = sheets["tindak_lanjut"]
    sheets["tindak_lanjut"] = [follow_up[0], *(row for row in follow_up[1:] if not row[2].startswith("FGD-"))]
    return write_xlsx(folder / "hostile.xlsx", sheets)


@pytest.fixture(scope="module")
def hostile_review(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    hostile_workbook(folder)
    params = folder / "review.yaml"
    params.write_text(
        yaml.safe_dump(
            {
                "title": f"Review {PAYLOAD}",
                "organiser": PAYLOAD,
                "venue": PAYLOAD,
                "fgd_date": "2024-01-16",
                "evaluated_year": 2023,
                "workbook": "hostile.xlsx",
                "output_folder": "out",
            }
        ),
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["run", str(params), "--jobs", "2", "--group", "BSM-01", "--group", "KDH-08"])
    assert result.exit_code == 0, result.output
    return folder / "out"


def rendered_dom(page: Path) -> str:
    return browser_dom(chromium(), page, "--disable-quic", "--virtual-time-budget=5000")


@pytest.mark.parametrize("page", ["BSM-01.html", "KDH-08.html", "portfolio.html", "index.html"])
def test_no_script_runs_in_a_browser_and_the_payload_is_visible(hostile_review, page):
    if chromium() is None:
        if os.environ.get("CI"):
            pytest.fail("CI must install Debian's chromium (see .ci/run)")
        pytest.skip("headless Chromium is not installed (apt-get install chromium)")
    dom = rendered_dom(hostile_review / page)
    assert "<body" in dom
    assert f"data-{MARK}" not in dom.split("<body", 1)[1].split(">", 1)[0]  # no handler touched <body>
    assert "&lt;script&gt;document.body.setAttribute" in dom  # shown as text
    assert "&lt;img src=x onerror=" in dom
    assert 'href="javascript:' not in dom
    assert "**tebal**" in dom


LIVE = ("<script>document.body", "<img src=x onerror", "<svg onload", 'href="javascript:')


def test_report_html_contains_no_live_payload(hostile_review):
    for page in ("BSM-01.html", "KDH-08.html", "portfolio.html", "index.html"):
        html = (hostile_review / page).read_text(encoding="utf-8")
        assert not [live for live in LIVE if live in html]


@pytest.mark.parametrize("page, shown", [("BSM-01.html", 5), ("portfolio.html", 3)])
def test_cover_contents_footer_and_page_title_show_the_payload_as_text(hostile_review, page, shown):
    html = (hostile_review / page).read_text(encoding="utf-8")
    parts = {
        "title": html.split("<title>", 1)[1].split("</title>", 1)[0],
        "cover": html.split('<header class="tjsl-cover">', 1)[1].split("</header>", 1)[0],
        "contents": html.split('<nav class="tjsl-toc">', 1)[1].split("</nav>", 1)[0],
        "footer": html.split('<footer class="tjsl-footer">', 1)[1],
    }
    for name, part in parts.items():
        assert not [live for live in LIVE if live in part], name
    assert "&lt;script&gt;document.body" in parts["title"]
    # review title, organiser and venue, and on a group's cover its name (in the heading and the facts)
    assert parts["cover"].count("&lt;script&gt;document.body") == shown
    sections = re.findall(r'<h2 class="tjsl-section" id="([^"]*)"', html)
    assert re.findall(r'href="([^"]*)"', parts["contents"]) == [f"#{section}" for section in sections]


def test_narrative_captions_and_justifications_show_every_payload_as_text(hostile_review):
    html = (hostile_review / "BSM-01.html").read_text(encoding="utf-8")
    narratives = re.findall(r'<div class="tjsl-narrative">(.*?)</div>', html, re.S)
    captions = re.findall(r"<figcaption>(.*?)</figcaption>", html, re.S)
    alts = re.findall(r'<img src="data:image/[a-z]+;base64,[^"]*" alt="([^"]*)"', html)
    judgement = html.split('<span class="tjsl-judged">', 1)[1].split("</span>", 1)[0]
    assert len(narratives) >= 4 and len(captions) == len(alts) == 3
    for part in [*narratives, *captions, *alts, judgement]:
        assert not [live for live in LIVE if live in part]
        assert "&lt;script&gt;document.body" in part and "&lt;img src=x onerror=" in part
        assert "&lt;svg onload=" in part and "javascript:document.body" in part
    assert all("<strong>tebal</strong>" in part for part in narratives)  # Markdown still works
    assert all("**tebal**" in part for part in [*captions, judgement])  # plain text stays plain
    portfolio = (hostile_review / "portfolio.html").read_text(encoding="utf-8")
    programme = portfolio.split('id="section-narrative"', 1)[1].split('<h2 class="tjsl-section"', 1)[0]
    assert "&lt;script&gt;document.body" in programme and not [live for live in LIVE if live in programme]


def test_parameters_that_look_like_code_reach_the_notebook_as_text(tmp_path):
    tricky = 'Judul "kutip" dan \'petik\'\nbaris baru \\n """ ; import os; os.system(\'false\') #'
    params = tmp_path / "review.yaml"
    params.write_text(
        yaml.safe_dump(
            {
                "title": tricky,
                "organiser": "O",
                "fgd_date": "2024-01-16",
                "venue": "V",
                "evaluated_year": 2023,
                "workbook": "sample",
                "output_folder": "out",
            }
        ),
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["run", str(params), "--group", "PSY-05"])
    assert result.exit_code == 0, result.output
    executed = nbformat.read(tmp_path / "out" / "PSY-05.ipynb", as_version=4)
    assert executed.metadata.papermill.parameters.title == tricky
    namespace = {}
    injected = next(c for c in executed.cells if "injected-parameters" in c.metadata.get("tags", []))
    exec(injected.source, namespace)  # noqa: S102 - the injected cell only assigns values
    assert namespace["title"] == tricky

"""The group report's sections: language, formatting, and workbook text kept as text."""

import re

import pytest
from conftest import header, valid_sheets, write_xlsx

from tjsl_eval.common.messages import catalogue
from tjsl_eval.inputs.contract_doc import BEGIN, END, contract_markdown
from tjsl_eval.render.report import SECTIONS, GroupReport
from tjsl_eval.render.tables import KEPT_ROWS, html_table

PAYLOAD = "<script>alert(1)</script><img src=x onerror=alert(2)> [x](javascript:alert(3)) $x^2$"


def render(report):
    return "".join(getattr(report, section)()._repr_html_() for section in SECTIONS)


def test_sections_in_indonesian_by_default(valid_xlsx):
    report = GroupReport.from_parameters(
        group_id="BSM-01", year=2023, workbook=str(valid_xlsx), fgd_date="2024-01-16", venue="Balikpapan"
    )
    html = render(report)
    for expected in (
        "Profil kelompok",
        "Rp 60.000.000",
        "84,2 %",
        "16 Januari 2024",
        "belum diukur",
        "Seluruh program",
        "Rencana kerja 2024",
        "Lingkungan",
    ):
        assert expected in html
    assert "Budget" not in html


def test_sections_in_english(valid_xlsx):
    html = render(GroupReport.from_parameters(group_id="BSM-01", year=2023, workbook=str(valid_xlsx), language="en"))
    for expected in ("Group profile", "Rp 60,000,000", "84.2%", "not measured", "Whole programme", "Environmental"):
        assert expected in html


def test_workbook_text_is_escaped(tmp_path):
    sheets = valid_sheets()
    sheets["kelompok"][1][1] = PAYLOAD
    sheets["anggaran"][1][2] = PAYLOAD
    sheets["indikator"][1][2] = PAYLOAD
    sheets["masukan_fgd"][1][6] = PAYLOAD
    sheets["sroi"] = [
        header("sroi"),
        ["BSM-01", 2023, PAYLOAD, PAYLOAD, 1, 1000, PAYLOAD, 1, 0, 0, 0, 0],
    ]
    sheets["kemandirian"] = [
        ["id_kelompok", "tahun", "dimensi", "skor", "bukti"],
        ["BSM-01", 2023, PAYLOAD, 3, PAYLOAD],
    ]
    path = write_xlsx(tmp_path / "hostile.xlsx", sheets)
    html = render(GroupReport.from_parameters(group_id="BSM-01", year=2023, workbook=str(path), title=PAYLOAD))
    assert "<script>" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;" in html
    assert html.count("&lt;script&gt;") >= 8  # every place the payload was put is shown as text


def test_unknown_group_is_a_clear_error(valid_xlsx):
    with pytest.raises(ValueError, match="group_id 'NOPE' is not in the sheet 'kelompok'"):
        GroupReport.from_parameters(group_id="NOPE", year=2023, workbook=str(valid_xlsx))


def test_group_without_data_gets_a_report_that_says_so(valid_xlsx):
    html = render(GroupReport.from_parameters(group_id="UMKM-02", year=2023, workbook=str(valid_xlsx)))
    assert "Tidak ada data anggaran untuk tahun 2023" in html and "Tidak ada data tahun 2022" in html


def test_catalogues_have_the_same_keys():
    assert catalogue("id").keys() == catalogue("en").keys()


def test_html_table_escapes_every_cell():
    assert html_table(["<h>"], [["<b>&"]]) == (
        '<div class="tjsl-scroll tjsl-keep"><table class="tjsl-table"><thead><tr><th>&lt;h&gt;</th></tr></thead>'
        "<tbody><tr><td>&lt;b&gt;&amp;</td></tr></tbody></table></div>"
    )


def test_only_small_tables_are_kept_on_one_printed_page():
    assert "tjsl-keep" in html_table(["n"], [[n] for n in range(KEPT_ROWS)])
    assert "tjsl-keep" not in html_table(["n"], [[n] for n in range(KEPT_ROWS + 1)])


def test_contract_documentation_is_in_step_with_the_schema():
    from pathlib import Path

    doc = (Path(__file__).parent.parent / "docs" / "workbook.md").read_text(encoding="utf-8")
    assert doc[doc.index(BEGIN) : doc.index(END) + len(END)] == contract_markdown()


def test_the_notebooks_show_every_section_in_order():
    import nbformat

    from tjsl_eval.batch.execution import GROUP_NOTEBOOK, PORTFOLIO_NOTEBOOK
    from tjsl_eval.render import portfolio_report

    for path, variable, sections in (
        (GROUP_NOTEBOOK, "report", SECTIONS),
        (PORTFOLIO_NOTEBOOK, "summary", portfolio_report.SECTIONS),
    ):
        shown = []
        for cell in nbformat.read(path, as_version=4).cells:
            lines = cell.source.splitlines() if cell.cell_type == "code" else []
            for number, line in enumerate(lines):
                if displayed := re.fullmatch(rf"display\({variable}\.(\w+)\(\)\)", line):
                    shown.append(displayed[1])
                elif last := re.fullmatch(rf"{variable}\.(\w+)\(\)", line):
                    assert number == len(lines) - 1, f"{line} is not shown: a cell shows only its last value"
                    shown.append(last[1])
        assert shown == list(sections)

"""The programme view: the FGD register, programme figures and their year-over-year verdicts."""

import datetime as dt
import re

import openpyxl
import pytest
from conftest import valid_sheets, write_xlsx

from tjsl_eval.inputs.workbook import load_workbook
from tjsl_eval.methods import portfolio
from tjsl_eval.methods.evaluation import group_metrics
from tjsl_eval.render import register
from tjsl_eval.render.portfolio_report import SECTIONS, PortfolioReport

FGD_DATE = dt.date(2024, 1, 16)


@pytest.fixture(scope="module")
def workbook(tmp_path_factory):
    sheets = valid_sheets()
    sheets["masukan_fgd"] += [
        [
            2022,
            "BSM-01",
            "18/01/2023",
            "BPBD",
            "pemerintah",
            "keberlanjutan",
            "Lama dan belum selesai",
            None,
            "belum",
            "2023-06-30",
        ],
        [
            2022,
            "UMKM-02",
            "18/01/2023",
            "Dinas Koperasi",
            "pemerintah",
            None,
            "Sudah selesai",
            None,
            "selesai",
            "2023-03-31",
        ],
        [
            2023,
            "UMKM-02",
            "16/01/2024",
            "Dinas Koperasi",
            "pemerintah",
            None,
            "Belum jatuh tempo",
            None,
            "belum",
            "2024-06-30",
        ],
        [2023, None, "16/01/2024", "BPBD", "pemerintah", "koherensi", "-dana dikembalikan", None, "proses", None],
    ]
    return load_workbook(write_xlsx(tmp_path_factory.mktemp("wb") / "review.xlsx", sheets))


def test_register_order_and_overdue(workbook):
    table = register.fgd_register(workbook, 2023, FGD_DATE)
    assert len(table) == 6
    first = table.iloc[0]  # last year's FGD input still open comes first
    assert (first["year"], first["feedback"], first["carried_over"], first["overdue"]) == (
        2022,
        "Lama dan belum selesai",
        True,
        True,
    )
    by_feedback = table.set_index("feedback")
    assert not by_feedback.loc["Sudah selesai", "open"] and not by_feedback.loc["Sudah selesai", "overdue"]
    assert by_feedback.loc["Belum jatuh tempo", "open"] and not by_feedback.loc["Belum jatuh tempo", "overdue"]
    assert bool(by_feedback.loc["Perluas jangkauan nasabah", "overdue"])  # proses, due 31 Dec 2023
    assert not by_feedback.loc["Libatkan penyandang disabilitas", "overdue"]  # no due date
    assert table["group_name"].isna().sum() == 2  # programme-wide inputs
    assert list(table["row"])[0] == 4  # its row in the workbook


def test_overdue_depends_on_the_fgd_date(workbook):
    early = register.fgd_register(workbook, 2023, dt.date(2023, 6, 1)).set_index("feedback")
    assert not early.loc["Lama dan belum selesai", "overdue"]


def test_counts_by_stakeholder(workbook):
    counts = register.counts_by(register.fgd_register(workbook, 2023, FGD_DATE), "stakeholder").set_index("stakeholder")
    assert counts.loc["BPBD"].tolist() == [2, 2, 1]
    assert counts.loc["Dinas Koperasi"].tolist() == [2, 1, 0]


def test_register_export(workbook, tmp_path):
    path = tmp_path / "fgd_register.xlsx"
    register.export_register(register.fgd_register(workbook, 2023, FGD_DATE), path, "id")
    sheet = openpyxl.load_workbook(path).active
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref.startswith("A1:")
    assert sheet["A1"].value == "Tahun program" and sheet.max_row == 7
    values = [cell.value for row in sheet.iter_rows(min_row=2) for cell in row]
    assert "'-dana dikembalikan" in values and "Seluruh program" in values and 2022 in values


def test_programme_figures(workbook):
    entries = {g: group_metrics(workbook, g, 2023, as_of=FGD_DATE) for g in workbook.group_ids}
    figures = portfolio.programme_figures(workbook, 2023, entries)
    assert figures["groups"] == 2 and figures["members"] == 25  # UMKM-02 has only an FGD input, no member count
    assert figures["budget_planned"] == 60_000_000 and figures["budget_realized"] == 50_500_000
    assert figures["fgd_inputs"] == 4 and figures["fgd_open"] == 4  # programme-wide inputs included
    before = portfolio.programme_figures(
        workbook, 2022, {g: group_metrics(workbook, g, 2022) for g in workbook.group_ids}
    )
    changes = portfolio.programme_changes(figures, before)
    assert changes["budget_absorption_pct"].verdict == "lebih_baik"  # 84,2 % is closer to 100 than 75 %
    # inputs raised at this FGD are new, not worse (#23): the open ones get no direction
    assert changes["groups"].verdict == "tetap" and changes["fgd_open"].verdict == "berubah"
    assert portfolio.programme_changes(figures, None)["budget_planned"].verdict == "baru"


def test_attention_order_and_distribution():
    entries = {
        "A": {"findings": [{"severity": "sedang"}], "ikm_band": "B"},
        "B": {"findings": [{"severity": "tinggi"}], "ikm_band": None},
        "C": {"findings": [], "ikm_band": "B"},
    }
    assert portfolio.attention_order(entries) == ["B", "A"]
    assert portfolio.distribution(entries, "ikm_band", ("A", "B")) == {"A": 0, "B": 2, None: 1}


def test_portfolio_sections_in_both_languages():
    for language, expected in (("id", "Program dalam angka"), ("en", "The programme in numbers")):
        summary = PortfolioReport.from_parameters(
            year=2023, workbook="sample", language=language, fgd_date="2024-01-16"
        )
        html = "".join(getattr(summary, s)()._repr_html_() for s in SECTIONS)
        assert expected in html and "SDG 8" in html and "tjsl-sortable" in html
        assert html.count("<img") >= 6 + 4  # a ranking per key metric and four trend charts (3 years)


def test_register_table_headers_match_its_cells(workbook):
    html = PortfolioReport(workbook, 2023, "en", review={"fgd_date": "2024-01-16"}).fgd_register()._repr_html_()
    table = html.split("<table", 2)[1]
    headers = len(re.findall(r"<th[ >]", table.split("</thead>")[0]))
    first_row = len(re.findall(r"<td[ >]", table.split("<tbody>")[1].split("</tr>")[0]))
    assert headers == first_row == len(register.SHOWN_COLUMNS) == len(set(register.SHOWN_COLUMNS))


def test_active_groups_are_those_with_data_for_the_year():
    """``active_groups`` finds in one pass what ``metrics.has_data`` says group by group."""
    from tjsl_eval.methods import metrics

    sample = load_workbook("sample")
    for year in range(2019, 2026):
        expected = [g for g in sample.group_ids if metrics.has_data(sample, g, year)]
        assert portfolio.active_groups(sample, year) == expected, year
    assert portfolio.active_groups(sample, 2023) and not portfolio.active_groups(sample, 2019)

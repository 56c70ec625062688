"""Findings, DAC criteria and the metrics.json entry, against values computed by hand."""

import datetime as dt

import pytest
from conftest import JUDGED_KEYS, header, valid_sheets, write_xlsx

from tjsl_eval.inputs.settings import MethodSettings
from tjsl_eval.inputs.workbook import load_workbook
from tjsl_eval.methods import dac, evaluation
from tjsl_eval.methods.findings import findings

FGD_DATE = dt.date(2024, 1, 16)
SURVEY = [
    ["id_kelompok", "tahun", "id_responden", *(f"u{i}" for i in range(1, 10))],
    ["BSM-01", 2023, "R1", *[2] * 9],
    ["BSM-01", 2023, "R2", *[2] * 9],
]
SROI = [
    header("sroi", "sumber_proksi"),
    ["BSM-01", 2023, "Nasabah", "Pendapatan tambahan", 10, "Rp 1.000.000", 1, 0, 0, 0, 0],
]
INDEPENDENCE = [
    ["id_kelompok", "tahun", "dimensi", "skor"],
    *[["BSM-01", 2022, d, 5] for d in ("kelembagaan", "keuangan", "usaha")],
    *[["BSM-01", 2023, d, 3] for d in ("kelembagaan", "keuangan", "usaha")],
]


@pytest.fixture(scope="module")
def workbook(tmp_path_factory):
    sheets = {**valid_sheets(), "survei_ikm": SURVEY, "sroi": SROI, "kemandirian": INDEPENDENCE}
    return load_workbook(write_xlsx(tmp_path_factory.mktemp("wb") / "review.xlsx", sheets))


@pytest.fixture(scope="module")
def results(workbook):
    return evaluation.method_results(workbook, "BSM-01", 2023, MethodSettings())


def test_method_figures(results):
    figures = evaluation.method_figures(results)
    assert figures["ikm_score"] == 50.0 and figures["ikm_band"] == "D" and figures["ikm_respondents"] == 2
    # PV = 10 × 1.000.000 / 1,035; investment = the realized budget 50.500.000
    assert figures["sroi_present_value"] == pytest.approx(9_661_835.75, abs=0.01)
    assert figures["sroi_ratio"] == pytest.approx(9_661_835.75 / 50_500_000)
    assert figures["sroi_net_present_value"] == pytest.approx(9_661_835.75 - 50_500_000, abs=0.01)
    assert (figures["independence_index"], figures["independence_stage"]) == (50.0, "berkembang")
    assert results.stage_change == "turun" and not results.ready_to_graduate


def test_findings_most_severe_first_with_evidence(workbook, results):
    found = findings(workbook, "BSM-01", 2023, results, FGD_DATE)
    assert [(f.kind, f.severity) for f in found if f.kind != "dac_criterion"] == [
        ("ikm_low", "tinggi"),
        ("sroi_below_one", "tinggi"),
        ("follow_up_overdue", "tinggi"),
        ("indicator_below_target", "sedang"),
        ("activity_completion_low", "sedang"),  # 1 of 2 activities done (the cancelled one does not count)
        ("activity_overdue", "sedang"),  # Sosialisasi, planned to end 2023-03-31, still running
        ("independence_fell", "sedang"),
        ("ikm_sample_inadequate", "rendah"),  # 2 respondents of 25 members: Krejcie–Morgan asks 24
    ]
    by_code = {f.kind: f.evidence for f in found}
    assert by_code["indicator_below_target"]["indicator"] == "Sampah ke TPA"
    assert by_code["indicator_below_target"]["achievement_pct"] == 75.0
    assert by_code["follow_up_overdue"]["due_date"] == "2023-12-31"
    assert by_code["independence_fell"]["stage_before"] == "mandiri"


def test_overdue_is_judged_at_the_fgd_date(workbook, results):
    before_due = findings(workbook, "BSM-01", 2023, results, dt.date(2023, 12, 31))
    assert "follow_up_overdue" not in {f.kind for f in before_due}


def test_budget_findings(tmp_path):
    sheets = valid_sheets()
    sheets["anggaran"][3][5] = 30_000_000  # realized 80.500.000 of 60.000.000 planned
    over = load_workbook(write_xlsx(tmp_path / "over.xlsx", sheets))
    results = evaluation.method_results(over, "BSM-01", 2023, MethodSettings())
    found = findings(over, "BSM-01", 2023, results, FGD_DATE)
    assert found[0].kind == "budget_over_spent" and found[0].evidence["realized"] == 80_500_000
    sheets["anggaran"][3][5] = None
    sheets["anggaran"][1][5] = 10_000_000  # realized 22.500.000 of 60.000.000: 37,5 %
    under = load_workbook(write_xlsx(tmp_path / "under.xlsx", sheets))
    results = evaluation.method_results(under, "BSM-01", 2023, MethodSettings())
    codes = {f.kind: f for f in findings(under, "BSM-01", 2023, results, FGD_DATE)}
    assert codes["budget_under_spent"].evidence["absorption_pct"] == 37.5


def test_dac_criteria_lights(workbook, results):
    criteria = {c.name: c for c in dac.dac_criteria(workbook, "BSM-01", 2023, results, MethodSettings(), FGD_DATE)}
    assert list(criteria) == list(dac.CRITERIA)
    assert (criteria["efektivitas"].light, criteria["efektivitas"].figure) == ("kuning", 87.5)
    assert criteria["efisiensi"].light == "kuning"  # 84,2 % is inside 80–110 but not 90–100
    assert criteria["dampak"].light == "merah" and criteria["keberlanjutan"].light == "kuning"
    assert criteria["relevansi"].light is None  # no FGD input tagged with it
    assert len(criteria["efektivitas"].inputs) == 1
    custom = MethodSettings.from_mapping({"dac_thresholds": {"effectiveness": {"green": 85}}})
    lights = {c.name: c.light for c in dac.dac_criteria(workbook, "BSM-01", 2023, results, custom, FGD_DATE)}
    assert lights["efektivitas"] == "hijau"


def test_criteria_from_fgd_inputs(tmp_path):
    sheets = valid_sheets()
    sheets["masukan_fgd"].append(
        [2023, "BSM-01", "2024-01-16", "Lurah", "pemerintah", "relevansi", "Sesuai", None, "selesai", None]
    )
    sheets["masukan_fgd"].append(
        [2023, "BSM-01", "2024-01-16", "Dinas", "pemerintah", "koherensi", "Selaraskan", None, "belum", "2023-06-30"]
    )
    loaded = load_workbook(write_xlsx(tmp_path / "fgd.xlsx", sheets))
    results = evaluation.method_results(loaded, "BSM-01", 2023, MethodSettings())
    lights = {c.name: c.light for c in dac.dac_criteria(loaded, "BSM-01", 2023, results, MethodSettings(), FGD_DATE)}
    assert lights["relevansi"] == "hijau" and lights["koherensi"] == "merah"


def test_group_metrics_entry(workbook):
    entry = evaluation.group_metrics(workbook, "BSM-01", 2023, MethodSettings(), FGD_DATE)
    assert entry["budget_absorption_pct"] == pytest.approx(84.1667, abs=1e-4)
    assert entry["ikm_band"] == "D" and entry["independence_stage"] == "berkembang"
    assert entry["findings"][0] == {
        "code": "IKM-RENDAH",
        "kind": "ikm_low",
        "severity": "tinggi",
        "evidence": {"score": 50.0, "band": "D", "respondents": 2},
        "criterion": None,
        "follow_up": None,
        "overdue": False,
    }
    previous = entry["previous_year"]
    assert previous["year"] == 2022 and previous["budget_absorption_pct"] == 75.0
    assert previous["independence_index"] == 100.0 and previous["ikm_score"] is None
    assert previous["indicator_achievement_pct"] is None and previous["activity_completion_pct"] is None
    empty = evaluation.group_metrics(workbook, "UMKM-02", 2023)
    assert empty["budget_planned"] is None and empty["sroi_ratio"] is None and empty["previous_year"] is None
    assert empty["findings"] == []


def test_sample_has_the_gaps_the_evaluators_expect():
    sample = load_workbook("sample")
    entries = {g: evaluation.group_metrics(sample, g, 2023, as_of=FGD_DATE) for g in sample.group_ids}
    assert any(e["ikm_respondents"] and e["ikm_respondents"] < 30 for e in entries.values())
    assert any(e["sroi_ratio"] is not None and e["sroi_ratio"] < 1 for e in entries.values())
    assert {e["pillar"] for e in entries.values()} == {"sosial", "ekonomi", "lingkungan", "hukum_tata_kelola"}
    kinds = {f["kind"] for e in entries.values() for f in e["findings"]}
    assert {"budget_over_spent", "follow_up_overdue", "sroi_below_one", "ikm_sample_inadequate"} <= kinds


def test_a_group_s_years_computed_together_are_each_year_computed_alone():
    """``yearly_group_metrics`` reuses a year's figures as the next year's ``previous_year``: each entry is the
    one made from the year's own figures, method results and findings, on the whole sample."""
    from tjsl_eval.methods import metrics
    from tjsl_eval.methods.beneficiaries import beneficiaries
    from tjsl_eval.methods.sampling import ikm_sample

    sample, methods = load_workbook("sample"), MethodSettings()

    def figures(group_id, year):
        results = evaluation.method_results(sample, group_id, year, methods)
        extra = {
            "ikm_sample": ikm_sample(results.ikm.respondents, sample.group(group_id)["members"]),
            "beneficiaries": beneficiaries(sample, group_id, year),
        }
        return {**metrics.year_metrics(sample, group_id, year), **evaluation.method_figures(results), **extra}, results

    def entry(group_id, year):
        now, results = figures(group_id, year)
        group = sample.group(group_id)
        found = [f.as_dict() for f in findings(sample, group_id, year, results, FGD_DATE, methods)]
        alone = evaluation.group_metrics(sample, group_id, year, methods, FGD_DATE)  # its follow-up and sign-off
        assert [{k: f[k] for k in found[0]} for f in alone["findings"]] == found
        before = {"year": year - 1, **figures(group_id, year - 1)[0]}
        return {
            "name": group["name"],
            "pillar": group["pillar"],
            "year": year,
            **now,
            **{key: alone[key] for key in JUDGED_KEYS},
            "previous_year": before if metrics.has_data(sample, group_id, year - 1) else None,
        }

    years = [2021, 2022, 2023]
    for group_id, rows in sample.split_by_group().items():
        expected = {year: entry(group_id, year) for year in years}
        assert evaluation.yearly_group_metrics(rows, group_id, years, methods, FGD_DATE) == expected, group_id
        figures_only = evaluation.yearly_group_metrics(rows, group_id, years, methods, FGD_DATE, False)
        assert figures_only == {y: {k: v for k, v in e.items() if k not in JUDGED_KEYS} for y, e in expected.items()}

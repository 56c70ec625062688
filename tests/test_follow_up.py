"""Issue #23's model: finding codes and rules, the follow-up of recommendations across years, the Krejcie–Morgan
minimum, sign-off and report date, who benefits, the overall status and the FGD counts that compare like with like."""

import datetime as dt

import pandas as pd
import pytest
from conftest import valid_sheets, write_xlsx

from tjsl_eval.common import codes
from tjsl_eval.inputs.settings import MethodSettings
from tjsl_eval.inputs.workbook import load_workbook, validate_workbook
from tjsl_eval.methods import approval, follow_up
from tjsl_eval.methods.beneficiaries import programme_beneficiaries
from tjsl_eval.methods.dac import Criterion, overall_status
from tjsl_eval.methods.evaluation import group_metrics
from tjsl_eval.methods.finding_codes import code_problems
from tjsl_eval.methods.portfolio import programme_figures
from tjsl_eval.methods.sampling import ikm_sample, krejcie_morgan
from tjsl_eval.render.register import RECOMMENDATION_COLUMNS, recommendation_rows

FGD_DATE = dt.date(2024, 1, 16)

# Krejcie & Morgan (1970), Table 1, the pairs PermenPAN-RB 14/2017 takes its sample sizes from.
PUBLISHED = {
    10: 10, 15: 14, 20: 19, 25: 24, 30: 28, 40: 36, 50: 44, 60: 52, 70: 59, 80: 66, 90: 73, 100: 80,
    150: 108, 200: 132, 300: 169, 500: 217, 1000: 278, 1700: 313, 40000: 380, 1_000_000: 384,
}  # fmt: skip


@pytest.fixture(scope="module")
def sample():
    return load_workbook("sample")


@pytest.fixture(scope="module")
def entries(sample):
    return {g: group_metrics(sample, g, 2023, as_of=FGD_DATE) for g in sample.group_ids}


@pytest.mark.parametrize(("population", "minimum"), PUBLISHED.items())
def test_krejcie_morgan_gives_the_published_table(population, minimum):
    assert krejcie_morgan(population) == minimum


def test_ikm_sample_adequacy():
    assert ikm_sample(33, 60) == {"respondents": 33, "members": 60, "minimum": 52, "adequate": False}
    assert ikm_sample(80, 100.0)["adequate"] and krejcie_morgan(0) == 0
    assert ikm_sample(10, None) is None and ikm_sample(10, float("nan")) is None and ikm_sample(0, 60) is None
    assert ikm_sample(10, pd.NA) is None  # a blank member count in the typed table


def test_codes_are_short_typeable_and_numbered_when_equal():
    assert codes.code("IND", "Nasabah aktif bank sampah") == "IND-NASABAH-AKTIF-BANK-SAMPAH"
    assert codes.code("KEG", "Pelatihan pemilahan dan pencatatan nasabah") == "KEG-PELATIHAN-PEMILAHAN"
    assert codes.slug("Penerimaan pesanan fabrikasi (pagar, kanopi, rak)") == "PENERIMAAN-PESANAN-FABRIKASI"
    assert codes.slug("Sosialisasi ke warga") == "SOSIALISASI-KE-WARGA" and codes.slug("Été ß") == "ETE-SS"
    assert codes.unique(["A", "B", "A", "A"]) == ["A", "B", "A-2", "A-3"]
    inputs = [(2022, "BPBD"), (2022, "Dinas Sosial"), (2022, "BPBD"), (2023, "BPBD")]
    assert codes.fgd_input_codes(inputs) == [
        "FGD-2022-BPBD",
        "FGD-2022-DINAS-SOSIAL",
        "FGD-2022-BPBD-2",
        "FGD-2023-BPBD",
    ]


def test_codes_are_stable_across_years_and_runs(sample, entries):
    """An input open for two years has the same code both years; a second computation gives the same codes."""
    ksb = entries["KSB-04"]
    now = {f["code"] for f in ksb["findings"]}
    before = {f["code"] for f in ksb["follow_up_previous"]}
    assert {"FGD-2021-BPBD", "FGD-2022-BPBD", "IKM-SAMPEL"} <= now & before
    again = group_metrics(sample, "KSB-04", 2023, as_of=FGD_DATE)
    assert [f["code"] for f in again["findings"]] == [f["code"] for f in ksb["findings"]]
    for entry in entries.values():
        found = [f["code"] for f in entry["findings"]]
        assert len(found) == len(set(found)), entry["name"]  # unique within a group's year


def test_bsm_01_is_no_longer_without_findings(entries):
    """Koherensi yellow, an FGD input open and activity completion 100 → 75 %: each is a finding."""
    found = {f["kind"]: f for f in entries["BSM-01"]["findings"]}
    assert found["dac_criterion"]["code"] == "DAC-KOHERENSI" and found["dac_criterion"]["criterion"] == "koherensi"
    assert found["fgd_input_open"]["code"] == "FGD-2023-DINAS-LINGKUNGAN-HIDUP"
    completion = found["activity_completion_low"]["evidence"]
    assert (completion["completion_pct"], completion["completion_pct_before"]) == (75.0, 100.0)
    late = found["activity_overdue"]
    assert late["evidence"]["activity"] == "Kampanye pengurangan plastik sekali pakai"
    assert entries["BSM-01"]["status"] == {"light": "kuning", "reason": "criteria_yellow", "criteria": ["koherensi"]}


def test_ksb_04_s_activities_and_sample_raise_findings(entries):
    found = entries["KSB-04"]["findings"]
    late = {f["evidence"]["activity"] for f in found if f["kind"] == "activity_overdue"}
    assert late == {
        "Pemasangan rambu jalur evakuasi dan titik kumpul",
        "Pelatihan relawan angkatan 3",
        "Simulasi evakuasi bersama warga",
    }
    low = next(f for f in found if f["kind"] == "activity_completion_low")
    assert low["evidence"]["completion_pct"] == 25.0 and low["severity"] == "tinggi"
    sample = next(f for f in found if f["kind"] == "ikm_sample_inadequate")
    assert sample["evidence"] == {"respondents": 33, "members": 60, "minimum": 52}
    assert entries["KSB-04"]["ikm_sample"]["adequate"] is False


def test_every_yellow_or_red_criterion_is_explained(sample, entries):
    from tjsl_eval.methods.dac import dac_criteria
    from tjsl_eval.methods.evaluation import method_results

    for group_id, entry in entries.items():
        results = method_results(sample, group_id, 2023, MethodSettings())
        lit = {c.name for c in dac_criteria(sample, group_id, 2023, results, MethodSettings(), FGD_DATE)
               if c.effective in ("kuning", "merah")}  # fmt: skip
        explained = {f["criterion"] for f in entry["findings"]}
        assert lit <= explained, group_id


def test_follow_up_join_overdue_and_recurring(entries):
    ksb = {f["code"]: f for f in entries["KSB-04"]["follow_up_previous"]}
    assert ksb["FGD-2022-BPBD"]["follow_up"]["owner"] == "Ketua KSB Tangguh"
    assert ksb["FGD-2022-BPBD"]["overdue"] and ksb["FGD-2022-BPBD"]["recurs"]
    assert ksb["DAC-KEBERLANJUTAN"]["follow_up"] is None and not ksb["DAC-KEBERLANJUTAN"]["recurs"]
    bsm = entries["BSM-01"]
    assert bsm["follow_up_previous"][0]["follow_up"]["status"] == "selesai"
    assert bsm["recommendations_followed_up_pct"] == 100.0 and bsm["recommendations_overdue"] == 0
    umkm = entries["UMKM-03"]
    assert (umkm["recommendations_previous"], umkm["recommendations_done"]) == (5, 2)
    assert umkm["recommendations_followed_up_pct"] == 40.0 and umkm["recommendations_overdue"] == 1
    assert entries["KSB-04"]["recommendations_overdue"] == 3
    without = sum(1 for f in entries["KSB-04"]["findings"] if f["follow_up"] is None)
    assert entries["KSB-04"]["recommendations_without_owner"] == without > 0
    assert entries["TKK-09"]["follow_up_previous"] is None  # started in 2023
    assert entries["TKK-09"]["recommendations_followed_up_pct"] is None


def test_joined_rows_and_overdue_rule():
    rows = {"A": {"owner": "PIC", "deadline": "2024-01-10", "status": "proses", "recommendation": None, "note": None}}
    found = [{"code": "A"}, {"code": "B"}]
    joined = follow_up.joined(found, rows, "2024-01-16")
    assert joined[0]["follow_up"]["owner"] == "PIC" and joined[0]["overdue"]
    assert joined[1] == {"code": "B", "follow_up": None, "overdue": False}
    assert not follow_up.is_overdue({**rows["A"], "status": "selesai"}, "2024-01-16")
    assert not follow_up.is_overdue(rows["A"], "2024-01-10")  # due that very day: not yet late


def test_approval_and_report_date(sample, entries):
    assert entries["BSM-01"]["approved"] and entries["BSM-01"]["report_date"] == "2024-01-30"
    roles = [(a["role"], a["name"]) for a in entries["BSM-01"]["approvals"]]
    assert [role for role, _ in roles] == ["disusun", "diperiksa", "disetujui"]  # the whole review's, then its own
    assert not entries["KSB-04"]["approved"] and entries["KSB-04"]["report_date"] == "2024-01-16"  # the FGD date
    configured = group_metrics(sample, "KSB-04", 2023, as_of=FGD_DATE, report_date=dt.date(2024, 2, 5))
    assert configured["report_date"] == "2024-02-05" and not configured["approved"]
    whole = group_metrics(sample, "KSB-04", 2022, as_of=dt.date(2023, 1, 17))  # 2022: approved as a whole
    assert whole["approved"] and whole["report_date"] == "2023-01-31"
    signed = [{"role": "disetujui", "date": "2024-02-01"}, {"role": "disetujui", "date": "2024-02-03"}]
    assert approval.report_date(signed, dt.date(2024, 1, 20), FGD_DATE) == "2024-02-03"


def test_beneficiaries_per_group_and_programme(sample, entries):
    ksb = entries["KSB-04"]["beneficiaries"]
    assert ksb["members"] == {"men": 33, "women": 27, "with_disability": 1, "other_vulnerable": 12, "total": 60}
    assert entries["KSB-04"]["previous_year"]["beneficiaries"]["members"]["total"] == 54
    summed = programme_beneficiaries(
        [
            {"beneficiaries": {"members": {"men": 3, "women": 1, "with_disability": 1, "other_vulnerable": None,
                                           "total": 4}}},
            {"beneficiaries": {"members": {"men": 2, "women": 4, "with_disability": 0, "other_vulnerable": 2,
                                           "total": 6}}},
            {"beneficiaries": None},
        ]
    )  # fmt: skip
    assert summed["members"]["total"] == 10 and summed["members"]["women_pct"] == 50.0
    assert summed["members"]["vulnerable_pct"] == 30.0 and programme_beneficiaries([{}]) is None
    programme = programme_figures(sample, 2023, entries)
    assert programme["beneficiaries"]["members"]["total"] == sum(
        e["beneficiaries"]["members"]["total"] for e in entries.values()
    )
    assert programme["recommendations_overdue"] == sum(e["recommendations_overdue"] for e in entries.values())


def test_beneficiary_total_must_be_men_plus_women(tmp_path):
    sheets = valid_sheets()
    sheets["penerima_manfaat"] = [
        ["id_kelompok", "tahun", "kategori", "laki_laki", "perempuan", "disabilitas", "rentan_lainnya", "total"],
        ["BSM-01", 2023, "anggota", 10, 15, 1, 2, 25],
        ["BSM-01", 2023, "direct", 10, 15, None, None, 30],
    ]
    _, problems = validate_workbook(write_xlsx(tmp_path / "b.xlsx", sheets))
    assert [(p.sheet, p.row, p.column) for p in problems] == [("penerima_manfaat", 3, "total")]


def _criterion(name: str, light: str | None, judged: str | None = None) -> Criterion:
    return Criterion(name, light, None, pd.DataFrame(), judged)


def test_overall_status_rule():
    green = [_criterion("relevansi", "hijau"), _criterion("dampak", None)]
    assert overall_status(green) == {"light": "hijau", "reason": "criteria_green", "criteria": ["relevansi"]}
    two = [_criterion("relevansi", "kuning"), _criterion("dampak", "hijau", judged="kuning")]
    assert overall_status(two)["light"] == "kuning" and overall_status(two)["criteria"] == ["relevansi", "dampak"]
    three = [*two, _criterion("efisiensi", "kuning")]
    assert overall_status(three)["reason"] == "criteria_yellow_many" and overall_status(three)["light"] == "merah"
    red = [_criterion("relevansi", "merah", judged="hijau"), _criterion("dampak", "merah")]
    assert overall_status(red) == {"light": "merah", "reason": "criteria_red", "criteria": ["dampak"]}
    assert overall_status([_criterion("dampak", None)])["reason"] == "no_evidence"


def test_fgd_counts_compare_like_with_like(entries, sample):
    ksb = entries["KSB-04"]
    assert (ksb["fgd_inputs_new"], ksb["fgd_open_earlier"], ksb["fgd_overdue_earlier"]) == (2, 2, 2)
    programme = programme_figures(sample, 2023, entries)
    assert programme["fgd_open"] == 17  # raised at this FGD: new, open by definition
    assert programme["fgd_open_earlier"] < programme["fgd_open"]


def test_the_group_s_open_inputs_whatever_year_raised(entries):
    """KSB-04's two overdue BPBD inputs from the FGDs on 2021 and 2022 are among its open inputs, marked overdue."""
    listed = [(i["code"], i["overdue"]) for i in entries["KSB-04"]["fgd_open_inputs"]]
    assert listed == [
        ("FGD-2021-BPBD", True),
        ("FGD-2022-BPBD", True),
        ("FGD-2023-BPBD", False),
        ("FGD-2023-LURAH-KARANG-JOANG", False),
    ]
    first = entries["KSB-04"]["fgd_open_inputs"][0]
    assert (first["fgd_date"], first["due_date"], first["follow_up"]) == ("2022-01-18", "2022-09-30", "proses")
    assert all(
        i["code"] in {f["code"] for f in entries["KSB-04"]["findings"]} for i in entries["KSB-04"]["fgd_open_inputs"]
    )


def test_unknown_or_other_group_s_code_is_a_located_problem(tmp_path, sample):
    assert code_problems(sample, MethodSettings(), FGD_DATE) == []
    folder = tmp_path / "review"
    folder.mkdir()
    for name, table in _sample_csvs().items():
        (folder / f"{name}.csv").write_text(table, encoding="utf-8")
    with (folder / "tindak_lanjut.csv").open("a", encoding="utf-8") as file:
        file.write("BSM-01,2022,IND-TIDAK-ADA,,PIC,2023-01-01,belum,x\nBSM-01,2022,fgd-2022-bpbd,,PIC,,belum,\n")
    problems = code_problems(load_workbook(folder), MethodSettings(), FGD_DATE)
    assert [(p.file.endswith("tindak_lanjut.csv"), p.sheet, p.row, p.column) for p in problems] == [
        (True, "tindak_lanjut", 13, "kode_temuan"),
        (True, "tindak_lanjut", 14, "kode_temuan"),
    ]
    assert "IKM-SAMPEL" in problems[0].message and "'IND-TIDAK-ADA'" in problems[0].message
    assert "is a finding of KSB-04" in problems[1].message


def _sample_csvs() -> dict[str, str]:
    from importlib import resources

    folder = resources.files("tjsl_eval") / "data" / "sample"
    return {  # without the photos (their sheet is optional): the folder holds none
        item.name[:-4]: item.read_text(encoding="utf-8")
        for item in folder.iterdir()
        if item.name.endswith(".csv") and item.name != "dokumentasi.csv"
    }


def test_register_rows_of_recommendations(entries):
    rows = recommendation_rows({"KSB-04": entries["KSB-04"]}, "en")
    by_code = {(row[0], row[3]): dict(zip(RECOMMENDATION_COLUMNS, row, strict=True)) for row in rows}
    overdue = by_code[(2022, "FGD-2022-BPBD")]
    assert overdue["owner"] == "Ketua KSB Tangguh" and overdue["overdue"] == "yes" and overdue["recurs"] == "yes"
    assert overdue["recommendation"].startswith("Rekrut relawan pengganti")  # the evaluator's own wording
    assert overdue["deadline"] == dt.date(2023, 8, 31) and overdue["status"] == "Open"
    new = by_code[(2023, "IKM-SAMPEL")]
    assert new["owner"] == "no owner yet" and new["recurs"] is None and new["finding"] == "IKM sample not sufficient"


KINDS = (
    "budget_over_spent",
    "budget_under_spent",
    "indicator_below_target",
    "activity_completion_low",
    "activity_overdue",
    "ikm_low",
    "ikm_small_sample",
    "ikm_sample_inadequate",
    "sroi_below_one",
    "independence_fell",
    "follow_up_overdue",
    "fgd_input_open",
    "dac_judgement",
    "dac_criterion",
)


@pytest.mark.parametrize("language", ["id", "en"])
def test_every_kind_has_its_texts(language, entries):
    """Every kind the rules make has its finding text, recommendation and short label in both languages."""
    from tjsl_eval.common.messages import catalogue

    texts = catalogue(language)
    found = {
        f["kind"] for entry in entries.values() for f in [*entry["findings"], *(entry["follow_up_previous"] or [])]
    }
    assert found <= set(KINDS)
    for kind in KINDS:
        for key in (f"finding.{kind}", f"recommendation.{kind}", f"findings.kind.{kind}"):
            assert texts.get(key), key


def test_a_follow_up_row_added_above_leaves_other_groups_reports_up_to_date(sample):
    """Follow-up, approval and beneficiary rows are fingerprinted without their row numbers: a row typed above
    another group's changes that group's data only."""
    from tjsl_eval.batch.manifest import group_fingerprints
    from tjsl_eval.inputs.workbook import Workbook

    table = sample["follow_up"]
    added = pd.concat([table.iloc[[5]].assign(note="baru"), table])  # a KSB-04 row typed at the top
    added.index = pd.Index(range(2, len(added) + 2), name="row")
    changed = Workbook(sample.source, {**sample.tables, "follow_up": added}, folder=sample.folder)
    before, after = group_fingerprints(sample), group_fingerprints(changed)
    assert table.iloc[5]["group_id"] == "KSB-04" and before["KSB-04"] != after["KSB-04"]
    assert {g for g in before if before[g] != after[g]} == {"KSB-04"}


def test_codes_stay_unique_when_a_name_gives_a_fixed_code(tmp_path):
    sheets = valid_sheets()
    sheets["kegiatan"][2][2] = "Penyelesaian rendah"  # running past its end: KEG-PENYELESAIAN-RENDAH, as the rate's
    workbook = load_workbook(write_xlsx(tmp_path / "named.xlsx", sheets))
    entry = group_metrics(workbook, "BSM-01", 2023, as_of=FGD_DATE)
    found = {f["code"]: f["kind"] for f in entry["findings"]}
    assert found["KEG-PENYELESAIAN-RENDAH"] == "activity_completion_low"
    assert found["KEG-PENYELESAIAN-RENDAH-2"] == "activity_overdue"

"""The review explorer: its model (filters, programme figures, group table, comparison, SROI
what-if against ``sroi``'s own functions), its session (the batch's caches, the scenario
export, the report through the batch) and its widgets (updates, escaping)."""

from __future__ import annotations

import datetime as dt
import math

import openpyxl
import pytest
import yaml
from conftest import JUDGED_KEYS, valid_sheets, write_xlsx

from tjsl_eval.inputs.settings import MethodSettings
from tjsl_eval.inputs.workbook import load_workbook
from tjsl_eval.methods import explorer, portfolio, sroi
from tjsl_eval.methods.explorer import Filters, WhatIf

AS_OF = dt.date(2024, 1, 16)


@pytest.fixture(scope="module")
def sample():
    return load_workbook("sample")


@pytest.fixture(scope="module")
def figures(sample):
    years = portfolio.entry_years(sample, 2023)
    return explorer.ReviewFigures(sample, portfolio.yearly_entries(sample, years, MethodSettings(), AS_OF))


@pytest.fixture(scope="module")
def session(tmp_path_factory):
    from tjsl_eval.explore.session import open_session

    folder = tmp_path_factory.mktemp("review")
    params = yaml.safe_load(open("params/review-2023.yaml", encoding="utf-8"))
    params["output_folder"] = "out"
    params.pop("survey_exports", None)  # the figures compared are the bundled sample's alone
    (folder / "review.yaml").write_text(yaml.safe_dump(params, allow_unicode=True), encoding="utf-8")
    return open_session(folder / "review.yaml")


def same(shown, figure) -> bool:
    """A table's value is the figure (a missing figure is NaN in the table)."""
    if figure is None:
        return shown is None or math.isnan(shown)
    return shown == pytest.approx(figure)


def groups_of(workbook, column, value):
    table = workbook["groups"]
    return list(table.loc[table[column] == value, "group_id"])


def test_filters_select_by_pillar_kelurahan_sdg_and_group(sample):
    choices = explorer.filter_choices(sample)
    assert choices["groups"] == sample.group_ids
    assert set(choices["pillars"]) == set(sample["groups"]["pillar"])
    assert explorer.filtered_groups(sample, Filters()) == sample.group_ids
    pillar = choices["pillars"][0]
    assert explorer.filtered_groups(sample, Filters(pillars=(pillar,))) == groups_of(sample, "pillar", pillar)
    place = choices["kelurahan"][0]
    assert explorer.filtered_groups(sample, Filters(kelurahan=(place,))) == groups_of(sample, "kelurahan", place)
    goal = choices["sdgs"][0]
    with_goal = [
        g for g, goals in zip(sample["groups"]["group_id"], sample["groups"]["sdgs"], strict=True) if goal in goals
    ]
    assert explorer.filtered_groups(sample, Filters(sdgs=(goal,))) == with_goal
    both = Filters(pillars=(pillar,), groups=(sample.group_ids[0], sample.group_ids[-1]))
    assert explorer.filtered_groups(sample, both) == [
        g for g in (sample.group_ids[0], sample.group_ids[-1]) if g in groups_of(sample, "pillar", pillar)
    ]
    assert explorer.filtered_groups(sample, Filters(pillars=("no such pillar",))) == []


def test_programme_figures_of_every_group_are_the_portfolio_s(sample, figures):
    changes = figures.programme(2023, sample.group_ids)
    now = portfolio.programme_figures(sample, 2023, figures.yearly[2023])
    before = portfolio.programme_figures(sample, 2022, figures.yearly[2022])
    assert {key: change.now for key, change in changes.items()} == {k: now[k] for k in portfolio.PROGRAMME_KEYS}
    assert {key: change.before for key, change in changes.items()} == {k: before[k] for k in portfolio.PROGRAMME_KEYS}


def test_programme_figures_of_a_selection_count_only_its_groups(sample, figures):
    chosen = groups_of(sample, "pillar", "lingkungan")
    changes = figures.programme(2023, chosen)
    entries = [figures.yearly[2023][g] for g in chosen]
    assert changes["groups"].now == len(chosen)
    assert changes["budget_planned"].now == pytest.approx(sum(e["budget_planned"] for e in entries))
    with_sroi = [e for e in entries if e["sroi_ratio"] is not None]
    ratio = sum(e["sroi_present_value"] for e in with_sroi) / sum(e["budget_realized"] for e in with_sroi)
    assert changes["sroi_ratio"].now == pytest.approx(ratio)


def test_group_table_has_last_year_beside_each_figure_and_sorts(sample, figures):
    table = figures.group_table(2023, sample.group_ids, "sroi_ratio", descending=True)
    assert set(table.index) == set(sample.group_ids)
    ratios = [r for r in table["sroi_ratio"] if r is not None and not math.isnan(r)]
    assert ratios == sorted(ratios, reverse=True)
    missing = table["sroi_ratio"].isna().to_numpy()
    assert not missing.any() or missing[missing.argmax() :].all()  # groups without a ratio come last
    for group_id, row in table.iterrows():
        entry = figures.yearly[2023][group_id]
        previous = entry["previous_year"]
        assert same(row["budget_realized"], entry["budget_realized"])
        if previous is None:
            assert row["ikm_score_verdict"] == "baru"
        else:
            assert same(row["ikm_score_before"], previous["ikm_score"])
    by_name = figures.group_table(2023, sample.group_ids)
    assert list(by_name["name"]) == sorted(by_name["name"])
    assert figures.group_table(2023, []).empty
    with pytest.raises(ValueError, match="sort_by"):
        figures.group_table(2023, sample.group_ids, "nonsense")


def test_comparison_of_two_to_four_groups(sample, figures):
    chosen = sample.group_ids[:3]
    compared = figures.comparison(2023, chosen)
    assert list(compared) == chosen
    for group_id in chosen:
        entry = figures.yearly[2023][group_id]
        assert {k: c.now for k, c in compared[group_id].items()} == {k: entry[k] for k in explorer.COMPARED_KEYS}
    for wrong in ([sample.group_ids[0]], sample.group_ids[:5], [sample.group_ids[0]] * 2):
        with pytest.raises(ValueError, match="2 to 4"):
            figures.comparison(2023, wrong)


def test_trend_has_every_year(sample, figures):
    trend = figures.trend("BSM-01")
    assert list(trend.index) == figures.years
    for year in figures.years:
        assert same(trend.loc[year, "independence_index"], figures.yearly[year]["BSM-01"]["independence_index"])


def test_what_if_results_are_sroi_s_for_the_same_inputs(sample):
    what_if = WhatIf.of_group(sample, "BSM-01", 2023, MethodSettings())
    rows = sample.rows("sroi", "BSM-01", 2023)
    investment = what_if.investment
    assert what_if.result().ratio == sroi.compute_sroi(rows, investment).ratio
    what_if.set_rate(8)
    what_if.set("deadweight", 40)
    what_if.set("duration_years", 2, outcome=1)
    changed = rows.reset_index(drop=True).assign(deadweight=40)
    changed.loc[1, "duration_years"] = 2
    expected = sroi.compute_sroi(changed, investment, 0.08)
    result = what_if.result()
    assert (result.present_value, result.net_present_value, result.ratio) == (
        expected.present_value,
        expected.net_present_value,
        expected.ratio,
    )
    assert what_if.sensitivity().equals(sroi.sensitivity(changed, investment, discount_rate=0.08))
    assert what_if.result(scenario=False).ratio == sroi.compute_sroi(rows, investment).ratio
    assert what_if.value("duration_years", 1) == (2, 2)
    what_if.reset()
    assert what_if.rate_pct == 3.5 and what_if.rows.equals(what_if.original)
    assert what_if.result().ratio == sroi.compute_sroi(rows, investment).ratio


@pytest.mark.parametrize(
    ("adjustment", "value"), [("deadweight", 101), ("drop_off", -1), ("duration_years", 0), ("duration_years", 2.5)]
)
def test_what_if_refuses_values_out_of_range(sample, adjustment, value):
    what_if = WhatIf.of_group(sample, "BSM-01", 2023, MethodSettings())
    with pytest.raises(ValueError, match=adjustment):
        what_if.set(adjustment, value)
    with pytest.raises(ValueError, match="discount rate"):
        what_if.set_rate(120)
    with pytest.raises(ValueError, match="adjustment"):
        what_if.set("quantity", 3)


def test_for_groups_keeps_their_rows_and_programme_wide_inputs_once(sample):
    chosen = sample.group_ids[:2]
    subset = sample.for_groups(chosen)
    assert subset.group_ids == chosen
    feedback = sample["fgd_feedback"]
    wanted = feedback[feedback["group_id"].isin(chosen) | feedback["group_id"].isna()]
    assert list(subset["fgd_feedback"].index) == list(wanted.index)
    assert sample.for_groups([]).group_ids == []


def test_an_uncached_session_computes_the_review_s_year_and_the_rest_when_shown(session, figures):
    output = session.review.output_path
    assert (output / ".cache" / "workbook.pkl").exists()  # the validated workbook is kept for the next run
    lazy = session.figures
    assert list(lazy.yearly) == [2023] and lazy.years == figures.years
    assert lazy.yearly[2023] == without_findings(figures.yearly[2023])  # every figure; the findings are not shown
    ids = session.workbook.group_ids
    assert lazy.programme(2023, ids) == figures.programme(2023, ids) and list(lazy.yearly) == [2023]
    assert lazy.trend("BSM-01").equals(figures.trend("BSM-01")) and list(lazy.yearly) == [2023]
    assert lazy.group_table(2022, ids).equals(figures.group_table(2022, ids))
    assert sorted(lazy.yearly) == [2022, 2023] and lazy.yearly[2022] == without_findings(figures.yearly[2022])


def without_findings(entries: dict[str, dict]) -> dict[str, dict]:
    """The entries without what only a judged year has (findings, follow-up, sign-off: conftest.JUDGED_KEYS)."""
    return {g: {k: v for k, v in entry.items() if k not in JUDGED_KEYS} for g, entry in entries.items()}


def test_a_session_takes_every_year_from_the_figures_a_run_cached(session, figures):
    from tjsl_eval.batch.cache import GroupFiles
    from tjsl_eval.batch.entries import compute_entries, plan_entries
    from tjsl_eval.explore.session import open_session

    review = session.review
    plan = plan_entries(review, session.workbook, GroupFiles.split(session.workbook, review.output_path))
    assert plan.tasks and not plan.cached  # the explorer does not cache a year alone
    plan.collect(compute_entries(plan.tasks, jobs=1))  # as ``tjsl-eval run`` does before the reports
    reopened = open_session(review.params_path)
    assert reopened.figures.compute_year is None and reopened.figures.yearly == figures.yearly


def test_many_groups_figures_are_computed_in_worker_processes_with_the_same_result(session, monkeypatch):
    from tjsl_eval.batch import entries, workers
    from tjsl_eval.batch.cache import GroupFiles

    review, workbook = session.review, session.workbook
    files = GroupFiles.split(workbook, review.output_path)
    methods, as_of = review.methods.as_dict(), review.fgd_date.isoformat()
    tasks = [(str(files.path(g)), g, [2022, 2023], methods, as_of) for g in workbook.group_ids[:4]]
    pools = []
    real_pool = workers.local_workers
    monkeypatch.setattr(workers, "local_workers", lambda jobs: pools.append(jobs) or real_pool(jobs))
    here = entries.compute_entries(tasks, jobs=2)  # fewer than PARALLEL_FROM: in this process
    assert pools == [] and [g for g, _ in here] == workbook.group_ids[:4]
    monkeypatch.setattr(entries, "PARALLEL_FROM", 2)
    assert entries.compute_entries(tasks, jobs=2) == here and pools == [2]


def test_scenario_export_has_inputs_results_and_sensitivity(session, tmp_path):
    from tjsl_eval.explore.session import export_scenario

    what_if = WhatIf.of_group(session.workbook, "BSM-01", 2023, session.review.methods)
    what_if.set_rate(10)
    what_if.set("attribution", 35, outcome=0)
    first = export_scenario(tmp_path / "a.xlsx", what_if, '=HYPERLINK("x")', 2023, "en")
    second = export_scenario(tmp_path / "b.xlsx", what_if, '=HYPERLINK("x")', 2023, "en")
    assert first.read_bytes() == second.read_bytes()
    book = openpyxl.load_workbook(first)
    assert book.sheetnames == ["assumptions", "results", "sensitivity"]
    inputs = list(book["assumptions"].iter_rows(min_row=2, values_only=True))
    assert inputs[0][0] == '\'=HYPERLINK("x")'  # text, never a formula
    assert (None, "Discount rate (%)", 3.5, 10, True) == inputs[0][2:]
    assert (what_if.outcomes[0], "Attribution (%)") == inputs[2][2:4] and inputs[2][5:] == (35, True)
    assert [row[6] for row in inputs].count(True) == 2  # the rate and one outcome's attribution
    results = {row[0]: row[1:] for row in book["results"].iter_rows(min_row=2, values_only=True)}
    assert results["SROI ratio"] == pytest.approx((what_if.result(scenario=False).ratio, what_if.result().ratio))
    assert book["sensitivity"].max_row == 1 + len(what_if.sensitivity())


def test_widgets_update_and_escape_workbook_text(tmp_path):
    from tjsl_eval.explore.session import open_session
    from tjsl_eval.explore.widgets import Explorer

    sheets = valid_sheets()
    sheets["kelompok"][1][1] = "<img src=x onerror=alert(1)>"
    sheets["masukan_fgd"][1][6] = "<script>alert('fgd')</script>"
    workbook = write_xlsx(tmp_path / "hostile.xlsx", sheets)
    app = Explorer(open_session(workbook=str(workbook), year=2023, language="en", output_folder=tmp_path / "out"))
    app.compared.value = ("BSM-01", "UMKM-02")
    assert app.group_view.value == ""  # drawn when its tab is opened
    app.tabs.selected_index = 1
    html = [w.value for w in (app.key_figures, app.table, app.group_view, app.comparison, app.results, app.chart)]
    assert any("&lt;img src=x onerror=alert(1)&gt;" in value for value in html)
    assert any("&lt;script&gt;" in value for value in html)
    assert not any("<img src=x" in value or "<script>alert" in value for value in html)
    assert "2 of 2 groups selected" in app.selected.value
    app.pillars.value = ("lingkungan",)
    assert "1 of 2 groups selected" in app.selected.value and "UMKM-02" not in app.table.value
    app.compared.value = ("BSM-01",)
    assert "Choose 2 to 4 groups (now 1)" in app.comparison.value


def test_sliders_drive_the_what_if(session):
    from tjsl_eval.explore.widgets import Explorer
    from tjsl_eval.methods.metrics import format_figure

    app = Explorer(session)
    assert app.group.value == "BSM-01" and app.rate.value == 3.5
    app.rate.value = 10.0
    app.sliders["deadweight"].value = 50
    expected = WhatIf.of_group(session.workbook, "BSM-01", 2023, session.review.methods)
    expected.set_rate(10)
    expected.set("deadweight", 50)
    assert format_figure("sroi_ratio", expected.result().ratio, "id") in app.results.value
    app.outcome.value = 0
    assert app.sliders["deadweight"].value == 50
    workbook_value = int(session.workbook.rows("sroi", "BSM-01", 2023)["deadweight"].iloc[0])
    assert f"workbook: {workbook_value}" in app.marks["deadweight"].value
    app.reset.click()
    assert app.rate.value == 3.5 and app.what_if.rows.equals(app.what_if.original)
    path = app.export_what_if()
    assert path.exists() and path.name in app.export_status.value


def test_the_report_button_runs_the_batch(session):
    from tjsl_eval.explore.widgets import Explorer

    app = Explorer(session)
    app.group.value = "MGR-02"
    app.report_button.click()
    report = session.review.output_path / "MGR-02.html"
    assert report.exists() and report.as_uri() in app.report_status.value
    manifest = (session.review.output_path / "manifest.json").read_text(encoding="utf-8")
    assert "MGR-02" in manifest


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({}, "open a review with a params file, or with a workbook and a year"),
        ({"params": "missing.yaml"}, "missing.yaml: file not found"),
        ({"workbook": "missing.xlsx", "year": 2023}, "missing.xlsx: file not found"),
        ({"params": "params/review-2023.yaml", "language": "fr"}, "language must be one of id, en"),
    ],
)
def test_a_bad_review_gives_a_message_not_a_traceback(arguments, message, tmp_path, monkeypatch):
    from tjsl_eval.explore.widgets import open_explorer

    monkeypatch.setenv("TJSL_EVAL_FILES_ROOT", str(tmp_path))
    shown = open_explorer(**arguments)
    assert shown.markup.startswith("<pre>") and message in shown.markup
    assert list(tmp_path.iterdir()) == []  # nothing written


def test_a_year_not_yet_computed_says_so_then_shows_its_figures(tmp_path):
    from tjsl_eval.explore.session import open_session
    from tjsl_eval.explore.widgets import Explorer

    app = Explorer(open_session(workbook="sample", year=2023, language="en", output_folder=tmp_path / "out"))
    shown = []
    app.key_figures.observe(lambda change: shown.append(change["new"]), "value")
    app.year.value = 2022
    assert "Computing every group&#x27;s figures for 2022" in shown[0]
    assert "Key figures" in shown[-1] and "2022" in shown[-1] and 2022 in app.figures.yearly
    shown.clear()
    app.year.value = 2023  # known: shown at once
    assert all("Computing" not in value for value in shown)


def test_a_branded_review_s_explorer_draws_its_charts_in_the_brand_colours(tmp_path):
    """As the review's reports: the trend charts (images) and the what-if bars (HTML) in the brand's colours."""
    import base64
    import io
    import re

    from PIL import Image

    from tjsl_eval.explore.session import open_session
    from tjsl_eval.explore.widgets import Explorer

    params = yaml.safe_load(open("params/review-2023.yaml", encoding="utf-8"))
    params |= {"output_folder": "out", "brand": {"primary_color": "#0B4F6C", "accent_color": "#F29E4C"}}
    params.pop("survey_exports", None)
    (tmp_path / "review.yaml").write_text(yaml.safe_dump(params, allow_unicode=True), encoding="utf-8")
    app = Explorer(open_session(tmp_path / "review.yaml"))
    app.show_group()
    pictures = re.findall(r"data:image/png;base64,([A-Za-z0-9+/=]+)", app.group_view.value)
    assert pictures
    with Image.open(io.BytesIO(base64.b64decode(pictures[-1]))) as image:  # a trend chart
        assert (11, 79, 108) in {colour for _, colour in image.convert("RGB").getcolors(1 << 16)}
    app.rate.value = 10.0  # the what-if's sensitivity bars
    assert "--tjsl-bar-main:#0B4F6C" in app.chart.value and "#1f5f99" not in app.chart.value.lower()

"""The public API that `import tjsl_eval` offers, as README and explore.ipynb use it."""

import subprocess
import sys

from matplotlib.figure import Figure

import tjsl_eval as tj


def test_every_public_name_resolves():
    for name in tj.__all__:
        assert getattr(tj, name) is not None


def test_metrics_table_compares_groups():
    workbook = tj.load_workbook("sample")
    table = tj.metrics_table(workbook, 2023)
    assert list(table.index) == workbook.group_ids
    assert table.loc["BSM-01", "budget_planned"] == 57_000_000
    assert table.loc["KDH-08", "sroi_ratio"] < 1 and table["findings"].sum() > 0


def test_charts_return_figures_and_formatters_format():
    figure = tj.charts.ranking_chart(__import__("pandas").Series({"A": 80.0, "B": 95.0}), "Judul", "%")
    assert isinstance(figure, Figure) and figure.axes[0].get_title() == "Judul"
    assert tj.rupiah(1_250_000) == "Rp 1.250.000" and tj.percent(85) == "85,0 %"
    assert tj.format_date(__import__("datetime").date(2023, 1, 17)) == "17 Januari 2023"


def test_import_is_light():
    code = "import sys, tjsl_eval; print(sorted(m for m in ('pandas', 'matplotlib', 'pandera') if m in sys.modules))"
    imported = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert imported.strip() == "[]"

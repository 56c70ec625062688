"""Charts readable on paper: every text at least 7 pt at the printed size, labels wrapped not cut, bars from
zero, bars below their target in the warning colour with a legend."""

import pandas as pd
import pytest
from matplotlib.colors import to_hex
from matplotlib.text import Text

from tjsl_eval.render import charts
from tjsl_eval.render.brand_colours import DEFAULT_COLOURS

LONG = "Rumah tangga yang memilah sampah organik dan anorganik di tingkat rukun tetangga setiap minggu"


def every_chart():
    indicators = pd.DataFrame(
        {"indicator": [LONG, "Nasabah aktif", "Belum diukur"], "achievement_pct": [75.0, 120.0, None]}
    )
    budget = pd.DataFrame({"category": ["operasional", LONG], "planned": [5e6, 8e6], "realized": [4e6, 9e6]})
    outcomes = pd.DataFrame({"outcome": [LONG, "Pendapatan"], "present_value": [12e6, 3e6]})
    trend = pd.DataFrame({"year": [2021, 2022, 2023], "index": [58.3, 83.3, 91.7]})
    ranked = pd.Series({LONG: 81.4, "Kelompok B": 92.0, "Kelompok C": 99.0})
    return {
        "budget": charts.budget_chart(budget),
        "indicator": charts.indicator_chart(indicators),
        "ikm": charts.ikm_chart({"u1": 3.2, "u2": None}, {"u1": LONG, "u2": "Prosedur"}),
        "sroi": charts.sroi_chart(outcomes),
        "independence": charts.independence_chart(trend, (40.0, 60.0, 80.0)),
        "ranking": charts.ranking_chart(ranked, "Capaian indikator", "%"),
        "trend": charts.trend_chart(
            pd.Series([2021, 2022, 2023]), pd.Series([92.0, 93.5, 92.8]), "IKM", "skor", "Tahun"
        ),
    }


@pytest.mark.parametrize("name", list(every_chart()))
def test_no_text_under_7_pt_at_the_printed_size_and_no_label_cut(name):
    figure = every_chart()[name]
    figure.canvas.draw()  # lays out ticks and the legend
    scale = charts.PRINT_WIDTH_IN / figure.get_figwidth()
    texts = [t for t in figure.findobj(Text) if t.get_visible() and t.get_text().strip()]
    assert texts and min(t.get_fontsize() * scale for t in texts) >= charts.SMALLEST_PT
    shown = " ".join(t.get_text().replace("\n", " ") for t in texts)
    assert "…" not in shown
    if name in ("budget", "indicator", "ikm", "sroi", "ranking"):
        assert LONG in shown  # wrapped onto lines, whole


@pytest.mark.parametrize("name", ["budget", "indicator", "ikm", "sroi", "ranking", "trend", "independence"])
def test_value_axes_start_at_zero(name):
    axes = every_chart()[name].axes[0]
    low = axes.get_xlim()[0] if name not in ("trend", "independence") else axes.get_ylim()[0]
    assert low <= 0


def test_bars_below_target_in_the_warning_colour_with_a_legend():
    figure = every_chart()["indicator"]
    bars = figure.axes[0].patches
    assert to_hex(bars[0].get_facecolor()) == DEFAULT_COLOURS.warning.lower()  # 75 %
    assert to_hex(bars[1].get_facecolor()) == DEFAULT_COLOURS.main.lower()  # 120 %
    (legend,) = figure.legends
    assert [t.get_text() for t in legend.get_texts()] == ["mencapai target", "di bawah target"]

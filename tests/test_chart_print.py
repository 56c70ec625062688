"""Charts readable on paper: every text at least 7 pt at the printed size, labels wrapped not cut, bars from
zero, bars below their target in the warning colour with a legend."""

import io
from pathlib import Path

import pandas as pd
import pytest
from matplotlib.colors import to_hex
from matplotlib.text import Text

from tjsl_eval.inputs.brand import Brand
from tjsl_eval.render import charts
from tjsl_eval.render.brand_colours import DEFAULT_CHART_STYLE, THRESHOLD, chart_style, distance

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
    assert to_hex(bars[0].get_facecolor()) == DEFAULT_CHART_STYLE.warning.lower()  # 75 %
    assert to_hex(bars[1].get_facecolor()) == DEFAULT_CHART_STYLE.main.lower()  # 120 %
    (legend,) = figure.legends
    assert [t.get_text() for t in legend.get_texts()] == ["mencapai target", "di bawah target"]


BRAND = Brand(primary_color="#0B4F6C", accent_color="#F29E4C")  # the accent is orange, as the warning colour is


def test_charts_in_the_brand_colours_the_warning_colour_kept_apart():
    colours = chart_style(BRAND)
    assert (colours.main, colours.second) == ("#0B4F6C", "#F29E4C")
    assert all(distance(colours.warning, other) >= THRESHOLD for other in (colours.main, colours.second))
    assert colours.warning != DEFAULT_CHART_STYLE.warning  # the default orange would pass for the brand's accent
    indicators = pd.DataFrame({"indicator": ["Di bawah", "Tercapai"], "achievement_pct": [75.0, 120.0]})
    figure = charts.indicator_chart(indicators, style=colours)
    below, met = (to_hex(bar.get_facecolor()).upper() for bar in figure.axes[0].patches)
    assert (below, met) == (colours.warning, colours.main)
    (legend,) = figure.legends
    assert [to_hex(patch.get_facecolor()).upper() for patch in legend.get_patches()] == [met, below]
    budget = pd.DataFrame({"category": ["operasional"], "planned": [5e6], "realized": [4e6]})
    planned, realized = charts.budget_chart(budget, style=colours).axes[0].patches
    assert (to_hex(planned.get_facecolor()).upper(), to_hex(realized.get_facecolor()).upper()) == ("#F29E4C", "#0B4F6C")


def test_a_branded_chart_is_drawn_in_the_brand_colour():
    from PIL import Image

    def pixels(colours) -> set[tuple[int, int, int]]:
        ranked = pd.Series({"Kelompok A": 90.0, "Kelompok B": 60.0})
        png = charts.png_bytes(charts.ranking_chart(ranked, "Capaian", "%", style=colours))
        with Image.open(io.BytesIO(png)) as image:
            return {colour for _, colour in image.convert("RGB").getcolors(1 << 16)}

    branded, plain = pixels(chart_style(BRAND)), pixels(DEFAULT_CHART_STYLE)
    assert (11, 79, 108) in branded and (11, 79, 108) not in plain and (31, 95, 153) in plain


@pytest.mark.parametrize("primary", ["#C0392B", "#D9822B", "#E30613", "#1F3A5F", "#7D3C98"])
def test_the_warning_and_target_colours_are_never_the_brand_colour(primary):
    colours = chart_style(Brand(primary_color=primary, accent_color="#F47920"))
    assert colours.warning not in (colours.main, colours.second) and colours.target != colours.warning
    assert distance(colours.warning, colours.main) >= THRESHOLD


REPORT_FONTS = ("calibri", "carlito")  # Calibri's files, or Carlito's


@pytest.mark.parametrize("name", list(every_chart()))
def test_the_lettering_is_in_the_reports_font(name):
    """Calibri where it is installed, else its metric twin Carlito (``.ci/run`` installs it), as the text around the
    chart in the PDF and the Word report; never matplotlib's own DejaVu Sans beside it."""
    from matplotlib.font_manager import findfont

    figure = every_chart()[name]
    figure.canvas.draw()  # the tick labels are made when drawn
    texts = [t for t in figure.findobj(Text) if t.get_visible() and t.get_text().strip()]
    fonts = {Path(findfont(t.get_fontproperties())).stem.lower() for t in texts}
    assert all(font.startswith(REPORT_FONTS) for font in fonts), fonts


def test_the_brand_font_letters_the_charts_where_it_is_installed_else_the_reports_font():
    from matplotlib.font_manager import findfont

    def fonts(font: str) -> set[str]:
        figure = charts.ranking_chart(pd.Series({"A": 90.0}), "Capaian", "%", style=chart_style(Brand(font=font)))
        figure.canvas.draw()
        texts = [t for t in figure.findobj(Text) if t.get_text().strip()]
        return {Path(findfont(t.get_fontproperties())).stem.lower() for t in texts}

    assert all(font.startswith("caladea") for font in fonts("Caladea"))  # installed by .ci/run beside Carlito
    assert all(font.startswith(REPORT_FONTS) for font in fonts("Nowhere Sans"))


@pytest.mark.parametrize(("language", "half", "thousands"), [("id", "0,5", "1.000"), ("en", "0.5", "1,000")])
def test_tick_labels_are_written_as_the_report_writes_numbers(language, half, thousands):
    def ticks(figure, axis: str = "x") -> list[str]:
        figure.canvas.draw()
        labels = getattr(figure.axes[0], f"get_{axis}ticklabels")()
        return [label.get_text() for label in labels if label.get_text()]

    ikm = ticks(charts.ikm_chart({"u1": 3.2}, {"u1": "Persyaratan"}, language))
    assert half in ikm and all(tick.count(half[1]) == 1 for tick in ikm)  # 0,0 0,5 … 4,0: one decimal each
    budget = pd.DataFrame({"category": ["operasional"], "planned": [1.6e9], "realized": [1.2e9]})
    assert thousands in ticks(charts.budget_chart(budget, language))  # millions of Rupiah
    trend = charts.trend_chart(pd.Series([2021, 2022]), pd.Series([0.4, 0.9]), "Rasio", ": 1", "Tahun", language)
    ranking = charts.ranking_chart(pd.Series({"A": 0.4, "B": 0.9}), "Rasio", ": 1", language)
    for shown in (ticks(trend, "y"), ticks(ranking)):
        assert "0" + half[1] + "2" in shown and all("0" + half[1] in tick for tick in shown[:-1])


def test_two_rankings_of_ten_groups_with_wrapped_names_fit_one_page():
    """The portfolio's rankings, two to a portrait page in Word (text 297 − 22 − 20 mm high) with their captions,
    as in the PDF: a wrapped label's lines part it from the next bar, so it needs little more space."""
    names = [f"Kelompok Pelestari Mangrove Pesisir Margasari {n}" for n in range(10)]  # two lines each
    figure = charts.ranking_chart(pd.Series(dict(zip(names, range(10), strict=True)), dtype="float64"), "IKM", "IKM")
    assert all(label.get_text().count("\n") == 1 for label in figure.axes[0].get_yticklabels())
    height_mm = figure.get_figheight() * 25.4
    assert 2 * (height_mm + 6) <= 297 - 22 - 20

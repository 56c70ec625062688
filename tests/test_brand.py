"""The params key ``brand``: checked values, refused bad ones, and its part in a report's fingerprint."""

import base64
import io

import pytest
from PIL import Image
from test_params import VALID

from tjsl_eval.batch.run import report_inputs
from tjsl_eval.batch.sources import brand_files
from tjsl_eval.common.problems import InputError
from tjsl_eval.inputs.brand import DEFAULT_BRAND
from tjsl_eval.inputs.params import load_review
from tjsl_eval.render.document import Chart

SVG = (
    '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20">'
    '<rect width="40" height="20" fill="#0B4F6C"/></svg>\n'
)


def png_bytes(colour="navy") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (60, 30), colour).save(out, "PNG")
    return out.getvalue()


def review_with(tmp_path, brand: str):
    folder = tmp_path / "params"
    folder.mkdir(exist_ok=True)
    (folder / "logo.png").write_bytes(png_bytes())
    (folder / "logo.svg").write_text(SVG, encoding="utf-8")
    path = folder / "review.yaml"
    path.write_text(VALID + brand, encoding="utf-8")
    return load_review(path)


def test_without_brand_the_neutral_design():
    assert DEFAULT_BRAND.logo is None and DEFAULT_BRAND.primary_color.startswith("#")


@pytest.mark.parametrize("logo", ["logo.png", "logo.svg"])
def test_brand_read_and_normalised(tmp_path, logo):
    review = review_with(
        tmp_path, f"brand:\n  name: PT Contoh\n  logo: {logo}\n  primary_color: '#0b4f6c'\n  accent_color: '#f94'\n"
    )
    brand = review.brand
    assert brand.name == "PT Contoh" and brand.logo == (tmp_path / "params" / logo).resolve()
    assert (brand.primary_color, brand.accent_color, brand.font) == ("#0B4F6C", "#FF9944", "Calibri")
    assert brand.rgb("accent") == (255, 153, 68) and brand.logo_kind == logo[-3:]
    assert review.as_dict()["brand"]["logo"] == logo
    assert brand_files(review) == {f"inputs/params/{logo}": brand.logo}


@pytest.mark.parametrize(
    ("brand", "message"),
    [
        ("brand:\n  logo: missing.png\n", "brand.*logo: file not found"),
        ("brand:\n  logo: review.yaml\n", "brand.*logo: expected a .png or .svg file"),
        ("brand:\n  logo: fake.png\n", "brand.*logo: not a PNG image"),
        ("brand:\n  logo: bad.svg\n", "brand.*logo: an SVG logo may hold no"),
        ("brand:\n  primary_color: blue\n", "brand.*primary_color: expected a hex colour"),
        ("brand:\n  accent_color: '#12345'\n", "brand.*accent_color: expected a hex colour"),
        ("brand:\n  font: 'Arial; } body {'\n", "brand.*font: expected a font family name"),
        ("brand:\n  colour: '#000000'\n", "brand.*unknown key colour"),
        ("brand: red\n", "brand.*expected a mapping"),
    ],
)
def test_bad_brand_refused_with_key_and_reason(tmp_path, brand, message):
    folder = tmp_path / "params"
    folder.mkdir()
    (folder / "fake.png").write_text("not an image", encoding="utf-8")
    (folder / "bad.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"><script>x()</script></svg>')
    with pytest.raises(InputError, match=message):
        review_with(tmp_path, brand)


def test_brand_and_logo_bytes_make_reports_stale(tmp_path):
    plain = review_with(tmp_path, "")
    branded = review_with(tmp_path, "brand:\n  logo: logo.png\n")
    inputs = [report_inputs(review, "data", {"group_id": "G1"})["params"] for review in (plain, branded)]
    (tmp_path / "params" / "logo.png").write_bytes(png_bytes("red"))
    inputs.append(report_inputs(branded, "data", {"group_id": "G1"})["params"])
    assert len(set(inputs)) == 3
    assert report_inputs(plain, "data", {"group_id": "G1"})["params"] == inputs[0]


def test_the_html_report_in_the_brand(tmp_path):
    from tjsl_eval.render.brand_css import branded_page

    page = "<html><body><h1>Laporan</h1></body></html>"
    assert branded_page(page, DEFAULT_BRAND) == page
    brand = review_with(tmp_path, "brand:\n  logo: logo.png\n  primary_color: '#0B4F6C'\n  font: Arial\n").brand
    branded = branded_page(page, brand)
    assert branded.index("<style>") > branded.index("<h1>")  # after the report's own styles: it wins
    assert "--tjsl-primary:#0B4F6C" in branded and "data:image/png;base64," in branded and '"Arial"' in branded


# An SVG logo in Word and the deck (issue #24): drawn once as a PNG, nothing fetched, refused when it cannot be drawn.
LOGO_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 300 100"><rect x="5" y="5" width="90" height="90" '
    'rx="12" fill="#0B4F6C"/><circle cx="50" cy="50" r="25" fill="#F29E4C"/></svg>'
)
DRAW_IN_A_NEW_PROCESS = (
    "import hashlib, sys; from tjsl_eval.inputs.svg_logo import svg_png; "
    "print(hashlib.sha256(svg_png(sys.stdin.buffer.read())).hexdigest())"
)


def test_an_svg_logo_is_drawn_sharp_and_the_same_in_every_process():
    import hashlib
    import subprocess
    import sys

    from tjsl_eval.inputs.svg_logo import LOGO_HEIGHT_PX, svg_png

    png = svg_png(LOGO_SVG.encode())
    with Image.open(io.BytesIO(png)) as image:
        assert image.format == "PNG" and image.size == (3 * LOGO_HEIGHT_PX, LOGO_HEIGHT_PX)
        assert image.convert("RGB").getpixel((image.width // 6, image.height // 10)) == (11, 79, 108)
    hashes = {
        subprocess.run(
            [sys.executable, "-c", DRAW_IN_A_NEW_PROCESS], input=LOGO_SVG.encode(), capture_output=True, check=True
        ).stdout.strip()
        for _ in range(2)
    }
    assert hashes == {hashlib.sha256(png).hexdigest().encode()}


def test_a_very_wide_svg_logo_is_drawn_within_bounds():
    from tjsl_eval.inputs.svg_logo import MAX_WIDTH_PX, svg_png

    wide = '<svg xmlns="http://www.w3.org/2000/svg" width="2000" height="100"><rect width="2000" height="100"/></svg>'
    with Image.open(io.BytesIO(svg_png(wide.encode()))) as image:
        assert image.size == (MAX_WIDTH_PX, MAX_WIDTH_PX // 20)


EMBEDDED = "data:image/png;base64," + base64.b64encode(png_bytes()).decode()
NS = 'xmlns="http://www.w3.org/2000/svg"'
USE_BOMB = (  # each level draws the one below ten times: 10 000 drawings of a rectangle
    f'<svg {NS} width="9" height="9"><defs><rect id="l0" width="1" height="1"/>'
    + "".join(f'<g id="l{n}">' + f'<use href="#l{n - 1}"/>' * 10 + "</g>" for n in range(1, 5))
    + '</defs><use href="#l4"/></svg>'
)


@pytest.mark.parametrize(
    ("svg", "message"),
    [
        (f'<svg {NS} width="9" height="9"><image href="/etc/hostname" width="9" height="9"/></svg>', "may not load"),
        (f'<svg {NS} width="9" height="9"><image href="https://example.org/a.png"/></svg>', "may not load"),
        (f'<svg {NS} width="9" height="9"><use href="other.svg#a"/></svg>', "may not load other files"),
        (f'<svg {NS} width="9" height="9"><style>@import url(https://example.org/a.css);</style></svg>', "may not"),
        (f'<svg {NS}><rect width="9" height="9"/></svg>', "needs a size to be drawn at"),
        (f'<svg {NS} width="9" height="9"><path d="M 1 1 L x"/></svg>', "draws nothing"),
        (f'<svg {NS} width="9" height="9"><rect', "cannot be drawn"),
        (USE_BOMB, "draws its own parts more than 5,000 times"),
        (f'<svg {NS} width="9" height="9"><image href="data:image/png;base64,AAAA" width="9" height="9"/></svg>',
         "picture that cannot be read"),
    ],
)  # fmt: skip
def test_an_svg_logo_that_cannot_be_drawn_is_refused_before_any_work(tmp_path, svg, message):
    folder = tmp_path / "params"
    folder.mkdir()
    (folder / "mark.svg").write_text(svg, encoding="utf-8")
    with pytest.raises(InputError, match=f"brand.*logo: .*{message}"):
        review_with(tmp_path, "brand:\n  logo: mark.svg\n")


def test_a_picture_embedded_in_the_svg_is_drawn():
    from tjsl_eval.inputs.svg_logo import svg_png

    svg = f'<svg {NS} width="60" height="30"><image href="{EMBEDDED}" width="60" height="30"/></svg>'
    with Image.open(io.BytesIO(svg_png(svg.encode()))) as image:
        assert image.convert("RGB").getpixel((image.width // 2, image.height // 2)) == (0, 0, 128)  # navy


@pytest.fixture(scope="module")
def document():
    from tjsl_eval.inputs.workbook import load_workbook
    from tjsl_eval.render.report import GroupReport

    return GroupReport(load_workbook("sample").for_group("KDH-08"), "KDH-08", 2023, "id").document()


@pytest.mark.parametrize("logo", ["logo.svg", "logo.png"])
def test_the_logo_in_the_word_header_and_cover_and_on_every_slide(tmp_path, document, logo):
    import docx
    import pptx
    from pptx.enum.shapes import MSO_SHAPE_TYPE
    from pptx.util import Pt

    from tjsl_eval.inputs import svg_logo
    from tjsl_eval.render.docx_report import docx_bytes
    from tjsl_eval.render.pptx_deck import pptx_bytes

    brand = review_with(tmp_path, f"brand:\n  name: PT Contoh\n  logo: {logo}\n").brand
    shown = brand.logo_png()
    runs = []
    for _ in range(2):  # drawn again for each run: the same bytes
        svg_logo.svg_png.cache_clear()
        runs.append((docx_bytes(document, "0" * 64, brand=brand), pptx_bytes(document, "0" * 64, brand=brand)))
    assert runs[0] == runs[1]
    word = docx.Document(io.BytesIO(runs[0][0]))
    header = [part.blob for part in word.sections[0].header.part.related_parts.values()]
    body = [part.blob for part in word.part.related_parts.values() if "image" in part.content_type]
    assert shown in header and shown in body  # the header's logo, and the cover's
    deck = pptx.Presentation(io.BytesIO(runs[0][1]))
    for slide in deck.slides:  # in the title bar of every slide
        (picture,) = [s for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE and s.top < Pt(80)]
        assert picture.image.blob == shown


def test_the_brand_colours_and_font_reach_the_notebooks_and_their_charts(tmp_path):
    from tjsl_eval.batch.run import notebook_parameters, portfolio_parameters
    from tjsl_eval.render.report import GroupReport

    plain = review_with(tmp_path, "")
    assert "chart_brand" not in notebook_parameters(plain, "KSB-04")  # the charts as without a brand
    branded = review_with(tmp_path, "brand:\n  primary_color: '#0B4F6C'\n  accent_color: '#F29E4C'\n  font: Caladea\n")
    colours = {"primary_color": "#0B4F6C", "accent_color": "#F29E4C", "font": "Caladea"}
    assert notebook_parameters(branded, "KSB-04")["chart_brand"] == colours
    assert portfolio_parameters(branded, [])["chart_brand"] == colours
    recoloured = review_with(tmp_path, "brand:\n  primary_color: '#0B4F6D'\n  accent_color: '#F29E4C'\n  font: Caladea")
    keys = {
        report_inputs(review, "data", notebook_parameters(review, "KSB-04"))["params"]
        for review in (plain, branded, recoloured)
    }
    assert len(keys) == 3  # a changed colour makes the reports stale
    report = GroupReport.from_parameters(group_id="KSB-04", year=2023, workbook="sample", chart_brand=colours)
    (chart,) = [block for block in report.section("budget").blocks if isinstance(block, Chart)]
    with Image.open(io.BytesIO(chart.png)) as image:
        shown = {colour for _, colour in image.convert("RGB").getcolors(1 << 16)}
    assert {(11, 79, 108), (242, 158, 76)} <= shown  # realized in the primary colour, planned in the accent
    assert report.chart_style.font == "Caladea"
    with pytest.raises(ValueError, match="parameter chart_brand: primary_color: expected a hex colour"):
        GroupReport.from_parameters(group_id="KSB-04", year=2023, workbook="sample", chart_brand={"primary_color": 1})


def test_a_very_wide_logo_keeps_to_its_box_in_word(tmp_path, document):
    import docx

    from tjsl_eval.render.docx_report import LOGO_BOXES, docx_bytes

    wide = f'<svg {NS} width="2000" height="100"><rect width="2000" height="100" fill="#0B4F6C"/></svg>'
    (tmp_path / "params").mkdir()
    (tmp_path / "params" / "wide.svg").write_text(wide, encoding="utf-8")
    brand = review_with(tmp_path, "brand:\n  logo: wide.svg\n").brand
    word = docx.Document(io.BytesIO(docx_bytes(document, "0" * 64, brand=brand)))
    header = word.sections[0].header._element.xpath(".//wp:extent")
    cover = word.inline_shapes[0]
    assert [int(header[0].get("cx")), cover.width] == [LOGO_BOXES["header"][0], LOGO_BOXES["cover"][0]]
    assert cover.height < LOGO_BOXES["cover"][1] and int(header[0].get("cy")) < LOGO_BOXES["header"][1]


def test_an_svg_logo_without_the_cairo_library_is_refused_with_the_reason(tmp_path, monkeypatch):
    from tjsl_eval.inputs import svg_logo

    def missing():
        raise OSError("no library called 'cairo-2' was found")

    monkeypatch.setattr(svg_logo, "_surface_class", missing)
    (tmp_path / "params").mkdir()
    (tmp_path / "params" / "mark.svg").write_text(LOGO_SVG.replace("300", "301"), encoding="utf-8")  # not cached
    with pytest.raises(InputError, match="brand.*logo: an SVG logo is drawn with the cairo library, which is not"):
        review_with(tmp_path, "brand:\n  logo: mark.svg\n")

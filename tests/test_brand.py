"""The params key ``brand``: checked values, refused bad ones, and its part in a report's fingerprint."""

import io

import pytest
from PIL import Image
from test_params import VALID

from tjsl_eval.batch.run import report_inputs
from tjsl_eval.batch.sources import brand_files
from tjsl_eval.common.problems import InputError
from tjsl_eval.inputs.brand import DEFAULT_BRAND
from tjsl_eval.inputs.params import load_review

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

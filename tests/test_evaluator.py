"""The evaluator's words and pictures: sheets narasi, dokumentasi and penilaian_dac, checked, processed and shown."""

import io
import shutil

import numpy as np
import pytest
from click.testing import CliRunner
from conftest import header, valid_sheets, write_xlsx
from PIL import Image

from tjsl_eval.batch.cache import cached_workbook, remember_workbook
from tjsl_eval.batch.manifest import group_fingerprints, part_fingerprints, portfolio_fingerprint
from tjsl_eval.cli import main
from tjsl_eval.inputs.sources import SAMPLE_PATH
from tjsl_eval.inputs.synthetic_photos import LABEL, SAMPLE_PICTURES, jpeg_bytes
from tjsl_eval.inputs.workbook import load_workbook, validate_workbook
from tjsl_eval.methods import dac, evaluation
from tjsl_eval.render import evaluator
from tjsl_eval.render.images import MAX_BYTES, MAX_SIDE, process_image
from tjsl_eval.render.markdown import markdown_html
from tjsl_eval.render.portfolio_report import PortfolioReport
from tjsl_eval.render.report import GroupReport

GPS_IFD, ORIENTATION = 0x8825, 0x0112
XMP = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF/></x:xmpmeta>'


def photo_file(path, size=(64, 48), colour=(200, 30, 30)):
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", size, colour).save(path, "JPEG")
    return path


def with_evaluator_sheets(narrative=(), photos=(), judgements=()):
    sheets = valid_sheets()
    sheets["narasi"] = [header("narasi"), *narrative]
    sheets["dokumentasi"] = [header("dokumentasi"), *photos]
    sheets["penilaian_dac"] = [header("penilaian_dac"), *judgements]
    return sheets


# --- validation -----------------------------------------------------------------------------------------------------


def test_every_photo_problem_at_once_with_sheet_row_and_column(tmp_path):
    folder = tmp_path / "review"
    photo_file(folder / "foto" / "ok.jpg")
    (folder / "foto" / "text.jpg").write_text("not a picture")
    (folder / "foto" / "cut.jpg").write_bytes((folder / "foto" / "ok.jpg").read_bytes()[:300])
    photo_file(folder / "foto" / "anim.gif")
    outside = photo_file(tmp_path / "secret.jpg")
    (folder / "foto" / "link.jpg").symlink_to(outside)
    rows = [
        ["BSM-01", 2023, "foto/ok.jpg", "fine", None, None],
        ["BSM-01", 2023, "foto/none.jpg", "missing", None, None],
        ["BSM-01", 2023, "foto/text.jpg", "not an image", None, None],
        ["BSM-01", 2023, "foto/cut.jpg", "corrupt", None, None],
        ["BSM-01", 2023, "foto/anim.gif", "extension", None, None],
        ["BSM-01", 2023, "../secret.jpg", "leaves", None, None],
        ["BSM-01", 2023, str(outside), "absolute", None, None],
        ["BSM-01", 2023, "foto/link.jpg", "symlink out", None, None],
        ["NOPE-9", 2023, "foto/ok.jpg", "unknown group", None, "kegiatan"],
        ["BSM-01", 2023, "foto/ok.jpg", "unknown section", None, "sampul"],
        ["BSM-01", 2023, "foto/ok.jpg", None, None, None],
    ]
    sheets = with_evaluator_sheets(
        narrative=[["BSM-01", 2023, "lampiran", "teks", None]],
        photos=rows,
        judgements=[["BSM-01", 2023, "dampak", "ungu", "alasan"], ["BSM-01", 2023, "relevansi", "hijau", None]],
    )
    workbook, problems = validate_workbook(write_xlsx(folder / "review.xlsx", sheets))
    assert workbook is None
    found = {(p.sheet, p.row, p.column): p.message for p in problems}
    assert "does not exist" in found[("dokumentasi", 3, "berkas")]
    assert "not an image or is damaged" in found[("dokumentasi", 4, "berkas")]
    assert "not an image or is damaged" in found[("dokumentasi", 5, "berkas")]
    assert "ending in .jpg, .jpeg, .png, .webp" in found[("dokumentasi", 6, "berkas")]
    assert "leads outside" in found[("dokumentasi", 7, "berkas")]
    assert "not an absolute path" in found[("dokumentasi", 8, "berkas")]
    assert "leads outside" in found[("dokumentasi", 9, "berkas")]
    assert "kelompok" in found[("dokumentasi", 10, "id_kelompok")]
    assert "'sampul'" in found[("dokumentasi", 11, "bagian")] and "kesimpulan" in found[("dokumentasi", 11, "bagian")]
    assert "a value is required" in found[("dokumentasi", 12, "keterangan")]
    assert "'lampiran'" in found[("narasi", 2, "bagian")]
    assert "'ungu'" in found[("penilaian_dac", 2, "nilai")] and "hijau" in found[("penilaian_dac", 2, "nilai")]
    assert "a value is required" in found[("penilaian_dac", 3, "alasan")]
    assert ("dokumentasi", 2, "berkas") not in found
    assert all(str(problem).startswith(str(folder / "review.xlsx")) for problem in problems)


def test_a_file_named_by_many_rows_is_read_once_and_each_row_is_answered(tmp_path, monkeypatch):
    from tjsl_eval.inputs import photos

    folder = tmp_path / "review"
    photo_file(folder / "foto" / "ok.jpg")
    (folder / "foto" / "cut.jpg").write_bytes((folder / "foto" / "ok.jpg").read_bytes()[:300])
    reads = []
    original = photos.read_photo
    monkeypatch.setattr(photos, "read_photo", lambda folder, file: reads.append(file) or original(folder, file))
    rows = [
        ["BSM-01", 2023, "foto/ok.jpg", "one", None, None],
        ["BSM-01", 2023, "foto\\ok.jpg", "the same file, typed on Windows", None, None],
        ["BSM-01", 2023, "foto/cut.jpg", "damaged", None, None],
        ["BSM-01", 2023, "foto/ok.jpg", "again", None, None],
        ["BSM-01", 2023, "foto/cut.jpg", "damaged again", None, None],
    ]
    workbook, problems = validate_workbook(write_xlsx(folder / "review.xlsx", with_evaluator_sheets(photos=rows)))
    assert sorted(reads) == ["foto/cut.jpg", "foto/ok.jpg"]
    damaged = [(p.row, p.column) for p in problems if "not an image or is damaged" in p.message]
    assert damaged == [(4, "berkas"), (6, "berkas")] and len(problems) == 2
    assert all("found 'foto/cut.jpg'" in p.message for p in problems)


def test_english_names_and_the_csv_folder_as_the_photos_folder(tmp_path):
    folder = tmp_path / "csv"
    folder.mkdir()
    photo_file(folder / "pictures" / "a.jpg")
    (folder / "groups.csv").write_text(
        "group_id,name,program,pillar,kelurahan,start_year\nG1,Group,Prog,social,Margasari,2021\n", encoding="utf-8"
    )
    (folder / "photos.csv").write_text(
        "GROUP_ID,Year,File,Caption,Date,Section\nG1,2023,pictures\\a.jpg,A photo,17/01/2023,Budget\n",
        encoding="utf-8",
    )
    (folder / "narrative.csv").write_text(
        "group_id,year,section,text\n,2023,conclusion,The programme\nG1,2023,findings,Note\n", encoding="utf-8"
    )
    (folder / "dac_judgement.csv").write_text(
        "group_id,year,criterion,light,justification\nG1,2023,impact,amber,Why\n", encoding="utf-8"
    )
    workbook = load_workbook(folder)
    photos = workbook["photos"]
    assert list(photos["file"]) == ["pictures/a.jpg"] and list(photos["section"]) == ["anggaran"]
    assert len(photos["sha256"].iloc[0]) == 64
    assert [e.section for e in evaluator.narrative(workbook, None, 2023)] == ["conclusion"]
    assert [e.section for e in evaluator.narrative(workbook, "G1", 2023)] == ["findings"]
    assert dac.dac_judgements(workbook, "G1", 2023)["dampak"].light == "kuning"


# --- images ---------------------------------------------------------------------------------------------------------


def large_photo(orientation: int) -> bytes:
    """A 24-megapixel JPEG (6000 × 4000, left half red, right half blue, noisy like a photo) with EXIF GPS, an
    orientation, XMP and a comment."""
    rng = np.random.default_rng(1)
    pixels = np.zeros((4000, 6000, 3), dtype=np.uint8)
    pixels[:, :3000] = (200, 40, 40)
    pixels[:, 3000:] = (40, 40, 200)
    pixels = np.clip(pixels + rng.normal(0, 10, pixels.shape), 0, 255).astype(np.uint8)
    exif = Image.Exif()
    exif[ORIENTATION] = orientation
    exif[GPS_IFD] = {1: "S", 2: (1.0, 16.0, 30.0), 3: "E", 4: (116.0, 50.0, 10.0)}
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, "JPEG", quality=92, exif=exif, xmp=XMP, comment=b"rumah penerima manfaat")
    return buffer.getvalue()


def test_a_24_megapixel_photo_is_upright_small_and_without_metadata():
    source = large_photo(orientation=6)  # shown turned 90° clockwise: the red left half on top
    processed = process_image(source)
    assert processed.mime == "image/jpeg"
    assert len(processed.data) <= MAX_BYTES and len(processed.data_uri()) <= 410_000
    image = Image.open(io.BytesIO(processed.data))
    assert image.size == (processed.width, processed.height) and max(image.size) == MAX_SIDE
    assert image.height > image.width  # turned upright: portrait
    top, bottom = image.getpixel((image.width // 2, 50)), image.getpixel((image.width // 2, image.height - 50))
    assert top[0] > 150 > top[2] and bottom[2] > 150 > bottom[0]
    assert not dict(image.getexif())
    assert not {"exif", "xmp", "icc_profile", "comment"} & set(image.info)
    for marker in (b"Exif", b"GPS", b"xmpmeta", b"rumah", b"http://ns.adobe.com"):
        assert marker not in processed.data
    assert process_image(source).data == processed.data  # the same bytes every time


def test_graphics_stay_png_and_transparency_and_profiles_are_handled():
    from PIL import ImageCms

    graphic = Image.new("RGBA", (2400, 600), (0, 0, 0, 0))
    graphic.paste((30, 120, 200, 255), (0, 0, 1200, 600))
    buffer = io.BytesIO()
    graphic.save(buffer, "PNG", icc_profile=ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())
    processed = process_image(buffer.getvalue())
    assert processed.mime == "image/png" and (processed.width, processed.height) == (1600, 400)
    image = Image.open(io.BytesIO(processed.data))
    assert image.mode == "RGBA" and "icc_profile" not in image.info
    webp = io.BytesIO()
    Image.new("RGB", (300, 200), (10, 200, 10)).save(webp, "WEBP")
    assert process_image(webp.getvalue()).mime == "image/jpeg"


# --- Markdown -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "source, absent, present",
    [
        ("<script>alert(1)</script>", "<script", "&lt;script&gt;"),
        ('<img src=x onerror="alert(1)">', "<img", "&lt;img src=x onerror="),
        ("[klik](javascript:alert(1))", 'href="javascript:', "[klik](javascript:alert(1))"),
        ("[data](data:text/html;base64,PHNjcmlwdD4=)", 'href="data:', "[data]"),
        ("![foto](data:image/png;base64,AAAA)", "data:image", "foto"),
        ("[relatif](../../rahasia.html)", 'href="../', "relatif"),
        ('<a href="https://x.id" onclick="alert(1)">a</a>', "<a href", "onclick"),
        ("<svg onload=alert(1)></svg>", "<svg", "&lt;svg onload=alert(1)&gt;"),
    ],
)
def test_raw_html_and_unsafe_links_never_become_markup(source, absent, present):
    rendered = markdown_html(source)
    assert absent not in rendered and present in rendered


def test_markdown_paragraphs_emphasis_lists_quotes_and_safe_links():
    rendered = markdown_html(
        "Satu **tebal** *miring*.\n\n- a\n- b\n\n> Kutipan warga\n\n[situs](https://contoh.id) [surel](mailto:a@b.id)"
    )
    for markup in ("<strong>tebal</strong>", "<em>miring</em>", "<ul>", "<li>a</li>", "<blockquote>"):
        assert markup in rendered
    assert 'href="https://contoh.id"' in rendered and 'href="mailto:a@b.id"' in rendered


# --- the reports ----------------------------------------------------------------------------------------------------


def section_markup(html: str, key: str) -> str:
    return html.split(f'id="section-{key}"', 1)[1].split('<h2 class="tjsl-section"', 1)[0]


def test_the_sample_report_shows_narrative_quotes_photos_and_the_conclusion():
    report = GroupReport.from_parameters(group_id="BSM-01", year=2023, workbook="sample")
    activities = report.activities().markup
    assert activities.index("<table") < activities.index("tjsl-narrative") < activities.index("tjsl-photos")
    assert activities.count('<figure class="tjsl-photo">') == 2
    assert "data:image/jpeg;base64," in activities and "(ilustrasi sintetis)" in activities
    assert "12 September 2023" in activities
    assert "<blockquote>" in report.fgd().markup
    assert 'href="mailto:bendahara@contoh.invalid"' in report.budget().markup
    conclusion = report.conclusion().markup
    assert "Kesimpulan evaluator" in conclusion and "<strong>siap dikurangi pendampingannya</strong>" in conclusion
    assert "Kesimpulan evaluator" in report.title().markup  # in the contents


def test_a_differing_dac_judgement_is_shown_beside_the_computed_light_and_stands_in_the_findings():
    report = GroupReport.from_parameters(group_id="KSB-04", year=2023, workbook="sample")
    dac = report.dac().markup
    row = dac.split("<td>Dampak</td>", 1)[1].split("</tr>", 1)[0]
    assert "tjsl-hijau" in row and "tjsl-kuning" in row and "berbeda dari hasil hitungan" in row
    assert "Rasio SROI bertumpu pada proksi asumsi" in row
    findings = report.findings().markup
    assert "evaluator menilai Kuning (perlu perhatian), berbeda dari hasil hitungan (Hijau (baik))" in findings
    kinds = [f["kind"] for f in evaluation.group_metrics(report.workbook, "KSB-04", 2023)["findings"]]
    assert "dac_judgement" in kinds
    same = GroupReport.from_parameters(group_id="BSM-01", year=2023, workbook="sample")
    assert "Penilaian evaluator" not in same.dac().markup


def test_narrative_without_figures_many_photos_and_no_conclusion(tmp_path):
    folder = tmp_path / "review"
    for number in range(8):
        photo_file(folder / "foto" / f"{number}.jpg", colour=(number * 30, 100, 100))
    sheets = with_evaluator_sheets(
        narrative=[
            ["UMKM-02", 2023, "sroi", "Belum ada data **SROI**; ini catatan pertama.", "Evaluator"],
            ["UMKM-02", 2023, "sroi", "Catatan kedua.", None],
        ],
        photos=[["UMKM-02", 2023, f"foto/{n}.jpg", f"Foto {n}", None, "ikm"] for n in range(8)],
    )
    report = GroupReport.from_parameters(
        group_id="UMKM-02", year=2023, workbook=str(write_xlsx(folder / "review.xlsx", sheets))
    )
    sroi = report.sroi().markup
    assert "Belum ada" in sroi and sroi.index("ini catatan pertama") < sroi.index("Catatan kedua")
    assert "— Evaluator" in sroi
    ikm = report.ikm().markup
    assert ikm.count("<figure") == 8 and "tjsl-photos-many" in ikm
    assert "Evaluator belum menulis kesimpulan" in report.conclusion().markup


def test_the_portfolio_shows_the_programme_narrative_and_photo_counts():
    summary = PortfolioReport.from_parameters(year=2023, workbook="sample")
    narrative = summary.narrative().markup
    assert "Catatan evaluator untuk seluruh program" in narrative and "<h3>Kesimpulan evaluator</h3>" in narrative
    assert "<strong>menyerap anggaran sesuai rencana</strong>" in narrative
    table = summary.groups_table().markup
    assert ">Foto</th>" in table and '<td data-sort="3">3</td>' in table


# --- fingerprints and the cache -------------------------------------------------------------------------------------


@pytest.fixture
def sample_copy(tmp_path):
    return shutil.copytree(SAMPLE_PATH, tmp_path / "sample")


def test_a_photo_or_narrative_change_makes_only_its_group_stale(sample_copy):
    before = load_workbook(sample_copy)
    fingerprints, parts = group_fingerprints(before), part_fingerprints(before)
    portfolio = portfolio_fingerprint(before)
    (sample_copy / "dokumentasi" / "ksb-04-rambu.jpg").write_bytes(jpeg_bytes("other", 99))
    changed = load_workbook(sample_copy)
    after = group_fingerprints(changed)
    assert {group for group in after if after[group] != fingerprints[group]} == {"KSB-04"}
    assert part_fingerprints(changed)["KSB-04"]["photos"] != parts["KSB-04"]["photos"]
    assert part_fingerprints(changed)["KSB-04"]["narrative"] == parts["KSB-04"]["narrative"]
    assert portfolio_fingerprint(changed) == portfolio  # it counts photos, shows none
    photos = (sample_copy / "dokumentasi.csv").read_text(encoding="utf-8")
    removed = "\n".join(line for line in photos.splitlines() if "psy-05-pmt" not in line) + "\n"
    (sample_copy / "dokumentasi.csv").write_text(removed, encoding="utf-8")
    narrative = (sample_copy / "narasi.csv").read_text(encoding="utf-8")
    (sample_copy / "narasi.csv").write_text(narrative + "HDP-06,2023,temuan,Catatan baru,\n", encoding="utf-8")
    again = load_workbook(sample_copy)
    latest = group_fingerprints(again)
    assert {group for group in latest if latest[group] != after[group]} == {"PSY-05", "HDP-06"}
    assert portfolio_fingerprint(again) != portfolio  # a photo fewer to count, a narrative row more
    (sample_copy / "narasi.csv").write_text(narrative + ",2023,rencana,Program baru,\n", encoding="utf-8")
    final = load_workbook(sample_copy)
    assert portfolio_fingerprint(final) not in (portfolio, portfolio_fingerprint(again))  # the programme's narrative
    assert group_fingerprints(final) == {**latest, "HDP-06": after["HDP-06"]}


def test_status_names_the_photo_or_narrative_that_made_a_report_stale(tmp_path):
    photo_file(tmp_path / "foto" / "a.jpg")
    sheets = with_evaluator_sheets(
        narrative=[["BSM-01", 2023, "kesimpulan", "Baik.", None]],
        photos=[["BSM-01", 2023, "foto/a.jpg", "Foto", "2023-06-17", None]],
    )
    write_xlsx(tmp_path / "review.xlsx", sheets)
    params = tmp_path / "review.yaml"
    params.write_text(
        "title: Uji\norganiser: Unit\nfgd_date: 2024-01-16\nvenue: Balikpapan\nevaluated_year: 2023\n"
        "workbook: review.xlsx\noutput_folder: out\n",
        encoding="utf-8",
    )
    made = CliRunner().invoke(main, ["run", str(params)])
    assert made.exit_code == 0, made.output
    html = (tmp_path / "out" / "BSM-01.html").read_text(encoding="utf-8")
    assert '<figure class="tjsl-photo"><img src="data:image/jpeg;base64,' in html and "Kesimpulan evaluator" in html
    photo_file(tmp_path / "foto" / "a.jpg", colour=(10, 10, 240))
    status = CliRunner().invoke(main, ["status", str(params)]).output
    assert "BSM-01: stale — its data changed; its photos changed" in status
    assert "UMKM-02: up to date" in status and "portfolio: up to date" in status
    sheets["narasi"][1][3] = "Baik sekali."
    write_xlsx(tmp_path / "review.xlsx", sheets)
    status = CliRunner().invoke(main, ["status", str(params)]).output
    assert "BSM-01: stale — its data changed; its photos changed; its narrative or DAC judgement changed" in status
    assert "UMKM-02: up to date" in status


def test_the_cached_workbook_is_not_used_once_a_photo_changed(sample_copy, tmp_path):
    output = tmp_path / "out"
    remember_workbook(load_workbook(sample_copy), str(sample_copy), output)
    assert cached_workbook(str(sample_copy), output) is not None
    (sample_copy / "dokumentasi" / "bsm-01-gudang.jpg").write_bytes(jpeg_bytes("changed", 5, (400, 300)))
    assert cached_workbook(str(sample_copy), output) is None


def test_a_photo_changed_after_validation_is_refused_not_shown(sample_copy):
    workbook = load_workbook(sample_copy)
    (sample_copy / "dokumentasi" / "bsm-01-timbang.jpg").write_bytes(jpeg_bytes("changed", 5))
    with pytest.raises(ValueError, match="changed after the workbook was validated"):
        list(evaluator.photos(workbook, "BSM-01", 2023))


def test_the_sample_pictures_are_labelled_synthetic_and_made_by_the_generator():
    assert "SINTETIS" in LABEL and "synthetic" in LABEL
    assert sorted(SAMPLE_PICTURES) == sorted(f"dokumentasi/{p.name}" for p in (SAMPLE_PATH / "dokumentasi").iterdir())
    for seed, (file, title) in enumerate(SAMPLE_PICTURES.items()):
        committed = np.asarray(Image.open(SAMPLE_PATH / file), dtype=np.int16)
        generated = np.asarray(Image.open(io.BytesIO(jpeg_bytes(title, seed))), dtype=np.int16)
        assert np.abs(committed - generated).mean() < 2, file  # the same picture (another Pillow may differ a bit)

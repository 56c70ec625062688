"""A review archive checked where it lies: every entry hashed while the zip is read, nothing extracted.

Before a byte is hashed the zip's directory is checked against the limits of
:mod:`tjsl_eval.common.limits` ("Archives"): the number of entries, each entry's uncompressed size and
compression ratio, their total, safe names (no absolute path, ``..``, backslash or control character),
no name twice, no encrypted entry, only stored or deflated data. Each entry is then read by
:mod:`tjsl_eval.common.zip_reading`, its real size counted: damaged data (a bad CRC, broken deflate data,
more or fewer bytes than declared) is refused naming the entry. ``tjsl-eval verify --rerun`` extracts the
inputs only after this check and a plain verify passed. This module words the issues for the archive's reader.
"""

from __future__ import annotations

import hashlib
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tjsl_eval.common.limits import (
    ARCHIVE_ENTRIES,
    ARCHIVE_ENTRY_BYTES,
    ARCHIVE_RATIO,
    ARCHIVE_RATIO_FROM,
    ARCHIVE_TOTAL_BYTES,
)
from tjsl_eval.common.problems import InputError, Problem
from tjsl_eval.common.zip_reading import ZipIssue, ZipIssueError, ZipLimits, directory_issues, entry_chunks, open_zip

LIMITS = ZipLimits(
    ARCHIVE_ENTRY_BYTES,
    ARCHIVE_TOTAL_BYTES,
    ARCHIVE_RATIO,
    ARCHIVE_RATIO_FROM,
    entries=ARCHIVE_ENTRIES,
    safe_names=True,
)
GiB = 1024**3


@dataclass(frozen=True)
class ArchivedFile:
    """One checked entry of a review archive: its SHA-256 was taken when the archive was checked; its
    bytes are read from the zip again when needed (and refused if they changed since)."""

    archive: Path
    name: str
    size: int
    sha256: str

    def is_file(self) -> bool:
        return True

    def read_bytes(self) -> bytes:
        digest = hashlib.sha256()
        with _opened(self.archive) as archive:
            data = b"".join(_blocks(archive, archive.getinfo(self.name), str(self.archive), digest))
        if digest.hexdigest() != self.sha256:
            raise InputError([Problem(str(self.archive), message=f"{self.name} changed while it was read")])
        return data


def _blocks(archive: zipfile.ZipFile, entry: zipfile.ZipInfo, label: str, digest) -> Iterator[bytes]:
    """The entry's bytes in blocks, each added to ``digest``; damaged data or an entry over its limit is an
    :class:`InputError` naming the archive ``label`` and the entry."""
    try:
        for block in entry_chunks(archive, entry, ARCHIVE_ENTRY_BYTES):
            digest.update(block)
            yield block
    except ZipIssueError as error:
        raise InputError([Problem(label, message=_message(error.issue))]) from None


def _message(issue: ZipIssue) -> str:
    """An issue of the archive in the words of the person checking it, the entry's name first."""
    name, size, compressed = issue.name, issue.size, issue.entry.compress_size if issue.entry else 0
    return {
        "entries": f"holds {issue.count:,} entries; a review archive holds at most {ARCHIVE_ENTRIES:,}",
        "twice": f"{name}: is in the archive {issue.count} times",
        "name": f"{name!r}: {issue.detail}",
        "encrypted": f"{name}: is encrypted; a review archive is never encrypted",
        "method": f"{name}: is compressed with method {issue.detail}; expected stored or deflated",
        "size": f"{name}: is {size / GiB:.1f} GB uncompressed; the limit is {ARCHIVE_ENTRY_BYTES / GiB:.0f} GB",
        "ratio": f"{name}: expands {size // max(compressed, 1):,} times ({size:,} bytes from {compressed:,}); the "
        f"limit is {ARCHIVE_RATIO} times (a zip bomb?)",
        "total": f"holds {size / GiB:.1f} GB uncompressed; the limit is {ARCHIVE_TOTAL_BYTES / GiB:.0f} GB",
        "damaged": f"{name}: its data is damaged ({issue.detail}); ask for a new copy of the archive",
    }.get(issue.kind, f"cannot be read as a zip file ({issue.detail})")


def _directory_problems(entries: list[zipfile.ZipInfo]) -> list[str]:
    """Everything wrong with an archive's directory (its list of entries), before any entry is read: names
    given twice, the first issue of each entry, the total."""
    reported, problems = set(), []
    for issue in directory_issues(entries, LIMITS):
        if issue.kind == "twice" or issue.entry is None or id(issue.entry) not in reported:
            problems.append(_message(issue))
        if issue.kind != "twice":
            reported.add(id(issue.entry))
    return problems


@contextmanager
def _opened(path: Path) -> Iterator[zipfile.ZipFile]:
    """The zip at ``path``; one that cannot be read as a zip is an :class:`InputError` naming it."""
    try:
        with open_zip(path) as archive:
            yield archive
    except ZipIssueError as error:
        if error.issue.kind != "unreadable":
            raise
        raise InputError([Problem(str(path), message=_message(error.issue))]) from None


def checked_archive(path: Path) -> dict[str, ArchivedFile]:
    """Every file of the zip archive at ``path`` by name, each hashed as it is read; raises
    :class:`InputError` naming the archive (and the entry) when the archive is over a limit, has an
    unsafe, repeated or encrypted entry, or damaged data."""
    label = str(path)
    with _opened(path) as archive:
        entries = [entry for entry in archive.infolist() if not entry.is_dir()]
        problems = _directory_problems(entries)
        if problems:
            raise InputError([Problem(label, message=problem) for problem in problems])
        return {entry.filename: _hashed(archive, entry, path) for entry in entries}


def _hashed(archive: zipfile.ZipFile, entry: zipfile.ZipInfo, path: Path) -> ArchivedFile:
    digest = hashlib.sha256()
    for _ in _blocks(archive, entry, str(path), digest):
        pass
    return ArchivedFile(path, entry.filename, entry.file_size, digest.hexdigest())


def extract(files: list[ArchivedFile], folder: Path) -> None:
    """Write checked entries (of one archive) under ``folder`` by their names, streamed from the zip opened
    once, each checked again against the hash taken when the archive was checked."""
    if not files:
        return
    label = str(files[0].archive)
    with _opened(files[0].archive) as archive:
        for file in files:
            target = folder / file.name
            target.parent.mkdir(parents=True, exist_ok=True)
            digest = hashlib.sha256()
            with open(target, "wb") as written:
                for block in _blocks(archive, archive.getinfo(file.name), label, digest):
                    written.write(block)
            if digest.hexdigest() != file.sha256:
                raise InputError([Problem(label, message=f"{file.name} changed while it was read")])

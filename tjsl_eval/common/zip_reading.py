"""A zip file read without trusting it: the one reader of workbooks, reference documents and review archives.

Its directory is checked first, against limits its caller gives (:class:`ZipLimits`): the number of entries,
each entry's declared uncompressed size and compression ratio, their total, encrypted entries, names given twice
(also with another case or separator where the caller says so), unsafe names, and compression methods other than
stored and deflated (bzip2 and LZMA are not decompressed in bounded steps). An entry is then read in chunks whose
real size is counted: reading stops as soon as more bytes come out than the entry declares (the checked size) or
than the caller's limit, and its CRC is checked at its end. Whatever is wrong is one :class:`ZipIssue` (a kind,
the entry, the numbers); each caller words it for its readers, or takes :meth:`ZipIssue.describe`.
"""

from __future__ import annotations

import copy
import io
import posixpath
import zipfile
import zlib
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

BLOCK = 1 << 20
METHODS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)
NO_ZIP = (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError, ValueError)
DAMAGED = (*NO_ZIP, OSError)  # reading an entry: broken data, a bad CRC, a file cut short


@dataclass(frozen=True)
class ZipLimits:
    """The most a zip may hold, and how its names are compared."""

    entry_bytes: int  # one entry, uncompressed
    total_bytes: int  # all entries together, uncompressed
    ratio: float  # uncompressed / compressed size of an entry larger than ratio_from
    ratio_from: int
    entries: int | None = None  # how many entries (None: any number)
    fold_names: bool = False  # names compared with '\' as '/' and case ignored (Office part names)
    safe_names: bool = False  # only relative paths without '..', '\' or control characters (files to extract)


@dataclass(frozen=True)
class ZipIssue:
    """One thing wrong with a zip. ``kind`` is one of ``entries``, ``twice``, ``name``, ``encrypted``, ``method``,
    ``size``, ``ratio``, ``total`` (found in the directory), ``damaged`` (found while reading an entry) and
    ``unreadable`` (no zip at all); ``size`` is the bytes concerned, ``count`` the entries or times a name
    appears, ``detail`` what the check or the zip library said."""

    kind: str
    entry: zipfile.ZipInfo | None = None
    size: int = 0
    count: int = 0
    detail: str = ""

    @property
    def name(self) -> str:
        return self.entry.filename if self.entry is not None else ""

    def describe(self, limits: ZipLimits) -> str:
        """The issue in plain words, for a caller without messages of its own."""
        compressed = self.entry.compress_size if self.entry is not None else 0
        return {
            "entries": f"holds {self.count:,} entries; expected at most {limits.entries or 0:,}",
            "twice": f"the entry {self.name} appears {self.count} times (a tampered copy?)",
            "name": f"the entry {self.name!r} {self.detail}",
            "encrypted": f"the entry {self.name} is encrypted",
            "method": f"the entry {self.name} is compressed with method {self.detail}; expected stored or deflated",
            "size": f"the entry {self.name} holds more than {limits.entry_bytes:,} bytes uncompressed",
            "ratio": f"the entry {self.name} is compressed more than {limits.ratio:g} to 1 ({self.size:,} bytes in "
            f"{compressed:,}; a zip bomb?)",
            "total": f"expected at most {limits.total_bytes:,} bytes in all, uncompressed; there are {self.size:,}",
            "damaged": f"the entry {self.name} is damaged ({self.detail})",
        }.get(self.kind, f"cannot be read as a zip file ({self.detail})")


class ZipIssueError(Exception):
    """A zip over a limit, damaged or no zip at all: :attr:`issue` says which entry and why."""

    def __init__(self, issue: ZipIssue):
        super().__init__(issue.kind, issue.name, issue.detail)
        self.issue = issue


@contextmanager
def open_zip(source: Path | bytes) -> Iterator[zipfile.ZipFile]:
    """The zip file at ``source`` (a path, or its bytes); a file that is no readable zip is a
    :class:`ZipIssueError` of kind ``unreadable``."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(source) if isinstance(source, bytes) else source)
    except NO_ZIP as error:  # an OSError (no such file, permission denied) goes on: it is the caller's to word
        raise ZipIssueError(ZipIssue("unreadable", detail=str(error))) from None
    with archive:
        yield archive


def folded(name: str) -> str:
    """An Office part name as compared: forward slashes, no leading slash, lower case (part names ignore case)."""
    return posixpath.normpath(name.replace("\\", "/").lstrip("/")).lower()


def name_problem(name: str) -> str | None:
    """Why ``name`` is not a path an entry may be extracted to (None when it is fine)."""
    parts = PurePosixPath(name).parts
    if not parts or name.startswith("/") or "\\" in name or ".." in parts or ":" in parts[0]:
        return "is not a relative path inside the archive"
    if any(ord(character) < 32 or ord(character) == 127 for character in name):
        return "has a control character in its name"
    return None


def directory_issues(entries: list[zipfile.ZipInfo], limits: ZipLimits) -> list[ZipIssue]:
    """Everything wrong with ``entries`` (a zip's directory, or the part of it the caller reads) before any is
    decompressed: too many entries (then nothing else), names given twice, then each entry's issues in the
    order name, encrypted, method, size, ratio (all of them: a caller may report the first of each entry), then
    the total."""
    if limits.entries is not None and len(entries) > limits.entries:
        return [ZipIssue("entries", count=len(entries))]
    key = folded if limits.fold_names else str
    counts = Counter(key(entry.filename) for entry in entries)
    issues, seen, total = [], set(), 0
    for entry in entries:
        if counts[key(entry.filename)] > 1 and key(entry.filename) in seen:
            issues.append(ZipIssue("twice", entry, count=counts[key(entry.filename)]))
            counts[key(entry.filename)] = 0  # named once, at its second appearance
        seen.add(key(entry.filename))
    for entry in entries:
        issues.extend(_entry_issues(entry, limits))
        total += entry.file_size
    if total > limits.total_bytes:
        issues.append(ZipIssue("total", size=total))
    return issues


def _entry_issues(entry: zipfile.ZipInfo, limits: ZipLimits) -> list[ZipIssue]:
    found = []
    if limits.safe_names and (reason := name_problem(entry.filename)) is not None:
        found.append(ZipIssue("name", entry, detail=reason))
    if entry.flag_bits & 0x1:
        found.append(ZipIssue("encrypted", entry))
    if entry.compress_type not in METHODS:
        found.append(ZipIssue("method", entry, detail=str(entry.compress_type)))
    size = entry.file_size
    if size > limits.entry_bytes:
        found.append(ZipIssue("size", entry, size))
    if size > limits.ratio_from and size > limits.ratio * max(entry.compress_size, 1):
        found.append(ZipIssue("ratio", entry, size))
    return found


def entry_chunks(archive: zipfile.ZipFile, entry: zipfile.ZipInfo, limit: int) -> Iterator[bytes]:
    """The bytes of ``entry`` (whose directory record was checked) in chunks of about :data:`BLOCK`, counted as
    they are inflated: a :class:`ZipIssueError` of kind ``size`` once more than ``limit`` bytes come out, and of
    kind ``damaged`` once more than the entry declares come out, when fewer do, for a bad CRC or broken data."""
    declared = entry.file_size
    unbounded = copy.copy(entry)
    unbounded.file_size = max(declared, limit) + 1  # read to the true end of the data, not to what is claimed
    total = 0
    try:
        with archive.open(unbounded) as stream:
            while block := stream.read(BLOCK):
                total += len(block)
                if total > limit:
                    raise ZipIssueError(ZipIssue("size", entry, total))
                if total > declared:
                    raise ZipIssueError(
                        ZipIssue("damaged", entry, total, detail=f"more than the {declared:,} bytes its header says")
                    )
                yield block
    except DAMAGED as error:
        raise ZipIssueError(ZipIssue("damaged", entry, total, detail=f"{type(error).__name__}: {error}")) from None
    if total != declared:
        detail = f"{total:,} bytes where its header says {declared:,}"
        raise ZipIssueError(ZipIssue("damaged", entry, total, detail=detail))


def read_entry(archive: zipfile.ZipFile, entry: zipfile.ZipInfo, limit: int) -> bytes:
    """The bytes of ``entry``, whole (see :func:`entry_chunks`)."""
    return b"".join(entry_chunks(archive, entry, limit))

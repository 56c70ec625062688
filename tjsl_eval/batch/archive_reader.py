"""A review archive checked where it lies: every entry hashed while the zip is read, nothing extracted.

Before a byte is hashed the zip's directory is checked against the limits of
:mod:`tjsl_eval.common.limits` ("Archives"): the number of entries, each entry's uncompressed size and
compression ratio, their total, safe names (no absolute path, ``..``, backslash or control character),
no name twice, no encrypted entry, only stored or deflated data. Damaged data (a bad CRC, broken deflate
data) is refused naming the entry. ``tjsl-eval verify --rerun`` extracts the inputs only after this check
and a plain verify passed.
"""

from __future__ import annotations

import hashlib
import zipfile
import zlib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from tjsl_eval.common.limits import (
    ARCHIVE_ENTRIES,
    ARCHIVE_ENTRY_BYTES,
    ARCHIVE_RATIO,
    ARCHIVE_RATIO_FROM,
    ARCHIVE_TOTAL_BYTES,
)
from tjsl_eval.common.problems import InputError, Problem

BLOCK = 1 << 20
METHODS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)  # bzip2 and LZMA are decompressed unbounded by zipfile
DAMAGED = (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError, ValueError)
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
        try:
            with zipfile.ZipFile(self.archive) as archive:
                data = archive.read(self.name)
        except DAMAGED as error:
            raise InputError([Problem(str(self.archive), message=f"{self.name}: {_damage(error)}")]) from None
        if hashlib.sha256(data).hexdigest() != self.sha256:
            raise InputError([Problem(str(self.archive), message=f"{self.name} changed while it was read")])
        return data


def _damage(error: BaseException) -> str:
    return f"its data is damaged ({type(error).__name__}: {error}); ask for a new copy of the archive"


def name_problem(name: str) -> str | None:
    """Why an entry name is not one a review archive holds (None when it is fine)."""
    parts = PurePosixPath(name).parts
    if not parts or name.startswith("/") or "\\" in name or ".." in parts or ":" in parts[0]:
        return "is not a relative path inside the archive"
    if any(ord(character) < 32 or ord(character) == 127 for character in name):
        return "has a control character in its name"
    return None


def directory_problems(entries: list[zipfile.ZipInfo]) -> list[str]:
    """Everything wrong with an archive's directory (its list of entries), before any entry is read."""
    if len(entries) > ARCHIVE_ENTRIES:
        return [f"holds {len(entries):,} entries; a review archive holds at most {ARCHIVE_ENTRIES:,}"]
    names = Counter(entry.filename for entry in entries)
    problems = [f"{name}: is in the archive {count} times" for name, count in names.items() if count > 1]
    total = 0
    for entry in entries:
        name, size = entry.filename, entry.file_size
        total += size
        if (reason := name_problem(name)) is not None:
            problems.append(f"{name!r}: {reason}")
        elif entry.flag_bits & 0x1:
            problems.append(f"{name}: is encrypted; a review archive is never encrypted")
        elif entry.compress_type not in METHODS:
            problems.append(f"{name}: is compressed with method {entry.compress_type}; expected stored or deflated")
        elif size > ARCHIVE_ENTRY_BYTES:
            limit = f"the limit is {ARCHIVE_ENTRY_BYTES / GiB:.0f} GB"
            problems.append(f"{name}: is {size / GiB:.1f} GB uncompressed; {limit}")
        elif size > ARCHIVE_RATIO_FROM and size > ARCHIVE_RATIO * max(entry.compress_size, 1):
            problems.append(
                f"{name}: expands {size // max(entry.compress_size, 1):,} times ({size:,} bytes from "
                f"{entry.compress_size:,}); the limit is {ARCHIVE_RATIO} times (a zip bomb?)"
            )
    if total > ARCHIVE_TOTAL_BYTES:
        problems.append(f"holds {total / GiB:.1f} GB uncompressed; the limit is {ARCHIVE_TOTAL_BYTES / GiB:.0f} GB")
    return problems


def checked_archive(path: Path) -> dict[str, ArchivedFile]:
    """Every file of the zip archive at ``path`` by name, each hashed as it is read; raises
    :class:`InputError` naming the archive (and the entry) when the archive is over a limit, has an
    unsafe, repeated or encrypted entry, or damaged data."""
    label = str(path)
    try:
        with zipfile.ZipFile(path) as archive:
            entries = [entry for entry in archive.infolist() if not entry.is_dir()]
            problems = directory_problems(entries)
            if problems:
                raise InputError([Problem(label, message=problem) for problem in problems])
            return {entry.filename: _hashed(archive, entry, path) for entry in entries}
    except (zipfile.BadZipFile, zlib.error, EOFError) as error:
        raise InputError([Problem(label, message=f"cannot be read as a zip file ({error})")]) from None


def _hashed(archive: zipfile.ZipFile, entry: zipfile.ZipInfo, path: Path) -> ArchivedFile:
    digest = hashlib.sha256()
    try:
        with archive.open(entry) as data:
            for block in iter(lambda: data.read(BLOCK), b""):
                digest.update(block)
    except DAMAGED as error:
        raise InputError([Problem(str(path), message=f"{entry.filename}: {_damage(error)}")]) from None
    return ArchivedFile(path, entry.filename, entry.file_size, digest.hexdigest())


def extract(files: list[ArchivedFile], folder: Path) -> None:
    """Write checked entries (of one archive) under ``folder`` by their names, streamed from the zip opened
    once, each checked again against the hash taken when the archive was checked."""
    if not files:
        return
    label = str(files[0].archive)
    with zipfile.ZipFile(files[0].archive) as archive:
        for file in files:
            target = folder / file.name
            target.parent.mkdir(parents=True, exist_ok=True)
            digest = hashlib.sha256()
            try:
                with archive.open(file.name) as data, open(target, "wb") as written:
                    for block in iter(lambda: data.read(BLOCK), b""):
                        digest.update(block)
                        written.write(block)
            except DAMAGED as error:
                raise InputError([Problem(label, message=f"{file.name}: {_damage(error)}")]) from None
            if digest.hexdigest() != file.sha256:
                raise InputError([Problem(label, message=f"{file.name} changed while it was read")])

"""The parts of a zip package read within limits: each part's uncompressed size, all parts' total, and the
compression ratio, counted on the bytes really inflated (a zip's headers may lie), with encrypted and duplicate
entries refused. Memory stays bounded by the limits whatever the package claims."""

from __future__ import annotations

import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass

_BLOCK = 1 << 20
_RATIO_FROM = 1_000_000  # the ratio is checked only for parts larger than this (tiny XML parts compress 100:1)


class ZipLimitError(ValueError):
    """A zip package over a limit, damaged, encrypted or with an entry twice; the message says which part and why."""


@dataclass(frozen=True)
class ZipLimits:
    """The most a package may hold: one part (bytes, uncompressed), all parts together, and uncompressed/compressed
    for a part over 1 MB."""

    part_bytes: int
    total_bytes: int
    ratio: float


def checked_parts(archive: zipfile.ZipFile, limits: ZipLimits) -> Iterator[tuple[zipfile.ZipInfo, bytes]]:
    """Each entry of ``archive`` with its bytes, in order; raises :class:`ZipLimitError` for an encrypted entry, a
    name seen twice, a part or a total over ``limits``, a compression ratio over it, or damaged data."""
    seen: set[str] = set()
    total = 0
    for info in archive.infolist():
        if info.filename in seen:
            raise ZipLimitError(f"the entry {info.filename} appears twice (a tampered copy?)")
        seen.add(info.filename)
        if info.flag_bits & 0x1:
            raise ZipLimitError(f"the entry {info.filename} is encrypted")
        data = _read(archive, info, limits)
        total += len(data)
        if total > limits.total_bytes:
            raise ZipLimitError(f"expected at most {limits.total_bytes:,} bytes in all, uncompressed; there are more")
        yield info, data


def _read(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limits: ZipLimits) -> bytes:
    """One entry's bytes, read block by block and refused as soon as it passes a limit."""
    blocks = []
    size = 0
    try:
        with archive.open(info) as entry:
            while block := entry.read(_BLOCK):
                size += len(block)
                if size > limits.part_bytes:
                    raise ZipLimitError(
                        f"the entry {info.filename} holds more than {limits.part_bytes:,} bytes uncompressed"
                    )
                if size > _RATIO_FROM and size > limits.ratio * max(info.compress_size, 1):
                    raise ZipLimitError(
                        f"the entry {info.filename} is compressed more than {limits.ratio:g} to 1 (a zip bomb?)"
                    )
                blocks.append(block)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError) as error:
        raise ZipLimitError(f"the entry {info.filename} is damaged ({error})") from None
    return b"".join(blocks)

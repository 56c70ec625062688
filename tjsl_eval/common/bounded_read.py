"""Input files read within a size limit: only regular files (a FIFO, a device or a folder is refused, never waited
on), the size taken before anything is read, and no more than the limit ever read (a file that grows while it is read
is caught too). Used for photos, params files and reference documents."""

from __future__ import annotations

import os
import stat
from pathlib import Path

_BLOCK = 1 << 20


class NotARegularFile(ValueError):
    """The path is a folder, a FIFO, a device or a socket; the message says which."""


class TooLarge(ValueError):
    """The file holds more than the limit; ``size`` is what was found (bytes)."""

    def __init__(self, size: int):
        self.size = size
        super().__init__(f"{size:,} bytes")


def file_kind(mode: int) -> str:
    """What a file that is not a regular file is, in words (``mode``: ``st_mode``)."""
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "a socket or other special file"


def read_bounded(path: Path, limit: int, digest=None) -> bytes:
    """The bytes of the regular file ``path``, at most ``limit`` of them, each block also given to ``digest`` (a
    hashlib object) when there is one. Raises :class:`NotARegularFile`, :class:`TooLarge`, or the :class:`OSError`
    of a file that cannot be opened or read."""
    # O_NONBLOCK: opening a FIFO does not wait for a writer (it is then refused by its mode)
    with os.fdopen(os.open(path, os.O_RDONLY | os.O_NONBLOCK), "rb") as file:
        status = os.fstat(file.fileno())
        if not stat.S_ISREG(status.st_mode):
            raise NotARegularFile(file_kind(status.st_mode))
        if status.st_size > limit:
            raise TooLarge(status.st_size)
        blocks = []
        size = 0
        while block := file.read(min(_BLOCK, limit + 1 - size)):
            size += len(block)
            if size > limit:  # the file grew while it was read
                raise TooLarge(size)
            if digest is not None:
                digest.update(block)
            blocks.append(block)
    return b"".join(blocks)

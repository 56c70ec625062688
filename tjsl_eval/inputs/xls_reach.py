"""How far each sheet of an old ``.xls`` workbook (BIFF8) reaches, found in its cell records before
calamine reads it: calamine builds every sheet of an ``.xls`` as a grid from A1 to its farthest cell
as soon as it opens the file, so a single value at ``IV65536`` would cost a grid of 16.7 million cells.

The workbook stream is read out of the OLE compound file by olefile; its ``BoundSheet8`` records
give each sheet's name and where its records start; every cell record (a value, a formula or only a
format, as for an ``.xlsx``: never fewer than calamine keeps) gives a row and a column. A file that
olefile cannot read is left to calamine, which says why it cannot open it.
"""

from __future__ import annotations

import itertools
import struct
from pathlib import Path

BOUND_SHEET = 0x0085  # BoundSheet8: a sheet's stream position, kind and name
BOF, EOF = 0x0809, 0x000A
# The records of one cell (row, column first) and of a run of cells in one row (row, first column, …, last
# column in the record's last two bytes).
ONE_CELL = {0x0006, 0x00D6, 0x00FD, 0x0201, 0x0203, 0x0204, 0x0205, 0x027E}
CELL_RUN = {0x00BD, 0x00BE}  # MULRK, MULBLANK
WORKSHEET = 0  # BoundSheet8's dt: 0 a worksheet (1 macro, 2 chart, 6 VBA module)


def xls_reach(path: Path) -> dict[str, tuple[int, int]] | None:
    """Each worksheet's name and the rows and columns its cells span from A1; None when the file is not an
    OLE compound file with a BIFF8 workbook stream that olefile can read (calamine then says why)."""
    import olefile

    try:
        with olefile.OleFileIO(str(path)) as ole:
            name = next((name for name in ("Workbook", "Book") if ole.exists(name)), None)
            if name is None:
                return None
            stream = ole.openstream(name).read()
    except (OSError, ValueError, struct.error, IndexError, KeyError, TypeError, NotImplementedError):
        return None  # olefile's own errors are OSError or ValueError; the others guard a truncated file
    sheets = _sheets(stream)
    starts = sorted({*sheets.values(), len(stream)})
    ends = dict(itertools.pairwise(starts))  # a sheet's records end where the next one's begin: linear in all
    reaches = {start: _reach(stream, start, end) for start, end in ends.items()}
    return {sheet: reaches.get(start, (0, 0)) for sheet, start in sheets.items()}


def _records(stream: bytes, start: int, end: int):
    """(record type, data) from ``start`` to ``end``."""
    position = start
    while position + 4 <= end:
        kind, size = struct.unpack_from("<HH", stream, position)
        yield kind, stream[position + 4 : position + 4 + size]
        position += 4 + size


def _sheets(stream: bytes) -> dict[str, int]:
    """The worksheets' names and the positions of their first records, from the workbook globals."""
    sheets = {}
    for kind, data in _records(stream, 0, len(stream)):
        if kind == EOF:
            break
        if kind == BOUND_SHEET and len(data) >= 8 and data[5] == WORKSHEET:
            sheets[_short_text(data[6:])] = struct.unpack_from("<I", data)[0]
    return sheets


def _short_text(data: bytes) -> str:
    """A ShortXLUnicodeString: its length in characters, then a flag (1: UTF-16, 0: one byte a character)."""
    length, wide = data[0], data[1] & 1
    body = data[2 : 2 + length * (2 if wide else 1)]
    return body.decode("utf-16-le" if wide else "latin-1", errors="replace")


def _reach(stream: bytes, start: int, end: int) -> tuple[int, int]:
    """The rows and columns from A1 to the farthest cell of the sheet whose records lie from ``start`` to
    ``end``."""
    rows = columns = depth = 0
    for kind, data in _records(stream, start, end):
        depth += (kind == BOF) - (kind == EOF)  # a chart drawn on the sheet has its own BOF … EOF inside
        if depth <= 0:
            break
        if kind in ONE_CELL and len(data) >= 4:
            row, column = struct.unpack_from("<HH", data)
        elif kind in CELL_RUN and len(data) >= 6:
            row = struct.unpack_from("<H", data)[0]
            column = struct.unpack_from("<H", data, len(data) - 2)[0]
        else:
            continue
        rows, columns = max(rows, row + 1), max(columns, column + 1)
    return rows, columns

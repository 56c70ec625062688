"""A spreadsheet's zip package (.xlsx, .xlsm, .ods) opened without trusting what it claims.

Every part's declared size and compression ratio are checked against :mod:`tjsl_eval.common.limits` before
any part is decompressed; a part is then read in chunks whose real size is counted (a part that decompresses
to more than it declares is stopped at the limit, not believed), and its CRC checked at its end. Part names
are found whatever separator or case the package uses (``xl\\workbook.xml`` from some exports), and the
.xlsx parts where the package's relationships say, not at fixed names. A damaged part (bad deflate data,
bad CRC, XML that does not parse, an XML bomb) is an :class:`InputError` naming the file and the part.
"""

from __future__ import annotations

import copy
import posixpath
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from xml.etree import ElementTree

from tjsl_eval.common import limits
from tjsl_eval.common.problems import InputError, Problem

CHUNK = 1 << 20
_AGAIN = "save the workbook again from the spreadsheet program (or ask for a new copy of it) and validate again"


def megabytes(size: int) -> str:
    """``size`` bytes as a reader counts them: ``512 MB``."""
    return f"{size / (1 << 20):,.0f} MB" if size >= 1 << 20 else f"{size / 1024:,.1f} KB"


class Package:
    """An opened zip package whose entries passed :func:`check_entries`."""

    def __init__(self, file: str, archive: zipfile.ZipFile):
        self.file = file
        self.archive = archive
        self.parts = check_entries(archive, file)

    def has(self, name: str) -> bool:
        return normal(name) in self.parts

    def chunks(self, name: str, sheet: str | None = None, limit: int = limits.WORKBOOK_PART_BYTES) -> Iterator[bytes]:
        """The part's bytes in chunks of about :data:`CHUNK`, stopped with an :class:`InputError` once more
        than ``limit`` bytes come out, whatever size the part declares."""
        info = copy.copy(self.parts[normal(name)])
        declared = info.file_size
        info.file_size = max(declared, limit + 1)  # read to the true end of the data (or the limit), not the claim
        total = 0
        try:
            with self.archive.open(info) as stream:
                while chunk := stream.read(CHUNK):
                    total += len(chunk)
                    if total > limit:
                        raise InputError([self.problem(sheet, _over_limit(info.filename, limit))])
                    yield chunk
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, RuntimeError) as error:
            raise self.damaged(info.filename, error, sheet) from None
        if total != declared:
            raise self.damaged(info.filename, f"{total:,} bytes where its header says {declared:,}", sheet)

    def read(self, name: str, sheet: str | None = None) -> bytes:
        """A small part (the workbook's description: workbook, relationships, styles), whole."""
        return b"".join(self.chunks(name, sheet, limits.WORKBOOK_SMALL_PART_BYTES))

    def xml(self, name: str) -> ElementTree.Element:
        """A small part parsed as XML (expat refuses entity bombs; nothing external is fetched)."""
        try:
            return ElementTree.fromstring(self.read(name))
        except ElementTree.ParseError as error:
            raise self.damaged(self.parts[normal(name)].filename, f"not well-formed XML: {error}") from None

    def verify(self, name: str) -> None:
        """The part read through once: its real size within the limit, its data and CRC sound."""
        for _ in self.chunks(name):
            pass

    def related(self, source: str) -> dict[str, tuple[str, str]]:
        """The relationships of the part ``source`` ('' for the package): id -> (type, target part name)."""
        folder, base = posixpath.split(normal(source)) if source else ("", "")
        rels = posixpath.join(folder, "_rels", f"{base}.rels")
        if not self.has(rels):
            return {}
        found = {}
        for relation in self.xml(rels):
            target = relation.get("Target", "")
            if relation.get("TargetMode") == "External":
                continue
            part = target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
            found[relation.get("Id", "")] = (relation.get("Type", ""), posixpath.normpath(part))
        return found

    def main_part(self) -> str:
        """The part of the package's main document (``xl/workbook.xml`` as most programs write it)."""
        for kind, part in self.related("").values():
            if kind.endswith("/officeDocument"):
                return part
        raise self.damaged("_rels/.rels", "it names no workbook part")

    def problem(self, sheet: str | None, message: str) -> Problem:
        return Problem(self.file, sheet, message=message)

    def damaged(self, part: str, error: object, sheet: str | None = None) -> InputError:
        return InputError([self.problem(sheet, f"is damaged: its part '{part}' cannot be read ({error}): {_AGAIN}")])


@contextmanager
def open_package(path: Path) -> Iterator[Package]:
    """The zip package at ``path``, its entries checked (an :class:`InputError` if it is not one)."""
    try:
        with zipfile.ZipFile(path) as archive:
            yield Package(str(path), archive)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError, ValueError) as error:
        raise InputError([Problem(str(path), message=f"is damaged: {error}: {_AGAIN}")]) from None


def check_entries(archive: zipfile.ZipFile, file: str) -> dict[str, zipfile.ZipInfo]:
    """Every entry of the package by its normalised name, once each is checked against the limits: encrypted
    entries, names given twice, parts too large or too compressed, too much in all are refused."""
    parts: dict[str, zipfile.ZipInfo] = {}
    total = 0
    for info in archive.infolist():
        name = normal(info.filename)
        if info.flag_bits & 0x1:
            raise InputError([Problem(file, message=f"its part '{info.filename}' is encrypted: {_AGAIN}")])
        if name in parts:
            message = f"holds the part '{info.filename}' twice: it was not written by a spreadsheet program; {_AGAIN}"
            raise InputError([Problem(file, message=message)])
        if info.file_size > limits.WORKBOOK_PART_BYTES:
            raise InputError([Problem(file, message=_over_limit(info.filename, limits.WORKBOOK_PART_BYTES))])
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > limits.WORKBOOK_RATIO_FROM_BYTES and ratio > limits.WORKBOOK_RATIO:
            message = (
                f"its part '{info.filename}' is compressed {ratio:,.0f} times ({megabytes(info.file_size)} in "
                f"{megabytes(info.compress_size)}), over the limit of {limits.WORKBOOK_RATIO} times "
                f"(WORKBOOK_RATIO in tjsl_eval/common/limits.py; real sheets compress 5 to 20 times): the file is "
                f"padded or crafted; {_AGAIN}"
            )
            raise InputError([Problem(file, message=message)])
        total += info.file_size
        parts[name] = info
    if total > limits.WORKBOOK_TOTAL_BYTES:
        message = (
            f"would take {megabytes(total)} once uncompressed, over the limit of "
            f"{megabytes(limits.WORKBOOK_TOTAL_BYTES)} (WORKBOOK_TOTAL_BYTES in tjsl_eval/common/limits.py): keep "
            f"only the review's sheets in the workbook"
        )
        raise InputError([Problem(file, message=message)])
    return parts


def _over_limit(part: str, limit: int) -> str:
    name = "WORKBOOK_PART_BYTES" if limit == limits.WORKBOOK_PART_BYTES else "WORKBOOK_SMALL_PART_BYTES"
    return (
        f"its part '{part}' is larger than {megabytes(limit)} once uncompressed, over the limit ({name} in "
        f"tjsl_eval/common/limits.py; the largest sheet of 1,000 groups is 42 MB): keep only the review's data in "
        f"the workbook"
    )


def normal(name: str) -> str:
    """A part name as compared: forward slashes, no leading slash, lower case (part names ignore case)."""
    return posixpath.normpath(name.replace("\\", "/").lstrip("/")).lower()

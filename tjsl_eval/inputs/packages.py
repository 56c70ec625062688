"""A spreadsheet's zip package (.xlsx, .xlsm, .ods) opened without trusting what it claims.

The package is read by :mod:`tjsl_eval.common.zip_reading` within the limits of :mod:`tjsl_eval.common.limits`:
every part's declared size and compression ratio are checked before any part is decompressed; a part is then
read in chunks whose real size is counted (a part that decompresses to more than it declares is stopped, not
believed), and its CRC checked at its end. Part names are found whatever separator or case the package uses
(``xl\\workbook.xml`` from some exports), and the .xlsx parts where the package's relationships say, not at fixed
names. A damaged part (bad deflate data, bad CRC, XML that does not parse, an XML bomb) is an :class:`InputError`
naming the file and the part; this module words each issue for the person who saved the workbook.
"""

from __future__ import annotations

import posixpath
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from xml.etree import ElementTree

from tjsl_eval.common import limits
from tjsl_eval.common.problems import InputError, Problem
from tjsl_eval.common.zip_reading import ZipIssue, ZipIssueError, ZipLimits, directory_issues, entry_chunks, open_zip
from tjsl_eval.common.zip_reading import folded as normal

LIMITS = ZipLimits(
    limits.WORKBOOK_PART_BYTES,
    limits.WORKBOOK_TOTAL_BYTES,
    limits.WORKBOOK_RATIO,
    limits.WORKBOOK_RATIO_FROM_BYTES,
    fold_names=True,
)
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
        """The part's bytes in chunks of about 1 MB, stopped with an :class:`InputError` once more than ``limit``
        bytes, or more than the part declares, come out."""
        try:
            yield from entry_chunks(self.archive, self.parts[normal(name)], limit)
        except ZipIssueError as error:
            issue = error.issue
            if issue.kind == "size":
                raise InputError([self.problem(sheet, _over_limit(issue.name, limit))]) from None
            raise self.damaged(issue.name, issue.detail, sheet) from None

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
        with open_zip(path) as archive:
            yield Package(str(path), archive)
    except ZipIssueError as error:
        raise InputError([Problem(str(path), message=f"is damaged: {error.issue.detail}: {_AGAIN}")]) from None
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError, ValueError) as error:
        raise InputError([Problem(str(path), message=f"is damaged: {error}: {_AGAIN}")]) from None


def check_entries(archive: zipfile.ZipFile, file: str) -> dict[str, zipfile.ZipInfo]:
    """Every entry of the package by its normalised name, once the package's directory is checked against the
    limits (:func:`~tjsl_eval.common.zip_reading.directory_issues`): the first issue is refused."""
    entries = archive.infolist()
    if issues := directory_issues(entries, LIMITS):
        raise InputError([Problem(file, message=_message(issues[0]))])
    return {normal(info.filename): info for info in entries}


def _message(issue: ZipIssue) -> str:
    """An issue of the package's directory in the words of someone who saved a workbook."""
    part, info = issue.name, issue.entry
    if issue.kind == "twice":
        return f"holds the part '{part}' twice: it was not written by a spreadsheet program; {_AGAIN}"
    if issue.kind == "encrypted":
        return f"its part '{part}' is encrypted: {_AGAIN}"
    if issue.kind == "method":
        return f"its part '{part}' is compressed with method {issue.detail}, not stored or deflated: {_AGAIN}"
    if issue.kind == "size":
        return _over_limit(part, limits.WORKBOOK_PART_BYTES)
    if issue.kind == "ratio":
        ratio = info.file_size / max(info.compress_size, 1)
        return (
            f"its part '{part}' is compressed {ratio:,.0f} times ({megabytes(info.file_size)} in "
            f"{megabytes(info.compress_size)}), over the limit of {limits.WORKBOOK_RATIO} times "
            f"(WORKBOOK_RATIO in tjsl_eval/common/limits.py; real sheets compress 5 to 20 times): the file is "
            f"padded or crafted; {_AGAIN}"
        )
    return (
        f"would take {megabytes(issue.size)} once uncompressed, over the limit of "
        f"{megabytes(limits.WORKBOOK_TOTAL_BYTES)} (WORKBOOK_TOTAL_BYTES in tjsl_eval/common/limits.py): keep "
        f"only the review's sheets in the workbook"
    )


def _over_limit(part: str, limit: int) -> str:
    name = "WORKBOOK_PART_BYTES" if limit == limits.WORKBOOK_PART_BYTES else "WORKBOOK_SMALL_PART_BYTES"
    return (
        f"its part '{part}' is larger than {megabytes(limit)} once uncompressed, over the limit ({name} in "
        f"tjsl_eval/common/limits.py; the largest sheet of 1,000 groups is 42 MB): keep only the review's data in "
        f"the workbook"
    )

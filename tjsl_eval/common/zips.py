"""Zip-based Office files (.xlsx, .docx, .pptx) made reproducible: the same content, the same bytes.

openpyxl, python-docx, python-pptx and XlsxWriter date every zip entry and the document's
``dcterms:created``/``modified`` with the clock, so two saves of the same content differ.
:func:`reproducible_zip` rewrites a saved file with those dates fixed.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import stat
import zipfile

from tjsl_eval.common.files import DOCUMENT_TIME

ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest a zip entry can carry; what Word writes
ENTRY_ATTRIBUTES = (stat.S_IFREG | 0o644) << 16  # a regular file readable by all, whoever saved it
UNIX = 3  # zipfile writes 0 (MS-DOS) on Windows and 3 elsewhere; fixed so the platform does not show
CORE_PROPERTIES = "docProps/core.xml"
EMBEDDED_OFFICE_FILES = (".xlsx", ".xlsm", ".docx", ".pptx")  # e.g. a python-pptx chart's data workbook
_CORE_TIMES = re.compile(rb"(<dcterms:(created|modified)\b[^>]*>)[^<]*(</dcterms:\2>)")


def reproducible_zip(data: bytes, document_time: dt.datetime = DOCUMENT_TIME) -> bytes:
    """The zip-based Office file ``data`` with nothing from the clock or the platform in its bytes.

    Its entries are rewritten in their order, each dated 1980-01-01 00:00:00, deflated, with
    the same file attributes and creating system; ``docProps/core.xml``'s ``dcterms:created``
    and ``dcterms:modified`` become ``document_time`` (a naive time is taken as UTC). Embedded
    Office files (``ppt/embeddings/*.xlsx`` of a chart, …) are made reproducible the same way.
    Call it on the bytes a library saved, before writing them out.
    """
    stamp = _w3c_time(document_time)
    rewritten = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(rewritten, "w", allowZip64=True) as archive:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == CORE_PROPERTIES:
                content = _CORE_TIMES.sub(lambda match: match[1] + stamp + match[3], content)
            elif info.filename.lower().endswith(EMBEDDED_OFFICE_FILES) and zipfile.is_zipfile(io.BytesIO(content)):
                content = reproducible_zip(content, document_time)
            archive.writestr(fixed_entry(info.filename), content)
    return rewritten.getvalue()


def fixed_entry(name: str) -> zipfile.ZipInfo:
    """A zip entry named ``name`` that says nothing of when or where it was written: dated
    1980-01-01, a regular file readable by all, made on Unix, deflated."""
    entry = zipfile.ZipInfo(name, date_time=ZIP_TIME)
    entry.compress_type = zipfile.ZIP_DEFLATED
    entry.external_attr = ENTRY_ATTRIBUTES
    entry.create_system = UNIX
    return entry


def _w3c_time(moment: dt.datetime) -> bytes:
    """``moment`` as Office writes document dates (W3CDTF in UTC), e.g. ``2000-01-01T00:00:00Z``."""
    in_utc = moment.astimezone(dt.UTC) if moment.tzinfo else moment
    return in_utc.strftime("%Y-%m-%dT%H:%M:%SZ").encode("ascii")

"""What a spreadsheet file really is, from its first bytes, whatever its name says.

A zip package is an .xlsx/.xlsm or an .ods (told apart by its ``mimetype`` entry); an OLE compound file
is an .xls, or an .xlsx that Excel encrypted with a password (it then holds an ``EncryptedPackage``
stream). A file whose bytes do not match its extension is refused with what it is, so that the user can
rename it or remove the password, instead of a reader's message about a broken file.
"""

from __future__ import annotations

import zipfile
import zlib
from pathlib import Path

from tjsl_eval.common import limits
from tjsl_eval.common.problems import InputError, Problem

SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
ZIP_SUFFIXES = (".xlsx", ".xlsm", ".ods")
KIND = {
    ".xlsx": "an Excel workbook (.xlsx)",
    ".xlsm": "a macro-enabled Excel workbook (.xlsm)",
    ".xls": "an Excel 97–2003 workbook (.xls)",
    ".ods": "an OpenDocument spreadsheet (.ods)",
}
_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0"
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")  # the stream of an encrypted Office file
_ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"


def check_kind(path: Path, suffix: str) -> None:
    """Raise an :class:`InputError` when the file's bytes are not of the kind its extension ``suffix`` says."""
    found = _kind(path)
    if found in (suffix, "damaged") or (found == ".xlsx" and suffix == ".xlsm"):
        return  # a damaged package: its own checks say how
    if found == "encrypted":
        message = (
            "is encrypted with a password: open it in Excel, remove the password (File > Info > Protect Workbook "
            "> Encrypt with Password, then clear it), save it, and validate again"
        )
    elif found in KIND:
        message = f"this is an {found} file named {suffix}: rename it to end in {found}"
    elif found == "zip":
        message = f"is not {KIND[suffix]}: it is a zip archive of other files"
    elif suffix in ZIP_SUFFIXES:
        message = f"is not {KIND[suffix]}: it is not a zip archive"
    else:
        message = (
            f"is not {KIND[suffix]}: it is text or another kind of file (perhaps a CSV or a web page saved "
            f"with an {suffix} name); open it in the spreadsheet program and save it as .xlsx"
        )
    raise InputError([Problem(str(path), message=message)])


def _kind(path: Path) -> str:
    """'.xlsx', '.ods', '.xls', 'encrypted', 'zip' (of other files), 'damaged' (a zip that cannot be read) or ''
    (something else), from the file's bytes."""
    with path.open("rb") as file:
        head = file.read(8)
    if head.startswith(_OLE):
        return "encrypted" if _holds(path, _ENCRYPTED) else ".xls"
    if not head.startswith(_ZIP) or not zipfile.is_zipfile(path):
        return ""
    try:
        with zipfile.ZipFile(path) as archive:
            names = {name.replace("\\", "/").lower() for name in archive.namelist()}
            if "mimetype" in names:
                info = next(i for i in archive.infolist() if i.filename.replace("\\", "/").lower() == "mimetype")
                with archive.open(info) as mimetype:
                    return ".ods" if mimetype.read(len(_ODS_MIMETYPE)) == _ODS_MIMETYPE else "zip"
            return ".xlsx" if "[content_types].xml" in names else "zip"
    except (zipfile.BadZipFile, OSError, ValueError, RuntimeError, NotImplementedError, zlib.error):
        return "damaged"


def _holds(path: Path, needle: bytes) -> bool:
    """True when ``needle`` is among the file's bytes (read in chunks; the file is within its size limit)."""
    tail = b""
    with path.open("rb") as file:
        for _ in range(limits.WORKBOOK_FILE_BYTES // (1 << 20) + 1):
            chunk = file.read(1 << 20)
            if not chunk:
                return False
            if needle in tail + chunk:
                return True
            tail = chunk[-len(needle) :]
    return False

"""Output files written atomically: a reader sees the old file or the new one, never half."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import tempfile
from pathlib import Path

READABLE = 0o644
# Written as every output's creation and modification date (Office properties, PDF info), never the clock's.
DOCUMENT_TIME = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
# The formats of a report: the HTML report is always made (the PDF is printed from it); the Office ones.
REPORT_FORMATS = ("html", "pdf", "docx", "pptx")
OFFICE_FORMATS = ("docx", "pptx")


def write_atomic(path: Path, content: str | bytes) -> None:
    """Write ``content`` to a temporary file beside ``path``, then rename it into place; an :class:`OSError` (a full
    disk, a read-only folder) names ``path``."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.chmod(temporary, READABLE)  # mkstemp makes the file private to its owner
        os.replace(temporary, path)
    except BaseException as error:
        Path(temporary).unlink(missing_ok=True)
        if isinstance(error, OSError) and error.filename is None:  # a write that failed names no file
            raise OSError(error.errno, error.strerror, str(path)) from error
        raise


def json_text(data: object) -> str:
    """Stable JSON: sorted keys, two-space indent, UTF-8 text, trailing newline."""
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False, allow_nan=False) + "\n"


def bounded_json(text: str, depth: int) -> object:
    """JSON ``text`` parsed, refused (:class:`ValueError`) when objects and lists nest deeper than ``depth``
    (a document nested 100,000 deep stops the parser's recursion: it is refused the same way)."""
    try:
        data = json.loads(text)
    except RecursionError:
        data = None
    else:
        level, nested = 0, [data]
        while nested and level <= depth:
            nested = [inner for item in nested if isinstance(item, dict | list) for inner in _items(item)]
            level += 1
        if not nested:
            return data
    raise ValueError(f"its objects and lists nest deeper than {depth} levels")


def _items(container: dict | list) -> list:
    return list(container.values()) if isinstance(container, dict) else container


def sha256_file(path: Path) -> str:
    """The SHA-256 of a file's bytes, as hex."""
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def sha256_text(*parts: str) -> str:
    """The SHA-256 of text parts (each followed by a NUL, so parts never run together)."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode("utf-8") + b"\0")
    return digest.hexdigest()

"""What the Word and PowerPoint writers share: byte-identical packages (saved through
:func:`tjsl_eval.common.zips.reproducible_zip`), fixed document properties, and the check of a
company's reference document (opened only once made safe by :mod:`tjsl_eval.render.references`)."""

from __future__ import annotations

import io
import logging
import zipfile
from pathlib import Path

from tjsl_eval.common.files import DOCUMENT_TIME
from tjsl_eval.common.zips import reproducible_zip
from tjsl_eval.render.references import ReferenceLimitError, sanitized_reference

FIXED_DATE = DOCUMENT_TIME.replace(tzinfo=None)  # the documents' created, modified and printed dates (as the PDFs')
MAIN_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
}
KIND_NAMES = {"docx": "Word document (.docx)", "pptx": "PowerPoint presentation (.pptx)"}


class ReferenceError(ValueError):
    """A reference document that cannot be used; the message names the file and the reason."""


def set_core_properties(properties, title: str, subject: str, language: str, identifier: str) -> None:
    """Fixed document properties (python-docx's and python-pptx's ``core_properties``): nothing
    of the template's, no clock."""
    properties.title = title[:255]
    properties.subject = subject[:255]
    properties.author = "tjsl-eval"
    properties.last_modified_by = "tjsl-eval"
    properties.comments = ""
    properties.keywords = "TJSL"
    properties.category = ""
    properties.identifier = identifier
    properties.language = {"id": "id-ID", "en": "en-GB"}.get(language, language)
    properties.revision = 1
    properties.created = FIXED_DATE
    properties.modified = FIXED_DATE
    properties.last_printed = FIXED_DATE


def column_widths(rows: list[list[str]], total: int) -> list[int]:
    """Widths (summing to ``total``) for table columns of ``rows`` (the header first): each as wide
    as its text needs, within bounds, and never narrower than its longest word."""
    columns = range(len(rows[0]))
    texts = [[str(row[i]) for row in rows] for i in columns]
    needs = [  # in characters, two more for the cell's margins
        max(min(max(len(value) for value in column), 45), 6, max(len(w) for v in column for w in v.split() or [""])) + 2
        for column in texts
    ]
    widths = [int(total * need / sum(needs)) for need in needs]
    widths[-1] = total - sum(widths[:-1])
    return widths


def check_reference(path: Path, kind: str) -> list[str]:
    """Raise :class:`ReferenceError` unless ``path`` is a ``kind`` ("docx" or "pptx") file the
    writers can use: it exists, is within the limits, is an Office package of that kind, and its
    library opens it. What the writers will leave out of it (external links, fields) is returned
    and logged as a warning."""
    name = KIND_NAMES[kind]
    if not path.is_file():
        raise ReferenceError(f"{path}: the {kind}_reference file does not exist")
    try:
        data, removed = sanitized_reference(path)
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            types = package.read("[Content_Types].xml").decode("utf-8", "replace")
    except ReferenceLimitError as error:
        raise ReferenceError(str(error)) from None
    except (zipfile.BadZipFile, KeyError) as error:
        raise ReferenceError(f"{path}: not a valid {name} ({error})") from None
    if MAIN_TYPES[kind] not in types:
        raise ReferenceError(f"{path}: not a {name} (a template, macro-enabled or other Office file?)")
    try:
        _opened(data, kind)
    except Exception as error:  # whatever the library finds wrong in the file
        raise ReferenceError(f"{path}: not a valid {name} ({type(error).__name__}: {error})") from None
    if removed:
        logging.getLogger(__name__).warning(
            "warning: %s: removed before use, so that none of it reaches a report: %s", path, "; ".join(removed)
        )
    return removed


def open_reference(path: Path | None, kind: str):
    """The python-docx ``Document`` or python-pptx ``Presentation`` of ``path`` made safe (see
    :mod:`tjsl_eval.render.references`); None: the library's default."""
    return _opened(sanitized_reference(path)[0] if path else None, kind)


def _opened(data: bytes | None, kind: str):
    """The document of a package's bytes (None: the library's default)."""
    source = io.BytesIO(data) if data is not None else None
    if kind == "docx":
        import docx

        return docx.Document(source)
    import pptx

    return pptx.Presentation(source)


def drop_thumbnail(package) -> None:
    """Remove the template's thumbnail picture (the library's own, or the company's first page)."""
    relationships = package.rels if hasattr(package, "rels") else package._rels  # python-docx, python-pptx
    for rel_id, relationship in list(relationships.items()):
        if relationship.reltype.endswith("/metadata/thumbnail"):
            relationships.pop(rel_id)


def saved(document) -> bytes:
    """A python-docx or python-pptx document saved to reproducible bytes."""
    buffer = io.BytesIO()
    document.save(buffer)
    return reproducible_zip(buffer.getvalue())

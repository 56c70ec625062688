"""What the Word and PowerPoint writers share: byte-identical packages (saved through
:func:`tjsl_eval.common.zips.reproducible_zip`), fixed document properties, and the check of a
company's reference document."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from tjsl_eval.common.files import DOCUMENT_TIME
from tjsl_eval.common.zips import reproducible_zip

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


def check_reference(path: Path, kind: str) -> None:
    """Raise :class:`ReferenceError` unless ``path`` is a ``kind`` ("docx" or "pptx") file the
    writers can use: it exists, is an Office package of that kind, and its library opens it."""
    name = KIND_NAMES[kind]
    if not path.is_file():
        raise ReferenceError(f"{path}: the {kind}_reference file does not exist")
    try:
        with zipfile.ZipFile(path) as package:
            types = package.read("[Content_Types].xml").decode("utf-8", "replace")
    except (zipfile.BadZipFile, KeyError, OSError) as error:
        raise ReferenceError(f"{path}: not a valid {name} ({error})") from None
    if MAIN_TYPES[kind] not in types:
        raise ReferenceError(f"{path}: not a {name} (a template, macro-enabled or other Office file?)")
    try:
        open_reference(path, kind)
    except Exception as error:  # whatever the library finds wrong in the file
        raise ReferenceError(f"{path}: not a valid {name} ({type(error).__name__}: {error})") from None


def open_reference(path: Path | None, kind: str):
    """The python-docx ``Document`` or python-pptx ``Presentation`` of ``path`` (None: the library's default)."""
    if kind == "docx":
        import docx

        return docx.Document(str(path) if path else None)
    import pptx

    return pptx.Presentation(str(path) if path else None)


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

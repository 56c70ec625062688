"""Text made writable in XML-based files (.docx, .pptx, .xlsx): the characters XML 1.0 cannot hold (control
characters other than tab, newline and carriage return, lone surrogates, U+FFFE, U+FFFF) become U+FFFD (�), so that
a writer never fails on a text (python-docx, python-pptx and openpyxl refuse them) and nothing disappears silently.
Validation refuses such text in a workbook; this is the writers' own guarantee."""

from __future__ import annotations

import dataclasses
import re

REPLACEMENT = "\ufffd"
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(value: object) -> object:
    """``value`` with every character XML cannot hold replaced by U+FFFD when it is text (of its own type: a
    subclass of ``str`` stays one); else unchanged."""
    if not isinstance(value, str) or not _NOT_XML.search(value):
        return value
    return type(value)(_NOT_XML.sub(REPLACEMENT, value))


def xml_safe_copy(value: object) -> object:
    """A copy of ``value`` (dataclasses, lists, tuples, dicts, nested) with :func:`xml_safe` applied to every text
    in it; other objects (numbers, bytes, dates) are kept as they are."""
    if isinstance(value, str):
        return xml_safe(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = dataclasses.fields(value)
        return dataclasses.replace(value, **{f.name: xml_safe_copy(getattr(value, f.name)) for f in fields if f.init})
    if isinstance(value, tuple) and hasattr(value, "_fields"):  # a named tuple
        return type(value)(*(xml_safe_copy(item) for item in value))
    if isinstance(value, (list, tuple)):
        return type(value)(xml_safe_copy(item) for item in value)
    if isinstance(value, dict):
        return {xml_safe_copy(key): xml_safe_copy(item) for key, item in value.items()}
    return value

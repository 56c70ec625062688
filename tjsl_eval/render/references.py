"""A company's reference document (``docx_reference``, ``pptx_reference``) made safe to build on.

Before a writer uses it, the package is read within the limits of :mod:`tjsl_eval.common.limits` (file size, each
part's and all parts' uncompressed size, compression ratio, each XML part's size; encrypted or duplicate entries
refused; all by :mod:`tjsl_eval.common.zip_reading`) and stripped of

- every external relationship (``TargetMode="External"``, or a target that is a URL or a ``file:`` path): an
  attached template URL in ``settings.xml.rels``, a linked picture, a hyperlink, a linked OLE object; the references
  to it in the part's XML go too (the attribute, or the element when it is nothing but the link, e.g.
  ``w:attachedTemplate``), and mail-merge settings with their data source;
- every Word field other than the contents (``TOC``) and page numbers (``PAGE``, ``NUMPAGES``): ``INCLUDEPICTURE``,
  ``INCLUDETEXT``, ``DDE``, ``DDEAUTO``, ``LINK``, ``HYPERLINK``, … lose their instruction and keep the text they
  last showed;

so that nothing of it can reach a generated file. :func:`sanitized_reference` says what it removed.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from tjsl_eval.common.bounded_read import NotARegularFile, TooLarge, read_bounded
from tjsl_eval.common.limits import (
    LIMITS_PAGE,
    MAX_REFERENCE_BYTES,
    MAX_REFERENCE_PART_BYTES,
    MAX_REFERENCE_RATIO,
    MAX_REFERENCE_RATIO_FROM,
    MAX_REFERENCE_TOTAL_BYTES,
    MAX_REFERENCE_XML_BYTES,
)
from tjsl_eval.common.zip_reading import ZipIssueError, ZipLimits, directory_issues, read_entry

ALLOWED_FIELDS = ("TOC", "PAGE", "NUMPAGES")
LIMITS = ZipLimits(
    MAX_REFERENCE_PART_BYTES, MAX_REFERENCE_TOTAL_BYTES, MAX_REFERENCE_RATIO, MAX_REFERENCE_RATIO_FROM, fold_names=True
)
_RELATIONSHIPS = (  # the r: namespace, transitional and strict
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "http://purl.oclc.org/ooxml/officeDocument/relationships",
)
_WORD = (
    "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "http://purl.oclc.org/ooxml/wordprocessingml/main",
)
_LINK_ONLY = {"attachedTemplate", "dataSource", "headerSource", "recipientData", "subDoc", "mailMerge", "OLEObject"}
_FIELD_MARKERS = (b"instrText", b"fldSimple")
_SHOWN = 80  # characters of a removed link's target shown in the warning


class ReferenceLimitError(ValueError):
    """A reference document over a limit, damaged, or not a regular file."""


def sanitized_reference(path: Path) -> tuple[bytes, list[str]]:
    """The bytes of the reference document ``path`` without external relationships and fields other than TOC,
    PAGE and NUMPAGES, and a line for each thing removed; raises :class:`ReferenceLimitError` (and
    :class:`zipfile.BadZipFile` for a file that is no zip package)."""
    data = _read(path)
    with zipfile.ZipFile(io.BytesIO(data)) as package:  # zipfile.BadZipFile goes on: "not a valid package"
        parts = _checked_parts(package, path)
    contents = {info.filename: content for info, content in parts}
    for name, content in contents.items():
        if name.endswith((".xml", ".rels")) and len(content) > MAX_REFERENCE_XML_BYTES:
            raise ReferenceLimitError(
                f"{path}: the part {name} holds {len(content):,} bytes of XML; expected at most "
                f"{MAX_REFERENCE_XML_BYTES:,} (see {LIMITS_PAGE})"
            )
    removed: list[str] = []
    try:
        _strip(contents, removed)
    except SyntaxError as error:  # lxml's XMLSyntaxError
        raise ReferenceLimitError(f"{path}: a part of it is not well-formed XML ({error})") from None
    if not removed:
        return data, []
    rebuilt = io.BytesIO()
    with zipfile.ZipFile(rebuilt, "w", zipfile.ZIP_DEFLATED) as package:
        for info, _ in parts:
            package.writestr(info, contents[info.filename])
    return rebuilt.getvalue(), removed


def _checked_parts(package: zipfile.ZipFile, path: Path) -> list[tuple[zipfile.ZipInfo, bytes]]:
    """Each part of ``package`` with its bytes, once its directory is checked against :data:`LIMITS` (a part both
    too large and too compressed is named for the second: a zip bomb) and each part read within them."""
    entries = package.infolist()
    issues = sorted(directory_issues(entries, LIMITS), key=lambda issue: issue.kind != "ratio")
    try:
        if issues:
            raise ZipIssueError(issues[0])
        return [(info, read_entry(package, info, MAX_REFERENCE_PART_BYTES)) for info in entries]
    except ZipIssueError as error:
        raise ReferenceLimitError(f"{path}: {error.issue.describe(LIMITS)} (see {LIMITS_PAGE})") from None


def _strip(contents: dict[str, bytes], removed: list[str]) -> None:
    """Remove, in place, the external relationships and what points to them, then the fields not allowed."""
    for name in [name for name in contents if name.endswith(".rels")]:
        ids = _drop_external(contents, name, removed)
        source = _source_part(name)
        if ids and source in contents:
            contents[source] = _drop_references(contents[source], ids, source, removed)
    for name, content in contents.items():
        if name.endswith(".xml") and any(marker in content for marker in _FIELD_MARKERS):
            contents[name] = _drop_fields(content, name, removed)


def _read(path: Path) -> bytes:
    """The bytes of a regular file of at most MAX_REFERENCE_BYTES (its size taken before it is read)."""
    try:
        return read_bounded(path, MAX_REFERENCE_BYTES)
    except NotARegularFile as error:
        raise ReferenceLimitError(f"{path}: expected a file; this is {error}") from None
    except TooLarge as error:
        raise ReferenceLimitError(
            f"{path}: expected a file of at most {MAX_REFERENCE_BYTES // 1_000_000} MB; it has "
            f"{error.size / 1_000_000:,.0f} MB (see {LIMITS_PAGE})"
        ) from None
    except OSError as error:
        raise ReferenceLimitError(f"{path}: cannot be read ({error.strerror or error})") from None


def _xml(content: bytes):
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    return etree.fromstring(content, parser)


def _serialized(root) -> bytes:
    from lxml import etree

    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _source_part(rels_name: str) -> str:
    """The part a relationships part belongs to: ``word/_rels/settings.xml.rels`` -> ``word/settings.xml``."""
    folder, _, file = rels_name.rpartition("_rels/")
    return folder + file.removesuffix(".rels")


def _is_external(relationship) -> bool:
    target = relationship.get("Target", "")
    return relationship.get("TargetMode", "").lower() == "external" or "://" in target or target.startswith("file:")


def _drop_external(contents: dict[str, bytes], name: str, removed: list[str]) -> set[str]:
    """Remove the external relationships of the relationships part ``name``; their ids."""
    root = _xml(contents[name])
    ids = set()
    for relationship in [element for element in root if isinstance(element.tag, str) and _is_external(element)]:
        root.remove(relationship)
        ids.add(relationship.get("Id"))
        kind = relationship.get("Type", "").rsplit("/", 1)[-1]
        target = relationship.get("Target", "")
        removed.append(f"{_source_part(name) or 'the package'}: external {kind} link to {target[:_SHOWN]!r}")
    if ids:
        contents[name] = _serialized(root)
    return ids


def _drop_references(content: bytes, ids: set[str], name: str, removed: list[str]) -> bytes:
    """``content`` without what points to the removed relationships ``ids``: the element when it is nothing but
    the link (an attached template, a mail-merge data source), else the attribute."""
    root = _xml(content)
    for element in list(root.iter()):
        if not isinstance(element.tag, str):
            continue
        local = element.tag.rpartition("}")[2]
        if local == "mailMerge" and element.getparent() is not None:
            element.getparent().remove(element)
            removed.append(f"{name}: mail-merge settings")
            continue
        for attribute in [key for key, value in element.attrib.items() if value in ids and _in_relationships(key)]:
            if local in _LINK_ONLY and element.getparent() is not None:
                element.getparent().remove(element)
                break
            del element.attrib[attribute]
    return _serialized(root)


def _in_relationships(attribute: str) -> bool:
    return any(attribute.startswith("{" + namespace + "}") for namespace in _RELATIONSHIPS)


def _drop_fields(content: bytes, name: str, removed: list[str]) -> bytes:
    """``content`` without Word fields other than :data:`ALLOWED_FIELDS`: a simple field is replaced by the text
    it shows; a complex field loses its begin, instruction, separator and end, and keeps its result."""
    root = _xml(content)
    for namespace in _WORD:
        for field in list(root.iter(f"{{{namespace}}}fldSimple")):
            instruction = field.get(f"{{{namespace}}}instr", "")
            if not _allowed(instruction):
                _unwrap(field)
                removed.append(f"{name}: field {_field_name(instruction)}")
        _drop_complex_fields(root, namespace, name, removed)
    return _serialized(root)


def _drop_complex_fields(root, namespace: str, name: str, removed: list[str]) -> None:
    """Remove the complex fields (``w:fldChar`` begin … separate … end) not allowed, nested ones included."""
    char, instr, deleted_instr, text = (
        f"{{{namespace}}}{tag}" for tag in ("fldChar", "instrText", "delInstrText", "t")
    )
    stack: list[dict] = []  # open fields: their instruction, their marked elements, whether in the instruction
    for element in list(root.iter(char, instr, deleted_instr, text)):
        if element.tag == char:
            kind = element.get(f"{{{namespace}}}fldCharType")
            if kind == "begin":
                stack.append({"instruction": "", "marked": [element], "in_instruction": True})
            elif stack and kind == "separate":
                stack[-1]["marked"].append(element)
                stack[-1]["in_instruction"] = False
            elif stack and kind == "end":
                field = stack.pop()
                field["marked"].append(element)
                if stack and stack[-1]["in_instruction"]:  # a field inside another's instruction goes with it
                    stack[-1]["marked"].extend(field["marked"])
                elif not _allowed(field["instruction"]):
                    for marked in field["marked"]:
                        if marked.getparent() is not None:
                            marked.getparent().remove(marked)
                    removed.append(f"{name}: field {_field_name(field['instruction'])}")
        elif stack and stack[-1]["in_instruction"]:
            stack[-1]["marked"].append(element)
            if element.tag != text:
                stack[-1]["instruction"] += element.text or ""


def _allowed(instruction: str) -> bool:
    return _field_name(instruction) in ALLOWED_FIELDS


def _field_name(instruction: str) -> str:
    words = instruction.split()
    return words[0].upper() if words else "(empty)"


def _unwrap(element) -> None:
    """Put ``element``'s children in its place."""
    parent = element.getparent()
    index = parent.index(element)
    for offset, child in enumerate(list(element)):
        parent.insert(index + offset, child)
    parent.remove(element)

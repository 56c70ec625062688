"""The review workbook's Excel layout, written from the contract in :mod:`tjsl_eval.inputs.schema`.

:func:`write_template` writes the blank workbook of ``tjsl-eval template``; :func:`write_workbook` is the one writer
it shares with ``tjsl-eval sample`` (:mod:`tjsl_eval.inputs.synthetic`). Every sheet of the contract gets its headers in
Indonesian or English, a number format per column kind, data validation (a drop-down for every enumeration, ranges for
numbers and dates) with an input and an error message, a frozen bold header row and column widths; a last sheet,
``petunjuk`` or ``instructions``, explains every column. The template also has one example row per sheet, marked by
:data:`~tjsl_eval.inputs.schema.EXAMPLE_MARKERS` in its group id cell: the loader skips such rows. Texts come from
the message catalogue (``template.*``); the times openpyxl stamps are fixed, so the same arguments give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import openpyxl
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from tjsl_eval.common import formatting
from tjsl_eval.common.files import write_atomic
from tjsl_eval.common.messages import catalogue, text
from tjsl_eval.inputs.cells import EARLIEST_DATE, LATEST_DATE
from tjsl_eval.inputs.schema import (
    CHOICES_SHEET,
    EXAMPLE_MARKERS,
    INSTRUCTIONS_SHEET,
    RESERVED_IDS,
    SHEETS,
    Column,
    Sheet,
)

if TYPE_CHECKING:
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet

__all__ = ["NUMBER_FORMATS", "choice_values", "example_rows", "write_template", "write_workbook"]

Rows = Iterable[Mapping[str, object]]  # one dict per row: canonical column name -> value (enumerations in Indonesian)

NUMBER_FORMATS = {  # per column kind; "number" keeps Excel's General
    "text": "@",
    "identifier": "@",
    "enum": "@",
    "sdgs": "@",  # as text, so that Excel does not read 8,11,12 as a number
    "integer": "0",
    "money": '"Rp "#,##0',  # shows Rp 1.250.000 in an Indonesian Excel, Rp 1,250,000 in an English one
    "percent": 'General" %"',  # 20 shows as "20 %": the value is the percentage, not a fraction
    "date": "dd/mm/yyyy",
}
CELL_FORMATS = ("money", "percent", "date")  # kinds whose data cells carry their format (the others: their column's)
_WIDTHS = {
    "text": 32,
    "identifier": 14,
    "enum": 12,
    "sdgs": 12,
    "integer": 8,
    "number": 11,
    "money": 15,
    "percent": 10,
    "date": 12,
}
_INLINE_LIST_LIMIT = 255  # Excel's limit on a drop-down list written in the validation itself
_PROMPT_TITLE_LIMIT, _PROMPT_LIMIT, _ERROR_LIMIT = 32, 255, 225  # Excel's limits on validation messages
_LAST_ROW = 1_048_576
_DOC_TIME = dt.datetime(2020, 1, 1)  # fixed times, so that the same arguments give the same bytes
_ZIP_TIME = (2020, 1, 1, 0, 0, 0)
_CORE_TIMES = re.compile(rb"(<dcterms:(created|modified)\b[^>]*>)[^<]*(</dcterms:\2>)")

_HEADER_FONT = Font(bold=True, color="FFFFFF")
_HEADER_FILL = PatternFill("solid", fgColor="1F4E78")
_EXAMPLE_FONT = Font(italic=True, color="7F6000")
_EXAMPLE_FILL = PatternFill("solid", fgColor="FFF2CC")
_SHEET_ROW_FILL = PatternFill("solid", fgColor="DDEBF7")
_WRAP = Alignment(wrap_text=True, vertical="top")


def name(item: Sheet | Column, language: str) -> str:
    """A sheet's or a column's name in ``language``."""
    return item.name_id if language == "id" else item.name


def choice_values(column: Column, language: str) -> list[str]:
    """An enumeration's drop-down values: the canonical Indonesian ones, or their first English alias for ``en``."""
    return [_choice(value, aliases, language) for value, aliases in column.choices.items()]


def _choice(value: str, aliases: tuple[str, ...], language: str) -> str:
    return aliases[0] if language == "en" and aliases else value


def _fit(message: str, limit: int) -> str:
    return message if len(message) <= limit else message[: limit - 1] + "…"


# --- what the instructions and the validation messages say ---------------------------------------------------------


def meaning(sheet: Sheet, column: Column, language: str) -> str:
    """What a column holds: ``template.column.<sheet>.<column>``, else the shared ``template.column.<column>``."""
    texts = catalogue(language)
    return texts.get(f"template.column.{sheet.name}.{column.name}") or texts[f"template.column.{column.name}"]


def kind_text(column: Column, language: str) -> str:
    """A column's type and unit, e.g. "Rupiah, a number without 'Rp'"."""
    return text(f"template.kind.{column.kind}", language)


def rule(column: Column, language: str) -> str:
    """The values a column accepts: its choices, range or form."""
    if column.kind == "enum":
        return text("template.rule.choices", language, values=", ".join(choice_values(column, language)))
    if column.kind == "identifier":
        return text("template.rule.identifier", language, reserved=", ".join(sorted(RESERVED_IDS)))
    if column.kind == "sdgs":
        return text("template.rule.sdgs", language)
    if column.kind == "date":
        low, high = (formatting.date(day, language) for day in (EARLIEST_DATE, LATEST_DATE))
        return text("template.rule.between", language, low=low, high=high)
    low = column.ge if column.ge is not None else column.gt
    if low is not None and column.le is not None:
        return text("template.rule.between", language, low=f"{low:g}", high=f"{column.le:g}")
    if column.gt is not None:
        return text("template.rule.above", language, low=f"{column.gt:g}")
    if column.ge is not None:
        return text("template.rule.at_least", language, low=f"{column.ge:g}")
    return text("template.rule.free", language)


def if_blank(column: Column, language: str) -> str:
    """What a blank cell means, or that a value is required."""
    if not column.blank_allowed:
        return text("template.blank.required", language)
    if column.kind == "enum" and column.default is not None:
        value = _choice(column.default, column.choices[column.default], language)
        return text("template.blank.default", language, value=value)
    return text("template.blank." + re.sub(r"\W+", "_", str(column.blank)), language)


def _required(column: Column, language: str) -> str:
    filled = text("template.required." + ("blank" if column.blank_allowed else "value"), language)
    return filled + (text("template.required.optional_column", language) if column.optional else "")


def _sheet_summary(sheet: Sheet, language: str) -> str:
    summary = text(f"template.sheet.{sheet.name}", language)
    if sheet.unique:
        keys = ", ".join(name(sheet.column(key), language) for key in sheet.unique)
        summary += " " + text("template.unique", language, keys=keys)
    return summary


# --- the data sheets -------------------------------------------------------------------------------------------------


def _validation(
    sheet: Sheet, column: Column, language: str, letter: str, long_lists: list[list[str]]
) -> DataValidation:
    """The column's data validation: a drop-down, a range or only an input message, with messages in ``language``."""
    header = name(column, language)
    validation = DataValidation(
        allow_blank=column.blank_allowed,
        showInputMessage=True,
        promptTitle=_fit(header, _PROMPT_TITLE_LIMIT),
        prompt=_fit(_prompt(sheet, column, language), _PROMPT_LIMIT),
    )
    condition = _condition(column, language, long_lists)
    if condition is not None:
        for key, value in condition.items():
            setattr(validation, key, value)
        validation.showErrorMessage = True
        validation.errorTitle = _fit(text("template.error_title", language), _PROMPT_TITLE_LIMIT)
        validation.error = _fit(f"{header}: {kind_text(column, language)}, {rule(column, language)}.", _ERROR_LIMIT)
    validation.add(f"{letter}2:{letter}{_LAST_ROW}")
    return validation


def _prompt(sheet: Sheet, column: Column, language: str) -> str:
    """The input message shown when a cell of the column is selected: meaning, type, accepted values, blank."""
    kind = kind_text(column, language)
    lines = [meaning(sheet, column, language), f"{kind[:1].upper()}{kind[1:]}: {rule(column, language)}."]
    if column.blank_allowed:
        lines.append(f"{text('template.heading.blank', language)}: {if_blank(column, language)}.")
    return "\n".join(lines)


def _condition(column: Column, language: str, long_lists: list[list[str]]) -> dict[str, str] | None:
    """The keyword arguments of a column's validation rule, or None for a column that any value fits."""
    if column.kind == "enum":
        values = choice_values(column, language)
        inline = ",".join(values)
        if len(inline) <= _INLINE_LIST_LIMIT and not any("," in value or '"' in value for value in values):
            return {"type": "list", "formula1": f'"{inline}"'}
        long_lists.append(values)  # listed on the hidden sheet of choices, one column each
        letter = get_column_letter(len(long_lists))
        return {"type": "list", "formula1": f"{quote_sheetname(CHOICES_SHEET)}!${letter}$1:${letter}${len(values)}"}
    if column.kind == "date":
        low, high = (f"DATE({day.year},{day.month},{day.day})" for day in (EARLIEST_DATE, LATEST_DATE))
        return {"type": "date", "operator": "between", "formula1": low, "formula2": high}
    kind = {"integer": "whole", "number": "decimal", "money": "decimal", "percent": "decimal"}.get(column.kind)
    low = column.ge if column.ge is not None else column.gt
    if kind is None or (low is None and column.le is None):
        return None
    if low is not None and column.le is not None:
        return {"type": kind, "operator": "between", "formula1": f"{low:g}", "formula2": f"{column.le:g}"}
    if low is not None:
        operator = "greaterThan" if column.gt is not None else "greaterThanOrEqual"
        return {"type": kind, "operator": operator, "formula1": f"{low:g}"}
    return {"type": kind, "operator": "lessThanOrEqual", "formula1": f"{column.le:g}"}


def _width(column: Column, language: str) -> int:
    longest_choice = max((len(value) for value in choice_values(column, language)), default=0)
    return max(_WIDTHS[column.kind], len(name(column, language)) + 3, longest_choice + 4)


def _data_sheet(
    book: openpyxl.Workbook,
    sheet: Sheet,
    language: str,
    rows: Rows,
    example: Mapping[str, object] | None,
    long_lists: list[list[str]],
) -> None:
    """One sheet of the contract: its layout, the header, the example row (if any), then ``rows``."""
    table = book.create_sheet(name(sheet, language))
    table.freeze_panes = "A2"
    for number, column in enumerate(sheet.columns, start=1):
        letter = get_column_letter(number)
        dimension = table.column_dimensions[letter]
        dimension.width = _width(column, language)
        if column.kind in NUMBER_FORMATS:
            dimension.number_format = NUMBER_FORMATS[column.kind]  # for the cells typed in later
        table.data_validations.append(_validation(sheet, column, language, letter, long_lists))
    table.append(
        [_cell(table, name(column, language), font=_HEADER_FONT, fill=_HEADER_FILL) for column in sheet.columns]
    )
    values_of = _values(sheet, language)
    if example is not None:
        table.append(
            [
                _cell(table, value, NUMBER_FORMATS.get(column.kind, ""), _EXAMPLE_FONT, _EXAMPLE_FILL)
                for column, value in zip(sheet.columns, values_of(example), strict=True)
            ]
        )
    formats = {index: NUMBER_FORMATS[c.kind] for index, c in enumerate(sheet.columns) if c.kind in CELL_FORMATS}
    for row in rows:
        values = values_of(row)
        for index, number_format in formats.items():
            if values[index] is not None:
                values[index] = _cell(table, values[index], number_format)
        table.append(values)


def _values(sheet: Sheet, language: str) -> Callable[[Mapping[str, object]], list[object]]:
    """A function from a row (canonical column names, Indonesian enumeration values) to its values in the order of
    the sheet's columns, enumerations in ``language``."""
    names = [column.name for column in sheet.columns]
    known = set(names)
    translations = {
        index: {value: _choice(value, aliases, language) for value, aliases in column.choices.items()}
        for index, column in enumerate(sheet.columns)
        if column.kind == "enum" and language == "en"
    }

    def values_of(row: Mapping[str, object]) -> list[object]:
        if not row.keys() <= known:
            raise ValueError(f"{sheet.name}: unknown columns {sorted(row.keys() - known)}")
        values = [row.get(column) for column in names]
        for index, translation in translations.items():
            if values[index] is not None:
                values[index] = translation[values[index]]
        return values

    return values_of


def _cell(
    table: WriteOnlyWorksheet,
    value: object,
    number_format: str = "",
    font: Font | None = None,
    fill: PatternFill | None = None,
    alignment: Alignment | None = None,
) -> WriteOnlyCell:
    cell = WriteOnlyCell(table, value)
    if number_format:
        cell.number_format = number_format  # after the value: a date value sets a default format of its own
    if font is not None:
        cell.font = font
    if fill is not None:
        cell.fill = fill
    if alignment is not None:
        cell.alignment = alignment
    return cell


# --- the instructions sheet and the hidden sheet of long lists -------------------------------------------------------

_INSTRUCTION_COLUMNS = (  # catalogue key under template.heading, width
    ("sheet", 14),
    ("column", 22),
    ("meaning", 48),
    ("type", 26),
    ("required", 22),
    ("blank", 24),
    ("rule", 40),
    ("other_name", 20),
)


def _instructions_sheet(book: openpyxl.Workbook, language: str) -> None:
    """The sheet that explains the workbook and, one row each, every sheet and column of the contract."""
    other = "en" if language == "id" else "id"
    table = book.create_sheet(INSTRUCTIONS_SHEET[language])
    for number, (_, width) in enumerate(_INSTRUCTION_COLUMNS, start=1):
        table.column_dimensions[get_column_letter(number)].width = width
    markers = " / ".join(EXAMPLE_MARKERS.values())
    table.append([_cell(table, text("template.title", language), font=Font(bold=True, size=14))])
    guide = [key for key in catalogue(language) if key.startswith("template.guide.")]
    for key in guide:
        table.append(
            [
                text(
                    key,
                    language,
                    marker=EXAMPLE_MARKERS[language],
                    markers=markers,
                    groups=name(SHEETS[0], language),
                    sheet=INSTRUCTIONS_SHEET[language],
                )
            ]
        )
    table.append([])
    first = len(guide) + 3  # the header row of the table of columns, after the title, the guide and a blank row
    headings = [text(f"template.heading.{key}", language) for key, _ in _INSTRUCTION_COLUMNS]
    table.append([_cell(table, heading, font=_HEADER_FONT, fill=_HEADER_FILL, alignment=_WRAP) for heading in headings])
    bold = Font(bold=True)
    for sheet in SHEETS:
        required = text("template.sheet_" + ("required" if sheet.required else "optional"), language)
        summary = _sheet_summary(sheet, language)
        sheet_row = [name(sheet, language), None, summary, None, required, None, None, name(sheet, other)]
        table.append([_cell(table, value, font=bold, fill=_SHEET_ROW_FILL, alignment=_WRAP) for value in sheet_row])
        for column in sheet.columns:
            row = [
                name(sheet, language),
                name(column, language),
                meaning(sheet, column, language),
                kind_text(column, language),
                _required(column, language),
                if_blank(column, language),
                rule(column, language),
                name(column, other),
            ]
            table.append([_cell(table, value, alignment=_WRAP) for value in row])
    last = first + len(SHEETS) + sum(len(sheet.columns) for sheet in SHEETS)
    table.auto_filter.ref = f"A{first}:{get_column_letter(len(_INSTRUCTION_COLUMNS))}{last}"


def _choices_sheet(book: openpyxl.Workbook, long_lists: list[list[str]]) -> None:
    """The hidden sheet of the drop-down lists too long to write inline, one list per column."""
    table = book.create_sheet(CHOICES_SHEET)
    table.sheet_state = "hidden"
    depth = max(len(values) for values in long_lists)
    for index in range(depth):
        table.append([values[index] if index < len(values) else None for values in long_lists])


# --- writing ---------------------------------------------------------------------------------------------------------


def write_workbook(
    path: Path,
    language: str = "id",
    tables: Mapping[str, Rows] | None = None,
    examples: Mapping[str, Mapping[str, object]] | None = None,
    properties: Mapping[str, str] | None = None,
) -> Path:
    """Write the review workbook layout with ``tables``' rows (by sheet name) and, when given, an example row per
    sheet, then the instructions sheet; replace ``path`` atomically (its folder is made if needed).

    openpyxl's write-only mode keeps memory flat for thousands of groups; ``properties`` are the document's
    (title, creator, description).
    """
    formatting.locale_of(language)  # rejects an unknown language
    book = openpyxl.Workbook(write_only=True)
    for key, value in (properties or {}).items():
        setattr(book.properties, key, value)
    book.properties.created = _DOC_TIME
    long_lists: list[list[str]] = []
    for sheet in SHEETS:
        rows = (tables or {}).get(sheet.name, ())
        _data_sheet(book, sheet, language, rows, (examples or {}).get(sheet.name), long_lists)
    _instructions_sheet(book, language)
    if long_lists:
        _choices_sheet(book, long_lists)
    saved = io.BytesIO()
    book.save(saved)
    data = pin_times(saved)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, data)
    return path


def pin_times(saved: io.BytesIO) -> bytes:
    """The archive openpyxl saved, with fixed times: every entry dated ``_ZIP_TIME`` and the document
    created/modified at ``_DOC_TIME``, in the same order with the same compression."""
    stamp = _DOC_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode("ascii")
    pinned = io.BytesIO()
    with zipfile.ZipFile(saved) as source, zipfile.ZipFile(pinned, "w", allowZip64=True) as archive:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "docProps/core.xml":
                data = _CORE_TIMES.sub(lambda match: match[1] + stamp + match[3], data)
            entry = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
            entry.compress_type = info.compress_type
            entry.external_attr = 0o644 << 16
            archive.writestr(entry, data)
    return pinned.getvalue()


def example_rows(language: str = "id") -> dict[str, dict[str, object]]:
    """One example row per sheet: the bundled sample's most complete row, its group id replaced by the marker."""
    from tjsl_eval.inputs.workbook import SAMPLE_NAME, load_workbook

    sample = load_workbook(SAMPLE_NAME)
    examples = {}
    for sheet in SHEETS:
        table = sample[sheet.name]
        filled = table.notna()
        row = table.astype(object).where(filled, None).loc[filled.sum(axis=1).idxmax()]
        examples[sheet.name] = {column.name: _plain(column, row[column.name]) for column in sheet.columns}
        examples[sheet.name]["group_id"] = EXAMPLE_MARKERS[language]
    return examples


def _plain(column: Column, value: object) -> object:
    """A typed table's value (None when blank) as a plain Python value for a cell."""
    if column.kind == "sdgs":
        return ";".join(str(goal) for goal in value) if value else None
    if value is None:
        return None
    if column.kind == "date":
        return value.date()
    if column.kind in ("integer", "number", "money", "percent"):
        number = float(value)
        return int(number) if number.is_integer() else number
    return str(value)


def write_template(path: Path, language: str = "id") -> Path:
    """Write the blank review workbook to fill in: the layout with one example row per sheet."""
    properties = {"title": text("template.title", language), "creator": "tjsl-eval"}
    return write_workbook(path, language, examples=example_rows(language), properties=properties)

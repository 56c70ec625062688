"""Parse single cells as evaluators really type them (Rupiah, Indonesian dates, enums).

Every parser takes the raw cell value (from openpyxl or a CSV) and returns the typed
value, or raises :class:`CellError` saying what was found. Blank cells never reach a
parser: the loader handles them (see :func:`is_blank`).
"""

from __future__ import annotations

import datetime as dt
import math
import re

MONTHS = {
    # Indonesian and English month names and their usual abbreviations.
    "januari": 1,
    "january": 1,
    "jan": 1,
    "februari": 2,
    "february": 2,
    "feb": 2,
    "pebruari": 2,
    "peb": 2,
    "maret": 3,
    "march": 3,
    "mar": 3,
    "april": 4,
    "apr": 4,
    "mei": 5,
    "may": 5,
    "juni": 6,
    "june": 6,
    "jun": 6,
    "juli": 7,
    "july": 7,
    "jul": 7,
    "agustus": 8,
    "august": 8,
    "agu": 8,
    "agt": 8,
    "aug": 8,
    "september": 9,
    "sep": 9,
    "sept": 9,
    "oktober": 10,
    "october": 10,
    "okt": 10,
    "oct": 10,
    "november": 11,
    "nopember": 11,
    "nov": 11,
    "nop": 11,
    "desember": 12,
    "december": 12,
    "des": 12,
    "dec": 12,
}
LARGEST_INTEGER = 10**15  # whole-number columns hold years, counts and scores
EXCEL_ERRORS = (
    "#NULL!",
    "#DIV/0!",
    "#VALUE!",
    "#REF!",
    "#NAME?",
    "#NUM!",
    "#N/A",
    "#GETTING_DATA",
    "#SPILL!",
    "#CALC!",
)
# Characters no report format can hold (XML 1.0 refuses them; Word, PowerPoint and Excel files are XML): control
# characters other than tab and newline (a carriage return only before a newline), surrogates, U+FFFE and U+FFFF.
CONTROL_CHARACTERS = "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]|\r(?!\n)"
_CONTROL = re.compile(CONTROL_CHARACTERS)
EARLIEST_DATE = dt.date(1990, 1, 1)
LATEST_DATE = dt.date(2100, 12, 31)


class CellError(ValueError):
    """A cell value that cannot be read as the column's type."""


def is_blank(value: object) -> bool:
    """True for an empty cell: None, NaN, or text of only spaces."""
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


def normalize_token(text: str) -> str:
    """Lower-case, trim, and turn spaces and hyphens into ``_`` (headers, enum values)."""
    return re.sub(r"[\s\-]+", "_", str(text).strip().lower())


def parse_text(value: object) -> str:
    """Text with surrounding spaces removed; a whole number typed in Excel stays ``12``. Text holding a control
    character (see :data:`CONTROL_CHARACTERS`) is refused: no report could show it."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    text = str(value).strip()
    if found := _CONTROL.search(text):
        raise CellError(
            f"found the control character U+{ord(found.group()[0]):04X} at character {found.start() + 1} of the "
            f"text: delete it (it is invisible, and no report format can hold it)"
        )
    return text


def _number_text(text: str, money: bool) -> float:
    """Read a number written with Indonesian or English separators."""
    cleaned = re.sub(r"^rp\.?", "", text.strip().lower()).strip()
    cleaned = re.sub(r"[,.]-$", "", cleaned)  # "Rp 12.500,-"
    cleaned = cleaned.replace(" ", "").replace("\u00a0", "")
    negative = cleaned.startswith("-")
    cleaned = cleaned.lstrip("+-")
    if not re.fullmatch(r"\d[\d.,]*", cleaned) or cleaned[-1] in ".,":
        raise CellError(f"found {text!r}, which is not a number")
    dots, commas = cleaned.count("."), cleaned.count(",")
    if dots and commas:
        decimal_mark = "." if cleaned.rfind(".") > cleaned.rfind(",") else ","
    elif dots + commas == 0:
        decimal_mark = None
    else:
        mark = "." if dots else ","
        groups = cleaned.split(mark)
        if len(groups) > 2:
            decimal_mark = None  # several marks: thousands separators
        elif len(groups[1]) == 3:
            if not money:
                raise CellError(
                    f"found {text!r}, which is ambiguous: write the thousands without a "
                    f"separator (1500) or the decimal with a comma (1,5)"
                )
            decimal_mark = None  # money has no thousandths of a Rupiah
        else:
            decimal_mark = mark
    thousands_mark = {".": ",", ",": ".", None: None}[decimal_mark]
    if decimal_mark is None:
        thousands = re.split(r"[.,]", cleaned)
        if len(thousands) > 1 and not all(len(g) == 3 for g in thousands[1:]):
            raise CellError(f"found {text!r}: thousands separators must group three digits")
        number = "".join(thousands)
    else:
        whole, _, fraction = cleaned.rpartition(decimal_mark)
        groups = whole.split(thousands_mark) if thousands_mark in whole else [whole]
        if decimal_mark in whole or not all(len(g) == 3 for g in groups[1:]):
            raise CellError(f"found {text!r}: the thousands and decimal separators are mixed up")
        number = "".join(groups) + "." + fraction
    result = float(number)
    if not math.isfinite(result):
        raise CellError(f"found a number too large to use ({len(cleaned)} digits)")
    return -result if negative else result


def parse_number(value: object, money: bool = False) -> float:
    """A number from an Excel number or text such as ``12,5``, ``Rp 12.500.000`` or ``12,500,000``."""
    if isinstance(value, bool):
        raise CellError(f"found {value!r}, which is not a number")
    if isinstance(value, (int, float)):
        if isinstance(value, float) and not math.isfinite(value):
            raise CellError(f"found {value!r}, which is not a finite number")
        return float(value)
    if isinstance(value, (dt.date, dt.datetime)):
        raise CellError(f"found the date {value:%Y-%m-%d}, not a number")
    return _number_text(str(value), money=money)


def parse_money(value: object) -> float:
    """Rupiah from a number or text such as ``Rp 12.500.000``, ``12.500.000,50`` or ``12,500,000``."""
    return parse_number(value, money=True)


def parse_percent(value: object, excel_percent_format: bool = False) -> float:
    """A percentage 0–100 from ``20``, ``20 %`` or an Excel cell formatted as percent (0.2)."""
    if isinstance(value, str) and value.strip().endswith("%"):
        return parse_number(value.strip()[:-1])
    number = parse_number(value)
    return number * 100 if excel_percent_format else number


def parse_integer(value: object) -> int:
    """A whole number; ``2023.0`` from Excel is accepted, ``2023.5`` is not."""
    number = parse_number(value)
    if not number.is_integer():
        raise CellError(f"found {value!r}, which is not a whole number")
    if abs(number) > LARGEST_INTEGER:
        raise CellError(f"found {number:.0f}, far too large for this column")
    return int(number)


def parse_date(value: object) -> dt.date:
    """A date from an Excel date or text ``17/01/2023``, ``2023-01-17`` or ``17 Januari 2023``."""
    if isinstance(value, dt.datetime):
        result = value.date()
    elif isinstance(value, dt.date):
        result = value
    elif isinstance(value, str):
        result = _date_text(value.strip())
    else:
        raise CellError(f"found {value!r}, which is not a date")
    if not EARLIEST_DATE <= result <= LATEST_DATE:
        raise CellError(f"found {result.isoformat()}, outside {EARLIEST_DATE.year}–{LATEST_DATE.year}")
    return result


def _date_text(text: str) -> dt.date:
    patterns = (
        (r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?", ("y", "m", "d")),
        (r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})", ("d", "m", "y")),
        (r"(\d{1,2})\s+([A-Za-z]+)\.?\s+(\d{4})", ("d", "month", "y")),
    )
    for pattern, parts in patterns:
        match = re.fullmatch(pattern, text)
        if not match:
            continue
        fields = dict(zip(parts, match.groups(), strict=True))
        month = fields.get("m") or MONTHS.get(fields.get("month", "").lower())
        if month is None:
            raise CellError(f"found {text!r}: unknown month name {fields['month']!r}")
        try:
            return dt.date(int(fields["y"]), int(month), int(fields["d"]))
        except ValueError:
            raise CellError(f"found {text!r}, which is not a real calendar date") from None
    raise CellError(f"found {text!r}, which is not a date")


def parse_sdgs(value: object) -> tuple[int, ...]:
    """SDG goal numbers 1–17 separated by ``;`` or ``,`` (``8; 11; 12``)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        parts = [parse_text(value)]
    else:
        parts = [p.strip() for p in re.split(r"[;,]", str(value)) if p.strip()]
    goals = []
    for part in parts:
        if not part.isdecimal() or not 1 <= int(part) <= 17:
            raise CellError(f"found {part!r}, which is not an SDG goal number 1–17")
        goals.append(int(part))
    return tuple(sorted(set(goals)))

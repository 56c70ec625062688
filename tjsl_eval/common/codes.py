"""Finding codes: short keys an evaluator can type (sheet ``tindak_lanjut``), made from a finding's kind and the
name of the row it comes from, so that the same finding of the same group has the same code every year and run.

``IND-NASABAH-AKTIF-BANK-SAMPAH`` (an indicator), ``KEG-PELATIHAN-RELAWAN-ANGKATAN-3`` (an activity),
``FGD-2022-BPBD`` (the FGD input of 2022 from BPBD), ``DAC-KOHERENSI`` (a criterion).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

NAME_LIMIT = 30  # characters of a name kept in a code (whole words)
LINKING_WORDS = frozenset({"DAN", "DI", "KE", "DARI", "YANG", "UNTUK", "DENGAN", "OF", "AND", "THE", "FOR", "TO"})


def slug(name: str, limit: int = NAME_LIMIT) -> str:
    """``name`` in capitals, ASCII letters and digits joined by ``-``, cut after the last whole word that fits in
    ``limit`` characters (a first word longer than that is cut), without linking words (``DAN``...) left at the
    end of a cut name."""
    ascii_text = unicodedata.normalize("NFKD", str(name).upper()).encode("ascii", "ignore").decode()
    words = re.findall(r"[A-Z0-9]+", ascii_text)
    kept: list[str] = []
    for word in words:
        if kept and len("-".join([*kept, word])) > limit:
            while len(kept) > 1 and kept[-1] in LINKING_WORDS:
                kept.pop()
            break
        kept.append(word)
    return "-".join(kept)[:limit] or "X"


def code(prefix: str, name: object = None) -> str:
    """``PREFIX`` or ``PREFIX-NAME-SLUG``."""
    return prefix if name is None else f"{prefix}-{slug(str(name))}"


def unique(codes: Iterable[str]) -> list[str]:
    """``codes`` with ``-2``, ``-3``... added to the second and later of equal codes, in order."""
    seen: dict[str, int] = {}
    result = []
    for item in codes:
        seen[item] = seen.get(item, 0) + 1
        result.append(item if seen[item] == 1 else f"{item}-{seen[item]}")
    return result


def fgd_input_codes(inputs: Iterable[tuple[int, str]]) -> list[str]:
    """The codes of one group's FGD inputs, given as (year, stakeholder) in the sheet's order: ``FGD-<year>-<who>``,
    numbered when one stakeholder gave several inputs about the group in one year."""
    return unique(code(f"FGD-{int(year)}", stakeholder) for year, stakeholder in inputs)

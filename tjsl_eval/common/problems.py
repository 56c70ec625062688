"""Problems found in a user's input, each naming where it is and what was expected."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One problem in a workbook or params file.

    ``row`` is the row number as Excel shows it (the header is row 1); ``sheet``,
    ``row`` and ``column`` are None when the problem concerns a whole file or sheet.
    """

    file: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    message: str = ""

    def __str__(self) -> str:
        where = [self.file]
        if self.sheet is not None:
            where.append(f"sheet '{self.sheet}'")
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column '{self.column}'")
        return ", ".join(where) + ": " + self.message


class InputError(Exception):
    """Raised with every problem found, so that all of them can be reported at once."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

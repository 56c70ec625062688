"""The workbook contract as a Markdown table, generated from :mod:`tjsl_eval.inputs.schema`.

``docs/workbook.md`` holds this table between markers; a test keeps the two in step.
"""

from __future__ import annotations

from tjsl_eval.inputs.schema import SHEETS, Column, Sheet

BEGIN, END = "<!-- contract:begin -->", "<!-- contract:end -->"


def _column_rule(column: Column) -> str:
    rule = column.expected()
    if column.optional:
        rule += "; the column is optional"
    if column.blank_allowed:
        rule += f"; blank = {column.blank}"
    if column.note:
        rule += f"; {column.note}"
    return rule


def _sheet_section(sheet: Sheet) -> str:
    title = f"### `{sheet.name}` / `{sheet.name_id}`" + (" (required)" if sheet.required else " (optional)")
    lines = [title, "", sheet.note, ""]
    if sheet.unique:
        keys = ", ".join(f"`{sheet.column(k).name_id}`" for k in sheet.unique)
        lines += [f"Each combination of {keys} appears once.", ""]
    lines += ["| column (English / Indonesian) | type and rule |", "|---|---|"]
    lines += [f"| `{c.name}` / `{c.name_id}` | {_column_rule(c)} |" for c in sheet.columns]
    return "\n".join(lines)


def contract_markdown() -> str:
    """Every sheet and column of the contract, with types and rules, as Markdown."""
    return "\n\n".join([BEGIN, *(_sheet_section(sheet) for sheet in SHEETS), END])

"""What closes every report, the group's and the programme's: the glossary of the terms a government reader
meets, and the sign-off (prepared, reviewed, approved, with a space to sign)."""

from __future__ import annotations

import datetime as dt

from tjsl_eval.common import formatting
from tjsl_eval.common.messages import text
from tjsl_eval.render.blocks import note, table_block
from tjsl_eval.render.document import Block

GLOSSARY = ("ikm", "nrr", "sroi", "deadweight", "attribution", "drop_off", "dac", "sdg", "independence")
ROLES = ("disusun", "diperiksa", "disetujui")  # prepared, reviewed, approved


def words(key: str, language: str, **values: object) -> str:
    """The catalogue's text ``evaluation_report.<key>``."""
    return text(f"evaluation_report.{key}", language, **values)


def glossary_table(language: str) -> list[Block]:
    """The terms, each with what it means."""
    rows = [
        (words(f"glossary.terms.{term}.term", language), words(f"glossary.terms.{term}.meaning", language))
        for term in GLOSSARY
    ]
    headers = [words("glossary.term", language), words("glossary.meaning", language)]
    return table_block(headers, rows, caption=words("glossary.caption", language))


def signoff_rows(approvals: list[dict], language: str) -> list[tuple[str, ...]]:
    """Prepared, reviewed, approved: each signer's name, position, place and date, and a blank cell to sign in;
    a role nobody has signed yet keeps its row, blank, to be filled in by hand."""
    by_role: dict[str, list[dict]] = {}
    for approval in approvals:
        by_role.setdefault(approval["role"], []).append(approval)
    rows = []
    for role in ROLES:
        for signer in by_role.get(role) or [{}]:
            when = signer.get("date")
            dated = formatting.date(dt.date.fromisoformat(when), language) if when else ""
            place_date = ", ".join(part for part in (signer.get("place"), dated) if part)
            name, position = signer.get("name") or "", signer.get("position") or ""
            rows.append((words(f"role.{role}", language), name, position, place_date, ""))
    return rows


def signoff_table(approvals: list[dict], draft: bool, language: str) -> list[Block]:
    """Whether the report is still a draft, then who prepared, reviewed and approved it, with a space to sign."""
    headers = [words(f"signoff.{key}", language) for key in ("role", "name", "position", "place_date", "signature")]
    shown = note(words("signoff.draft" if draft else "signoff.approved", language))
    return shown + table_block(headers, signoff_rows(approvals, language), caption=words("signoff.caption", language))

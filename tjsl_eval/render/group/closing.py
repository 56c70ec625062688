"""The report's closing: the evaluator's conclusion, the glossary and the sign-off."""

from __future__ import annotations

import datetime as dt

from tjsl_eval.render import evaluator
from tjsl_eval.render.blocks import note, table_block
from tjsl_eval.render.document import Block
from tjsl_eval.render.group.context import GroupContext

GLOSSARY = ("ikm", "nrr", "sroi", "deadweight", "attribution", "drop_off", "dac", "sdg", "independence")
ROLES = ("disusun", "diperiksa", "disetujui")  # prepared, reviewed, approved


def conclusion_blocks(report: GroupContext) -> list[Block]:
    """The evaluator's closing conclusion (narrative rows of the section ``kesimpulan``) and its photos."""
    content = evaluator.section_blocks(report.workbook, report.group_id, report.year, "conclusion", report.language)
    return report.heading("conclusion") + (content or note(report.t("evaluator.no_conclusion")))


def glossary_blocks(report: GroupContext) -> list[Block]:
    """The terms a government reader meets in the report, explained."""
    rows = [
        (report.words(f"glossary.terms.{term}.term"), report.words(f"glossary.terms.{term}.meaning"))
        for term in GLOSSARY
    ]
    headers = [report.words("glossary.term"), report.words("glossary.meaning")]
    return report.heading("glossary") + table_block(headers, rows, caption=report.words("glossary.caption"))


def signoff_rows(report: GroupContext, approvals: list[dict]) -> list[tuple[str, ...]]:
    """Prepared, reviewed, approved: each signer's name, position, place and date, and a blank cell to sign in;
    a role nobody has signed yet keeps its row, blank, to be filled in by hand."""
    by_role = {}
    for approval in approvals:
        by_role.setdefault(approval["role"], []).append(approval)
    rows = []
    for role in ROLES:
        for signer in by_role.get(role) or [{}]:
            when = signer.get("date")
            place_date = ", ".join(
                part for part in (signer.get("place"), report.date(dt.date.fromisoformat(when)) if when else "") if part
            )
            rows.append(
                (report.words(f"role.{role}"), signer.get("name") or "", signer.get("position") or "", place_date, "")
            )
    return rows


def signoff_blocks(report: GroupContext) -> list[Block]:
    """Who prepared, reviewed and approved the report, with a space to sign; whether it is still a draft."""
    headers = [report.words(f"signoff.{key}") for key in ("role", "name", "position", "place_date", "signature")]
    rows = signoff_rows(report, report.figures.get("approvals") or [])
    blocks = report.heading("signoff") + note(report.words("signoff.draft" if report.draft else "signoff.approved"))
    return blocks + table_block(headers, rows, caption=report.words("signoff.caption"))


BUILDERS = {"conclusion": conclusion_blocks, "glossary": glossary_blocks, "signoff": signoff_blocks}

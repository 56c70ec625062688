"""The report's closing: the evaluator's conclusion, the glossary and the sign-off."""

from __future__ import annotations

from tjsl_eval.render import closing, evaluator
from tjsl_eval.render.blocks import note
from tjsl_eval.render.document import Block
from tjsl_eval.render.group.context import GroupContext


def conclusion_blocks(report: GroupContext) -> list[Block]:
    """The evaluator's closing conclusion (narrative rows of the section ``kesimpulan``) and its photos."""
    content = evaluator.section_blocks(report.workbook, report.group_id, report.year, "conclusion", report.language)
    return report.heading("conclusion") + (content or note(report.t("evaluator.no_conclusion")))


def glossary_blocks(report: GroupContext) -> list[Block]:
    """The terms a government reader meets in the report, explained."""
    return report.heading("glossary") + closing.glossary_table(report.language)


def signoff_blocks(report: GroupContext) -> list[Block]:
    """Who prepared, reviewed and approved the report, with a space to sign; whether it is still a draft."""
    approvals = report.figures.get("approvals") or []
    return report.heading("signoff") + closing.signoff_table(approvals, report.draft, report.language)


BUILDERS = {"conclusion": conclusion_blocks, "glossary": glossary_blocks, "signoff": signoff_blocks}

"""The report's closing: the evaluator's conclusion."""

from __future__ import annotations

from tjsl_eval.render import evaluator
from tjsl_eval.render.blocks import note
from tjsl_eval.render.document import Block
from tjsl_eval.render.group.context import GroupContext


def conclusion_blocks(report: GroupContext) -> list[Block]:
    """The evaluator's closing conclusion (narrative rows of the section ``kesimpulan``) and its photos."""
    content = evaluator.section_blocks(report.workbook, report.group_id, report.year, "conclusion", report.language)
    return report.heading("conclusion") + (content or note(report.t("evaluator.no_conclusion")))


BUILDERS = {"conclusion": conclusion_blocks}

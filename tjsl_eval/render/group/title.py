"""The report's cover: the review, the group, its pillar and SDGs, the report's date, the contents, and the draft
mark while the report is not approved."""

from __future__ import annotations

from tjsl_eval.inputs.workbook import SAMPLE_NAME
from tjsl_eval.render.blocks import cover, draft_mark, sdg_badges
from tjsl_eval.render.document import Block
from tjsl_eval.render.group.context import GroupContext
from tjsl_eval.render.group.outline import SECTIONS


def title_blocks(report: GroupContext) -> list[Block]:
    """The report's cover (review, organiser, FGD, group, pillar, SDGs) and its contents."""
    group = report.group
    facts = [
        (report.t("cover.group"), f"{group['name']} ({group['group_id']})"),
        (report.t("profile.pillar"), report.label("pillar", group["pillar"])),
        (report.t("cover.sdgs"), sdg_badges(group["sdgs"], report.language)),
    ]
    if report.report_date():
        facts.append((report.words("cover.report_date"), report.report_date()))
    title = report.t("report.title", name=group["name"], year=report.year)
    sections = [(key, report.section_title(key)) for key in SECTIONS if key != "title"]
    blocks = cover(title, report.review, report.language, facts, report.workbook.source == SAMPLE_NAME, sections)
    if report.draft:  # above the cover, the first thing a reader sees
        blocks[-1:-1] = draft_mark(report.words("cover.draft"))
    return blocks


BUILDERS = {"title": title_blocks}

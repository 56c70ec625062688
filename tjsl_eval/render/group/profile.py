"""Chapter "the group and its year": the group's profile and the year's key figures against last year's."""

from __future__ import annotations

import pandas as pd

from tjsl_eval.common import formatting
from tjsl_eval.methods import evaluation, metrics
from tjsl_eval.render.blocks import note, table_block
from tjsl_eval.render.document import Block, Heading
from tjsl_eval.render.group.context import GroupContext

SUMMARY_KEYS = (*metrics.METRIC_KEYS, *evaluation.METHOD_KEYS)
BENEFICIARY_COUNTS = ("men", "women", "with_disability", "other_vulnerable", "total")


def profile_blocks(report: GroupContext) -> list[Block]:
    """The group's profile from the sheet ``kelompok``."""
    group = report.group
    members = group["members"]
    rows = [
        (report.t("profile.group_id"), group["group_id"]),
        (report.t("profile.name"), group["name"]),
        (report.t("profile.program"), group["program"]),
        (report.t("profile.pillar"), report.label("pillar", group["pillar"])),
        (report.t("profile.kelurahan"), group["kelurahan"]),
        (report.t("profile.kecamatan"), group["kecamatan"] if pd.notna(group["kecamatan"]) else "–"),
        (report.t("profile.start_year"), group["start_year"]),
        (report.t("profile.members"), "–" if pd.isna(members) else formatting.number(members, report.language)),
        (report.t("profile.sdgs"), ", ".join(f"SDG {goal}" for goal in group["sdgs"]) or "–"),
    ]
    caption = report.words("caption.profile")
    blocks = report.heading("profile") + table_block(
        [report.t("table.item"), report.t("table.value")], rows, caption=caption
    )
    return blocks + beneficiary_blocks(report)


def beneficiary_blocks(report: GroupContext) -> list[Block]:
    """Who benefits, by category: men, women, people with disabilities, other vulnerable people, with last
    year's total beside this year's."""
    now = report.figures.get("beneficiaries")
    if not now:
        return []
    before = (report.figures.get("previous_year") or {}).get("beneficiaries") or {}
    rows = [
        (
            report.words(f"beneficiaries.{category}"),
            *(report.amount(counts[key]) for key in BENEFICIARY_COUNTS),
            report.amount((before.get(category) or {}).get("total")),
        )
        for category, counts in now.items()
    ]
    headers = [
        report.words("beneficiaries.category"),
        *(report.words(f"beneficiaries.{key}") for key in BENEFICIARY_COUNTS),
        report.words("beneficiaries.previous", year=report.year - 1),
    ]
    caption = report.words("beneficiaries.caption", year=report.year)
    return [Heading(report.words("beneficiaries.title"), 3)] + table_block(
        headers, rows, numeric=(1, 2, 3, 4, 5, 6), caption=caption
    )


def summary_blocks(report: GroupContext) -> list[Block]:
    """This year's key figures with last year's beside them."""
    figures = report.figures
    previous = figures["previous_year"] or {}
    rows = [
        (
            report.t(f"metric.{key}"),
            metrics.format_figure(key, figures[key], report.language),
            metrics.format_figure(key, previous.get(key), report.language),
            metrics.format_change(key, figures[key], previous.get(key), report.language),
        )
        for key in SUMMARY_KEYS
    ]
    headers = [report.t("summary.metric"), str(report.year), str(report.year - 1), report.t("summary.change")]
    blocks = report.heading("summary") + table_block(
        headers,
        rows,
        numeric=(1, 2, 3),
        caption=report.words("caption.summary", year=report.year, previous=report.year - 1),
    )
    if not previous:
        blocks += note(report.t("summary.no_previous", year=report.year - 1))
    return blocks


BUILDERS = {"profile": profile_blocks, "summary": summary_blocks}

"""The section "Method and data": the data sources and the rows used, the period and the FGD, the IKM sample
against the Krejcie–Morgan minimum, the SROI proxies and their sources, the limitations found in the data."""

from __future__ import annotations

import pandas as pd

from tjsl_eval.render.blocks import note, side_by_side, table_block
from tjsl_eval.render.document import Block, Heading, Paragraph
from tjsl_eval.render.group.context import GroupContext

# The data a group's report reads for its year, in the order the report uses them (sheets that exist only in
# some reviews are counted when the workbook has them).
SOURCES = (
    "budget",
    "indicators",
    "activities",
    "survey",
    "sroi",
    "independence",
    "fgd_feedback",
    "dac_judgement",
    "beneficiaries",
    "follow_up",
    "approval",
    "narrative",
    "photos",
)


def source_rows(report: GroupContext) -> list[tuple[str, int]]:
    """Each data source with the number of rows about this group used for the year (none left out)."""
    rows = []
    for sheet in SOURCES:
        if sheet not in report.workbook.tables:
            continue
        table = report.workbook.tables[sheet]
        used = report.rows(sheet) if "year" in table else report.rows(sheet, None)
        if sheet == "fgd_feedback":
            used = used[used["year"] <= report.year]
        rows.append((report.words(f"source.{sheet}"), len(used)))
    return [row for row in rows if row[1]]


def sample_text(report: GroupContext) -> str:
    sample = report.figures.get("ikm_sample")
    respondents = report.results.ikm.respondents
    if not sample:
        shown = "method.respondents" if respondents else "method.no_sample"
        return report.words(shown, year=report.year, respondents=respondents)
    verdict = report.words("method.sample_met" if sample["adequate"] else "method.sample_not_met")
    return report.words(
        "method.sample",
        respondents=sample["respondents"],
        members=sample["members"],
        minimum=sample["minimum"],
        verdict=verdict,
    )


def limitations(report: GroupContext) -> list[str]:
    """What in the year's data limits the evaluation: missing baselines, unmeasured indicators, years without
    survey, missing methods' data, an inadequate sample."""
    found = []
    indicators = report.rows("indicators")
    if not indicators.empty:
        missing = indicators[indicators["baseline"].isna()]["indicator"]
        if len(missing):
            found.append(report.words("method.no_baseline", names=", ".join(missing)))
        unmeasured = indicators[indicators["actual"].isna()]["indicator"]
        if len(unmeasured):
            found.append(report.words("method.not_measured", names=", ".join(unmeasured)))
    start = int(report.group["start_year"])
    surveyed = set(report.rows("survey", None)["year"].dropna().astype(int))
    without = [str(year) for year in range(max(start, report.year - 2), report.year + 1) if year not in surveyed]
    if without:
        found.append(report.words("method.no_survey", years=", ".join(without)))
    for sheet, key in (("budget", "no_budget"), ("activities", "no_activities"), ("sroi", "no_sroi")):
        if report.rows(sheet).empty:
            found.append(report.words(f"method.{key}", year=report.year))
    if report.rows("independence").empty:
        found.append(report.words("method.no_independence", year=report.year))
    sample = report.figures.get("ikm_sample")
    if sample and not sample["adequate"]:
        found.append(report.words("method.small_sample", respondents=sample["respondents"], minimum=sample["minimum"]))
    return found


def method_blocks(report: GroupContext) -> list[Block]:
    """How the evaluation was made and what limits it."""
    fgd = report.review.get("fgd_date")
    blocks = report.heading("method")
    blocks.append(
        Paragraph(
            report.words(
                "method.period",
                year=report.year,
                fgd=report.date(pd.Timestamp(fgd)) if fgd else report.words("method.no_fgd"),
                date=report.report_date() or "–",
            )
        )
    )
    sources = [Heading(report.words("method.sources"), 3)] + table_block(
        [report.words("method.source"), report.words("method.rows")],
        source_rows(report),
        numeric=(1,),
        caption=report.words("method.sources_caption"),
    )
    found = limitations(report)
    limits = [Paragraph(sample_text(report)), Heading(report.words("method.limits"), 3)]
    if found:
        caption = report.words("method.limits_caption")
        limits += table_block([report.words("method.limit")], [(limit,) for limit in found], caption=caption)
    else:
        limits += note(report.words("method.no_limits"))
    blocks += side_by_side(sources, limits)  # printed on one page
    outcomes = report.rows("sroi")
    if not outcomes.empty:
        blocks.append(Heading(report.words("method.proxies"), 3))
        body = [
            (
                row.outcome,
                report.money(row.proxy_value),
                row.proxy_source if pd.notna(row.proxy_source) else "–",
            )
            for row in outcomes.itertuples()
        ]
        headers = [report.t("sroi.outcome"), report.t("sroi.proxy"), report.t("sroi.source")]
        blocks += table_block(headers, body, numeric=(1,), caption=report.words("method.proxies_caption"))
    return blocks


BUILDERS = {"method": method_blocks}

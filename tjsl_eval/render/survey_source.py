"""Where a group's IKM answers came from, and the respondents' profile, as blocks of the IKM section.

The answers are typed in the workbook's ``survei_ikm`` sheet or read from a survey export (params key
``survey_exports``): each source is named with the rows it gave (an export: its file name, the submissions
used and the first and last submission date); the respondents of the exports that have a profile are counted
by sex and by age band.
"""

from __future__ import annotations

import pandas as pd

from tjsl_eval.common import formatting
from tjsl_eval.common.messages import text
from tjsl_eval.inputs.questionnaire import questionnaire
from tjsl_eval.render.document import Block, Paragraph, Table

PROFILE = ("sex", "age_band")


def survey_source_blocks(rows: pd.DataFrame, language: str) -> list[Block]:
    """The sources of ``rows`` (one group's ``survei_ikm`` rows for the year, exports joined) and, when an
    export gave it, the respondents' profile."""
    answered = rows[rows[[f"u{i}" for i in range(1, 10)]].notna().any(axis=1)]
    sources = answered["source"] if "source" in answered else pd.Series("", index=answered.index, dtype="str")
    typed = int((sources == "").sum())
    blocks: list[Block] = []
    if typed:
        blocks.append(Paragraph(text("survey_source.typed", language, count=typed), "note"))
    for file, part in answered[sources != ""].groupby(sources[sources != ""], sort=True):
        dates = part["submitted"].dropna()
        if dates.empty:
            message = text("survey_source.export_undated", language, file=file, count=len(part))
        else:
            first, last = (formatting.date(day, language) for day in (dates.min(), dates.max()))
            message = text("survey_source.export", language, file=file, count=len(part), first=first, last=last)
        blocks.append(Paragraph(message, "note"))
    return blocks + _profile(answered[sources != ""], language)


def _profile(rows: pd.DataFrame, language: str) -> list[Block]:
    """Counts by sex and by age band of the export's respondents, when any gave them (else nothing)."""
    if rows.empty or not (rows[list(PROFILE)] != "").to_numpy().any():
        return []
    body = []
    for field in PROFILE:
        choices = questionnaire()["choices"][field]
        counts = rows[field].value_counts()
        order = [name for name in choices if name in counts] + sorted(set(counts.index) - set(choices))
        for name in order:
            shown = choices[name][language] if name in choices else name or text("survey_source.blank", language)
            body.append((text(f"survey_source.{field}", language), shown, int(counts[name])))
    headers = [text("survey_source.profile", language), text("survey_source.category", language)]
    return [Table([*headers, text("survey_source.count", language)], body, numeric=(2,))]

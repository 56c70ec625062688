"""A group's FGD deck, at most :data:`MAX_SLIDES` slides: each slide kind a function that returns
the slide's maker, or None when the report has no data for it (the slide is left out).

The figures come from the report's ``figures`` (the group's ``metrics.json`` entry), the rows of
tables from its sections' blocks; what a slide cannot show (full tables, how a figure is
computed, the evaluator's narrative) goes to the slide's speaker notes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

from pptx.enum.text import PP_ALIGN
from pptx.util import Inches

from tjsl_eval.common import formatting
from tjsl_eval.common.messages import label, text
from tjsl_eval.methods import yoy
from tjsl_eval.methods.findings import ABSORPTION_HIGH, ABSORPTION_LOW
from tjsl_eval.methods.metrics import HEADLINE_KEYS, format_change, format_figure
from tjsl_eval.render.deck_charts import Series, bar_chart
from tjsl_eval.render.deck_design import BODY_POINTS, MAX_ROWS, Area, Deck
from tjsl_eval.render.deck_parts import (
    closing,
    cover_slide,
    photo_slides,
    section_notes,
    table_notes,
    tables_of,
)
from tjsl_eval.render.document import Document, Judgement, Light, Narrative, Section, flat_blocks

MAX_SLIDES = 12
QUALIFIERS = {"ikm_score": "ikm_band", "independence_index": "independence_stage"}  # the band, the stage
SEVERITY_COLOURS = {"tinggi": "warning", "sedang": "caution", "rendah": "neutral"}
LATE_STATUSES = ("batal", "belum")  # activities shown in the warning colour
Maker = Callable[[Deck], None]


def group_slides(report: Document) -> list[Maker]:
    """The group deck's slides in order, those without data left out; photos take the room left."""
    sections = report.sections()
    makers = [make(report, sections) for make in (_cover, _summary, _key_figures, _budget, _indicators)]
    makers += [make(report, sections) for make in (_activities, _dac, _findings, _fgd, _plan)]
    makers = [maker for maker in makers if maker is not None]
    makers += photo_slides(sections, report.language, MAX_SLIDES - len(makers) - 1)
    return [*makers, closing(report, section_notes(sections.get("conclusion")))]


def _cover(report: Document, sections: dict[str, Section]) -> Maker:
    figures, language = report.figures, report.language
    kelurahan = text("profile.kelurahan", language)
    profile = tables_of(sections.get("profile"))
    place = [str(value) for name, value in (profile[0].rows if profile else []) if name == kelurahan]
    first = " · ".join([label("pillar", figures.get("pillar"), language), *place]) if figures.get("pillar") else ""
    return cover_slide(report, [first] if first else [])


def _summary(report: Document, sections: dict[str, Section]) -> Maker | None:
    """The executive summary: the overall status light (with the criteria that set it) and three key messages."""
    status, language = report.figures.get("status"), report.language
    if not status:
        return None
    section = sections.get("executive_summary")
    criteria = [label("criterion", key, language) for key in status.get("criteria") or []]
    messages = key_messages(report, sections)

    def make(deck: Deck) -> None:
        title = section.title if section else text("deck.summary", language)
        slide, area = deck.slide(
            title, section_notes(section) + table_notes(tables_of(section)), with_text=bool(messages)
        )
        left, right = area.columns(2, shares=(1, 2.2))
        size = Inches(1.6)
        deck.light(slide, left.left + (left.width - size) // 2, left.top + Inches(0.2), size, status.get("light"))
        lines = [label("light", status.get("light") or "none", language), ", ".join(criteria)]
        below = Area(left.left, left.top + Inches(2), left.width, left.height - Inches(2))
        deck.text(slide, below, [line for line in lines if line], 24, BODY_POINTS, bold=True, align=PP_ALIGN.CENTER)
        if messages:
            deck.body(slide, right, messages)

    return make


def key_messages(report: Document, sections: dict[str, Section]) -> list[str]:
    """Three key messages: the evaluator's own (their narrative for the executive summary) where written, else
    what the figures say: the key figure that improved most, the one that worsened most, and the first
    recommendation with its owner."""
    section = sections.get("executive_summary")
    own = [
        "".join(run.text for run in paragraph.runs)
        for block in (flat_blocks(section.blocks) if section else [])
        if isinstance(block, Narrative)
        for paragraph in block.paragraphs
    ]
    if own:
        return own[:3]
    figures, language = report.figures, report.language
    changes = yoy.changes(figures, figures.get("previous_year"))
    judged = [changes[key] for key in HEADLINE_KEYS if key in changes and changes[key].difference is not None]
    messages = []
    for verdict in ("lebih_baik", "lebih_buruk"):
        moved = [change for change in judged if change.verdict == verdict]
        if moved:
            change = max(moved, key=lambda c: abs(c.difference))
            messages.append(
                text(
                    f"deck.message_{verdict}",
                    language,
                    metric=text(f"metric.{change.metric}", language),
                    value=format_figure(change.metric, change.now, language),
                    before=format_figure(change.metric, change.before, language),
                )
            )
    table = (tables_of(sections.get("findings")) or [None])[0]
    if table is not None and table.rows:
        row, finding = table.rows[0], (figures.get("findings") or [{}])[0]
        recommendation = _cell(table, row, "finding.recommendation", language)
        messages.append(text("deck.message_action", language, what=recommendation, owner=_owner(finding, language)))
    return messages[:3]


def _arrow(change: yoy.Change) -> str:
    if change.difference is None or change.difference == 0:
        return "="
    return "▲" if change.difference > 0 else "▼"


def verdict_colour(deck: Deck, verdict: str) -> str:
    """Better in the good colour, worse in the warning colour, anything else neutral."""
    return {"lebih_baik": deck.colours.good, "lebih_buruk": deck.colours.warning}.get(verdict, deck.colours.neutral)


def figure_card(deck: Deck, slide, area: Area, figures: dict, key: str, changes: dict) -> None:
    """One key figure: this year's value, the change with its arrow (coloured by the direction of good), last
    year's value, and its band or stage."""
    language = deck.language
    previous = figures.get("previous_year") or {}
    details = []
    if key in changes and figures.get("previous_year"):
        change = changes[key]
        if change.difference is not None:
            shown = format_change(key, figures.get(key), previous.get(key), language)
            details.append((f"{_arrow(change)} {shown}", verdict_colour(deck, change.verdict)))
    if key in QUALIFIERS and figures.get(QUALIFIERS[key]):
        details.append((format_figure(QUALIFIERS[key], figures.get(QUALIFIERS[key]), language), None))
    if key in changes and figures.get("previous_year"):
        details.append((f"{previous.get('year', '')}: {format_figure(key, previous.get(key), language)}", None))
    if key == "sroi_ratio" and figures.get("sroi_present_value") is not None:
        value = format_figure("sroi_present_value", figures["sroi_present_value"], language)
        details.append((text("deck.present_value", language, value=value), None))
    deck.figure(slide, area, text(f"metric.{key}", language), format_figure(key, figures.get(key), language), details)


def _key_figures(report: Document, sections: dict[str, Section]) -> Maker | None:
    """This year's key figures against last year's, the methods' with their band and stage."""
    figures = report.figures
    shown = [key for key in HEADLINE_KEYS if figures.get(key) is not None]
    if not shown:
        return None
    notes = [note for key in ("summary", "ikm", "sroi", "independence") for note in section_notes(sections.get(key))]

    def make(deck: Deck) -> None:
        slide, area = deck.slide(text("deck.key_figures", report.language, year=figures.get("year", "")), notes)
        changes = yoy.changes(figures, figures.get("previous_year"))
        rows = area.rows([area.height // 2, 0]) if len(shown) > 3 else [area]
        for index, key in enumerate(shown):
            row = rows[index // 3]
            cell = row.columns(3)[index % 3]
            figure_card(
                deck, slide, Area(cell.left, cell.top, cell.width, cell.height - Inches(0.15)), figures, key, changes
            )

    return make


def budget_series(figures: dict, language: str) -> tuple[list[str], list[Series]]:
    """The budget chart's data: plan and realisation, last year and this year (the figures of ``metrics.json``);
    a realisation outside the absorption band is warned of."""
    years = [figures.get("previous_year") or None, figures]
    years = [entry for entry in years if entry is not None and entry.get("budget_planned") is not None]
    absorption = [entry.get("budget_absorption_pct") for entry in years]
    warned = [a is not None and not ABSORPTION_LOW <= a <= ABSORPTION_HIGH for a in absorption]
    categories = [str(entry.get("year", "")) for entry in years]
    return categories, [
        Series(text("budget.planned", language), [entry["budget_planned"] for entry in years]),
        Series(text("budget.realized", language), [entry.get("budget_realized") for entry in years], warned),
    ]


def _budget(report: Document, sections: dict[str, Section]) -> Maker | None:
    """Budget plan against realisation, last year and this year, and the absorption."""
    figures, language = report.figures, report.language
    categories, series = budget_series(figures, language)
    if not categories:
        return None
    section = sections.get("budget")
    notes = section_notes(section) + table_notes(tables_of(section))

    def make(deck: Deck) -> None:
        slide, area = deck.slide(section.title if section else text("deck.budget", language), notes)
        chart_area, card = area.columns(2, shares=(2.2, 1))
        bar_chart(deck, slide, chart_area, categories, series, "money")
        changes = yoy.changes(figures, figures.get("previous_year"))
        figure_card(deck, slide, card, figures, "budget_absorption_pct", changes)

    return make


def _indicators(report: Document, sections: dict[str, Section]) -> Maker | None:
    """The indicators against their targets, those below target first and in the warning colour."""
    figures, language = report.figures, report.language
    below = {
        str(finding.get("evidence", {}).get("indicator"))
        for finding in figures.get("findings") or []
        if _kind(finding) == "indicator_below_target"
    }
    met = text("deck.met", language, met=figures.get("indicators_met", 0), of=figures.get("indicators_measured", 0))
    columns = (0, 5, 6, 7)  # indicator, target, actual, achievement (the last three numbers)
    return _rows_and_figure(
        report,
        sections.get("indicators"),
        columns,
        (1, 2, 3),
        lambda row: str(row[0]) in below,
        3,
        "indicator_achievement_pct",
        met,
    )


def _activities(report: Document, sections: dict[str, Section]) -> Maker | None:
    """The activities' status at a glance, the late ones first and in the warning colour."""
    late = {label("status", status, report.language) for status in LATE_STATUSES}
    columns = (0, 2, 3, 4)  # activity, planned end, status, progress (a number)

    def warned(row: Sequence) -> bool:
        return str(row[3]) in late

    return _rows_and_figure(report, sections.get("activities"), columns, (3,), warned, 2, "activity_completion_pct")


def _rows_and_figure(
    report: Document,
    section: Section | None,
    columns: Sequence[int],
    numeric: Sequence[int],
    warned: Callable[[Sequence], bool],
    warned_column: int,
    key: str,
    footnote: str = "",
) -> Maker | None:
    """A slide of the section's first table (its ``columns``, ``numeric`` ones right-aligned; the ``warned`` rows
    first, their ``warned_column`` in the warning colour; six rows, all in the notes) beside the key figure ``key``
    and a ``footnote`` under it."""
    tables = tables_of(section)
    if not tables:
        return None
    table, figures = tables[0], report.figures
    ordered = sorted(table.rows, key=lambda row: not warned(row))

    def make(deck: Deck) -> None:
        slide, area = deck.slide(section.title, section_notes(section) + table_notes(tables))
        left, right = area.columns(2, shares=(2.6, 1))
        rows = [[str(row[i]) for i in columns] for row in ordered]
        fills = {(n, warned_column): deck.colours.warning for n, row in enumerate(ordered) if warned(row)}
        headers = [str(table.headers[i]) for i in columns]
        deck.table(slide, left, headers, rows, numeric, fills, (2.4, 1.2, 1.1, 1.1))
        figure_card(deck, slide, right, figures, key, yoy.changes(figures, figures.get("previous_year")))
        if footnote:
            box = Area(right.left, right.bottom - Inches(0.6), right.width, Inches(0.6))
            deck.text(slide, box, [footnote], BODY_POINTS)

    return make


def _dac(report: Document, sections: dict[str, Section]) -> Maker | None:
    """The six OECD-DAC criteria as traffic lights, each with one line of evidence (the evaluator's light where
    they judged the criterion)."""
    section = sections.get("dac")
    tables = tables_of(section)
    if not tables:
        return None
    rows = []
    for row in tables[0].rows[:MAX_ROWS]:
        judged = row[3] if len(row) > 3 and isinstance(row[3], Judgement) else None
        light = judged.light if judged else row[1] if isinstance(row[1], Light) else Light("none", str(row[1]))
        rows.append((str(row[0]), light, judged.justification if judged else str(row[2])))

    def make(deck: Deck) -> None:
        slide, area = deck.slide(section.title, section_notes(section) + table_notes(tables))
        height = area.height // MAX_ROWS
        size = min(height - Inches(0.15), Inches(0.6))
        for index, (name, light, evidence) in enumerate(rows):
            top = area.top + index * height
            deck.light(slide, area.left, top + (height - size) // 2, size, light.light)
            name_area = Area(area.left + size + Inches(0.2), top, Inches(3.6), height)
            deck.text(slide, name_area, [name, light.text], 20, BODY_POINTS, bold=True, shorten=True)
            line = Area(name_area.right + Inches(0.1), top, area.right - name_area.right - Inches(0.1), height)
            deck.text(slide, line, [evidence], 20, BODY_POINTS, shorten=True)

    return make


def _kind(finding: dict) -> str:
    """A finding's kind (``kind`` once findings carry a stable code, ``code`` before)."""
    return str(finding.get("kind") or finding.get("code"))


def _cell(table, row: Sequence, header_key: str, language: str) -> str:
    """The cell of ``row`` under the header ``text(header_key)`` (a dash when the table has no such column)."""
    headers = [str(header) for header in table.headers]
    wanted = text(header_key, language)
    return str(row[headers.index(wanted)]) if wanted in headers else "–"


def _owner(finding: dict, language: str) -> str:
    """A finding's owner and deadline from the sheet tindak_lanjut, or that none is assigned yet."""
    follow_up = finding.get("follow_up") or {}
    if not follow_up.get("owner"):
        return text("deck.no_owner", language)
    deadline = follow_up.get("deadline")
    shown = formatting.date(dt.date.fromisoformat(deadline), language) if deadline else "–"
    return f"{follow_up['owner']} · {shown}"


def _findings(report: Document, sections: dict[str, Section]) -> Maker | None:
    """The three most severe findings with the recommendation, owner and deadline; the rest in the notes."""
    section, language = sections.get("findings"), report.language
    tables = tables_of(section)
    found = report.figures.get("findings") or []
    if not tables or not found:
        return None
    table = tables[0]
    by_code = {str(finding.get("code")): finding for finding in found}
    rows, severities = [], []
    for index, row in enumerate(table.rows):  # each row's finding: by its code where the table shows it
        finding = next((by_code[str(cell)] for cell in row if str(cell) in by_code), None)
        finding = finding or (found[index] if index < len(found) else {})
        shown = [_cell(table, row, f"finding.{key}", language) for key in ("severity", "finding", "recommendation")]
        rows.append([*shown, _owner(finding, language)])
        severities.append(finding.get("severity"))

    def make(deck: Deck) -> None:
        slide, area = deck.slide(section.title, section_notes(section) + table_notes(tables))
        colours = {
            n: getattr(deck.colours, SEVERITY_COLOURS.get(severity, "neutral"))
            for n, severity in enumerate(severities[:3])
        }
        headers = [text(f"finding.{key}", language) for key in ("severity", "finding", "recommendation")]
        deck.table(
            slide,
            area,
            [*headers, text("deck.owner_deadline", language)],
            rows,
            fills={(n, 0): colour for n, colour in colours.items()},
            shares=(0.8, 2.4, 2.4, 1.4),
            limit=3,
        )

    return make


def _fgd(report: Document, sections: dict[str, Section]) -> Maker | None:
    """The stakeholders' inputs: how many, still open, overdue; then the inputs themselves, the overdue ones
    (whatever year raised) first in the warning colour, then this year's open ones (six rows, all in the notes)."""
    section, figures, language = sections.get("fgd"), report.figures, report.language
    overdue = [f["evidence"] for f in figures.get("findings") or [] if _kind(f) == "follow_up_overdue"]
    if not figures.get("fgd_inputs") and not overdue:
        return None
    rows = [
        [
            str(e.get("stakeholder", "–")),
            str(e.get("feedback", "–")),
            label("follow_up", e.get("follow_up"), language),
            formatting.date(dt.date.fromisoformat(e["due_date"]), language) if e.get("due_date") else "–",
        ]
        for e in overdue
    ]
    warned = len(rows)
    still_open = {label("follow_up", status, language) for status in ("belum", "proses")}
    listed = {(row[0], row[1]) for row in rows}
    table = (tables_of(section) or [None])[0]
    for row in sorted(table.rows if table else [], key=lambda row: str(row[7]) not in still_open):
        if (str(row[1]), str(row[5])) not in listed:
            rows.append([str(row[i]) for i in (1, 5, 7, 8)])  # stakeholder, input, follow-up, due

    def make(deck: Deck) -> None:
        notes = section_notes(section) + table_notes(tables_of(section))
        slide, area = deck.slide(section.title if section else text("deck.fgd", language), notes)
        cards, below = area.rows([Inches(1.8), 0])
        counts = [
            (text(f"metric.{key}", language), format_figure(key, figures.get(key), language))
            for key in ("fgd_inputs", "fgd_open")
        ]
        counts.append((text("deck.overdue", language), str(warned)))
        for cell, (name, value) in zip(cards.columns(3), counts, strict=True):
            deck.figure(slide, Area(cell.left, cell.top, cell.width, cell.height - Inches(0.2)), name, value)
        if rows:
            headers = [text(f"fgd.{key}", language) for key in ("stakeholder", "feedback", "follow_up", "due")]
            fills = {(n, 2): deck.colours.warning for n in range(min(warned, 4))}
            deck.table(slide, below, headers, rows, fills=fills, shares=(1.8, 3.3, 1.3, 1.6), limit=4)

    return make


def _plan(report: Document, sections: dict[str, Section]) -> Maker | None:
    """Next year's plan on one slide: the budget total, the main activities, the targets."""
    section, language = sections.get("plan"), report.language
    tables = tables_of(section)
    if not tables:
        return None
    budget = next((t for t in tables if t.footer is not None), None)
    targets = next((t for t in tables if str(t.headers[0]) == text("indicator.indicator", language)), None)
    activities = next((t for t in tables if str(t.headers[0]) == text("activity.activity", language)), None)

    def bullets(rows: Sequence[str]) -> list[str]:
        shown = [f"• {row}" for row in rows[: MAX_ROWS - 1]]
        return shown + (
            [text("deck.more_in_notes", language, count=len(rows) - len(shown))] if rows[len(shown) :] else []
        )

    def make(deck: Deck) -> None:
        slide, area = deck.slide(section.title, section_notes(section) + table_notes(tables))
        card, middle, right = area.columns(3, shares=(1, 1.6, 1.6))
        if budget is not None:
            deck.figure(
                slide,
                card,
                text("deck.plan_budget", language),
                str(budget.footer[2]),
                [(text("deck.budget_items", language, count=len(budget.rows)), None)],
            )
        for part, table, shown in (
            (middle, activities, lambda r: f"{r[0]} ({r[2]})"),
            (right, targets, lambda r: f"{r[0]}: {r[2]} {r[1]}"),
        ):
            if table is None:
                continue
            heading, body = part.rows([Inches(0.6), 0])
            deck.text(slide, heading, [str(table.headers[0])], 22, 20, bold=True, colour=deck.colours.primary)
            deck.text(slide, body, bullets([shown(row) for row in table.rows]), 20, BODY_POINTS, shorten=True)

    return make

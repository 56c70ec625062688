"""The programme's FGD deck, at most :data:`MAX_SLIDES` slides: the programme in numbers, year
over year, by pillar and kelurahan, SDG coverage, the ranking charts, the groups needing
attention, follow-up rates and the open inputs summarised (the full register stays in
``fgd_register.xlsx`` and the Word report).

The figures come from the report's ``figures``: the programme's, ``previous_year`` (the
programme's the year before) and ``group_entries`` (every group's ``metrics.json`` entry).
"""

from __future__ import annotations

from collections.abc import Callable

from pptx.util import Inches

from tjsl_eval.common.formatting import percent
from tjsl_eval.common.messages import text
from tjsl_eval.methods.findings import ABSORPTION_HIGH, ABSORPTION_LOW, INDICATOR_LOW
from tjsl_eval.methods.metrics import format_figure
from tjsl_eval.methods.portfolio import PROGRAMME_DIRECTIONS
from tjsl_eval.methods.yoy import Change, verdict
from tjsl_eval.render.blocks import SDG_COLOURS
from tjsl_eval.render.deck_charts import Series, bar_chart
from tjsl_eval.render.deck_design import BODY_POINTS, MAX_ROWS, Area, Deck
from tjsl_eval.render.deck_group import figure_card
from tjsl_eval.render.deck_parts import closing, cover_slide, section_notes, table_notes, tables_of
from tjsl_eval.render.document import Document, Goals, Section

MAX_SLIDES = 15
NUMBERS = ("groups", "members", "budget_realized", "budget_absorption_pct", "indicator_achievement_pct", "sroi_ratio")
YEAR_OVER_YEAR = (
    ("budget_absorption_pct", "indicator_achievement_pct", "activity_completion_pct"),
    ("ikm_score", "independence_index"),
)
RANKED = (
    ("budget_absorption_pct", "indicator_achievement_pct"),
    ("activity_completion_pct", "ikm_score"),
    ("sroi_ratio", "independence_index"),
)
KINDS = {"sroi_ratio": "ratio", "ikm_score": "score", "independence_index": "score"}
RANKED_SHOWN = 10  # groups in a ranking chart: the five best and the five lowest when there are more
NAME_LENGTH = 24  # a group's name in a chart, at most
Maker = Callable[[Deck], None]


def portfolio_slides(report: Document) -> list[Maker]:
    """The programme deck's slides in order, those without data left out."""
    sections = report.sections()
    makers = [_cover(report), _numbers(report, sections), _year_over_year(report)]
    makers += [_table_slide(report, sections, index) for index in (1, 2)]  # by pillar, by kelurahan
    makers += [_sdgs(report, sections), *(_ranking(report, keys) for keys in RANKED)]
    makers += [_attention(report, sections), _follow_up(report), _open_inputs(report, sections)]
    return [maker for maker in makers if maker is not None][: MAX_SLIDES - 1] + [closing(report)]


def _cover(report: Document) -> Maker:
    groups = report.figures.get("group_entries")
    facts = [text("deck.groups_count", report.language, count=len(groups))] if groups else []
    return cover_slide(report, facts)


def _change(figures: dict, key: str) -> Change:
    before = figures.get("previous_year")
    now, then = figures.get(key), None if before is None else before.get(key)
    difference = None if now is None or then is None else now - then
    return Change(key, now, then, difference, verdict(now, then, PROGRAMME_DIRECTIONS.get(key), new=before is None))


def _numbers(report: Document, sections: dict[str, Section]) -> Maker | None:
    """The programme in numbers: six figures, each against last year with its arrow."""
    figures = report.figures
    shown = [key for key in NUMBERS if figures.get(key) is not None]
    if not shown:
        return None
    section = sections.get("numbers")

    def make(deck: Deck) -> None:
        slide, area = deck.slide(
            section.title if section else text("deck.key_figures", deck.language, year=""),
            section_notes(section) + table_notes(tables_of(section)[:1]),
        )
        changes = {key: _change(figures, key) for key in shown}
        rows = area.rows([area.height // 2, 0]) if len(shown) > 3 else [area]
        for index, key in enumerate(shown):
            cell = rows[index // 3].columns(3)[index % 3]
            figure_card(
                deck, slide, Area(cell.left, cell.top, cell.width, cell.height - Inches(0.15)), figures, key, changes
            )

    return make


def _year_over_year(report: Document) -> Maker | None:
    """The programme's percentages and indexes, last year beside this year; worse ones in the warning colour."""
    figures, language = report.figures, report.language
    before = figures.get("previous_year")
    if not before:
        return None

    def make(deck: Deck) -> None:
        slide, area = deck.slide(text("deck.year_over_year", language))
        for part, keys in zip(area.columns(2, shares=(3, 2)), YEAR_OVER_YEAR, strict=True):
            categories = [text(f"metric.{key}", language) for key in keys]
            worse = [_change(figures, key).verdict == "lebih_buruk" for key in keys]
            series = [
                Series(str(before.get("year", "")), [before.get(key) for key in keys]),
                Series(str(figures.get("year", "")), [figures.get(key) for key in keys], worse),
            ]
            bar_chart(deck, slide, part, categories, series, "pct" if keys[0].endswith("_pct") else "score")

    return make


def _table_slide(report: Document, sections: dict[str, Section], index: int) -> Maker | None:
    """The numbers section's ``index``-th table (by pillar, by kelurahan), six rows at most, all in the notes."""
    section = sections.get("numbers")
    tables = tables_of(section)
    if len(tables) <= index or not tables[index].rows:
        return None
    table = tables[index]
    titles = [text(f"portfolio.by_{column}", report.language) for column in ("pillar", "kelurahan")]

    def make(deck: Deck) -> None:
        slide, area = deck.slide(titles[index - 1], table_notes([table]))
        rows = [[str(value) for value in row] for row in table.rows]
        deck.table(
            slide, area, [str(h) for h in table.headers], rows, numeric=(1, 2, 3, 4, 5), shares=(2, 1, 1, 1.6, 1.6, 1.2)
        )

    return make


def _sdgs(report: Document, sections: dict[str, Section]) -> Maker | None:
    """The SDG goals the groups contribute to, as badges in their official colours with how many groups do."""
    tables = tables_of(sections.get("sdgs_and_distributions"))
    goals = [(row[0].goals[0], row[1]) for row in (tables[0].rows if tables else []) if isinstance(row[0], Goals)]
    goals = [(goal, count) for goal, count in goals if goal]
    if not goals:
        return None

    def make(deck: Deck) -> None:
        slide, area = deck.slide(text("deck.sdgs", report.language), table_notes(tables[:1]))
        across = 6
        rows = (len(goals) + across - 1) // across
        height = min((area.height - Inches(0.2) * (rows - 1)) // rows, Inches(1.6))
        for index, ((number, name), count) in enumerate(goals):
            cell = area.columns(across, gap=Inches(0.2))[index % across]
            top = area.top + (index // across) * (height + Inches(0.2))
            lines = [f"SDG {number}", name, text("deck.groups_count", report.language, count=count)]
            deck.badge(
                slide, Area(cell.left, top, cell.width, height), SDG_COLOURS[number - 1].lstrip("#").upper(), lines
            )

    return make


def warned(key: str, entry: dict) -> bool:
    """Whether a group's figure is below target (or outside the absorption band): the warning colour."""
    value = entry.get(key)
    if value is None:
        return False
    if key == "budget_absorption_pct":
        return not ABSORPTION_LOW <= value <= ABSORPTION_HIGH
    if key.endswith("_pct"):
        return value < INDICATOR_LOW
    if key == "ikm_score":
        return entry.get("ikm_band") in ("C", "D")
    if key == "sroi_ratio":
        return value < 1
    return entry.get("independence_stage") == "rintisan"


def ranked(groups: dict[str, dict], key: str) -> list[tuple[str, dict]]:
    """The groups with a ``key`` figure, highest first; the five best and five lowest when there are more than
    :data:`RANKED_SHOWN`."""
    known = sorted(
        ((group_id, entry) for group_id, entry in groups.items() if entry.get(key) is not None),
        key=lambda pair: (-pair[1][key], pair[0]),
    )
    half = RANKED_SHOWN // 2
    return known if len(known) <= RANKED_SHOWN else known[:half] + known[-half:]


def _name(entry: dict, group_id: str) -> str:
    name = str(entry.get("name") or group_id)
    return name if len(name) <= NAME_LENGTH else name[: NAME_LENGTH - 1].rstrip() + "…"


def _ranking(report: Document, keys: tuple[str, str]) -> Maker | None:
    """Two ranking charts of the groups (native bar charts), below-target values in the warning colour."""
    groups, language = report.figures.get("group_entries") or {}, report.language
    shown = [(key, ranked(groups, key)) for key in keys]
    shown = [(key, pairs) for key, pairs in shown if pairs]
    if not shown:
        return None
    notes = [
        f"{text(f'metric.{key}', language)}: "
        + "; ".join(
            f"{entry.get('name')}: {format_figure(key, entry.get(key), language)}"
            for _, entry in sorted(groups.items(), key=lambda pair: -(pair[1].get(key) or 0))
        )
        for key, _ in shown
    ]

    def make(deck: Deck) -> None:
        title = " · ".join(text(f"metric.{key}", language) for key, _ in shown)
        slide, area = deck.slide(text("deck.ranking", language, what=title), notes)
        for part, (key, pairs) in zip(area.columns(len(shown), gap=Inches(0.4)), shown, strict=True):
            heading, chart = part.rows([Inches(0.55), 0])
            deck.text(
                slide,
                heading,
                [text(f"metric.{key}", language)],
                20,
                BODY_POINTS,
                bold=True,
                shorten=True,
                colour=deck.colours.primary,
            )
            series = Series(
                text(f"metric.{key}", language),
                [entry[key] for _, entry in pairs],
                [warned(key, entry) for _, entry in pairs],
            )
            categories = [_name(entry, group_id) for group_id, entry in pairs]
            bar_chart(deck, slide, chart, categories, [series], KINDS.get(key, "pct"), horizontal=True)

    return make


def _attention(report: Document, sections: dict[str, Section]) -> Maker | None:
    """The groups needing attention (six at most, the rest in the notes)."""
    section = sections.get("attention")
    tables = tables_of(section)
    if not tables or not tables[0].rows:
        return None
    table = tables[0]

    def make(deck: Deck) -> None:
        slide, area = deck.slide(section.title, table_notes(tables))
        rows = [[str(value) for value in row] for row in table.rows]
        deck.table(slide, area, [str(h) for h in table.headers], rows, shares=(1.6, 1.4, 3))

    return make


def _follow_up(report: Document) -> Maker | None:
    """How much of the FGD inputs and of the recommendations was followed up."""
    figures, language = report.figures, report.language
    inputs, still_open = figures.get("fgd_inputs") or 0, figures.get("fgd_open") or 0
    groups = (figures.get("group_entries") or {}).values()
    followed = [
        e["recommendations_followed_up_pct"] for e in groups if e.get("recommendations_followed_up_pct") is not None
    ]
    if not inputs and not followed:
        return None
    cards = []
    if inputs:
        cards.append(
            (
                text("deck.inputs_followed_up", language),
                percent((inputs - still_open) / inputs * 100, language),
                text("deck.of_inputs", language, open=still_open, inputs=inputs),
            )
        )
    if followed:
        cards.append(
            (
                text("deck.recommendations_followed_up", language),
                percent(sum(followed) / len(followed), language),
                text("deck.groups_count", language, count=len(followed)),
            )
        )

    def make(deck: Deck) -> None:
        slide, area = deck.slide(text("deck.follow_up", language))
        for cell, (name, value, detail) in zip(area.columns(3), cards, strict=False):
            deck.figure(slide, Area(cell.left, cell.top, cell.width, Inches(3.2)), name, value, [(detail, None)])

    return make


def _open_inputs(report: Document, sections: dict[str, Section]) -> Maker | None:
    """The open inputs summarised: counts by stakeholder (agency), and the overdue ones named."""
    section, language = sections.get("fgd_register"), report.language
    tables = tables_of(section)
    if len(tables) < 2:
        return None
    register, by_stakeholder = tables[0], tables[1]
    headers = [str(h) for h in register.headers]
    position = {
        key: headers.index(text(f"register.{key}", language))
        for key in ("stakeholder", "group_name", "feedback", "overdue")
    }
    overdue = [row for row in register.rows if str(row[position["overdue"]]).strip()]

    def make(deck: Deck) -> None:
        notes = [text("deck.register_elsewhere", language), *table_notes(tables[1:])]
        slide, area = deck.slide(text("deck.open_inputs", language), notes)
        left, right = area.columns(2, shares=(1.3, 1))
        rows = [[str(value) for value in row] for row in by_stakeholder.rows]
        deck.table(
            slide, left, [str(h) for h in by_stakeholder.headers], rows, numeric=(1, 2, 3), shares=(2.2, 1, 1, 1)
        )
        heading, body = right.rows([Inches(0.6), 0])
        deck.text(
            slide,
            heading,
            [text("deck.overdue_count", language, count=len(overdue))],
            22,
            20,
            bold=True,
            colour=deck.colours.warning,
        )
        lines = [
            f"• {row[position['stakeholder']]} — {row[position['group_name']]}: {row[position['feedback']]}"
            for row in overdue[: MAX_ROWS - 1]
        ]
        if len(overdue) > len(lines):
            lines.append(text("deck.more_in_notes", language, count=len(overdue) - len(lines)))
        if lines:
            deck.text(slide, body, lines, 20, BODY_POINTS, shorten=True)

    return make

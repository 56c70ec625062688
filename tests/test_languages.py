"""Reports in Indonesian and English: no text of the other language in either."""

import re

import pytest

from tjsl_eval.common.messages import catalogue
from tjsl_eval.inputs.workbook import load_workbook
from tjsl_eval.render.portfolio_report import SECTIONS as portfolio_sections
from tjsl_eval.render.portfolio_report import PortfolioReport
from tjsl_eval.render.report import SECTIONS as report_sections
from tjsl_eval.render.report import GroupReport

MONTHS = {
    "id": ("Januari", "Februari", "Maret", "Mei", "Juni", "Juli", "Agustus", "Oktober", "Desember"),
    "en": ("January", "February", "March", "May", "June", "July", "August", "October", "December"),
}


def phrases_only_in(language: str, other: str) -> set[str]:
    """Catalogue texts of ``language`` (two words or more, no placeholders) the other language lacks."""
    mine, theirs = catalogue(language), set(catalogue(other).values())
    return {text for text in mine.values() if " " in text.strip() and "{" not in text and text not in theirs}


def rendered(language: str) -> str:
    """Every section of two group reports and of the portfolio, without styles, scripts and images."""
    sample = load_workbook("sample")
    parts = []
    for group_id in ("BSM-01", "KDH-08"):
        report = GroupReport(sample.for_group(group_id), group_id, 2023, language, review={"fgd_date": "2024-01-16"})
        parts += [getattr(report, section)()._repr_html_() for section in report_sections]
    summary = PortfolioReport(sample, 2023, language, review={"fgd_date": "2024-01-16"})
    parts += [getattr(summary, section)()._repr_html_() for section in portfolio_sections]
    html = re.sub(
        r"<style>.*?</style>|<script>.*?</script>|data:image/png;base64,[^\"]+", "", "".join(parts), flags=re.S
    )
    return html


def text_nodes(html: str) -> set[str]:
    """The text of every element: a label from the catalogue is a whole cell or heading."""
    return {node.strip() for node in re.split(r"<[^>]+>", html) if node.strip()}


@pytest.mark.parametrize("language, other", [("id", "en"), ("en", "id")])
def test_no_text_of_the_other_language(language, other):
    html = rendered(language)
    assert sorted(phrases_only_in(other, language) & text_nodes(html)) == []
    text = re.sub(r"<[^>]+>", " ", html)
    words_in_dates = set(re.findall(r"\b\d{1,2} ([A-Z][a-z]+) \d{4}\b", text))
    assert words_in_dates & set(MONTHS[language])  # dates are written in the report's language
    assert not words_in_dates & set(MONTHS[other])


@pytest.mark.parametrize("language", ["id", "en"])
def test_a_noun_after_a_count_takes_the_counts_plural_form(language):
    """Every ``{count:plural …}`` of the catalogue has one form per plural category of its language (checked by
    formatting it), and English writes "1 respondent", "2 respondents"."""
    from string import Formatter

    from tjsl_eval.common.messages import text

    counted = {key: words for key, words in catalogue(language).items() if ":plural " in words}
    assert counted or language == "id"
    for key, words in counted.items():
        names = {field for _, field, _, _ in Formatter().parse(words) if field}
        for count in (0, 1, 2, 5, "1.250"):
            assert "plural" not in text(key, language, **dict.fromkeys(names, count))
    assert "from 1 respondent (" in text("ikm.result", "en", score="80", label="B", respondents=1)
    assert "from 2 respondents (" in text("ikm.result", "en", score="80", label="B", respondents=2)
    assert text("deck.groups_count", "en", count=1) == "1 group"

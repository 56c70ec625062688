"""The group report's outline: its sections in order and its chapters."""

from __future__ import annotations

# The report's sections, in the order notebooks/group_report.ipynb shows them.
SECTIONS = (
    "title",
    "executive_summary",
    "profile",
    "summary",
    "budget",
    "indicators",
    "activities",
    "ikm",
    "sroi",
    "independence",
    "fgd",
    "dac",
    "findings",
    "follow_up",
    "plan",
    "conclusion",
    "method",
    "glossary",
    "signoff",
)
# The report's chapters (a cell of the notebook each, Heading 1 in the Word report) and their sections.
CHAPTERS = {
    "summary": ("executive_summary",),
    "group": ("profile", "summary"),
    "money": ("budget", "indicators", "activities"),
    "value": ("ikm", "sroi", "independence"),
    "stakeholders": ("fgd", "dac", "findings", "follow_up", "plan", "conclusion"),
    "closing": ("method", "glossary", "signoff"),
}
# The sections the evaluator's narrative and photos for them follow (the conclusion is theirs alone; their
# summary, narrative section ``ringkasan``, is in the executive summary).
EVALUATED_SECTIONS = tuple(
    key for key in SECTIONS if key not in ("title", "executive_summary", "summary", "conclusion", "glossary", "signoff")
)

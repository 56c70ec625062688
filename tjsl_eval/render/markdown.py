"""The evaluator's Markdown (sheet ``narasi``) as safe HTML.

markdown-it-py renders CommonMark with raw HTML turned off (a ``<script>`` typed in a cell is shown as text) and
images turned off; the result then passes nh3's allow-list: only the tags of paragraphs, emphasis, lists, quotations,
code and links are kept, links only to absolute ``http``, ``https`` and ``mailto`` addresses (relative, ``data:`` and
``javascript:`` addresses are removed), and no attribute but a link's address and title.
"""

from __future__ import annotations

from functools import cache

from tjsl_eval.render.document import RichParagraph, Run

TAGS = {"p", "br", "strong", "em", "ul", "ol", "li", "blockquote", "code", "pre", "a", "hr", "del"}
ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
URL_SCHEMES = {"http", "https", "mailto"}


@cache
def _parser():
    from markdown_it import MarkdownIt

    options = {"html": False, "breaks": True, "typographer": False}  # a new line in a cell (Alt+Enter) stays one
    return MarkdownIt("commonmark", options).disable("image").enable("strikethrough")


def markdown_html(source: str) -> str:
    """``source`` (Markdown) rendered and sanitised: safe to put in a report as it is."""
    import nh3

    rendered = _parser().render(source)
    return nh3.clean(
        rendered,
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        url_relative="deny",
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    ).strip()


def markdown_paragraphs(source: str) -> list[RichParagraph]:
    """``source`` (Markdown) as paragraphs of plain-text runs, bold and italic kept, for the Office formats: list
    items (``bullet``, ``number``), quotations (``quote``), code as text; a link is its text."""
    paragraphs, containers, runs, bold, italic = [], [], [], 0, 0
    for token in _parser().parse(source):
        if token.type in ("bullet_list_open", "ordered_list_open", "blockquote_open"):
            containers.append({"bullet_list_open": "bullet", "ordered_list_open": "number"}.get(token.type, "quote"))
        elif token.type in ("bullet_list_close", "ordered_list_close", "blockquote_close"):
            containers.pop()
        elif token.type in ("inline", "code_block", "fence"):
            for child in token.children or [token]:
                if child.type in ("strong_open", "strong_close"):
                    bold += 1 if child.type == "strong_open" else -1
                elif child.type in ("em_open", "em_close"):
                    italic += 1 if child.type == "em_open" else -1
                elif child.type in ("softbreak", "hardbreak"):
                    runs.append(Run("\n"))
                elif child.content and child.type in ("text", "code_inline", "code_block", "fence"):
                    runs.append(Run(child.content.rstrip("\n"), bool(bold), bool(italic)))
            paragraphs.append(RichParagraph(tuple(runs), containers[-1] if containers else "body"))
            runs = []
    return paragraphs

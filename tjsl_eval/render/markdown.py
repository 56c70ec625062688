"""The evaluator's Markdown (sheet ``narasi``) as safe HTML.

markdown-it-py renders CommonMark with raw HTML turned off (a ``<script>`` typed in a cell is shown as text) and
images turned off; the result then passes nh3's allow-list: only the tags of paragraphs, emphasis, lists, quotations,
code and links are kept, links only to absolute ``http``, ``https`` and ``mailto`` addresses (relative, ``data:`` and
``javascript:`` addresses are removed), and no attribute but a link's address and title.
"""

from __future__ import annotations

from functools import cache

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

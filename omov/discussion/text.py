"""Comment text: a safe Markdown subset, rendered then sanitised.

markdown-it-py is a CommonMark parser that can switch raw HTML off; nh3 (the
Rust ammonia sanitiser) then keeps only the tags below, so even a parser bug
cannot let markup through. Links get rel="nofollow ugc".
"""

from __future__ import annotations

import nh3
from markdown_it import MarkdownIt

ALLOWED_TAGS = {"p", "a", "em", "strong", "ul", "ol", "li", "blockquote", "code", "br"}
ALLOWED_ATTRIBUTES = {"a": {"href"}}
MAX_LENGTH = 10000

_parser = MarkdownIt("zero", {"html": False, "linkify": False, "breaks": True}).enable(
    ["emphasis", "link", "list", "blockquote", "backticks", "newline", "autolink"]
)


def render(body: str) -> str:
    """The HTML shown for a comment's Markdown."""
    html = _parser.render(body)
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow ugc",
    )

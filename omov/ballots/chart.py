"""A horizontal bar chart of a question's totals, drawn as SVG by the server.

Readable without JavaScript: every bar has its option name and its count as
text, and the SVG carries a title and a description for screen readers.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH = 640
LABEL_WIDTH = 220
BAR_HEIGHT = 28
GAP = 12
PALETTE = ("#0b5cad", "#a4161a", "#555d66", "#1f6f3a", "#7a4f01", "#5b2a86")


def _shorten(text: str, limit: int = 32) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def bar_chart(rows: Sequence[tuple[str, int]], title: str, key: str) -> SafeString:
    """An SVG element with one labelled bar per (option, total); `key` makes its ids unique."""
    largest = max((total for _, total in rows), default=0) or 1
    bar_space = WIDTH - LABEL_WIDTH - 80
    height = len(rows) * (BAR_HEIGHT + GAP) + GAP
    described = "; ".join(f"{name}: {total}" for name, total in rows)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'width="100%" role="img" aria-labelledby="{key}-title {key}-desc" class="chart">',
        f'<title id="{key}-title">{escape(title)}</title>',
        f'<desc id="{key}-desc">{escape(described)}</desc>',
    ]
    for number, (name, total) in enumerate(rows):
        top = GAP + number * (BAR_HEIGHT + GAP)
        middle = top + BAR_HEIGHT // 2 + 5
        length = round(bar_space * total / largest)
        colour = PALETTE[number % len(PALETTE)]
        parts.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{middle}" text-anchor="end" '
            f'font-size="15" fill="#1b1f24">{escape(_shorten(name))}</text>'
            f'<rect x="{LABEL_WIDTH}" y="{top}" width="{length}" height="{BAR_HEIGHT}" '
            f'fill="{colour}"/>'
            f'<text x="{LABEL_WIDTH + length + 6}" y="{middle}" font-size="15" '
            f'fill="#1b1f24">{total}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))

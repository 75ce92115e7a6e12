"""A horizontal bar chart of a question's totals, drawn as SVG by the server.

Readable without JavaScript: every bar has its option name and its count as
text, and the SVG carries a title and a description for screen readers.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH = 360
ROW_HEIGHT = 52
BAR_HEIGHT = 22
COUNT_SPACE = 56
FONT = 'font-size="15" fill="#1b1f24" font-family="system-ui, sans-serif"'
PALETTE = ("#0b5cad", "#a4161a", "#555d66", "#1f6f3a", "#7a4f01", "#5b2a86")


def _shorten(text: str, limit: int = 32) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _figure(total: int | Fraction) -> str:
    if isinstance(total, Fraction) and total.denominator != 1:
        return f"{float(total):.2f}"
    return f"{int(total):,}"


def bar_chart(rows: Sequence[tuple[str, int | Fraction]], title: str, key: str) -> SafeString:
    """An SVG element with one labelled bar per (option, total); `key` makes its ids unique.

    Each option's name is written above its bar, so the chart stays readable
    at phone width; the count follows the bar.
    """
    largest = max((total for _, total in rows), default=0) or 1
    bar_space = WIDTH - COUNT_SPACE
    height = len(rows) * ROW_HEIGHT + 8
    described = "; ".join(f"{name}: {_figure(total)}" for name, total in rows)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'width="100%" role="img" aria-labelledby="{key}-title {key}-desc" class="chart">',
        f'<title id="{key}-title">{escape(title)}</title>',
        f'<desc id="{key}-desc">{escape(described)}</desc>',
    ]
    for number, (name, total) in enumerate(rows):
        top = number * ROW_HEIGHT
        bar_top = top + 22
        length = max(2, round(bar_space * float(total) / float(largest))) if total else 0
        colour = PALETTE[number % len(PALETTE)]
        parts.append(
            f'<text x="0" y="{top + 16}" {FONT}>{escape(_shorten(name, 44))}</text>'
            f'<rect x="0" y="{bar_top}" width="{length}" height="{BAR_HEIGHT}" fill="{colour}"/>'
            f'<text x="{length + 6}" y="{bar_top + 16}" {FONT} font-weight="700">'
            f'{_figure(total)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))

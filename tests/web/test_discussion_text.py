"""The comment sanitiser: hostile Markdown and HTML come out inert."""

from __future__ import annotations

import re

import pytest

from omov.discussion.text import render

XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg/onload=alert(1)>",
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[click](vbscript:msgbox(1))",
    '[x](https://a.example/" onmouseover="alert(1))',
    '<a href="javascript:alert(1)">x</a>',
    "<iframe src=https://evil.example></iframe>",
    "<style>body{display:none}</style>",
    "![img](https://evil.example/x.png)",
    "<javascript:alert(1)>",
    "`<script>`alert(1)",
    "<details open ontoggle=alert(1)>",
    "&#60;script&#62;alert(1)&#60;/script&#62;",
    "[x](&#106;avascript:alert(1))",
]


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_hostile_input_comes_out_inert(payload: str) -> None:
    html = render(payload).lower()
    assert "<script" not in html
    assert "<img" not in html and "<svg" not in html and "<iframe" not in html
    assert "<style" not in html and "<details" not in html
    assert not re.search(r"<[^>]+\son\w+\s*=", html), html
    for href in re.findall(r'<a [^>]*href="([^"]*)"', html):
        assert href.startswith(("http://", "https://", "mailto:")), href


def test_the_safe_subset_renders_and_links_are_nofollow_ugc() -> None:
    html = render("*em* **strong**\n\n- one\n- two\n\n> quoted\n\n[site](https://example.org)")
    assert "<em>em</em>" in html and "<strong>strong</strong>" in html
    assert "<li>one</li>" in html and "<blockquote>" in html
    assert '<a href="https://example.org" rel="nofollow ugc">site</a>' in html


def test_raw_html_is_shown_as_text() -> None:
    assert "&lt;b&gt;bold&lt;/b&gt;" in render("<b>bold</b>")

"""A form's fields as a browser would submit them unchanged, read from the rendered page.

Like a browser, it drops a date or datetime-local value that is not in the ISO form the
input type accepts (a browser shows such a field empty and sends nothing for it)."""

from __future__ import annotations

import re
from html.parser import HTMLParser

BROWSER_FORMATS = {"date": r"\d{4}-\d{2}-\d{2}",
                   "datetime-local": r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?"}


class _FormReader(HTMLParser):
    def __init__(self, action: str) -> None:
        super().__init__()
        self.action, self.inside, self.fields = action, False, {}
        self._textarea: str | None = None
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {key: value or "" for key, value in attrs}
        if tag == "form":
            self.inside = found.get("method", "get").lower() == "post" and (
                found.get("action", "") in ("", self.action))
        elif not self.inside or "name" not in found or "disabled" in found:
            return
        elif tag == "input" and found.get("type") not in ("submit", "button", "file"):
            value = found.get("value", "")
            pattern = BROWSER_FORMATS.get(found.get("type", "text"))
            self.fields[found["name"]] = (
                value if pattern is None or re.fullmatch(pattern, value) else "")
        elif tag == "textarea":
            self._textarea = found["name"]
            self.fields[found["name"]] = ""
        elif tag == "select":
            self._select = found["name"]
            self.fields.setdefault(found["name"], "")
        if tag == "option" and self._select and "selected" in found:
            self.fields[self._select] = found.get("value", "")

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.fields[self._textarea] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False
        elif tag == "textarea":
            if self._textarea:
                self.fields[self._textarea] = self.fields[self._textarea].removeprefix("\n")
            self._textarea = None
        elif tag == "select":
            self._select = None


def submitted_as_rendered(page: str, action: str = "") -> dict[str, str]:
    """The fields of the page's POST form whose action is `action` ("" for the page itself)."""
    reader = _FormReader(action)
    reader.feed(page)
    reader.fields.pop("csrfmiddlewaretoken", None)
    return dict(reader.fields)

"""Extension points that higher apps fill in, so ballots never import them.

`register_detail_panel(panel)`: `panel(request, ballot)` returns HTML shown at
the foot of the ballot's page (the discussion app puts its thread there).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from django.http import HttpRequest
from django.utils.safestring import SafeString

if TYPE_CHECKING:
    from omov.ballots.models import Ballot

DetailPanel = Callable[[HttpRequest, "Ballot"], SafeString]
_detail_panels: list[DetailPanel] = []


def register_detail_panel(panel: DetailPanel) -> None:
    if panel not in _detail_panels:
        _detail_panels.append(panel)


def detail_panels(request: HttpRequest, ballot: Ballot) -> list[SafeString]:
    return [panel(request, ballot) for panel in _detail_panels]

"""Extension points that higher apps fill in, so ballots never import them.

`register_detail_panel(panel)`: `panel(request, ballot)` returns HTML shown at
the foot of the ballot's page (the discussion app puts its thread there).
`register_result_rules(source)`: `source(ballot)` gives the quorum and majority a
result is read against (the petitions app, for the ballots petitions force).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
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


@dataclass(frozen=True)
class ResultRules:
    """The rules a result is read against: a turnout quorum (percent of the eligible
    members, or None) and the majority a proposal must exceed (percent of the yes and
    no votes); `source` says in words where they come from."""

    quorum_percent: float | None
    majority_percent: float
    source: str


ResultRulesSource = Callable[["Ballot"], ResultRules | None]
_result_rules: list[ResultRulesSource] = []


def register_result_rules(source: ResultRulesSource) -> None:
    """`source(ballot)` returns the rules for a ballot it knows (e.g. a ballot a petition
    forced, under the constitution in force), or None; the first answer counts."""
    if source not in _result_rules:
        _result_rules.append(source)


def result_rules(ballot: Ballot) -> ResultRules | None:
    for source in _result_rules:
        rules = source(ballot)
        if rules is not None:
            return rules
    return None

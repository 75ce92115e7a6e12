"""A ranked question's result as the result page writes it, from the count in the
record: each method's rounds in words and in the table, and the chart."""

from __future__ import annotations

import pytest

from omov.ballots.chart import bar_chart
from omov.ballots.ranked_outcome import ranked_outcome
from omov.record.ranked import count_ranked, lot_order

OPTIONS = ["Ann", "Bo", "Cy", "Di"]
RANKINGS = [[0, 1], [0, 1], [0, 1], [0, 2], [0, 1], [1, 0], [1, 2], [2, 1], []]
"""First preferences Ann 5, Bo 2, Cy 1, Di 0: no tie anywhere, whichever the method."""


def entry(count: dict[str, object]) -> dict[str, object]:
    order = lot_order(bytes(32), "q1", len(OPTIONS))
    result = count_ranked(count, OPTIONS, RANKINGS, order)
    return {"question": "q1", "decrypted_by": [1, 3], "count": result.to_json()}


@pytest.mark.parametrize(("count", "first", "elected"), [
    ({"method": "stv", "seats": 2, "ties": "earlier-rounds-then-lot", "balance": []},
     "First preferences", "Ann and Bo"),
    ({"method": "irv", "seats": 1, "ties": "lot"}, "First preferences", "Ann"),
    ({"method": "schulze", "seats": 2, "ties": "lot"}, "Schulze winner(s): Ann", "Ann and Bo"),
])
def test_every_method_is_shown_round_by_round(count: dict[str, object], first: str,
                                              elected: str) -> None:
    shown = ranked_outcome(OPTIONS, entry(count))
    assert shown.elected == elected
    assert shown.rounds[0].what.startswith(first)
    assert len(shown.rounds[0].tallies) == len(OPTIONS)
    assert shown.lines[-1].startswith("Elected: ") or "Balance rule" in shown.lines[-1]
    assert "8 ranking(s) counted, 1 blank" in shown.lines[0]
    svg = bar_chart(shown.final, f"Elect: {shown.chart_title}", "chart-0")
    assert 'role="img"' in svg and "<desc" in svg
    for name, _ in shown.final:
        assert name in svg


def test_stv_rounds_say_the_quota_transfers_and_exclusions() -> None:
    shown = ranked_outcome(OPTIONS, entry({"method": "stv", "seats": 2,
                                           "ties": "earlier-rounds-then-lot", "balance": []}))
    words = " ".join(shown.lines)
    assert "quota 3 (floor(8 / 3) + 1)" in words
    assert "Ann's surplus of 2 transferred at transfer value(s) 0.4" in words
    assert shown.rounds[0].tallies == ["5", "2", "1", "0"]
    assert shown.rounds[0].elected == "Ann"
    assert shown.rounds[1].what == "Surplus transferred: Ann"
    assert shown.rounds[1].tallies[1] == "3.6" and shown.rounds[1].elected == "Bo"

"""count_ranked: check the input, run the question's method, build the result (15)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from omov.record.ranked.balance import Balance
from omov.record.ranked.errors import CountError
from omov.record.ranked.irv import count_irv
from omov.record.ranked.result import RankedResult
from omov.record.ranked.schulze import count_schulze
from omov.record.ranked.stv import ScottishCount

FORMAT = "omov-ranked-count/1"
RULES = {"stv": "scottish-stv-2007", "irv": "irv", "schulze": "schulze-winning-votes"}
TIES = ("earlier-rounds-then-lot", "lot")


def count_ranked(count: dict[str, Any], options: Sequence[str],
                 rankings: Sequence[Sequence[int]], lot_order: Sequence[int]) -> RankedResult:
    """Count a ranked question.

    `count` is the question's manifest `count` object (method, seats, ties,
    balance); `options` the candidates' labels; `rankings` one list per
    counted ballot of 0-based option indices in rank order (empty for a blank
    ranking); `lot_order` the question's lot order (15.2). Raises CountError
    naming the field at fault.
    """
    candidates = len(options)
    method, seats, ties = _rule(count, candidates)
    lot_position = _lot_position(lot_order, candidates)
    tallied = _tally(rankings, candidates)
    valid = sum(tallied.values())
    body: dict[str, Any] = {
        "format": FORMAT, "method": method, "rules": RULES[method], "seats": seats,
        "ties": ties, "candidates": candidates, "lot_order": list(lot_order),
        "ballots": len(rankings), "blank": len(rankings) - valid, "valid": valid,
    }
    if method == "stv":
        balance = Balance(count.get("balance", []), candidates, seats)
        stv = ScottishCount(seats, ties, balance, candidates, tallied, lot_position)
        body["quota"] = stv.quota
        body["rounds"] = stv.run()
        body["elected"] = stv.elected
        body["balance"] = [
            {"label": label, "candidates": list(group["candidates"]),
             "at_least": group["at_least"], "required": required,
             "elected": sum(1 for c in stv.elected if balance.group_of.get(c) == g)}
            for g, (label, group, required) in enumerate(
                zip(balance.labels, count.get("balance", []), balance.required, strict=True))]
    elif method == "irv":
        body["rounds"], body["elected"] = count_irv(ties, candidates, tallied, lot_position)
    else:
        body["pairwise"], body["rounds"], body["elected"] = count_schulze(
            seats, candidates, tallied, lot_position)
    return RankedResult(tuple(options), body)


def _rule(count: Any, candidates: int) -> tuple[str, int, str]:
    if not isinstance(count, dict):
        raise CountError("the count rule is an object", "count")
    method, seats, ties = count.get("method"), count.get("seats"), count.get("ties")
    if method not in RULES:
        raise CountError("method must be stv, irv or schulze", "count.method")
    if type(seats) is not int:
        raise CountError("seats must be an integer", "count.seats")
    if method == "irv" and seats != 1:
        raise CountError("irv fills exactly 1 seat", "count.seats")
    if method != "irv" and not 1 <= seats <= candidates - 1:
        raise CountError(f"seats must be between 1 and {candidates - 1}", "count.seats")
    if ties not in TIES:
        raise CountError("ties must be earlier-rounds-then-lot or lot", "count.ties")
    if count.get("balance") and method != "stv":
        raise CountError("a balance rule applies to stv only", "count.balance")
    if "balance" in count and not isinstance(count["balance"], list):
        raise CountError("balance is a list of groups", "count.balance")
    if candidates < 2:
        raise CountError("a ranked question has at least 2 candidates", "options")
    return method, seats, ties


def _lot_position(lot_order: Sequence[int], candidates: int) -> list[int]:
    if not isinstance(lot_order, list | tuple) or any(
            type(c) is not int for c in lot_order) or sorted(lot_order) != list(range(candidates)):
        raise CountError(f"the lot order must list each of the {candidates} candidates once",
                         "lot_order")
    position = [0] * candidates
    for place, candidate in enumerate(lot_order):
        position[candidate] = place
    return position


def _tally(rankings: Sequence[Sequence[int]], candidates: int) -> Counter[tuple[int, ...]]:
    """Identical non-empty rankings counted together; each ranking checked.

    The fast path checks the types of all entries at once and then each
    distinct ranking; only a fault sends it through the rankings one by one
    to name the first bad one.
    """
    tallied: Counter[tuple[int, ...]] | None = None
    try:
        if all(type(r) is list or type(r) is tuple for r in rankings) and {
                type(c) for r in rankings for c in r} <= {int}:
            tallied = Counter(map(tuple, rankings))
    except TypeError:
        tallied = None
    if tallied is None or not all(_is_ranking(ranking, candidates) for ranking in tallied):
        for index, ranking in enumerate(rankings):
            if not _is_ranking(ranking, candidates):
                raise CountError("a ranking is a list of distinct option indices "
                                 f"0..{candidates - 1}", f"rankings[{index}]")
    if tallied is None:  # every ranking passed one by one (a list subclass, say)
        tallied = Counter(tuple(ranking) for ranking in rankings)
    tallied.pop((), None)
    return tallied


def _is_ranking(ranking: object, candidates: int) -> bool:
    return isinstance(ranking, list | tuple) and all(
        type(c) is int and 0 <= c < candidates for c in ranking) and len(
        set(ranking)) == len(ranking)

"""Compare a published count with the verifier's own, and say where they part."""

from __future__ import annotations

from typing import Any

from omov.record.ranked.result import RankedResult
from omov.record.ranked.words import amount, name, names

_LISTS_OF_CANDIDATES = ("candidates", "elected", "excluded", "winners", "continuing")


def compare_published_count(published_json: Any, recomputed: RankedResult) -> str | None:
    """None if the published count equals the recount; else the first difference in words.

    The top-level members are compared first (format, method, rules, seats
    and ties, then the others in key order, the rounds and the elected last),
    then round by round; within a round the tallies come first, candidate by
    candidate.
    """
    ours = recomputed.to_json()
    options = recomputed.options
    if not isinstance(published_json, dict):
        return "the published count is not a JSON object"
    if published_json == ours:
        return None
    first = ["format", "method", "rules", "seats", "ties"]
    for key in first + sorted((set(ours) | set(published_json)) - set(first)):
        if key in ("rounds", "elected"):
            continue
        if key not in published_json:
            return f"the published count has no member {key!r}"
        if key not in ours:
            return f"the published count has a member {key!r} that a {ours['method']} count " \
                   "does not have"
        if published_json[key] != ours[key]:
            return (f"the published count's {key} is {_show(published_json[key])}, "
                    f"the recount gives {_show(ours[key])}")
    rounds = published_json.get("rounds")
    if not isinstance(rounds, list):
        return "the published count has no list of rounds"
    for ours_round, theirs in zip(ours["rounds"], rounds, strict=False):
        if ours_round != theirs:
            return _round_difference(ours_round, theirs, options)
    if len(rounds) != len(ours["rounds"]):
        return (f"the published count has {len(rounds)} rounds, the recount "
                f"{len(ours['rounds'])}")
    theirs_elected = published_json.get("elected")
    return (f"the published count elects {_candidates(theirs_elected, options)}, the recount "
            f"{names(options, ours['elected'])}")


def _round_difference(ours: dict[str, Any], theirs: Any, options: tuple[str, ...]) -> str:
    number = ours["round"]
    if not isinstance(theirs, dict):
        return f"round {number} of the published count is not an object"
    tallies = theirs.get("tallies")
    if "tallies" in ours and tallies != ours["tallies"]:
        if isinstance(tallies, list) and len(tallies) == len(ours["tallies"]):
            for c, (mine, published) in enumerate(zip(ours["tallies"], tallies, strict=True)):
                if mine != published:
                    return (f"round {number} differs: the published count gives "
                            f"{name(options, c)} {_amount(published)} votes, the recount "
                            f"{amount(mine)}")
        return f"round {number} differs: the published tallies are not one per candidate"
    for key in sorted(set(ours) | set(theirs)):
        if ours.get(key) != theirs.get(key):
            if key in _LISTS_OF_CANDIDATES:
                return (f"round {number} differs in who is {key.replace('_', ' ')}: the "
                        f"published count says {_candidates(theirs.get(key), options)}, the "
                        f"recount {names(options, ours[key]) if key in ours else 'nothing'}")
            return (f"round {number} differs in {key}: published {_show(theirs.get(key))}, "
                    f"recount {_show(ours.get(key))}")
    return f"round {number} differs"  # pragma: no cover - equal dicts were skipped


def _candidates(value: Any, options: tuple[str, ...]) -> str:
    if isinstance(value, list) and all(type(c) is int for c in value):
        return names(options, value)
    return _show(value)


def _amount(value: Any) -> str:
    try:
        return amount(value)
    except (ValueError, TypeError, ZeroDivisionError):
        return _show(value)


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."

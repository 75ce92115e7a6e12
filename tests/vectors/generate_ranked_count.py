"""Write tests/vectors/ranked_count.json: the lot order (15.2) and ranked counts (15).

    .venv/bin/python tests/vectors/generate_ranked_count.py

ranked_count.json
  lot: [{manifest_digest (hex), question_id, candidates, keys (hex, by
    candidate), lot_order}]: lot keys and orders of 15.2.
  counts: [{name, source, count, options, rankings, lot_order, result}]:
    `rankings` is a list of [papers, ranking] pairs (the ranking repeated
    `papers` times, in any order: the count does not depend on it);
    `result` is the result object of 15.5 that a count of them must give,
    member for member. `source` says where the example comes from.

A second implementation of the count (a browser recount on the result page,
or an independent verifier) must reproduce every result;
tests/record/test_ranked_vectors.py regenerates the file and compares.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path
from typing import Any

from omov.record.ranked import count_ranked, lot_order
from omov.record.ranked.lot import lot_key

HERE = Path(__file__).resolve().parent
NAME = "ranked_count.json"

LOTS = [(bytes(32), "q1", 3), (bytes(range(32)), "q1", 10),
        (hashlib.sha256(b"a manifest").digest(), "régional-2026", 6)]


def _example(name: str, source: str, count: dict[str, Any], options: list[str],
             rankings: list[tuple[int, str]], lot: list[int] | None = None) -> dict[str, Any]:
    pairs = [[papers, [options.index(label) for label in ranking.split(">")] if ranking else []]
             for papers, ranking in rankings]
    order = lot if lot is not None else list(range(len(options)))
    expanded = [list(ranking) for papers, ranking in pairs for _ in range(papers)]
    result = count_ranked(count, options, expanded, order)
    return {"name": name, "source": source, "count": count, "options": options,
            "rankings": pairs, "lot_order": order, "result": result.to_json()}


def examples() -> list[dict[str, Any]]:
    stv = {"method": "stv", "seats": 3, "ties": "earlier-rounds-then-lot"}
    food = ["Oranges", "Pears", "Chocolate", "Strawberries", "Sweets"]
    tennessee = ["Memphis", "Nashville", "Chattanooga", "Knoxville"]
    tennessee_rankings = [(42, "Memphis>Nashville>Chattanooga>Knoxville"),
                          (26, "Nashville>Chattanooga>Knoxville>Memphis"),
                          (15, "Chattanooga>Knoxville>Nashville>Memphis"),
                          (17, "Knoxville>Chattanooga>Nashville>Memphis")]
    return [
        _example("food election", "Wikipedia, 'Single transferable vote', section Example",
                 stv, food, [(4, "Oranges"), (2, "Pears>Oranges"),
                             (8, "Chocolate>Strawberries"), (4, "Chocolate>Sweets"),
                             (1, "Strawberries"), (1, "Sweets")]),
        _example("truncated transfer values", "worked by hand with SSI 2007/42 rule 48(3)",
                 stv, ["A", "B", "C", "D"],
                 [(9, "A>B>C"), (2, "B>C"), (1, "B>D"), (3, "C"), (4, "D>C")]),
        _example("tie by the most recent stage", "worked by hand with SSI 2007/42 rule 51",
                 {"method": "stv", "seats": 2, "ties": "earlier-rounds-then-lot"},
                 ["A", "X", "Y", "P", "Q"],
                 [(12, "A"), (5, "X"), (4, "Y"), (2, "P>Y"), (1, "Q>X"), (2, "Q"), (1, "")]),
        _example("balance rule reserving the last seat", "protocol 15.6.1",
                 {"method": "stv", "seats": 2, "ties": "lot", "balance": [
                     {"label": "women", "candidates": [2, 3], "at_least": 1}]},
                 ["M1", "M2", "W1", "W2"],
                 [(10, "M1>M2"), (9, "M2>W2"), (3, "W1"), (2, "W2")]),
        _example("balance rule protecting a candidate", "protocol 15.6.1",
                 {"method": "stv", "seats": 3, "ties": "earlier-rounds-then-lot", "balance": [
                     {"label": "women", "candidates": [4], "at_least": 1}]},
                 ["M1", "M2", "M3", "M4", "W1"],
                 [(10, "M1"), (6, "M2"), (5, "M3"), (4, "M4>W1"), (3, "W1")]),
        _example("Tennessee (IRV)", "Wikipedia, 'Instant-runoff voting', Tennessee example",
                 {"method": "irv", "seats": 1, "ties": "earlier-rounds-then-lot"},
                 tennessee, tennessee_rankings),
        _example("Tennessee (Schulze)", "Wikipedia, 'Condorcet method', Tennessee example",
                 {"method": "schulze", "seats": 1, "ties": "lot"}, tennessee,
                 tennessee_rankings),
        _example("45 voters", "Wikipedia, 'Schulze method', section Example",
                 {"method": "schulze", "seats": 3, "ties": "lot"}, ["A", "B", "C", "D", "E"],
                 [(5, "A>C>B>E>D"), (5, "A>D>E>C>B"), (8, "B>E>D>A>C"), (3, "C>A>B>E>D"),
                  (7, "C>A>E>B>D"), (2, "C>B>A>D>E"), (7, "D>C>E>B>A"), (8, "E>B>A>D>C")]),
        _example("Schulze tie by lot", "protocol 15.8", {"method": "schulze", "seats": 2,
                                                         "ties": "lot"},
                 ["A", "B", "C"], [(1, "A>B"), (1, "B>A")], lot=[1, 0, 2]),
    ]


def vectors() -> dict[str, Any]:
    lots = [{"manifest_digest": digest.hex(), "question_id": question, "candidates": m,
             "keys": [lot_key(digest, question, i).hex() for i in range(m)],
             "lot_order": lot_order(digest, question, m)} for digest, question, m in LOTS]
    return {"lot": lots, "counts": examples()}


def render(value: dict[str, Any]) -> str:
    return json.dumps(value, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def main() -> int:
    (HERE / NAME).write_text(render(vectors()), encoding="utf-8")
    print(f"wrote {HERE / NAME}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

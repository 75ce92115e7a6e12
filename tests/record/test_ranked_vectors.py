"""tests/vectors/ranked_count.json: the lot orders and counts that any second
implementation of section 15 must reproduce, regenerated here."""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

from omov.record.ranked import count_ranked

VECTORS = Path(__file__).resolve().parents[1] / "vectors"
sys.path.insert(0, str(VECTORS))

import generate_ranked_count  # noqa: E402


def test_the_vectors_match_a_fresh_generation() -> None:
    assert (VECTORS / generate_ranked_count.NAME).read_text(encoding="utf-8") == (
        generate_ranked_count.render(generate_ranked_count.vectors()))


def test_the_lot_keys_follow_the_spec_and_order_the_candidates() -> None:
    data = json.loads((VECTORS / generate_ranked_count.NAME).read_text(encoding="utf-8"))
    for lot in data["lot"]:
        digest = bytes.fromhex(lot["manifest_digest"])
        keys = [hashlib.sha256(b"omov/lot/v1" + digest + lot["question_id"].encode("utf-8")
                               + i.to_bytes(4, "big")).hexdigest()
                for i in range(lot["candidates"])]
        assert lot["keys"] == keys
        assert lot["lot_order"] == sorted(range(lot["candidates"]), key=keys.__getitem__)


def test_each_count_gives_its_result_from_the_rankings_in_reverse_order() -> None:
    data = json.loads((VECTORS / generate_ranked_count.NAME).read_text(encoding="utf-8"))
    for example in data["counts"]:
        rankings = [ranking for papers, ranking in example["rankings"] for _ in range(papers)]
        result = count_ranked(example["count"], example["options"], rankings[::-1],
                              example["lot_order"])
        assert result.to_json() == example["result"], example["name"]

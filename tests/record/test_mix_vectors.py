"""tests/vectors/mix_record.omov.jsonl and mix_record.json: a small ranked election
with its mix (protocol 16), for a second verifier to reproduce, regenerated here."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from omov.record.verifier import verify_record

VECTORS = Path(__file__).resolve().parents[1] / "vectors"
sys.path.insert(0, str(VECTORS))
import generate_mix  # noqa: E402


def test_the_mix_vectors_match_a_fresh_generation() -> None:
    text = generate_mix.record_text()
    assert (VECTORS / generate_mix.RECORD_NAME).read_text(encoding="utf-8") == text
    assert (VECTORS / "mix_record.json").read_text(encoding="utf-8") == generate_mix.render(
        generate_mix.vectors(text))


def test_the_mix_vector_record_is_a_valid_result_with_split_parts() -> None:
    report = verify_record(VECTORS / generate_mix.RECORD_NAME, jobs=1)
    assert report.ok and report.complete
    vectors = json.loads((VECTORS / "mix_record.json").read_text())
    for question in vectors["questions"]:
        assert [s["trustee"] for s in question["shuffles"]] == [1, 2, 3]
        assert all(len(s["entries"]) == 2 for s in question["shuffles"])
        assert len(question["input"]) == 4 and len(question["rankings"]) == 4
        assert [d["trustee"] for d in question["decryptions"]] == question["decrypted_by"]
        assert all(len(set(ranking)) == len(ranking) for ranking in question["rankings"])

"""tests/vectors/count_code.json and count_record.omov.jsonl: what the trustee's
page must reproduce (frontend/test/tally.test.js), regenerated here."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from omov.record.verifier import verify_record

VECTORS = Path(__file__).resolve().parents[1] / "vectors"
sys.path.insert(0, str(VECTORS))

import generate_count  # noqa: E402


def test_the_vectors_match_a_fresh_generation() -> None:
    text = generate_count.record_text()
    ranked_text = generate_count.record_text(generate_count.RANKED_PLAN)
    assert (VECTORS / generate_count.RECORD_NAME).read_text(encoding="utf-8") == text
    assert (VECTORS / generate_count.RANKED_RECORD_NAME).read_text(
        encoding="utf-8") == ranked_text
    assert (VECTORS / "count_code.json").read_text(encoding="utf-8") == generate_count.render(
        generate_count.vectors(text, ranked_text))


def test_the_ranked_vector_record_verifies_to_its_tally_with_empty_ranked_tally_rows() -> None:
    # A preview record: its ranked questions stop at the tally, so its result,
    # which has no counts (16.4), is the one thing wrong with it.
    report = verify_record(VECTORS / generate_count.RANKED_RECORD_NAME, jobs=1)
    assert [number for number, check in report.checks.items() if not check.ok] == [12]
    assert [error.field for error in report.failures()] == ["counts"]
    record = json.loads((VECTORS / "count_code.json").read_text())["ranked_record"]
    assert [len(row) for row in record["ciphertexts"]] == [1, 0, 0]
    assert record["audited"] > 0 and record["ballots"] > record["counted"] > 0


def test_the_vector_record_verifies_and_leaves_revotes_out() -> None:
    report = verify_record(VECTORS / generate_count.RECORD_NAME, jobs=1)
    assert report.ok and report.complete
    record = json.loads((VECTORS / "count_code.json").read_text())["record"]
    assert record["audited"] > 0
    assert record["ballots"] > record["counted"] > 0

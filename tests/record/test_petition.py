"""The petition signature log: building, counting, and refusing a tampered record."""

from __future__ import annotations

import pytest

from omov.record.board import GENESIS
from omov.record.errors import RecordError
from omov.record.petition import (
    PetitionLog,
    make_petition_entry,
    signer_pseudonym,
    verify_petition_file,
    verify_petition_lines,
)

KEY = b"k" * 32
AT = "2026-12-01T09:00:00Z"


def _log(signers: int = 3) -> PetitionLog:
    log = PetitionLog()
    log.append("petition", {"id": "p1", "kind": "call_in", "title": "Reverse it",
                            "target": "decision d1", "thresholds": {"ballot": 3}, "at": AT})
    log.append("text_version", {"version": 1, "text": "We call in decision d1.", "at": AT})
    for n in range(signers):
        _sign(log, f"m{n}", f"r{n}")
    return log


def _sign(log: PetitionLog, member: str, receipt: str, visibility: str = "counted") -> None:
    body = {"receipt": receipt, "pseudonym": signer_pseudonym(KEY, "p1", member),
            "visibility": visibility, "version": log.state.version, "at": AT}
    if visibility == "public":
        body["name"] = member
    log.append("signature", body)


def test_count_is_derived_from_the_log_and_withdrawal_lowers_it() -> None:
    log = _log(3)
    assert log.state.count == 3
    log.append("withdrawal", {"receipt": "r1", "pseudonym": signer_pseudonym(KEY, "p1", "m1"),
                              "at": AT})
    assert log.state.count == 2
    assert log.state.find_receipt("r0") is not None
    assert log.state.find_receipt("r1") is None


def test_pseudonym_hides_the_member_and_differs_between_petitions() -> None:
    one = signer_pseudonym(KEY, "p1", "m1")
    assert "m1" not in one
    assert one != signer_pseudonym(KEY, "p2", "m1")
    assert one != signer_pseudonym(b"x" * 32, "p1", "m1")


def test_second_signature_by_the_same_member_is_refused_and_nothing_appended() -> None:
    log = _log(2)
    with pytest.raises(RecordError, match="already signed"):
        _sign(log, "m0", "again")
    assert log.state.count == 2
    assert len(log.entries) == 4


def test_threshold_exactly_at_is_accepted_one_below_refused() -> None:
    below = _log(2)
    with pytest.raises(RecordError, match="holds 2 signatures"):
        below.append("threshold_reached", {"threshold": "ballot", "target": 3, "count": 2,
                                           "at": AT})
    exact = _log(3)
    exact.append("threshold_reached", {"threshold": "ballot", "target": 3, "count": 3, "at": AT})
    assert exact.state.reached == {"ballot": AT}


def test_new_text_version_drops_signatures_and_nothing_follows_close() -> None:
    log = _log(2)
    log.append("text_version", {"version": 2, "text": "Amended.", "at": AT})
    assert log.state.count == 0
    log.append("close", {"count": 0, "at": AT})
    with pytest.raises(RecordError, match="nothing may follow the close"):
        _sign(log, "m9", "r9")


def test_public_signature_names_the_signer_others_carry_no_name() -> None:
    log = _log(0)
    _sign(log, "Ann", "ra", "public")
    _sign(log, "Bob", "rb", "members")
    assert b"Ann" in log.entries[-2].line
    assert b"Bob" not in log.entries[-1].line
    with pytest.raises(RecordError, match="exactly"):
        log.append("signature", {"receipt": "rc", "pseudonym": "p", "visibility": "counted",
                                 "version": 1, "at": AT, "name": "Cat"})


def test_verifier_accepts_the_log_and_names_a_dropped_signature(tmp_path) -> None:
    log = _log(3)
    log.append("threshold_reached", {"threshold": "ballot", "target": 3, "count": 3, "at": AT})
    log.append("close", {"count": 3, "at": AT})
    path = tmp_path / "p1.petition.jsonl"
    path.write_bytes(b"".join(e.line + b"\n" for e in log.entries))
    report = verify_petition_file(str(path))
    assert report.ok, report.render()
    assert "VALID" in report.render()

    lines = [e.line for e in log.entries]
    dropped = verify_petition_lines(lines[:3] + lines[4:])
    assert not dropped.ok
    assert dropped.failure is not None and dropped.failure.entry == 3
    assert "chain is broken" in dropped.render()


def test_verifier_refuses_a_relinked_log_whose_close_overstates_the_count() -> None:
    log = _log(2)
    forged = make_petition_entry(4, "close", log.head, {"count": 5, "at": AT})
    report = verify_petition_lines([*(e.line for e in log.entries), forged.line])
    assert report.failure is not None
    assert report.failure.field == "count"


def test_entry_zero_must_be_the_petition() -> None:
    entry = make_petition_entry(0, "close", GENESIS, {"count": 0, "at": AT})
    assert not verify_petition_lines([entry.line]).ok

"""The tamper suite: every kind of alteration of a valid record is caught and named.

Most alterations are re-chained (every `previous` re-hashed, as an attacker
rewriting the whole file would do), so that the content checks, not the
chain, must catch them.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from omov.cli import main
from omov.crypto.group import G, Point, Scalar, base_mult
from omov.crypto.transcript import TestRng
from omov.record.election import revocation_body
from omov.record.errors import RecordUnreadable
from omov.record.simulation import SimulationPlan, simulate
from tests.record.tamper_kit import (
    PLAN,
    authority_secret,
    ballot_entry,
    ballot_from_audit,
    check,
    context_of,
    load,
    new_ballot,
    positions,
    problems,
    save,
    voter_secret,
)

Entries = list[dict[str, Any]]


@pytest.fixture(scope="module")
def original(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("record") / "valid.omov.jsonl"
    summary = simulate(path, PLAN)
    assert summary.audited >= 1 and summary.ballots > summary.counted
    return path


def caught(entries: Entries, out: Path, *expected: str, rechain: bool = True) -> str:
    """Save, verify, and assert the record is invalid with every expected phrase."""
    report = check(save(entries, out, rechain=rechain))
    said = problems(report)
    assert not report.ok, "the tampering was not caught"
    for phrase in expected:
        assert phrase in said, f"{phrase!r} not in:\n{said}"
    return said


def other_point(seed: int) -> str:
    return base_mult(Scalar.from_int(seed)).hex()


def test_the_untouched_record_is_valid(original: Path) -> None:
    report = check(original)
    assert report.ok, problems(report)
    assert report.complete


def test_drop_a_ballot_breaks_the_numbering(entries: Entries, out: Path) -> None:
    at = positions(entries, "ballot")[3]
    del entries[at]
    caught(entries, out, f"entry {at}, field index: index is {at + 1} but this is line {at}",
           rechain=False)


def test_drop_a_ballot_and_renumber_breaks_the_chain(entries: Entries, out: Path) -> None:
    at = positions(entries, "ballot")[3]
    del entries[at]
    for index, entry in enumerate(entries):
        entry["index"] = index
    said = caught(entries, out, f"entry {at}, field previous: previous is not the hash of "
                  f"entry {at - 1}: the chain is broken", rechain=False)
    assert f"entry {at - 1}," not in said


def test_drop_a_ballot_and_rechain_breaks_close_count_and_tally(entries: Entries,
                                                                 out: Path) -> None:
    ballots = positions(entries, "ballot")
    del entries[ballots[0]]
    caught(entries, out, f"the board holds {len(ballots) - 1:,} ballot entries",
           "the tally says")


def test_insert_a_ballot_breaks_the_chain(entries: Entries, out: Path) -> None:
    at = positions(entries, "ballot")[2]
    extra = new_ballot(entries, voter_secret(entries, 5), b"inserted")
    entries.insert(at, {**ballot_entry(extra.ballot), "index": at,
                        "previous": entries[at]["previous"]})
    caught(entries, out, f"entry {at + 1}, field index: index is {at} but this is line "
           f"{at + 1}", rechain=False)


def test_reorder_ballots_breaks_the_chain(entries: Entries, out: Path) -> None:
    first, second = positions(entries, "ballot")[4:6]
    entries[first], entries[second] = entries[second], entries[first]
    caught(entries, out, "index is", rechain=False)


def test_alter_a_ballot_without_rechaining_breaks_the_chain(entries: Entries, out: Path) -> None:
    at = positions(entries, "ballot")[0]
    entries[at]["body"]["answers"][0]["choices"][0]["beta"] = other_point(7)
    caught(entries, out, f"entry {at + 1}, field previous: previous is not the hash of "
           f"entry {at}", rechain=False)


def test_alter_a_ballot_ciphertext_and_rechain(entries: Entries, out: Path) -> None:
    at = positions(entries, "ballot")[0]
    entries[at]["body"]["answers"][0]["choices"][0]["beta"] = other_point(7)
    caught(entries, out, f"entry {at}, ballot ", "field answers[0].proofs[0]")


def test_alter_a_proof(entries: Entries, out: Path) -> None:
    at = positions(entries, "ballot")[1]
    proof = entries[at]["body"]["answers"][2]["sum_proof"]
    proof["responses"][0] = Scalar.from_int(12345).hex()
    caught(entries, out, f"entry {at}, ballot ", "field answers[2].sum_proof")


def test_replace_a_signature(entries: Entries, out: Path) -> None:
    first, second = positions(entries, "ballot")[:2]
    entries[first]["body"]["signature"] = entries[second]["body"]["signature"]
    caught(entries, out, f"entry {first}, ballot ", "field signature")


def test_swap_a_ballot_credential(entries: Entries, out: Path) -> None:
    first, second = positions(entries, "ballot")[:2]
    entries[first]["body"]["credential"] = entries[second]["body"]["credential"]
    caught(entries, out, f"entry {first}, ballot ", "field answers[0].proofs[0]")


def test_ballot_from_a_credential_not_on_the_roll(entries: Entries, out: Path) -> None:
    at = positions(entries, "ballot")[-1] + 1
    stranger = new_ballot(entries, Scalar.from_int(424242), b"stranger")
    entries.insert(at, ballot_entry(stranger.ballot))
    caught(entries, out, f"entry {at}, ballot {stranger.tracker}: its credential is not on "
           "the credential roll")


def test_replay_a_ballot(entries: Entries, out: Path) -> None:
    first = positions(entries, "ballot")[0]
    at = positions(entries, "ballot")[-1] + 1
    entries.insert(at, copy.deepcopy(entries[first]))
    caught(entries, out, f"entry {at}, ballot ", "a replay")


def test_audit_the_same_ballot_twice(entries: Entries, out: Path) -> None:
    audited = positions(entries, "audited_ballot")[0]
    at = positions(entries, "ballot")[-1] + 1
    entries.insert(at, {**copy.deepcopy(entries[audited]), "index": at})
    caught(entries, out, f"entry {at}, ballot ",
           f"repeats a ciphertext of the audited ballot at entry {audited}; "
           "an audited ballot appears once (7.6)")


def test_cast_an_audited_ballots_ciphertexts_with_new_proofs(entries: Entries,
                                                             out: Path) -> None:
    audited = positions(entries, "audited_ballot")[0]
    at = positions(entries, "ballot")[-1] + 1
    recast = ballot_from_audit(entries, entries[audited]["body"], b"recast")
    entries.insert(at, ballot_entry(recast))
    caught(entries, out, f"entry {at}: this cast ballot ",
           f"reuses a ciphertext of the audited ballot at entry {audited}")


def test_a_ballot_cast_before_an_audit_of_its_ciphertexts(entries: Entries, out: Path) -> None:
    audited = positions(entries, "audited_ballot")[-1]
    recast = ballot_from_audit(entries, entries[audited]["body"], b"earlier")
    entries.insert(audited, ballot_entry(recast))
    caught(entries, out, f"entry {audited}: this cast ballot ",
           f"reuses a ciphertext of the audited ballot at entry {audited + 1}")


def test_alter_an_audited_ballots_randomness(entries: Entries, out: Path) -> None:
    audited = positions(entries, "audited_ballot")[0]
    entries[audited]["body"]["randomness"][0][0] = Scalar.from_int(99).hex()
    caught(entries, out, f"entry {audited}, ballot ", "randomness[0][0]")


@pytest.mark.parametrize(("change", "field"), [
    (lambda body: body.update(credential=body["election"]), "credential"),
    (lambda body: body.pop("election"), "election"),
    (lambda body: body["choices"][0].pop(), "choices[0]"),
    (lambda body: body["selections"][0].__setitem__(0, body["selections"][0][0] == 1),
     "selections[0]"),
    (lambda body: body.update(election="ab" * 32), "election"),
])
def test_an_audited_ballots_members_are_exact(entries: Entries, out: Path, change: Any,
                                             field: str) -> None:
    audited = positions(entries, "audited_ballot")[0]
    change(entries[audited]["body"])
    caught(entries, out, f"entry {audited}, ballot ", f"field {field}")


def test_alter_a_commitment(entries: Entries, out: Path) -> None:
    at = positions(entries, "trustee_commitment")[1]
    entries[at]["body"]["commitments"][0] = other_point(11)
    caught(entries, out, f"entry {at}, field commitment_proofs[0]")


def test_alter_a_trustees_share(entries: Entries, out: Path) -> None:
    at = positions(entries, "trustee_shares")[0]
    share = entries[at]["body"]["shares"][0]
    share["ciphertext"] = ("00" if share["ciphertext"][:2] != "00" else "11") + share[
        "ciphertext"][2:]
    caught(entries, out, f"entry {at}, field shares[0].signature")


def test_a_false_complaint_is_reported_and_has_no_effect(entries: Entries, out: Path) -> None:
    at = positions(entries, "trustee_shares")[-1] + 1
    shares = entries[positions(entries, "trustee_shares")[0]]["body"]
    complaint = {"trustee": 2, "against": 1, "key": other_point(5),
                 "proof": {"challenge": Scalar.from_int(1).hex(),
                           "response": Scalar.from_int(2).hex()}}
    assert shares["trustee"] == 1
    entries.insert(at, {"body": complaint, "index": 0, "kind": "trustee_complaint",
                        "previous": "0" * 64})
    report = check(save(entries, out))
    assert report.ok, problems(report)
    assert f"entry {at}, field proof: complaint rejected, it has no effect" in problems(report)


def test_alter_a_partial_decryption(entries: Entries, out: Path) -> None:
    at = positions(entries, "partial_decryption")[0]
    body = entries[at]["body"]
    body["shares"][0][0] = other_point(13)
    caught(entries, out, f"entry {at}, field proofs[0][0]: trustee {body['trustee']}'s "
           "partial decryption")


def test_drop_partial_decryptions_below_the_threshold(entries: Entries, out: Path) -> None:
    del entries[positions(entries, "partial_decryption")[1]]
    caught(entries, out, "needs at least 2 trustees with valid partial decryptions")


def test_alter_the_result_totals(entries: Entries, out: Path) -> None:
    at = positions(entries, "result")[0]
    totals = entries[at]["body"]["totals"]
    totals[0] = [totals[0][1], totals[0][0] + 1]
    caught(entries, out, f"entry {at}, field totals[0]", "the totals are not what the "
           "trustees decrypted")


def test_alter_the_tally(entries: Entries, out: Path) -> None:
    at = positions(entries, "tally")[0]
    entries[at]["body"]["ciphertexts"][0][0]["alpha"] = G.hex()
    caught(entries, out, f"entry {at}, field ciphertexts[0][0].alpha: the tally is not the sum")


def test_alter_the_tally_count(entries: Entries, out: Path) -> None:
    at = positions(entries, "tally")[0]
    entries[at]["body"]["counted"] += 1
    caught(entries, out, f"entry {at}, field counted: the tally says")


def test_unsorted_roll(entries: Entries, out: Path) -> None:
    at = positions(entries, "credential_roll")[0]
    credentials = entries[at]["body"]["credentials"]
    credentials[0], credentials[1] = credentials[1], credentials[0]
    caught(entries, out, f"entry {at}, field credentials[1]: credentials must be sorted")


def test_credential_added_to_the_roll_without_resigning(entries: Entries, out: Path) -> None:
    at = positions(entries, "credential_roll")[0]
    credentials = entries[at]["body"]["credentials"]
    credentials.append(other_point(17))
    credentials.sort()
    caught(entries, out, f"entry {at}, field signature: the credential authority's signature")


def test_alter_the_manifest_after_the_fact(entries: Entries, out: Path) -> None:
    entries[0]["body"]["questions"][0]["text"] = "A different question"
    caught(entries, out, "entry 1, field communication_proof")


def test_wrong_fingerprint_in_open(entries: Entries, out: Path) -> None:
    at = positions(entries, "open")[0]
    entries[at]["body"]["fingerprint"] = "ab" * 32
    caught(entries, out, f"entry {at}, field fingerprint: the fingerprint is not the election's")


def test_alter_the_close_count(entries: Entries, out: Path) -> None:
    at = positions(entries, "close")[0]
    entries[at]["body"]["ballots"] -= 1
    caught(entries, out, f"entry {at}, field ballots: the close entry says")


def test_partial_decryption_from_an_unqualified_trustee(entries: Entries, out: Path) -> None:
    at = positions(entries, "partial_decryption")[0]
    entries[at]["body"]["trustee"] = 7
    caught(entries, out, f"entry {at}, field trustee: trustee 7 is not a qualified trustee")


def test_qualified_trustee_written_as_true(entries: Entries, out: Path) -> None:
    at = positions(entries, "joint_key")[0]
    assert entries[at]["body"]["qualified"][0] == 1
    entries[at]["body"]["qualified"][0] = True
    caught(entries, out, f"entry {at}, field qualified: the qualified trustees are [1, 2, 3]")


def test_a_bad_partial_decryption_outside_decrypted_by(entries: Entries, out: Path) -> None:
    """9.3: every published partial decryption must be valid, also one the result
    does not use."""
    result = positions(entries, "result")[0]
    first = positions(entries, "partial_decryption")[0]
    assert 3 not in entries[result]["body"]["decrypted_by"]
    extra = copy.deepcopy(entries[first])
    extra["body"]["trustee"] = 3
    entries.insert(result, extra)
    caught(entries, out, f"entry {result}, field proofs[0][0]: trustee 3's partial decryption")


def test_non_canonical_line(original: Path, out: Path) -> None:
    lines = original.read_bytes().split(b"\n")
    lines[2] = lines[2].replace(b'{"body":{', b'{"body": {', 1)
    out.write_bytes(b"\n".join(lines))
    report = check(out)
    assert not report.ok
    assert "entry 2: the line is not canonical JSON" in problems(report)


def test_entry_after_the_result(entries: Entries, out: Path) -> None:
    entries.append(copy.deepcopy(entries[positions(entries, "ballot")[0]]))
    caught(entries, out, "nothing may follow the result")


def test_forged_revocation(entries: Entries, out: Path) -> None:
    context = context_of(entries)
    revoked = base_mult(voter_secret(entries, 3))
    forger = Scalar.from_int(5)
    at = positions(entries, "ballot")[-1] + 1
    body = revocation_body(context.fingerprint, [revoked], [], "lost", forger, TestRng(b"r"))
    entries.insert(at, {"body": body, "index": 0, "kind": "revocation", "previous": "0" * 64})
    caught(entries, out, f"entry {at}, field signature: the revocation-signature")


def test_revoked_credential_votes_again(entries: Entries, out: Path) -> None:
    context = context_of(entries)
    secret = voter_secret(entries, 3)
    at = positions(entries, "ballot")[-1] + 1
    body = revocation_body(context.fingerprint, [base_mult(secret)], [], "reported lost",
                           authority_secret(), TestRng(b"r"))
    entries.insert(at, {"body": body, "index": 0, "kind": "revocation", "previous": "0" * 64})
    again = new_ballot(entries, secret, b"after revocation")
    entries.insert(at + 1, ballot_entry(again.ballot))
    caught(entries, out, f"entry {at + 1}, ballot {again.tracker}: its credential was revoked")


def test_a_genuine_revocation_uncounts_the_ballot(entries: Entries, out: Path) -> None:
    context = context_of(entries)
    at = positions(entries, "ballot")[-1] + 1
    body = revocation_body(context.fingerprint, [base_mult(voter_secret(entries, 3))], [],
                           "reported lost", authority_secret(), TestRng(b"r"))
    entries.insert(at, {"body": body, "index": 0, "kind": "revocation", "previous": "0" * 64})
    counted = entries[positions(entries, "tally")[0]]["body"]["counted"]
    caught(entries, out, f"the tally says {counted} ballots were counted, but the counting "
           f"rule gives {counted - 1}")


def test_identity_point_is_rejected(entries: Entries, out: Path) -> None:
    at = positions(entries, "ballot")[2]
    entries[at]["body"]["answers"][0]["choices"][0]["alpha"] = Point(bytes(32)).hex()
    caught(entries, out, f"entry {at}, ballot ", "answers[0].choices[0].alpha")


def test_truncated_file_is_unreadable(original: Path, out: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    data = original.read_bytes()
    out.write_bytes(data[: len(data) // 2])
    with pytest.raises(RecordUnreadable, match="the last line has no newline: the file is "
                       "truncated"):
        check(out)
    assert main(["verify", str(out)]) == 2
    assert "cannot read the record" in capsys.readouterr().out


def test_the_command_exits_1_on_a_tampered_record(entries: Entries, out: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    at = positions(entries, "ballot")[0]
    entries[at]["body"]["signature"]["response"] = Scalar.from_int(3).hex()
    save(entries, out)
    assert main(["verify", "--jobs", "2", str(out)]) == 1
    said = capsys.readouterr().out
    assert f"entry {at}, ballot " in said and "field signature" in said
    assert said.rstrip().endswith("INVALID: see the ✗ lines above")


def test_close_time_that_is_not_a_utc_time(entries: Entries, out: Path) -> None:
    at = positions(entries, "close")[0]
    entries[at]["body"]["closed_at"] = "yesterday"
    caught(entries, out, f"entry {at}, field closed_at: must be an ISO 8601 UTC time")


@pytest.mark.parametrize(("kind", "field"), [("close", "ballots"), ("tally", "counted"),
                                              ("result", "counted")])
def test_a_boolean_where_a_count_belongs(entries: Entries, out: Path, kind: str,
                                         field: str) -> None:
    at = positions(entries, kind)[0]
    entries[at]["body"][field] = True
    caught(entries, out, f"entry {at}, field {field}")


def test_a_boolean_where_a_total_belongs(tmp_path: Path, out: Path) -> None:
    plan = SimulationPlan(voters=1, trustees=1, threshold=1, seed=b"one", revote_rate=0.0,
                          audit_rate=0.0)
    simulate(tmp_path / "one.omov.jsonl", plan)
    entries = load(tmp_path / "one.omov.jsonl")
    at = positions(entries, "result")[0]
    assert sorted(entries[at]["body"]["totals"][0]) == [0, 1]
    entries[at]["body"]["totals"][0] = [bool(n) for n in entries[at]["body"]["totals"][0]]
    caught(entries, out, f"entry {at}, field totals[0][0]: the totals are not")


def test_a_trustee_without_a_name(entries: Entries, out: Path) -> None:
    del entries[0]["body"]["trustees"][1]["name"]
    caught(entries, out, "field trustees[1]: manifest: a trustee holds exactly index and name")


@pytest.mark.parametrize(("kind", "where"), [
    ("trustee_commitment", lambda body: body),
    ("trustee_commitment", lambda body: body["communication_proof"]),
    ("trustee_shares", lambda body: body),
    ("trustee_shares", lambda body: body["shares"][0]),
    ("joint_key", lambda body: body),
    ("credential_roll", lambda body: body),
    ("open", lambda body: body),
    ("ballot", lambda body: body["answers"][0]),
    ("audited_ballot", lambda body: body),
    ("close", lambda body: body),
    ("tally", lambda body: body),
    ("partial_decryption", lambda body: body),
    ("result", lambda body: body),
])
def test_no_other_members_in_any_entry_body(entries: Entries, out: Path, kind: str,
                                            where: Any) -> None:
    """Section 10: every body, and every object nested in it, holds exactly its
    members; one more is caught and named at its entry."""
    at = positions(entries, kind)[0]
    where(entries[at]["body"])["note"] = 1
    said = caught(entries, out, f"entry {at}")
    named = [line for line in said.splitlines() if line.startswith(f"entry {at}")]
    assert any(word in line for line in named for word in ("note", "exactly", "must be {")), said

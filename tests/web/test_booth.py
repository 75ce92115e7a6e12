"""The voting booth's server side: casting, idempotence, revoting, auditing, privacy."""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

import pytest
from django.apps import apps
from django.core import mail
from django.test import Client
from django.urls import reverse

from omov.audit.models import AuditEvent
from omov.ballots import simulation, state
from omov.ballots.actions import counting, schedule, voting
from omov.ballots.errors import CastLimited, RejectedSubmission, WrongPhase
from omov.ballots.models import BoardEntry, CastAttempt, CredentialBinding, VoteReceipt
from omov.crypto.ballot import TAG_BALLOT_SIGNATURE, fingerprint
from omov.crypto.canonical import canonical_json, digest
from omov.crypto.credentials import credential_secret
from omov.crypto.group import Point
from omov.crypto.proofs import SchnorrProof
from omov.members.models import Member
from omov.record.count_code import count_code

from .helpers import client_for, member
from .test_ballots_helpers import Election, closed, opened

YES, NO = [[1, 0]], [[0, 1]]


def cast_url(election: Election) -> str:
    return reverse("ballots:cast", args=[election.ballot.slug])


def post_json(client: Client, url: str, body: object) -> tuple[int, dict[str, object]]:
    response = client.post(url, canonical_json(body), content_type="application/json")
    return response.status_code, response.json()


def test_a_member_casts_a_ballot_and_gets_a_tracker_by_email(
    django_capture_on_commit_callbacks: Any,
) -> None:
    election = opened()
    voter = election.voters[0]
    prepared = simulation.prepare(election.ballot, election.code(voter), YES, election.rng)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        status, reply = post_json(client_for(voter), cast_url(election), prepared.ballot)
    assert status == 200, reply
    assert reply["tracker"] == prepared.tracker
    entry = BoardEntry.objects.get(ballot=election.ballot, kind="ballot")
    assert entry.tracker == prepared.tracker
    assert any(prepared.tracker in message.body for message in mail.outbox)
    receipt_page = client_for(voter).get(str(reply["receipt_url"])).content.decode()
    assert prepared.tracker in receipt_page


def test_the_same_ballot_sent_twice_counts_once() -> None:
    election = opened()
    voter = election.voters[0]
    prepared = simulation.prepare(election.ballot, election.code(voter), YES, election.rng)
    client = client_for(voter)
    first = post_json(client, cast_url(election), prepared.ballot)
    again = post_json(client, cast_url(election), prepared.ballot)
    assert first[0] == again[0] == 200
    assert first[1]["index"] == again[1]["index"]
    assert again[1]["new"] is False
    assert BoardEntry.objects.filter(ballot=election.ballot, kind="ballot").count() == 1


def test_voting_again_replaces_the_earlier_ballot_in_the_count() -> None:
    election = opened(voters=2)
    first, second = election.voters
    simulation.vote(election.ballot, first, election.code(first), YES, election.rng)
    simulation.vote(election.ballot, first, election.code(first), NO, election.rng)
    simulation.vote(election.ballot, second, election.code(second), NO, election.rng)
    closed(election)
    simulation.decrypt(election.ballot, election.states, election.rng, trustees=[1, 2])
    counting.publish_result(election.refresh(), by=election.organiser)
    schedule.run_pending_verifications(jobs=1)
    ballot = election.refresh()
    assert ballot.counted == 2
    assert ballot.totals == [[0, 2]]
    assert ballot.verified, ballot.verification_report


def audit_url(election: Election) -> str:
    return reverse("ballots:audit", args=[election.ballot.slug])


def anonymous() -> Client:
    """A client with no session and CSRF checks on, as the booth's audit request is."""
    return Client(enforce_csrf_checks=True)


def test_an_audited_ballot_is_published_never_counted_and_never_castable() -> None:
    election = opened(voters=1)
    voter = election.voters[0]
    prepared = simulation.prepare(election.ballot, election.code(voter), YES, election.rng)
    status, reply = post_json(anonymous(), audit_url(election), prepared.audit_reveal())
    assert status == 200, reply
    assert reply["selections"] == [[1, 0]] and reply["new"] is True
    entry = BoardEntry.objects.get(ballot=election.ballot, kind="audited_ballot")
    assert entry.credential == "" and prepared.ballot["credential"] not in entry.line
    assert entry.tracker == reply["tracker"] != prepared.tracker
    status, reply = post_json(client_for(voter), cast_url(election), prepared.ballot)
    assert status == 400 and "reuses an encryption from an audited ballot" in str(reply["error"])
    simulation.vote(election.ballot, voter, election.code(voter), NO, election.rng)
    closed(election)
    simulation.decrypt(election.ballot, election.states, election.rng, trustees=[2, 3])
    counting.publish_result(election.refresh(), by=election.organiser)
    schedule.run_pending_verifications(jobs=1)
    ballot = election.refresh()
    assert ballot.totals == [[0, 1]]
    assert ballot.verified, ballot.verification_report


def test_an_audit_needs_no_session_and_leaves_no_trace_of_the_member() -> None:
    election = opened(voters=1)
    voter = election.voters[0]
    prepared = simulation.prepare(election.ballot, election.code(voter), YES, election.rng)
    events = AuditEvent.objects.count()
    status, reply = post_json(anonymous(), audit_url(election), prepared.audit_reveal())
    assert status == 200, reply
    assert AuditEvent.objects.count() == events
    assert not CastAttempt.objects.exists()
    assert not VoteReceipt.objects.exists()


def test_an_audit_sent_again_is_the_same_entry() -> None:
    election = opened(voters=1)
    prepared = simulation.prepare(election.ballot, election.code(election.voters[0]), YES,
                                  election.rng)
    first = post_json(anonymous(), audit_url(election), prepared.audit_reveal())
    again = post_json(anonymous(), audit_url(election), prepared.audit_reveal())
    assert first[0] == again[0] == 200
    assert (again[1]["index"], again[1]["tracker"], again[1]["new"]) == (
        first[1]["index"], first[1]["tracker"], False)
    assert BoardEntry.objects.filter(ballot=election.ballot, kind="audited_ballot").count() == 1


def test_a_cast_ballot_cannot_be_audited() -> None:
    """Its audit would publish how a counted ballot votes and make the record invalid (7.6)."""
    election = opened(voters=1)
    voter = election.voters[0]
    prepared = simulation.prepare(election.ballot, election.code(voter), YES, election.rng)
    assert post_json(client_for(voter), cast_url(election), prepared.ballot)[0] == 200
    status, reply = post_json(anonymous(), audit_url(election), prepared.audit_reveal())
    assert status == 400 and "was cast, so it cannot be audited" in str(reply["error"])
    assert not BoardEntry.objects.filter(ballot=election.ballot, kind="audited_ballot").exists()


def test_an_audit_sharing_a_ciphertext_with_an_earlier_audit_is_refused() -> None:
    election = opened(voters=1, kinds=("yes_no", "yes_no"))
    code = election.code(election.voters[0])
    first = simulation.prepare(election.ballot, code, YES * 2, election.rng).audit_reveal()
    assert post_json(anonymous(), audit_url(election), first)[0] == 200
    second = simulation.prepare(election.ballot, code, YES * 2, election.rng).audit_reveal()
    for name in ("choices", "randomness"):
        second[name][0] = first[name][0]
    status, reply = post_json(anonymous(), audit_url(election), second)
    assert status == 400 and "already audited" in str(reply["error"])
    assert BoardEntry.objects.filter(ballot=election.ballot, kind="audited_ballot").count() == 1


@pytest.mark.parametrize(("change", "expected"), [
    (lambda r: r.update(credential="00" * 32), "unexpected member 'credential'"),
    (lambda r: r.pop("choices"), "missing member 'choices'"),
    (lambda r: r["selections"].__setitem__(0, [True, False]), "0 or 1"),
    (lambda r: r["selections"].__setitem__(0, [0, 1]), "do not give this choice"),
    (lambda r: r.update(election="00" * 32), "another election"),
])
def test_a_false_or_loose_audit_is_refused(change: Any, expected: str) -> None:
    election = opened(voters=1)
    reveal = simulation.prepare(election.ballot, election.code(election.voters[0]), YES,
                                election.rng).audit_reveal()
    change(reveal)
    status, reply = post_json(anonymous(), audit_url(election), reveal)
    assert status == 400 and expected in str(reply["error"]), reply
    assert not BoardEntry.objects.filter(ballot=election.ballot, kind="audited_ballot").exists()


def test_anonymous_audits_are_limited_per_ballot(monkeypatch: pytest.MonkeyPatch) -> None:
    """Nothing about a sender is kept, so the limit is on the ballot's board."""
    monkeypatch.setattr(voting, "MIN_AUDIT_LIMIT", 2)
    monkeypatch.setattr(voting, "AUDITS_PER_ELECTOR", 0)
    election = opened(voters=1)
    code = election.code(election.voters[0])
    reveals = [simulation.prepare(election.ballot, code, YES, election.rng).audit_reveal()
               for _ in range(3)]
    assert [post_json(anonymous(), audit_url(election), r)[0] for r in reveals[:2]] == [200, 200]
    status, reply = post_json(anonymous(), audit_url(election), reveals[2])
    assert status == 400 and "already holds 2 audited ballots" in str(reply["error"])
    assert post_json(anonymous(), audit_url(election), reveals[0])[1]["new"] is False
    electors = election.ballot.electors.count()
    assert electors >= 3
    monkeypatch.setattr(voting, "MIN_AUDIT_LIMIT", 0)
    monkeypatch.setattr(voting, "AUDITS_PER_ELECTOR", 1)
    assert post_json(anonymous(), audit_url(election), reveals[2])[0] == 200


def test_no_audit_after_voting_closed() -> None:
    election = opened(voters=1)
    reveal = simulation.prepare(election.ballot, election.code(election.voters[0]), YES,
                                election.rng).audit_reveal()
    closed(election)
    status, reply = post_json(anonymous(), audit_url(election), reveal)
    assert status == 400 and "not open" in str(reply["error"])


def test_a_resigned_audited_ballot_is_refused_at_cast() -> None:
    """A hostile voter (or vote seller) re-signs an audited ballot: its hash is new,
    but its ciphertexts are public through the audit, so it must not be cast."""
    election = opened(voters=1)
    voter = election.voters[0]
    code = election.code(voter)
    prepared = simulation.prepare(election.ballot, code, YES, election.rng)
    client = client_for(voter)
    status, reply = post_json(anonymous(), audit_url(election), prepared.audit_reveal())
    assert status == 200, reply
    unsigned = {k: v for k, v in prepared.ballot.items() if k != "signature"}
    secret = credential_secret(state.manifest_digest(election.ballot), code)
    signature = SchnorrProof.prove(
        TAG_BALLOT_SIGNATURE,
        (bytes.fromhex(unsigned["election"]), hashlib.sha256(canonical_json(unsigned)).digest()),
        secret, election.rng,
    ).to_json()
    recast = {**unsigned, "signature": signature}
    assert digest(recast) != digest(prepared.ballot)
    status, reply = post_json(client, cast_url(election), recast)
    assert status == 400 and "reuses an encryption from an audited ballot" in str(reply["error"])
    assert not BoardEntry.objects.filter(ballot=election.ballot, kind="ballot").exists()
    assert not VoteReceipt.objects.filter(ballot=election.ballot).exists()


def test_the_results_page_labels_totals_from_the_published_record() -> None:
    election = opened(voters=1)
    voter = election.voters[0]
    simulation.vote(election.ballot, voter, election.code(voter), YES, election.rng)
    closed(election)
    simulation.decrypt(election.ballot, election.states, election.rng, trustees=[2, 3])
    counting.publish_result(election.refresh(), by=election.organiser)
    ballot = election.refresh()
    question = ballot.questions.get()
    question.text, question.options = "Edited in the database", ["No", "Yes"]
    question.save()
    ballot.totals = [[0, 7]]
    ballot.save()
    page = Client().get(reverse("ballots:results", args=[ballot.slug])).content.decode()
    assert "Edited in the database" not in page
    rows = re.findall(r"<tr><td>(\w+)</td><td>(\d+)</td><td>([\d.]+)%</td></tr>", page)
    assert rows == [("Yes", "1", "100.0"), ("No", "0", "0.0")]
    assert "Yes: 100% of the yes and no votes (1 of 1): passed." in page


def test_a_tampered_ballot_is_rejected_with_the_field_named() -> None:
    election = opened()
    voter = election.voters[0]
    prepared = simulation.prepare(election.ballot, election.code(voter), YES, election.rng)
    forged = json.loads(json.dumps(prepared.ballot))
    forged["answers"][0]["choices"][0], forged["answers"][0]["proofs"][0] = (
        forged["answers"][0]["choices"][0], {"challenges": ["00" * 32] * 2,
                                              "responses": ["00" * 32] * 2})
    status, reply = post_json(client_for(voter), cast_url(election), forged)
    assert status == 400
    assert "answers[0].proofs[0]" in str(reply["error"])
    assert not BoardEntry.objects.filter(ballot=election.ballot, kind="ballot").exists()


def test_a_credential_that_is_not_on_the_roll_is_rejected() -> None:
    election = opened()
    voter = election.voters[0]
    from omov.crypto.credentials import new_code

    with pytest.raises(RejectedSubmission, match="not on the roll"):
        simulation.vote(election.ballot, voter, new_code(), YES, election.rng)


def test_a_member_who_is_not_eligible_cannot_reach_the_booth() -> None:
    election = opened()
    latecomer = member("Late Joiner", joined_days_ago=0)
    client = client_for(latecomer)
    assert client.get(reverse("ballots:booth", args=[election.ballot.slug])).status_code == 403
    prepared = simulation.prepare(election.ballot, election.code(election.voters[0]), YES,
                                  election.rng)
    response = client.post(cast_url(election), canonical_json(prepared.ballot),
                           content_type="application/json")
    assert response.status_code == 403


def test_who_voted_is_visible_only_to_the_member_themself() -> None:
    election = opened(voters=2)
    voter, other = election.voters
    cast = simulation.vote(election.ballot, voter, election.code(voter), YES, election.rng)
    own_page = client_for(voter).get(reverse("ballots:detail", args=[election.ballot.slug]))
    assert f"You voted. Your latest tracker is <code class=\"tracker\">{cast.tracker}" in (
        own_page.content.decode())
    for viewer in (other, election.organiser):
        page = client_for(viewer).get(reverse("ballots:detail", args=[election.ballot.slug]))
        assert "You voted" not in page.content.decode()
    organiser_view = client_for(election.organiser).get(
        reverse("ballots:receipt", args=[election.ballot.slug])).content.decode()
    assert cast.tracker not in organiser_view
    assert not AuditEvent.objects.filter(actor=voter, action__contains="cast").exists()
    board = Client().get(reverse("ballots:board", args=[election.ballot.slug])).content.decode()
    assert cast.tracker in board and voter.name not in board


def test_casts_are_rate_limited_per_member() -> None:
    election = opened(voters=1)
    voter = election.voters[0]
    for _ in range(voting.CAST_LIMIT):
        simulation.vote(election.ballot, voter, election.code(voter), YES, election.rng)
    with pytest.raises(CastLimited):
        simulation.vote(election.ballot, voter, election.code(voter), YES, election.rng)


def test_no_ballot_is_taken_after_closing() -> None:
    election = opened(voters=1)
    voter = election.voters[0]
    prepared = simulation.prepare(election.ballot, election.code(voter), YES, election.rng)
    closed(election)
    with pytest.raises(WrongPhase):
        voting.cast_ballot(election.ballot, voter, canonical_json(prepared.ballot))


def test_the_board_page_finds_a_tracker_and_shows_turnout() -> None:
    election = opened(voters=2)
    voter = election.voters[0]
    cast = simulation.vote(election.ballot, voter, election.code(voter), YES, election.rng)
    url = reverse("ballots:board", args=[election.ballot.slug])
    page = Client().get(url, {"tracker": cast.tracker[:9].lower()}).content.decode()
    assert cast.tracker in page
    assert "<dd>1 of 7</dd>" in page
    missing = Client().get(url, {"tracker": "ZZZZ"}).content.decode()
    assert "No ballot with a tracker starting ZZZZ" in missing


def test_the_record_download_streams_every_line() -> None:
    election = opened(voters=1)
    voter = election.voters[0]
    simulation.vote(election.ballot, voter, election.code(voter), YES, election.rng)
    response = Client().get(reverse("ballots:record", args=[election.ballot.slug]))
    lines = b"".join(response.streaming_content).split(b"\n")  # type: ignore[attr-defined]
    assert lines[-1] == b""
    kinds = [json.loads(line)["kind"] for line in lines[:-1]]
    assert kinds[0] == "manifest" and kinds[-1] == "ballot"
    assert VoteReceipt.objects.filter(member=voter).count() == 1


def test_the_ballot_list_shows_a_member_where_to_vote_and_their_own_tracker() -> None:
    election = opened(voters=2)
    voter, other = election.voters
    cast = simulation.vote(election.ballot, voter, election.code(voter), YES, election.rng)
    own = client_for(voter).get(reverse("ballots:list")).content.decode()
    assert cast.tracker in own and "Vote again" in own
    theirs = client_for(other).get(reverse("ballots:list")).content.decode()
    assert cast.tracker not in theirs and ">Vote</a>" in theirs
    anonymous = Client().get(reverse("ballots:list")).content.decode()
    assert election.ballot.title in anonymous and "Vote</a>" not in anonymous


def test_the_booth_data_let_the_browser_recompute_the_fingerprint() -> None:
    election = opened()
    data = Client().get(reverse("ballots:election_data", args=[election.ballot.slug])).json()
    recomputed = fingerprint(digest(data["manifest"]), Point.from_hex(data["public_key"]),
                             bytes.fromhex(data["roll_digest"]))
    assert recomputed.hex() == data["fingerprint"] == election.ballot.fingerprint


def test_every_organiser_step_is_on_the_public_audit_log() -> None:
    election = opened(voters=1)
    closed(election)
    simulation.decrypt(election.ballot, election.states, election.rng, trustees=[1, 2])
    counting.publish_result(election.refresh(), by=election.organiser)
    schedule.run_pending_verifications(jobs=1)
    logged = set(AuditEvent.objects.filter(public=True).values_list("action", flat=True))
    assert {"create_ballot", "add_question", "publish_manifest", "finish_key_ceremony",
            "open_ballot", "close_ballot", "publish_result", "verify_record",
            "submit_credential_roll", "submit_trustee_commitment"} <= logged


def test_closing_deletes_every_link_between_members_and_their_trackers() -> None:
    election = opened(voters=2)
    voter, other = election.voters
    cast = simulation.vote(election.ballot, voter, election.code(voter), YES, election.rng)
    simulation.vote(election.ballot, other, election.code(other), YES, election.rng)
    assert VoteReceipt.objects.filter(ballot=election.ballot).count() == 2
    with pytest.raises(RejectedSubmission):  # a refused cast is the attempt that gets a row
        voting.cast_ballot(election.ballot, voter, b'{"election": "00"}')
    assert CastAttempt.objects.filter(ballot=election.ballot, member=voter).exists()
    assert CredentialBinding.objects.filter(ballot=election.ballot).count() == 2
    credential = BoardEntry.objects.get(ballot=election.ballot, index=cast.index).credential
    closed(election)
    assert not VoteReceipt.objects.filter(ballot=election.ballot).exists()
    assert not CastAttempt.objects.filter(ballot=election.ballot).exists()
    assert not CredentialBinding.objects.filter(ballot=election.ballot).exists()
    for model in apps.get_models():
        if any(getattr(field, "related_model", None) is Member for field in model._meta.fields):
            for row in model.objects.values():
                assert cast.tracker not in str(row), model
                assert credential not in str(row), model
                assert BoardEntry.objects.filter(tracker=cast.tracker).get().credential \
                    not in str(row), model
    receipt_page = client_for(voter).get(
        reverse("ballots:receipt", args=[election.ballot.slug])).content.decode()
    assert "no longer keeps which member cast which ballot" in receipt_page
    assert cast.tracker not in receipt_page
    detail = client_for(voter).get(
        reverse("ballots:detail", args=[election.ballot.slug])).content.decode()
    assert "your tracker is in the email we sent you" in detail
    assert cast.tracker not in client_for(voter).get(reverse("ballots:list")).content.decode()


def test_the_board_page_shows_the_count_code_of_the_tally_entry() -> None:
    election = opened(voters=2)
    voter = election.voters[0]
    simulation.vote(election.ballot, voter, election.code(voter), YES, election.rng)
    url = reverse("ballots:board", args=[election.ballot.slug])
    assert "Count code" not in Client().get(url).content.decode()
    closed(election)
    tally = BoardEntry.objects.get(ballot=election.ballot, kind="tally")
    counted = json.loads(tally.line)["body"]["counted"]
    expected = count_code(hashlib.sha256(tally.line.encode()).digest(), counted)
    assert counted == 1
    page = Client().get(url).content.decode()
    assert f'id="board-count-code">{expected}</strong>' in page

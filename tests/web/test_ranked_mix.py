"""The web lifecycle of a ranked ballot after the close: trustees shuffle one after
another (a stale or forged shuffle is refused), the mix ends, trustees decrypt the
shuffled rankings, and the result gains the count, shown round by round."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from omov.ballots import board, mix_state, simulation
from omov.ballots.actions import credentials, drafting, mixing
from omov.ballots.actions.trustee_mail import ask_trustees_of_mixes
from omov.ballots.errors import BallotError, RejectedSubmission, WrongPhase
from omov.ballots.models import Ballot, MixStage, Phase, Trustee
from omov.ballots.ranked_draft import CountDraft
from omov.crypto.canonical import parse_json
from omov.crypto.ranked import cells_from_ranking
from omov.record.verifier import verify_record

from .test_ballots_helpers import Election, drafted

CANDIDATES = ["Ann", "Bo", "Cy", "Di"]
RANKINGS = [[0, 1], [0, 1], [1, 0], [2, 1], [0]]


def ranked_election(*, trustees: int = 3, threshold: int = 2, method: str = "stv",
                    seats: int = 2, rankings: list[list[int]] = RANKINGS) -> Election:
    election = drafted(voters=len(RANKINGS), trustees=trustees, threshold=threshold,
                       kinds=("yes_no",))
    drafting.add_question(
        election.ballot, kind="ranked", text="Elect the committee", case_for="",
        case_against="", options=CANDIDATES, minimum=1, maximum=3, by=election.organiser,
        count=CountDraft(method=method, seats=seats, ties="earlier-rounds-then-lot"))
    drafting.publish_manifest(election.refresh(), by=election.organiser)
    election.states = simulation.key_ceremony(election.refresh(), election.rng,
                                              by=election.organiser)
    assert election.authority_machine is not None
    simulation.issue_credentials(election.refresh(), election.authority_machine, election.rng,
                                 mail=False)
    credentials.open_ballot(election.refresh(), by=election.organiser, now=timezone.now())
    ballot = election.refresh()
    rule = ballot_rule(ballot)
    for voter, ranking in zip(election.voters, rankings, strict=False):
        simulation.vote(ballot, voter, election.code(voter),
                        [[1, 0], list(cells_from_ranking(rule, ranking))], election.rng)
    simulation.close_after(ballot, by=election.organiser)
    election.refresh()
    return election


def ballot_rule(ballot: Ballot):  # type: ignore[no-untyped-def]
    from omov.ballots import state

    return state.manifest(ballot).rules[1]


def trustee(election: Election, index: int) -> Trustee:
    return Trustee.objects.get(ballot=election.ballot, index=index)


def test_the_mix_starts_at_the_close_and_the_first_trustee_is_told_by_email() -> None:
    election = ranked_election()
    assert election.ballot.mix.stage == MixStage.SHUFFLING
    ask_trustees_of_mixes()  # the schedule's round (a request's commit does it at once)
    ask_trustees_of_mixes()
    asked = [m for m in mail.outbox if "Your turn to shuffle" in m.subject]
    assert [m.to for m in asked] == [[election.trustees[0].email]]
    current = mix_state.current_input(election.ballot, mix_state.ranked_questions(
        election.ballot)[0])
    assert len(current.rows) == len(RANKINGS) and len(current.rows[0]) == 3


def test_shuffles_chain_are_verified_and_the_count_is_published(tmp_path: Path) -> None:
    election = ranked_election()
    ballot = election.ballot
    simulation.shuffle(ballot, 1, election.rng)
    ask_trustees_of_mixes()
    assert [m.to for m in mail.outbox if "Your turn to shuffle" in m.subject][-1] == [
        election.trustees[1].email]
    with pytest.raises(BallotError, match="needs"):
        mixing.end_mix(ballot, by=election.organiser)
    simulation.shuffle(ballot, 2, election.rng)
    mixing.end_mix(ballot, by=election.organiser)
    assert election.refresh().mix.stage == MixStage.DECRYPTING
    with pytest.raises(WrongPhase, match="mix has ended"):
        simulation.shuffle(ballot, 3, election.rng)
    ask_trustees_of_mixes()
    assert len([m for m in mail.outbox if "decrypt the rankings" in m.subject]) == 3
    simulation.decrypt(ballot, election.states, election.rng, trustees=[1, 3])
    assert election.refresh().phase == Phase.CLOSED  # the rankings are not decrypted yet
    simulation.decrypt_rankings(ballot, election.states, election.rng, trustees=[1, 3])
    assert election.refresh().phase == Phase.TALLIED
    from omov.ballots.actions import counting

    counting.publish_result(election.refresh(), by=election.organiser)
    (result,) = board.bodies(ballot, "result")
    (count,) = result["counts"]
    assert count["question"] == "q2" and count["decrypted_by"] == [1, 3]
    assert count["count"]["ballots"] == len(RANKINGS)
    assert sorted(count["count"]["elected"]) == [0, 1]  # Ann on 3 firsts, Bo by transfers
    page = election.client(election.voters[0]).get(reverse("ballots:results",
                                                           args=[ballot.slug]))
    text = page.content.decode()
    assert "Round 1: first preferences" in text and "quota 2" in text
    assert "Elected: Ann" in text
    assert 'role="img"' in text and "Round 1" in text
    record = tmp_path / "record.omov.jsonl"
    record.write_bytes(b"".join(board.lines(ballot)))
    report = verify_record(record, jobs=1)
    assert report.ok and report.complete, report.render()


def test_a_shuffle_of_a_stale_input_is_refused_with_a_clear_message() -> None:
    election = ranked_election()
    ballot = election.ballot
    stale = simulation.shuffle_payload(ballot, 2, "q2", election.rng)
    simulation.shuffle(ballot, 1, election.rng)
    with pytest.raises(RejectedSubmission, match=r"no longer the latest \(trustee 1 has "
                       "shuffled it since"):
        mixing.submit_shuffle(ballot, trustee(election, 2), stale)
    assert mix_state.shuffled_by(ballot, "q2") == [1]


def test_a_forged_shuffle_is_refused_and_nothing_is_appended() -> None:
    election = ranked_election()
    ballot = election.ballot
    payload = simulation.shuffle_payload(ballot, 1, "q2", election.rng)
    rows = payload["rows"]
    assert isinstance(rows, list)
    rows[0], rows[1] = rows[1], rows[0]  # swapping two output rows breaks the proof
    before = ballot.board.count()
    with pytest.raises(RejectedSubmission, match="shuffle was rejected"):
        mixing.submit_shuffle(ballot, trustee(election, 1), payload)
    other = simulation.shuffle_payload(ballot, 2, "q2", election.rng)
    with pytest.raises(RejectedSubmission, match="shuffle was rejected"):
        mixing.submit_shuffle(ballot, trustee(election, 1), other)  # made for trustee 2
    assert ballot.board.count() == before


def test_the_mix_ends_by_itself_when_every_qualified_trustee_has_shuffled() -> None:
    election = ranked_election(trustees=2, threshold=2)
    for index in (1, 2):
        simulation.shuffle(election.ballot, index, election.rng)
    assert election.refresh().mix.stage == MixStage.DECRYPTING


def test_a_trustee_shuffles_through_the_page_and_the_input_is_public() -> None:
    election = ranked_election()
    ballot = election.ballot
    anyone = election.client(election.voters[0])
    served = anyone.get(reverse("ballots:mix_input", args=[ballot.slug, "q2"]))
    body = parse_json(served.content)
    assert body["digest"] == mix_state.current_input(
        ballot, mix_state.ranked_questions(ballot)[0]).digest
    page = election.client(election.trustees[0])
    payload = simulation.shuffle_payload(ballot, 1, "q2", election.rng)
    answer = page.post(reverse("ballots:trustee_submit", args=[ballot.slug]),
                       {"step": "shuffle", "body": payload}, content_type="application/json")
    assert answer.status_code == 200, answer.content
    assert "verified and on the board" in answer.json()["message"]
    again = page.post(reverse("ballots:trustee_submit", args=[ballot.slug]),
                      {"step": "shuffle", "body": payload}, content_type="application/json")
    assert again.status_code == 400 and "already shuffled" in again.json()["error"]


def test_the_organiser_ends_the_mix_from_the_ballot_page() -> None:
    election = ranked_election()
    ballot = election.ballot
    organiser = election.client(election.organiser)
    early = organiser.post(reverse("ballots:end_mix", args=[ballot.slug]), follow=True)
    assert "question q2 has 0 of the 2 shuffles it needs" in early.content.decode()
    for index in (1, 2):
        simulation.shuffle(ballot, index, election.rng)
    organiser.post(reverse("ballots:end_mix", args=[ballot.slug]))
    assert election.refresh().mix.stage == MixStage.DECRYPTING
    assert datetime.datetime.now(datetime.UTC) >= election.ballot.mix.ended_at


def test_the_trustee_page_offers_the_shuffle_and_the_organiser_sees_the_mix() -> None:
    election = ranked_election()
    ballot = election.ballot
    url = reverse("ballots:trustee", args=[ballot.slug])
    first = election.client(election.trustees[0]).get(url).content.decode()
    assert "Shuffle the ranked ballots" in first
    assert 'data-mix-question="q2"' in first and "Nobody has shuffled it yet" in first
    assert reverse("ballots:mix_input", args=[ballot.slug, "q2"]) in first
    simulation.shuffle(ballot, 1, election.rng)
    after = election.client(election.trustees[0]).get(url).content.decode()
    assert "You have shuffled this question" in after and 'data-mix-question' not in after
    second = election.client(election.trustees[1]).get(url).content.decode()
    assert "Shuffled so far by trustee 1." in second and 'data-mix-question="q2"' in second
    steps = election.client(election.organiser).get(
        reverse("ballots:detail", args=[ballot.slug])).content.decode()
    assert "Question q2: shuffled by trustee 1." in steps
    assert "It cannot end yet: question q2 has 1 of the 2 shuffles it needs" in steps
    simulation.shuffle(ballot, 2, election.rng)
    mixing.end_mix(ballot, by=election.organiser)
    done = election.client(election.trustees[2]).get(url).content.decode()
    assert "decrypt the shuffled rankings" in done and 'data-mix-question' not in done


def test_a_forged_ranked_decryption_is_refused() -> None:
    election = ranked_election()
    ballot = election.ballot
    for index in (1, 2):
        simulation.shuffle(ballot, index, election.rng)
    mixing.end_mix(ballot, by=election.organiser)
    from omov.ballots import state
    from omov.crypto.dkg import receive_shares
    from omov.record.mix_entries import decrypt_rows, ranked_decryption_bodies

    known = state.commitments(ballot)
    share = receive_shares(election.states[1], known, state.shares(ballot, known),
                           state.joint_key(ballot).qualified)
    rows = mix_state.shuffles(ballot, "q2")[-1][1]
    shares, proofs = decrypt_rows(share, 1, bytes.fromhex(ballot.fingerprint), "q2", rows,
                                  election.rng)
    shares[0][0], shares[1][0] = shares[1][0], shares[0][0]
    with pytest.raises(RejectedSubmission, match="ranked decryption was rejected"):
        mixing.submit_ranked_decryption(ballot, trustee(election, 1),
                                        ranked_decryption_bodies("q2", 1, shares, proofs))
    with pytest.raises(RejectedSubmission, match="not trustee 2's"):
        mixing.submit_ranked_decryption(ballot, trustee(election, 2),
                                        ranked_decryption_bodies("q2", 1, shares, proofs))
    assert mix_state.decrypted_by(ballot, "q2") == []


def test_with_no_counted_ballot_the_mix_ends_at_the_close_and_counts_nobody(
    tmp_path: Path,
) -> None:
    from omov.ballots.actions import counting

    election = ranked_election(rankings=[])
    ballot = election.ballot
    assert ballot.mix.stage == MixStage.DECRYPTING
    ask_trustees_of_mixes()
    assert not [m for m in mail.outbox if "Your turn to shuffle" in m.subject
                or "decrypt the rankings" in m.subject]
    simulation.decrypt(ballot, election.states, election.rng, trustees=[1, 2])
    counting.publish_result(election.refresh(), by=election.organiser)
    (result,) = board.bodies(ballot, "result")
    assert result["counts"][0]["decrypted_by"] == []
    assert result["counts"][0]["count"]["ballots"] == 0
    record = tmp_path / "record.omov.jsonl"
    record.write_bytes(b"".join(board.lines(ballot)))
    report = verify_record(record, jobs=1)
    assert report.ok and report.complete, report.render()

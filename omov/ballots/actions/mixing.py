"""The mix of a closed ballot's ranked questions (protocol 12.1): shuffles, the end of the
mix, ranked decryptions and the counts the result gains.

Each action runs in one transaction with the ballot's row locked, checks the
trustee's public body with the verifier's own functions (verify_shuffle, the
DLEQ proofs) against what is on the board, appends it and writes the audit log.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from omov.audit.log import record
from omov.ballots import board, mix_state, state
from omov.ballots.actions import notices
from omov.ballots.actions.ceremony import locked, rejected
from omov.ballots.actions.trustee_mail import ask_next_to_shuffle, ask_to_decrypt_rankings
from omov.ballots.errors import BallotError, RejectedSubmission, WrongPhase
from omov.ballots.models import Ballot, Mix, MixStage, Phase, Trustee
from omov.crypto.errors import ProtocolError
from omov.crypto.shuffle import ShuffleContext, verify_shuffle
from omov.crypto.shuffle_proof import ShuffleProof, rows_from_json
from omov.members.models import Member
from omov.record.mix_entries import (
    PackedRows,
    RecordError,
    check_ranked_decryption,
    combine_rankings,
    shuffle_bodies,
)
from omov.record.ranked import count_ranked, lot_order

SHUFFLE_JOBS = 1


def has_ranked(ballot: Ballot) -> bool:
    return bool(mix_state.ranked_questions(ballot))


def start_mix(ballot: Ballot) -> Mix | None:
    """At the close: a ballot with a ranked question enters its mix (inside the close).
    With no counted ballot there is nothing to shuffle or decrypt: the mix ends at once."""
    if not has_ranked(ballot):
        return None
    mix, _ = Mix.objects.get_or_create(ballot=ballot)
    if not mix_state.to_shuffle(ballot):
        mix.stage, mix.ended_at = MixStage.DECRYPTING, timezone.now()
        mix.save(update_fields=["stage", "ended_at"])
        record("end_mix", actor=None, subject=ballot, public=True,
               summary=f"No ballot was counted in “{ballot.title}”, so its ranked questions are "
               "not shuffled")
        return mix
    transaction.on_commit(lambda: ask_next_to_shuffle(ballot), robust=True)
    return mix


def _mixing(ballot: Ballot) -> tuple[Ballot, Mix]:
    ballot = locked(ballot, Phase.CLOSED)
    mix = Mix.objects.select_for_update().filter(ballot=ballot).first()
    if mix is None:
        raise WrongPhase("This ballot has no ranked question, so there is nothing to shuffle.")
    return ballot, mix


def _qualified(ballot: Ballot, trustee: Trustee) -> None:
    if trustee.index not in state.joint_key(ballot).qualified:
        raise RejectedSubmission("Only qualified trustees take part in the mix.")


@transaction.atomic
def submit_shuffle(ballot: Ballot, trustee: Trustee, payload: Any) -> int:
    """Appends a trustee's shuffle of one ranked question as `shuffle` entries.

    `payload` is `{"question", "input_digest", "rows", "proof"}`: the output rows and
    the proof (14.5) of a shuffle of the input whose rows digest (14.2) is
    `input_digest`. A shuffle of an input that is no longer the latest is refused
    with a message saying so; every other one is verified before it is appended.
    Returns the number of entries appended.
    """
    ballot, mix = _mixing(ballot)
    if mix.stage != MixStage.SHUFFLING:
        raise WrongPhase("The mix has ended: no more shuffles are taken. Decrypt the shuffled "
                         "rankings instead.")
    _qualified(ballot, trustee)
    if not isinstance(payload, dict) or set(payload) != {"question", "input_digest", "rows",
                                                         "proof"}:
        raise RejectedSubmission("A shuffle holds exactly question, input_digest, rows and "
                                 "proof.", field="shuffle")
    question = mix_state.ranked_question(ballot, payload["question"])
    if question is None:
        raise RejectedSubmission(f"{payload['question']!r} is not a ranked question of this "
                                 "ballot.", field="question")
    current = mix_state.current_input(ballot, question)
    if not current.rows:
        raise RejectedSubmission(f"Question {question.id} has no counted ballot, so it is not "
                                 "shuffled.", field="question")
    if trustee.index in current.after:
        raise RejectedSubmission(f"You have already shuffled question {question.id}; each "
                                 "trustee shuffles a question once.", field="question")
    if payload["input_digest"] != current.digest:
        since = (f"trustee {current.after[-1]} has shuffled it since" if current.after
                 else "it is not the mix input")
        raise RejectedSubmission(
            f"Your shuffle of question {question.id} was made from an input that is no longer "
            f"the latest ({since}). Nothing was appended: fetch the current input and "
            "shuffle again.", field="input_digest")
    try:
        output = rows_from_json(payload["rows"], "rows")
        proof = ShuffleProof.from_json(payload["proof"], "proof")
        verify_shuffle(state.joint_key(ballot).public_key, current.rows, output, proof,
                       ShuffleContext(bytes.fromhex(ballot.fingerprint), question.id,
                                      trustee.index), jobs=SHUFFLE_JOBS)
    except ProtocolError as error:
        raise rejected(error, "shuffle") from error
    except RecordError as error:
        raise RejectedSubmission(f"The shuffle was rejected: {error}") from error
    bodies = shuffle_bodies(question.id, trustee.index, output, proof)
    board.append_many(ballot, [board.NewEntry("shuffle", body) for body in bodies])
    record("submit_shuffle", actor=trustee.member, subject=ballot, public=True,
           summary=f"Trustee {trustee.index} shuffled question {question.id} of "
           f"“{ballot.title}” ({len(output):,} rows)")
    if _every_qualified_shuffled(ballot):
        _end(ballot, mix, by=None, now=timezone.now(), why="every qualified trustee shuffled")
    else:
        transaction.on_commit(lambda: ask_next_to_shuffle(ballot), robust=True)
    return len(bodies)


def _every_qualified_shuffled(ballot: Ballot) -> bool:
    qualified = set(state.joint_key(ballot).qualified)
    return all(qualified <= set(mix_state.shuffled_by(ballot, q.id))
               for q in mix_state.to_shuffle(ballot))


def short_of_shuffles(ballot: Ballot) -> list[str]:
    """Why the mix may not end yet: each ranked question with fewer than k shuffles."""
    return [f"question {q.id} has {len(mix_state.shuffled_by(ballot, q.id))} of the "
            f"{ballot.threshold} shuffles it needs"
            for q in mix_state.to_shuffle(ballot)
            if len(mix_state.shuffled_by(ballot, q.id)) < ballot.threshold]


def _end(ballot: Ballot, mix: Mix, *, by: Member | None, now: datetime.datetime,
         why: str) -> None:
    mix.stage, mix.ended_at, mix.ended_by = MixStage.DECRYPTING, now, by
    mix.save(update_fields=["stage", "ended_at", "ended_by"])
    record("end_mix", actor=by, subject=ballot, public=True,
           summary=f"The mix of “{ballot.title}” ended ({why}); the trustees now decrypt the "
           "shuffled rankings")
    mark_ready(ballot)
    transaction.on_commit(lambda: ask_to_decrypt_rankings(ballot), robust=True)


@transaction.atomic
def end_mix(ballot: Ballot, *, by: Member) -> Ballot:
    """The organiser ends the mix once each ranked question has at least k shuffles."""
    ballot, mix = _mixing(ballot)
    if mix.stage != MixStage.SHUFFLING:
        raise WrongPhase("The mix has already ended.")
    short = short_of_shuffles(ballot)
    if short:
        raise BallotError("The mix cannot end yet: " + "; ".join(short) + ".")
    _end(ballot, mix, by=by, now=timezone.now(), why=f"ended by {by.name}")
    return ballot


def _last_output(ballot: Ballot, question_id: str) -> PackedRows | None:
    done = mix_state.shuffles(ballot, question_id)
    return done[-1][1] if done else None


@transaction.atomic
def submit_ranked_decryption(ballot: Ballot, trustee: Trustee, bodies: Any) -> int:
    """Appends a trustee's `ranked_decryption` of one question (its parts, in order),
    after checking every proof against the last shuffle's output and the trustee's
    verification key. Returns the number of entries appended."""
    ballot, mix = _mixing(ballot)
    if mix.stage != MixStage.DECRYPTING:
        raise WrongPhase("The mix has not ended yet: the shuffled rankings are decrypted once "
                         "the last shuffle is on the board.")
    _qualified(ballot, trustee)
    if isinstance(bodies, dict):
        bodies = [bodies]
    if not isinstance(bodies, list) or not bodies or not isinstance(bodies[0], dict):
        raise RejectedSubmission("Send the list of ranked_decryption parts of one question.",
                                 field="ranked_decryption")
    if bodies[0].get("trustee") != trustee.index:
        raise RejectedSubmission(f"This is not trustee {trustee.index}'s ranked decryption.",
                                 field="trustee")
    question = mix_state.ranked_question(ballot, bodies[0].get("question"))
    if question is None:
        raise RejectedSubmission("That is not a ranked question of this ballot.",
                                 field="question")
    if trustee.index in mix_state.decrypted_by(ballot, question.id):
        raise RejectedSubmission(f"Your ranked decryption of question {question.id} is "
                                 "already on the board.", field="question")
    rows = _last_output(ballot, question.id)
    if rows is None:
        raise RejectedSubmission(f"Question {question.id} was not shuffled (no counted "
                                 "ballot), so there is nothing to decrypt.", field="question")
    try:
        check_ranked_decryption(bytes.fromhex(ballot.fingerprint), question.id, bodies, rows,
                                state.trustee_verification_key(ballot, trustee.index))
    except ProtocolError as error:
        raise rejected(error, "ranked decryption") from error
    except RecordError as error:
        raise RejectedSubmission(f"The ranked decryption was rejected: {error}") from error
    board.append_many(ballot, [board.NewEntry("ranked_decryption", body) for body in bodies])
    record("submit_ranked_decryption", actor=trustee.member, subject=ballot, public=True,
           summary=f"Trustee {trustee.index} decrypted the shuffled rankings of question "
           f"{question.id} of “{ballot.title}”")
    mark_ready(ballot)
    return len(bodies)


def rankings_decrypted(ballot: Ballot) -> bool:
    """Whether every shuffled ranked question has at least k ranked decryptions."""
    mix = Mix.objects.filter(ballot=ballot).first()
    if mix is None:
        return True
    if mix.stage != MixStage.DECRYPTING:
        return False
    return all(len(mix_state.decrypted_by(ballot, q.id)) >= ballot.threshold
               for q in mix_state.to_shuffle(ballot))


def mark_ready(ballot: Ballot) -> None:
    """The ballot is tallied once the totals and the rankings can both be decrypted."""
    partials = len(board.bodies(ballot, "partial_decryption"))
    if ballot.phase == Phase.CLOSED and partials >= ballot.threshold and rankings_decrypted(
            ballot):
        ballot.phase = Phase.TALLIED
        ballot.save(update_fields=["phase"])
        notices.tell_organisers_decrypted(ballot)


def counts(ballot: Ballot) -> list[dict[str, Any]]:
    """The result's `counts` member: each ranked question's count of its decrypted rankings."""
    found = []
    manifest = state.manifest(ballot)
    for question in mix_state.ranked_questions(ballot):
        rows = _last_output(ballot, question.id)
        shares: dict[int, bytes] = {}
        rankings: list[list[int]] = []
        if rows is not None:
            for index in mix_state.decrypted_by(ballot, question.id):
                parts = [body for body in board.bodies(ballot, "ranked_decryption")
                         if body["question"] == question.id and body["trustee"] == index]
                _, shares[index] = check_ranked_decryption(
                    bytes.fromhex(ballot.fingerprint), question.id, parts, rows,
                    state.trustee_verification_key(ballot, index))
            rankings = combine_rankings(manifest.rules[question.number], rows, shares)
        by = sorted(shares)
        order = lot_order(manifest.digest, question.id, len(question.options))
        result = count_ranked(question.count, question.options, rankings, order)
        found.append({"question": question.id, "decrypted_by": by, "count": result.to_json()})
    return found

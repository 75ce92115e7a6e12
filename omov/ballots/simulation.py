"""Plays the people outside the server, for the demo and the tests only.

In a real election the credential authority runs on its own machine and each
trustee in their own browser or with `omov trustee`; their secrets never
reach the server. Here one process plays them all with the Python protocol
API, then hands only the public bodies to the same actions the web pages
call. Nothing in the production path imports this module.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils import timezone

from omov.ballots import state
from omov.ballots.actions import ceremony, counting, credentials, drafting, voting
from omov.ballots.actions.voting import Cast
from omov.ballots.models import Ballot, Trustee
from omov.crypto.ballot import PreparedBallot, encrypt_ballot
from omov.crypto.canonical import canonical_json
from omov.crypto.credentials import credential_secret, new_code, public_credential, sign_roll
from omov.crypto.decryption import partial_decrypt
from omov.crypto.dkg import commit, deal_shares, receive_shares
from omov.crypto.dkg_messages import TrusteeState
from omov.crypto.group import Scalar, base_mult
from omov.crypto.transcript import Rng
from omov.members.models import Member
from omov.members.notices import time_for
from omov.web.mail import absolute_url, send_email


@dataclass
class SimulatedAuthority:
    """The credential authority's machine: its secret key and the codes it made."""

    secret: Scalar
    codes: dict[int, str] = field(default_factory=dict)


def authority_key(ballot: Ballot, rng: Rng) -> SimulatedAuthority:
    """The authority makes its key pair and gives the server only the public key."""
    authority = SimulatedAuthority(rng.scalar())
    drafting.set_authority_key(ballot, base_mult(authority.secret).hex(), by=ballot.authority)
    return authority


def key_ceremony(ballot: Ballot, rng: Rng, *, by: Member) -> dict[int, TrusteeState]:
    """Every trustee commits, deals and checks shares; then the joint key is fixed."""
    digest = state.manifest_digest(ballot)
    trustees = list(ballot.trustees.order_by("index"))
    states: dict[int, TrusteeState] = {}
    for trustee in trustees:
        states[trustee.index], body = commit(digest, trustee.index, ballot.threshold, rng)
        ceremony.submit_commitment(ballot, trustee, body)
    known = state.commitments(ballot)
    for trustee in trustees:
        ceremony.submit_shares(ballot, trustee, deal_shares(states[trustee.index], known, rng))
    for trustee in trustees:
        ceremony.confirm_shares(ballot, trustee)
    credentials.finish_key_ceremony(ballot, by=by)
    return states


def issue_credentials(
    ballot: Ballot, authority: SimulatedAuthority, rng: Rng, *, mail: bool
) -> dict[int, str]:
    """The authority makes a code per elector and uploads only the signed public roll.

    With `mail`, each member gets their code through Django's email backend
    (the demo's stand-in for `omov credentials mail` on the authority's machine).
    Returns member id → code, which only the simulation keeps.
    """
    digest = state.manifest_digest(ballot)
    electors = list(ballot.electors.select_related("member"))
    codes = {elector.member_id: new_code() for elector in electors}
    public = [public_credential(credential_secret(digest, code)) for code in codes.values()]
    roll = sign_roll(digest, authority.secret, public, rng)
    credentials.submit_roll(ballot, roll, by=ballot.authority)
    if mail:
        booth = absolute_url(reverse("ballots:booth", args=[ballot.slug]))
        for elector in electors:
            closes = time_for(elector.member, ballot.closes_at)
            send_email(
                elector.member.email,
                f"Your voting code for “{ballot.title}”",
                f"Hello {elector.member.name},\n\nYour voting code for “{ballot.title}” is:\n\n"
                f"    {codes[elector.member_id]}\n\nVoting closes {closes}. Vote in the "
                f"booth:\n\n    {booth}\n\nYou type the code in the booth; it never leaves "
                "your browser. Keep it private.\n\n— the credential authority\n",
            )
    authority.codes = codes
    return codes


def prepare(ballot: Ballot, code: str, selections: Sequence[Sequence[int]], rng: Rng) -> (
    PreparedBallot
):
    """What the member's browser does: encrypt, prove and sign a ballot."""
    secret = credential_secret(state.manifest_digest(ballot), code)
    return encrypt_ballot(state.election_context(ballot), secret, selections, rng)


def vote(
    ballot: Ballot,
    member: Member,
    code: str,
    selections: Sequence[Sequence[int]],
    rng: Rng,
    *,
    now: datetime.datetime | None = None,
) -> Cast:
    prepared = prepare(ballot, code, selections, rng)
    return voting.cast_ballot(ballot, member, canonical_json(prepared.ballot), now=now)


def decrypt(
    ballot: Ballot, states: dict[int, TrusteeState], rng: Rng, *, trustees: Sequence[int]
) -> None:
    """The named trustees each publish a partial decryption of the tally."""
    known = state.commitments(ballot)
    dealt = state.shares(ballot, known)
    members = state.joint_key(ballot).qualified
    _, tally = state.tally(ballot)
    for index in trustees:
        share = receive_shares(states[index], known, dealt, members)
        body = partial_decrypt(share, index, bytes.fromhex(ballot.fingerprint), tally, rng)
        counting.submit_partial_decryption(ballot, Trustee.objects.get(ballot=ballot, index=index),
                                           body)


def close_after(ballot: Ballot, *, by: Member | None) -> Ballot:
    """Closes a ballot at its closing time (the simulation's clock jumps to it)."""
    moment = max(ballot.closes_at, timezone.now())
    return counting.close_ballot(ballot, by=by, now=moment + datetime.timedelta(seconds=1))


def shuffle_payload(ballot: Ballot, index: int, question_id: str, rng: Rng) -> dict[str, object]:
    """What trustee `index`'s page or `omov trustee shuffle` sends: a shuffle of the
    question's current input with its proof."""
    from omov.ballots import mix_state
    from omov.crypto.shuffle import ShuffleContext, prove_shuffle, shuffle_rows
    from omov.record.mix_entries import rows_json

    question = mix_state.ranked_question(ballot, question_id)
    assert question is not None
    current = mix_state.current_input(ballot, question)
    key = state.joint_key(ballot).public_key
    output, permutation, randomness = shuffle_rows(key, current.rows, rng)
    proof = prove_shuffle(key, current.rows, output, permutation, randomness,
                          ShuffleContext(bytes.fromhex(ballot.fingerprint), question_id, index),
                          rng)
    return {"question": question_id, "input_digest": current.digest,
            "rows": rows_json(output), "proof": proof.to_json()}


def shuffle(ballot: Ballot, index: int, rng: Rng) -> None:
    """Trustee `index` shuffles every ranked question that has rows to shuffle."""
    from omov.ballots import mix_state
    from omov.ballots.actions import mixing

    trustee = Trustee.objects.get(ballot=ballot, index=index)
    for question in mix_state.ranked_questions(ballot):
        if mix_state.current_input(ballot, question).rows:
            mixing.submit_shuffle(ballot, trustee,
                                  shuffle_payload(ballot, index, question.id, rng))


def decrypt_rankings(
    ballot: Ballot, states: dict[int, TrusteeState], rng: Rng, *, trustees: Sequence[int]
) -> None:
    """The named trustees each decrypt the last shuffle's output of every ranked question."""
    from omov.ballots import mix_state
    from omov.ballots.actions import mixing
    from omov.record.mix_entries import decrypt_rows, ranked_decryption_bodies

    known = state.commitments(ballot)
    dealt = state.shares(ballot, known)
    members = state.joint_key(ballot).qualified
    for index in trustees:
        share = receive_shares(states[index], known, dealt, members)
        for question in mix_state.ranked_questions(ballot):
            done = mix_state.shuffles(ballot, question.id)
            if not done:
                continue
            rows = done[-1][1]
            shares, proofs = decrypt_rows(share, index, bytes.fromhex(ballot.fingerprint),
                                          question.id, rows, rng)
            mixing.submit_ranked_decryption(
                ballot, Trustee.objects.get(ballot=ballot, index=index),
                ranked_decryption_bodies(question.id, index, shares, proofs))

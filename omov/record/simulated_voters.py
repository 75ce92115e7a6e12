"""Simulated voters, run in worker processes: codes, credentials and ballots.

Every secret of voter v derives from the simulation's master secret and v,
so a worker can recreate any voter's code without it being sent around.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from omov.crypto.ballot import ElectionContext, encrypt_ballot
from omov.crypto.canonical import canonical_json
from omov.crypto.credentials import credential_secret, new_code, public_credential
from omov.crypto.elgamal import Ciphertext
from omov.crypto.group import L, Scalar
from omov.crypto.questions import QuestionRule
from omov.crypto.ranked import cells_from_ranking, ranked_rows, ranking_from_cells
from omov.crypto.transcript import Rng, SystemRng, TestRng
from omov.record.mix_rows import PackedRows


@dataclass(frozen=True)
class VoterSetup:
    """What every worker simulates voters from.

    `master` is the secret every voter's code and choices derive from;
    `seeded` makes encryption deterministic (test generator); `context` is
    None while only credentials are being made.
    """

    master: bytes
    seeded: bool
    manifest_digest: bytes
    context: ElectionContext | None
    revote_rate: float
    audit_rate: float


@dataclass(frozen=True)
class VotedChunk:
    """A chunk of voters' board entries in order, and the plain sums of what counts.

    `randomness` and `values` are, per encrypted option (flat, questions then
    options), the sums mod L of the encryption randomness and of the values
    of the counted ballots: their encryption is the homomorphic sum of those
    ballots' choices. `plain` holds all m totals per question.
    """

    entries: list[tuple[str, bytes]]
    counted: int
    randomness: list[int]
    values: list[int]
    plain: list[list[int]]
    mix_rows: list[bytes] = field(default_factory=list)
    """Per ranked question, the counted ballots' rows (5.2) in board order, packed."""
    rankings: list[list[tuple[int, ...]]] = field(default_factory=list)
    """Per ranked question, the counted ballots' rankings (in the same order)."""


_setup: VoterSetup | None = None


def install(setup: VoterSetup) -> None:
    """Give this process the simulation to work on (a pool initializer)."""
    global _setup
    _setup = setup


def derive(master: bytes, purpose: str, number: int) -> bytes:
    """A 32-byte secret for `purpose` and voter `number`, from the master secret."""
    return hashlib.sha256(master + purpose.encode() + number.to_bytes(8, "big")).digest()


def voter_code(master: bytes, voter: int) -> str:
    """Voter `voter`'s credential code."""
    return new_code(derive(master, "code", voter))


def credentials_chunk(voters: range) -> list[bytes]:
    """The public credentials (encoded) of a range of voters."""
    assert _setup is not None
    setup = _setup
    return [
        public_credential(credential_secret(setup.manifest_digest, voter_code(setup.master, v)))
        .to_bytes()
        for v in voters
    ]


def random_selections(rules: Sequence[QuestionRule], chooser: random.Random) -> list[list[int]]:
    """A valid choice for every question: between min and max options, at random
    (for a ranked question, min to max candidates in a random order, as cells)."""
    selections = []
    for rule in rules:
        count = chooser.randint(rule.min, rule.max)
        if rule.ranked:
            ranking = chooser.sample(range(rule.options), count)
            selections.append(list(cells_from_ranking(rule, ranking)))
            continue
        chosen = set(chooser.sample(range(rule.options), count))
        selections.append([1 if o in chosen else 0 for o in range(rule.options)])
    return selections


def vote_chunk(voters: range) -> VotedChunk:
    """Each voter may audit a ballot, then casts one; a few cast again at the end."""
    assert _setup is not None and _setup.context is not None
    setup, context = _setup, _setup.context
    width = sum(rule.encrypted_count for rule in context.rules)
    entries: list[tuple[str, bytes]] = []
    last: dict[int, tuple[list[list[int]], tuple[tuple[Scalar, ...], ...]]] = {}
    counted_ballot: dict[int, tuple[int, dict[str, Any]]] = {}
    revoters = []
    for voter in voters:
        chooser = random.Random(derive(setup.master, "choices", voter))
        rng = _voter_rng(setup, voter)
        secret = credential_secret(setup.manifest_digest, voter_code(setup.master, voter))
        if chooser.random() < setup.audit_rate:
            audited = encrypt_ballot(context, secret, random_selections(context.rules, chooser),
                                     rng)
            entries.append(("audited_ballot", canonical_json(audited.audit_reveal())))
        selections = random_selections(context.rules, chooser)
        prepared = encrypt_ballot(context, secret, selections, rng)
        entries.append(("ballot", canonical_json(prepared.ballot)))
        last[voter] = (selections, prepared.randomness)
        counted_ballot[voter] = (len(entries), prepared.ballot)
        if chooser.random() < setup.revote_rate:
            revoters.append((voter, secret, chooser, rng))
    for voter, secret, chooser, rng in revoters:
        selections = random_selections(context.rules, chooser)
        prepared = encrypt_ballot(context, secret, selections, rng)
        entries.append(("ballot", canonical_json(prepared.ballot)))
        last[voter] = (selections, prepared.randomness)
        counted_ballot[voter] = (len(entries), prepared.ballot)
    randomness = [0] * width
    values = [0] * width
    plain = [plain_row(rule) for rule in context.rules]
    for selections, drawn in last.values():
        flat = 0
        for q, rule in enumerate(context.rules):
            for o in range(rule.encrypted_count):
                randomness[flat] = (randomness[flat] + drawn[q][o].value) % L
                values[flat] += selections[q][o]
                flat += 1
            if not rule.ranked:
                for o, value in enumerate(selections[q]):
                    plain[q][o] += value
    in_order = sorted(counted_ballot.items(), key=lambda item: item[1][0])
    mix_rows, rankings = [], []
    for q, rule in enumerate(context.rules):
        if rule.ranked:
            mix_rows.append(PackedRows.of(
                [ranked_rows(rule, [Ciphertext.from_json(c) for c in
                                    ballot["answers"][q]["choices"]])
                 for _, (_, ballot) in in_order], rule.max).data)
            rankings.append([tuple(ranking_from_cells(rule, last[voter][0][q]))
                             for voter, _ in in_order])
    return VotedChunk(entries, len(last), randomness, values, plain, mix_rows, rankings)


def plain_row(rule: QuestionRule) -> list[int]:
    """A question's totals before any ballot: one per option, none for a ranked
    question (its tally row is empty, 9.1)."""
    return [] if rule.ranked else [0] * rule.options


def _voter_rng(setup: VoterSetup, voter: int) -> Rng:
    if setup.seeded:
        return TestRng(derive(setup.master, "ballot", voter))
    return SystemRng()

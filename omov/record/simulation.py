"""A complete simulated election record: DKG, roll, ballots, tally, decryption, result.

Voters are simulated in chunks by worker processes (`simulated_voters`),
which send their ballots back in order; the main process chains them onto
the board, so a million ballots never sit in memory at once. With a seed the
record is reproducible (the test generator of section 2.5, never used in
production).
"""

from __future__ import annotations

import datetime
import hashlib
import multiprocessing
import os
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from omov.crypto.ballot import ElectionContext, fingerprint
from omov.crypto.decryption import PartialDecryption, partial_decrypt
from omov.crypto.dkg import (
    check_commitment,
    check_shares,
    commit,
    deal_shares,
    qualified,
    receive_shares,
)
from omov.crypto.elgamal import Ciphertext, encrypt
from omov.crypto.group import L, Point, Scalar, base_mult
from omov.crypto.shuffle import ShuffleContext, prove_shuffle, shuffle_rows
from omov.crypto.threshold import joint_key
from omov.crypto.transcript import Rng, SystemRng, TestRng
from omov.record import simulated_voters
from omov.record.board import entry_time
from omov.record.election import (
    close_body,
    open_body,
    result_body,
    tally_body,
    tally_from_sums,
)
from omov.record.manifest import Manifest, parse_manifest
from omov.record.mix import (
    MAX_PART_BYTES,
    combine_rankings,
    decrypt_rows,
    decryption_row_bytes,
    iter_shuffle_bodies,
    part_ranges,
    ranked_decryption_body,
)
from omov.record.mix_rows import PackedRows
from omov.record.ranked import count_ranked, lot_order
from omov.record.roll_stream import signed_roll, sorted_credentials
from omov.record.simulated_manifest import PREVIEW_SETS, simulated_manifest
from omov.record.simulated_voters import VoterSetup
from omov.record.writer import RecordWriter

CHUNK_VOTERS = 64
Progress = Callable[[str, int, int], None]

SETUP_FROM = datetime.datetime(2026, 12, 1, 8, 0, tzinfo=datetime.UTC)
OPENS_AT = datetime.datetime(2026, 12, 1, 9, 0, tzinfo=datetime.UTC)
CLOSES_AT = datetime.datetime(2026, 12, 2, 21, 0, tzinfo=datetime.UTC)
"""The simulated manifest's `opens_at` and `closes_at`, where voting opens and closes."""
BALLOT_STEP = datetime.timedelta(microseconds=100)
"""Simulated time between two voting entries: a billion fit in the 36 hours of voting."""


class SimulatedClock:
    """Entry times (10.1) for a simulated record: from a start, one step per entry,
    so that a seeded record is the same byte for byte on every run."""

    def __init__(self, start: datetime.datetime, step: datetime.timedelta) -> None:
        self.restart(start, step)

    def restart(self, start: datetime.datetime, step: datetime.timedelta) -> None:
        """Go on from `start`, `step` apart (the writer never goes backwards)."""
        self.moment, self.step = start, step

    def __call__(self) -> str:
        stamp = entry_time(self.moment)
        self.moment += self.step
        return stamp


@dataclass(frozen=True)
class SimulationPlan:
    """What to simulate: sizes, the question set ("yes_no" or "mixed"), rates, seed."""

    voters: int
    trustees: int = 3
    threshold: int = 2
    questions: str = "yes_no"
    seed: bytes | None = None
    revote_rate: float = 0.05
    audit_rate: float = 0.01
    mix_part_bytes: int = MAX_PART_BYTES
    """How big a part of a shuffle or ranked decryption may be (16.2); tests make it
    small to have many parts."""


@dataclass(frozen=True)
class SimulationSummary:
    """What the simulated record holds."""

    entries: int
    ballots: int
    audited: int
    counted: int
    totals: list[list[int]]


def simulate(path: str | Path, plan: SimulationPlan, jobs: int = 1,
             progress: Progress | None = None) -> SimulationSummary:
    """Write a complete, valid record of `plan` to `path`; return what it holds.

    `jobs` processes simulate voters; `progress(stage, done, total)` is
    called as credentials and ballots are made.
    """
    if plan.seed is not None:
        master = master_secret(plan.seed)
        rng: Rng = TestRng(master)
    else:
        master, rng = os.urandom(32), SystemRng()
    authority_secret = rng.scalar()
    manifest = parse_manifest(simulated_manifest(
        plan.questions, plan.trustees, plan.threshold, base_mult(authority_secret)))
    setup = VoterSetup(master, plan.seed is not None, manifest.digest, None,
                       plan.revote_rate, plan.audit_rate)
    clock = SimulatedClock(SETUP_FROM, datetime.timedelta(seconds=1))
    with RecordWriter(path, clock) as writer:
        writer.append("manifest", manifest.body)
        shares, public_key = _key_generation(writer, manifest, rng)
        credentials = _credentials(setup, jobs, plan.voters, progress)
        digest, body = signed_roll(manifest.digest, authority_secret, credentials, rng)
        writer.append_pieces("credential_roll", body)
        election = fingerprint(manifest.digest, public_key, digest)
        del credentials  # a million credentials need not stay in memory while voters vote
        clock.restart(OPENS_AT, BALLOT_STEP)
        writer.append("open", open_body(election, "2026-12-01T09:00:00Z"))
        context = ElectionContext(election, public_key, manifest.rules)
        voting = VoterSetup(master, plan.seed is not None, manifest.digest, context,
                            plan.revote_rate, plan.audit_rate)
        board = _Ballots(context)
        with _pool(jobs, voting) as pool:
            for voted in pool.imap(simulated_voters.vote_chunk, _chunks(plan.voters)):
                board.add(writer, voted)
                if progress is not None:
                    progress("ballots", board.voters, plan.voters)
        if writer.time >= entry_time(CLOSES_AT):
            raise ValueError("too many ballots to stamp inside the simulated voting time")
        clock.restart(CLOSES_AT, datetime.timedelta(seconds=1))
        mix = plan.questions not in PREVIEW_SETS
        return _close_and_count(writer, manifest, context, shares, board, rng,
                                (jobs, plan.mix_part_bytes) if mix else None, progress)


def _credentials(setup: VoterSetup, jobs: int, voters: int,
                 progress: Progress | None) -> bytes:
    """Every voter's public credential, made in worker processes, sorted as on the roll:
    32 bytes each, never a Python object per credential."""
    encodings = bytearray()
    with _pool(jobs, setup) as pool:
        for chunk in pool.imap(simulated_voters.credentials_chunk, _chunks(voters)):
            # Computed by libsodium in the workers, so already valid encodings.
            encodings += b"".join(chunk)
            if progress is not None:
                progress("credentials", len(encodings) // 32, voters)
    return sorted_credentials(bytes(encodings))


def master_secret(seed: bytes) -> bytes:
    """The secret a seeded simulation derives every voter's code and choices from."""
    return hashlib.sha256(b"omov-simulation" + seed).digest()


class _Ballots:
    """The ballots written so far and the plain sums of what counts."""

    def __init__(self, context: ElectionContext) -> None:
        width = sum(rule.encrypted_count for rule in context.rules)
        self.context = context
        self.counts = {"ballot": 0, "audited_ballot": 0}
        self.voters = 0
        self.randomness = [0] * width
        self.values = [0] * width
        self.plain = [simulated_voters.plain_row(rule) for rule in context.rules]
        ranked = sum(rule.ranked for rule in context.rules)
        self.mix_rows = [bytearray() for _ in range(ranked)]
        self.rankings: list[Counter[tuple[int, ...]]] = [Counter() for _ in range(ranked)]

    def add(self, writer: RecordWriter, voted: simulated_voters.VotedChunk) -> None:
        for kind, body in voted.entries:
            writer.append_canonical(kind, body)
            self.counts[kind] += 1
        self.voters += voted.counted
        for n, (r, v) in enumerate(zip(voted.randomness, voted.values, strict=True)):
            self.randomness[n] = (self.randomness[n] + r) % L
            self.values[n] += v
        for q, row in enumerate(voted.plain):
            for o, value in enumerate(row):
                self.plain[q][o] += value
        for r, rows in enumerate(voted.mix_rows):
            self.mix_rows[r] += rows
            self.rankings[r].update(voted.rankings[r])

    def sums(self) -> list[Ciphertext]:
        """The homomorphic sum of the counted choices: Enc(Σv; Σr) per option."""
        key = self.context.public_key
        return [encrypt(key, v, Scalar.from_int(r))
                for r, v in zip(self.randomness, self.values, strict=True)]


def _pool(jobs: int, setup: VoterSetup) -> Any:
    if jobs <= 1:
        simulated_voters.install(setup)
        return _InlinePool()
    return multiprocessing.get_context("fork").Pool(jobs, simulated_voters.install, (setup,))


class _InlinePool:
    """A pool's `imap`, run in this process (one job, and tests)."""

    def imap(self, function: Callable[[Any], Any], items: Any) -> Iterator[Any]:
        return map(function, items)

    def __enter__(self) -> _InlinePool:
        return self

    def __exit__(self, *exc: object) -> None:
        return None


def _chunks(voters: int) -> Iterator[range]:
    for start in range(0, voters, CHUNK_VOTERS):
        yield range(start, min(start + CHUNK_VOTERS, voters))


def _key_generation(writer: RecordWriter, manifest: Manifest,
                    rng: Rng) -> tuple[dict[int, Scalar], Point]:
    """Run the DKG of section 8 for every trustee; return their final shares and Y."""
    n, k, digest_ = len(manifest.trustees), manifest.threshold, manifest.digest
    states = {}
    commitments = {}
    for index in manifest.trustees:
        states[index], body = commit(digest_, index, k, rng)
        writer.append("trustee_commitment", body)
        commitments[index] = check_commitment(digest_, body, n, k)
    dealt = {}
    for index in manifest.trustees:
        body = deal_shares(states[index], commitments, rng)
        writer.append("trustee_shares", body)
        dealt[index] = check_shares(digest_, body, commitments)
    members = qualified(commitments, dealt, (), k)
    public_key = joint_key({i: commitments[i].commitments for i in members}, members)
    writer.append("joint_key", {"qualified": list(members), "public_key": public_key.hex()})
    shares = {i: receive_shares(states[i], commitments, dealt, members) for i in members}
    return shares, public_key


def _close_and_count(writer: RecordWriter, manifest: Manifest, context: ElectionContext,
                     shares: dict[int, Scalar], board: _Ballots, rng: Rng,
                     mix: tuple[int, int] | None, progress: Progress | None
                     ) -> SimulationSummary:
    """Close, tally, decrypt; with `mix` (processes, part size), mix and count the
    ranked questions too (16), else stop them at the tally (a preview set)."""
    writer.append("close", close_body("2026-12-02T21:00:00Z", board.counts["ballot"]))
    counted = board.voters
    tally = tally_from_sums(manifest.rules, board.sums(), counted)
    writer.append("tally", tally_body(counted, tally))
    partials = {}
    for index in sorted(shares)[: manifest.threshold]:
        body = partial_decrypt(shares[index], index, context.fingerprint, tally, rng)
        writer.append("partial_decryption", body)
        partials[index] = PartialDecryption.from_json(body, tally)
    result = result_body(manifest.rules, tally, partials, manifest.threshold, counted)
    if result["totals"] != board.plain:
        raise AssertionError(f"decrypted {result['totals']}, but the votes were {board.plain}")
    if mix is not None and board.mix_rows:
        result["counts"] = _mix(writer, manifest, context, shares, board, rng, mix, progress)
    writer.append("result", result)
    return SimulationSummary(writer.next_index, board.counts["ballot"],
                             board.counts["audited_ballot"], counted, board.plain)


def _mix(writer: RecordWriter, manifest: Manifest, context: ElectionContext,
         shares: dict[int, Scalar], board: _Ballots, rng: Rng, mix: tuple[int, int],
         progress: Progress | None) -> list[dict[str, Any]]:
    """Every qualified trustee shuffles each ranked question in turn, the first k
    decrypt the last output, and the rankings are counted (16); the result's counts."""
    ranked = [q for q in manifest.questions if q.kind == "ranked"]
    jobs = mix[0]
    counts = []
    for question, packed, expected in zip(ranked, board.mix_rows, board.rankings, strict=True):
        rule, options = question.rule, list(question.options)
        decrypted: dict[int, bytes] = {}
        rankings: list[list[int]] = []
        if packed:
            rows = _shuffles(writer, context, question.id, PackedRows(bytes(packed), rule.max),
                             sorted(shares), rng, mix, progress)
            for trustee in sorted(shares)[:manifest.threshold]:
                decrypted[trustee] = _ranked_decryption(writer, context, question.id, trustee,
                                                        shares[trustee], rows, rng, mix)
            rankings = combine_rankings(rule, rows, decrypted, jobs)
        if Counter(map(tuple, rankings)) != expected:
            raise AssertionError(f"question {question.id}: the mix decrypted other rankings "
                                 "than the votes")
        count = count_ranked(question.count or {}, options, rankings,
                             lot_order(manifest.digest, question.id, len(options)))
        counts.append({"question": question.id, "decrypted_by": sorted(decrypted),
                       "count": count.to_json()})
    return counts


def _shuffles(writer: RecordWriter, context: ElectionContext, question: str, rows: PackedRows,
              trustees: list[int], rng: Rng, mix: tuple[int, int], progress: Progress | None
              ) -> PackedRows:
    """Each trustee in turn shuffles the previous output (the mix input first)."""
    key = context.public_key
    jobs, part_bytes = mix
    for done, trustee in enumerate(trustees):
        if progress is not None:
            progress(f"shuffles of {question}", done, len(trustees))
        out, permutation, randomness = shuffle_rows(key, rows, rng, jobs)
        proof = prove_shuffle(key, rows, out, permutation, randomness,
                              ShuffleContext(context.fingerprint, question, trustee), rng, jobs)
        rows = PackedRows.of(out, rows.width)
        del out, randomness
        for body in iter_shuffle_bodies(question, trustee, rows, proof, part_bytes):
            writer.append("shuffle", body)
    return rows


def _ranked_decryption(writer: RecordWriter, context: ElectionContext, question: str,
                       trustee: int, share: Scalar, rows: PackedRows, rng: Rng,
                       mix: tuple[int, int]) -> bytes:
    """Trustee `trustee`'s ranked decryption of `rows`, part by part; its shares packed."""
    jobs, part_bytes = mix
    ranges = part_ranges(len(rows), decryption_row_bytes(rows.width), part_bytes)
    collected = bytearray()
    for part, (start, end) in enumerate(ranges):
        made, proofs = decrypt_rows(share, trustee, context.fingerprint, question,
                                    rows[start:end], rng, first_row=start, jobs=jobs)
        writer.append("ranked_decryption", ranked_decryption_body(
            question, trustee, part, len(ranges), made, proofs))
        collected += b"".join(d.encoded for row in made for d in row)
    return bytes(collected)

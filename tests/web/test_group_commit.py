"""Group commit of casts: concurrent casts in one process share transactions, and the
board stays one chain in the order the casts were accepted, each member's receipt naming
their last ballot, each retried ballot once."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import pytest
from django.db import connection, connections

from omov.ballots import board, group_commit, simulation
from omov.ballots.actions import voting
from omov.ballots.models import BoardEntry, VoteReceipt
from omov.crypto.canonical import canonical_json
from omov.record.verifier import verify_record

from .test_ballots_helpers import opened


def test_items_that_arrive_while_a_batch_writes_form_the_next_batch() -> None:
    commit = group_commit.GroupCommit()
    batches: list[list[str]] = []
    first_started, release = threading.Event(), threading.Event()

    def write(take: group_commit.Take) -> None:
        batch = take()
        if not batches:
            first_started.set()
            release.wait(10)
        batches.append([pending.item for pending in batch])
        for pending in batch:
            pending.outcome = f"{pending.item} written"

    results: dict[str, str] = {}

    def submit(name: str) -> None:
        results[name] = commit.submit("ballot", name, write)

    leader = threading.Thread(target=submit, args=("a",))
    leader.start()
    assert first_started.wait(10)
    followers = [threading.Thread(target=submit, args=(name,)) for name in "bcd"]
    for thread in followers:
        thread.start()
    deadline = time.monotonic() + 10
    while len(commit._queues["ballot"].waiting) < 3 and time.monotonic() < deadline:
        time.sleep(0.01)
    release.set()
    for thread in [leader, *followers]:
        thread.join(10)
    assert batches[0] == ["a"] and sorted(batches[1]) == ["b", "c", "d"]
    assert results == {name: f"{name} written" for name in "abcd"}
    assert not commit._queues


def test_a_failed_batch_fails_each_of_its_items_and_the_next_batch_still_runs() -> None:
    commit = group_commit.GroupCommit()
    calls = []

    def write(take: group_commit.Take) -> None:
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("database went away")
        for pending in take():
            pending.outcome = "ok"

    with pytest.raises(RuntimeError, match="database went away"):
        commit.submit("ballot", "first", write)
    assert commit.submit("ballot", "second", write) == "ok"


@pytest.mark.django_db(transaction=True)
def test_concurrent_casts_keep_the_chain_the_receipts_and_idempotence(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the SQLite test database is in memory, where threads meet table locks "
                    "that no busy timeout waits for")
    batches: list[int] = []
    append = voting._append_casts

    def counted(take: Any) -> None:
        append(lambda: _noted(take(), batches))

    monkeypatch.setattr(voting, "_append_casts", counted)
    election = opened(voters=12)
    voters = election.voters
    prepared = {
        voter.pk: [canonical_json(simulation.prepare(
            election.ballot, election.code(voter), [[1, 0]] if n % 2 else [[0, 1]],
            election.rng).ballot) for n in range(2)]
        for voter in voters}
    # Each voter sends their first ballot twice at once (a retry) and then a second one.
    jobs = [(voter, prepared[voter.pk][0]) for voter in voters for _ in range(2)]
    start = threading.Barrier(len(jobs))
    answers: list[tuple[Any, Any]] = []
    lock = threading.Lock()

    def cast(voter: Any, raw: bytes) -> None:
        try:
            start.wait(30)
            result = voting.cast_ballot(election.ballot, voter, raw)
            with lock:
                answers.append((voter.pk, result))
            again = voting.cast_ballot(election.ballot, voter, prepared[voter.pk][1])
            with lock:
                answers.append((voter.pk, again))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=cast, args=job) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    entries = list(BoardEntry.objects.filter(ballot=election.ballot, kind="ballot")
                   .order_by("index"))
    # 12 first ballots once each; the second ballots: each voter's two threads sent the
    # same second ballot, so it too is on the board once.
    assert len(entries) == 24
    assert len({entry.ballot_hash for entry in entries}) == 24
    by_index = {entry.index: entry for entry in entries}
    for _, result in answers:
        assert by_index[result.index].tracker == result.tracker
    assert sum(result.new for _, result in answers) == 24
    for voter in voters:
        last = max(result.index for pk, result in answers if pk == voter.pk)
        receipt = VoteReceipt.objects.get(ballot=election.ballot, member=voter)
        assert receipt.tracker == by_index[last].tracker
    path = tmp_path / "record.omov.jsonl"
    path.write_bytes(b"".join(board.lines(election.ballot)))
    report = verify_record(path, jobs=1)
    assert report.ok, report.render()
    # Each new ballot went through one batch; a retry went through one too, unless the
    # lookup before verification already found its ballot on the board.
    assert 24 <= sum(batches) <= len(answers) == 48


def _noted(batch: list[Any], batches: list[int]) -> list[Any]:
    batches.append(len(batch))
    return batch

"""Feeding board lines to worker processes in chunks, results back in board order.

The pool is forked after the setup entries are read, so every worker shares
the election context and the credential roll without copying them. At most
a few chunks per worker are in flight, so memory stays flat however long
the record is.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Iterable, Iterator

from omov.record.ballot_worker import (
    ChunkOutcome,
    WorkerSetup,
    check_chunk,
    check_chunk_counted,
    install,
)
from omov.record.errors import RecordError, RecordUnreadable

CHUNK_LINES = 256
CHUNK_BYTES = 16 * 1024 * 1024
"""A chunk also ends once its lines hold this many bytes (a mix's parts are 4 MiB each)."""
IN_FLIGHT_PER_WORKER = 4


def default_jobs() -> int:
    """The number of cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


class ChunkFeeder:
    """Groups `(index, line)` pairs into chunks, remembering a read error for later.

    The pool reads the iterator on its own thread, so an error from the
    reader is kept here and raised by `raise_read_error` in the main thread.
    """

    def __init__(self, lines: Iterable[tuple[int, bytes]], window: int | None) -> None:
        self.lines = lines
        self.error: RecordError | RecordUnreadable | None = None
        self.slots = threading.Semaphore(window) if window else None
        self.stopped = False

    def chunks(self) -> Iterator[list[tuple[int, bytes]]]:
        """Yield chunks of up to `CHUNK_LINES` lines (fewer past `CHUNK_BYTES`), waiting
        while enough are in flight."""
        chunk: list[tuple[int, bytes]] = []
        size = 0
        try:
            for item in self.lines:
                if self.stopped:
                    return
                chunk.append(item)
                size += len(item[1])
                if len(chunk) == CHUNK_LINES or size >= CHUNK_BYTES:
                    yield self._ready(chunk)
                    chunk, size = [], 0
        except (RecordError, RecordUnreadable) as error:
            self.error = error
        if chunk:
            yield self._ready(chunk)

    def _ready(self, chunk: list[tuple[int, bytes]]) -> list[tuple[int, bytes]]:
        if self.slots is not None:
            self.slots.acquire()
        return chunk

    def stop(self) -> None:
        """Stop reading and wake the pool's feeding thread if it waits for a slot."""
        self.stopped = True
        if self.slots is not None:
            self.slots.release(IN_FLIGHT_PER_WORKER * 1024)

    def done_one(self) -> None:
        """The main thread has consumed one chunk's outcome."""
        if self.slots is not None:
            self.slots.release()

    def raise_read_error(self) -> None:
        """Raise the reader's error, if reading stopped because of one."""
        if self.error is not None:
            raise self.error


def check_chunks(
    lines: Iterable[tuple[int, bytes]], setup: WorkerSetup, jobs: int, counted: bool = False
) -> Iterator[ChunkOutcome]:
    """Check `lines` with `jobs` processes; yield chunk outcomes in board order.

    With `jobs` 1 everything runs in this process. A read error is raised
    after the outcomes of the lines read before it. `counted` makes each
    worker count its libsodium operations into its outcomes (with `jobs` 1
    the caller's own `count_operations` sees them).
    """
    if jobs <= 1:
        feeder = ChunkFeeder(lines, None)
        install(setup)
        for chunk in feeder.chunks():
            yield check_chunk(chunk)
        feeder.raise_read_error()
        return
    feeder = ChunkFeeder(lines, jobs * IN_FLIGHT_PER_WORKER)
    context = multiprocessing.get_context("fork")
    with context.Pool(jobs, initializer=install, initargs=(setup,)) as pool:
        try:
            check = check_chunk_counted if counted else check_chunk
            for outcome in pool.imap(check, feeder.chunks()):
                feeder.done_one()
                yield outcome
        finally:
            feeder.stop()
    feeder.raise_read_error()

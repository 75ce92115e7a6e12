"""Group commit: the casts waiting in one process go onto the board in one transaction.

A cast is verified in the request's own thread (the expensive, parallel
part); appending it needs the ballot's row lock, a commit and a handful of
statements, and costs nearly the same for one ballot as for twenty. So the
first request thread that has a verified ballot to append becomes the
leader: it opens the transaction, takes the row lock and only then takes
every cast that is waiting in this process (those that arrived while it
waited for the lock ride along), appends them in one transaction, commits,
and wakes their threads. If more casts arrived meanwhile, the first of them
leads the next batch. Several processes each run their own leader; the row
lock orders their batches, so the board stays one chain.

A request learns its outcome only after the batch committed (or failed):
a member never gets a receipt for a ballot that is not durably on the board,
and a process killed mid-batch leaves nothing of it behind (its requests get
no answer and are retried).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any


@dataclass(eq=False)
class Pending:
    """One request's item waiting for a batch: its outcome or error once written."""

    item: Any
    outcome: Any = None
    error: BaseException | None = None
    _ready: threading.Event = field(default_factory=threading.Event)
    _leads: bool = False


Take = Callable[[], list[Pending]]
"""Returns (once) the items waiting; the writer calls it with the lock held."""

Writer = Callable[[Take], None]
"""Writes one batch: calls `take`, then sets each item's outcome or error."""


@dataclass
class _Queue:
    waiting: list[Pending] = field(default_factory=list)
    leading: bool = False


class GroupCommit:
    """Leader and followers per key (a ballot): at most one batch of a key writes at a
    time in this process."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._queues: dict[Hashable, _Queue] = {}

    def submit(self, key: Hashable, item: Any, write: Writer) -> Any:
        """Waits until `item` is written by some batch; returns its outcome or raises
        its error."""
        pending = Pending(item)
        with self._lock:
            queue = self._queues.setdefault(key, _Queue())
            queue.waiting.append(pending)
            leads = not queue.leading
            queue.leading = True
        if not leads:
            pending._ready.wait()
            leads = pending._leads
        if leads:
            self._lead(key, queue, write)
        if pending.error is not None:
            raise pending.error
        return pending.outcome

    def _take(self, queue: _Queue, taken: list[Pending]) -> list[Pending]:
        with self._lock:
            taken.extend(queue.waiting)
            queue.waiting = []
        return list(taken)

    def _lead(self, key: Hashable, queue: _Queue, write: Writer) -> None:
        """Writes one batch, then hands the lead to the first item that arrived since."""
        taken: list[Pending] = []
        try:
            write(lambda: self._take(queue, taken) if not taken else list(taken))
        except BaseException as error:
            if not taken:
                self._take(queue, taken)
            for pending in taken:
                if pending.error is None and pending.outcome is None:
                    pending.error = error
        finally:
            with self._lock:
                following = queue.waiting[0] if queue.waiting else None
                if following is None:
                    queue.leading = False
                    if self._queues.get(key) is queue:
                        del self._queues[key]
                else:
                    following._leads = True
            for pending in taken:
                pending._ready.set()
            if following is not None:
                following._ready.set()

"""Which cast ballots count (9.1): the last per credential, unless revoked (6.4).

Audited ballots are anonymous and have no credential (7.6): they never reach
this bookkeeping; `audit_reuse` keeps any of their ciphertexts out of the count.

The verifier's workers check ballots in parallel and sum the choices of
every valid ballot; this bookkeeping runs in board order in the main process
and lists the valid ballots that must come out of that sum again: ones
superseded by a later ballot of the same credential, ones whose credential
was revoked, replays and ballots from credentials that are not eligible.
Memory per credential is one 8-byte slot.
"""

from __future__ import annotations

from array import array

from omov.record.errors import RecordError
from omov.record.roll import CredentialRoll

NO_BALLOT = -1


class BallotCounter:
    """Follows ballots, audited ballots and revocations in board order."""

    def __init__(self, roll: CredentialRoll) -> None:
        self.roll = roll
        self.last = array("q", [NO_BALLOT]) * len(roll)
        self.added: dict[bytes, int] = {}
        self.revoked_positions: set[int] = set()
        self.revoked_added: set[bytes] = set()
        self.cast_hashes: set[bytes] = set()
        self.excluded = array("q")
        self.removed: list[tuple[int, int]] = []
        """(revocation entry, ballot entry) for every counted ballot a revocation removed."""
        self.valid = 0
        self.revocations = 0

    def cast(self, index: int, ballot_hash: bytes, position: int,
             credential: bytes) -> RecordError | None:
        """A valid ballot at entry `index`; return the reason it breaks the record, if any.

        `position` is the credential's place on the roll (-1 if it is not on
        it) and `credential` its encoding.
        """
        self.valid += 1
        if (position >= 0 and ballot_hash not in self.cast_hashes
                and position not in self.revoked_positions):
            # The usual ballot: a roll credential, neither replayed nor revoked.
            self.cast_hashes.add(ballot_hash)
            previous = self.last[position]
            if previous != NO_BALLOT:
                self.excluded.append(previous)
            self.last[position] = index
            return None
        problem = self._cast_problem(ballot_hash, position, credential)
        self.cast_hashes.add(ballot_hash)
        if problem is not None:
            self.excluded.append(index)
            return RecordError(problem, entry=index)
        if position >= 0:
            self._supersede(self.last[position])
            self.last[position] = index
        else:
            self._supersede(self.added[credential])
            self.added[credential] = index
        return None

    def _cast_problem(self, ballot_hash: bytes, position: int, credential: bytes) -> str | None:
        if ballot_hash in self.cast_hashes:
            return "a replay: the same ballot (same ballot hash) was already cast"
        if position < 0 and credential not in self.added:
            return "its credential is not on the credential roll"
        if position in self.revoked_positions or credential in self.revoked_added:
            return "its credential was revoked by an earlier revocation entry"
        return None

    def _removed(self, revocation: int, ballot: int) -> None:
        """Note that the revocation at entry `revocation` uncounted the ballot at `ballot`."""
        if ballot != NO_BALLOT:
            self.removed.append((revocation, ballot))

    def _supersede(self, previous: int) -> None:
        if previous != NO_BALLOT:
            self.excluded.append(previous)

    def revoke(self, index: int, revoked: list[bytes], added: list[bytes]) -> RecordError | None:
        """Apply a valid revocation entry; return why it breaks the record, if any."""
        self.revocations += 1
        for n, credential in enumerate(revoked):
            position = self.roll.position(credential)
            if position >= 0 and position not in self.revoked_positions:
                self._removed(index, self.last[position])
                self._supersede(self.last[position])
                self.last[position] = NO_BALLOT
                self.revoked_positions.add(position)
            elif position < 0 and credential in self.added and credential not in self.revoked_added:
                self._removed(index, self.added[credential])
                self._supersede(self.added[credential])
                self.added[credential] = NO_BALLOT
                self.revoked_added.add(credential)
            else:
                return RecordError("not an eligible credential, or already revoked",
                                   entry=index, field=f"revoked[{n}]")
        for n, credential in enumerate(added):
            if self.roll.position(credential) >= 0 or credential in self.added:
                return RecordError("an added credential must be new", entry=index,
                                   field=f"added[{n}]")
            self.added[credential] = NO_BALLOT
        return None

    @property
    def counted(self) -> int:
        """N: the number of counted ballots."""
        return self.valid - len(self.excluded)

"""The credential roll line read and written as a stream (6.3, 10): up to 256 MiB in
bounded memory.

A canonical `credential_roll` line has one exact shape:

    {"body":{"credentials":["<64 hex>",...],"signature":{"challenge":"<64 hex>",
    "response":"<64 hex>"}},"index":n,"kind":"credential_roll","previous":"<64 hex>",
    "time":"<27 characters>"}

`read_roll` follows that shape piece by piece, 67 bytes per credential,
hashing the line (`entry_hash`) and the list (`roll_digest`) as it goes and
keeping only the 32-byte encodings, checked as `verify_roll` checks them
(valid non-identity points, strictly ascending). A line that departs from
the shape anywhere, or whose `index` or `time` is wrong, is not a valid roll
entry: `read_roll` returns None and the caller reads it whole, so that the
checks of an ordinary line say exactly what is wrong with it.

`signed_roll` writes the same shape from the sorted encodings, in pieces,
for a record writer that never holds the whole line.
"""

from __future__ import annotations

import binascii
import hashlib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import BinaryIO

from omov.crypto.canonical import canonical_json
from omov.crypto.credentials import TAG_ROLL_SIGNATURE
from omov.crypto.errors import InvalidCredential, InvalidEncoding, ProtocolError
from omov.crypto.group import Point, Scalar, decodes
from omov.crypto.proofs import SchnorrProof
from omov.crypto.transcript import Rng
from omov.record.board import MAX_ROLL_LINE, is_entry_time
from omov.record.reader import PIECE, ROLL_PREFIX, RollLine

CREDENTIAL_TEXT = 67
"""Bytes per credential on the line: a quote, 64 hex digits, a quote and a comma."""
_CREDENTIALS = re.compile(rb'(?:"[0-9a-f]{64}",)*')
_END = re.compile(
    rb'((?:"[0-9a-f]{64}",)*"[0-9a-f]{64}")?\],'
    rb'"signature":\{"challenge":"([0-9a-f]{64})","response":"([0-9a-f]{64})"\}\},'
    rb'"index":(0|[1-9][0-9]{0,15}),"kind":"credential_roll",'
    rb'"previous":"([0-9a-f]{64})","time":"([0-9:.TZ-]{27})"\}'
)
_BODY_END = re.compile(
    rb'((?:"[0-9a-f]{64}",)*"[0-9a-f]{64}")?\],'
    rb'"signature":\{"challenge":"([0-9a-f]{64})","response":"([0-9a-f]{64})"\}\}\n'
)
_RESERVE = 512
"""Bytes kept back from each piece: more than the last credential and all that follows it."""


@dataclass(frozen=True)
class StreamedRoll:
    """A `credential_roll` line of canonical form, as `read_roll` found it.

    `credentials` are the 32-byte encodings in line order; `problem` is the
    first credential that is not a valid point or not in ascending order
    (check 5), if any; `digest` is `roll_digest` (6.3), `signature` the
    authority's signature as JSON; `previous`, `time` and `hash` are the
    entry's link, time stamp and `entry_hash`.
    """

    credentials: bytes
    problem: ProtocolError | None
    digest: bytes
    signature: dict[str, str]
    previous: bytes
    time: str
    hash: bytes


class _Credentials:
    """The credentials read so far, and the first one that breaks 6.3."""

    def __init__(self) -> None:
        self.encodings = bytearray()
        self.count = 0
        self.problem: ProtocolError | None = None
        self._previous = b""

    def add(self, text: bytes) -> None:
        """Add `"<hex>",` items (the last may lack its comma), already of the right form."""
        raw = binascii.unhexlify(text.translate(None, b'",'))
        if self.problem is None:
            self._check(raw)
        self.encodings += raw
        self.count += len(raw) // 32

    def _check(self, raw: bytes) -> None:
        previous, n = self._previous, self.count
        for start in range(0, len(raw), 32):
            encoding = raw[start:start + 32]
            if not decodes(encoding):
                try:
                    Point.from_hex(encoding.hex())
                except InvalidEncoding as error:
                    self.problem = error.at(f"credentials[{n}]")
                return
            if n and not previous < encoding:
                self.problem = InvalidCredential(
                    "credentials must be sorted ascending without duplicates",
                    f"credentials[{n}]")
                return
            previous, n = encoding, n + 1
        self._previous = previous


def read_roll(line: RollLine) -> StreamedRoll | None:
    """Follow a roll line to its end; None if it is not a canonical roll entry numbered
    `line.index` with a valid time stamp (the caller then reads it whole).

    Raises what `RollLine.pieces` raises: the file ends before the line, or
    the line is longer than 256 MiB.
    """
    followed = _follow(line.pieces(), ROLL_PREFIX, _END)
    if followed is None:
        return None
    credentials, roll_digest, line_hash, end = followed
    time = end.group(6).decode("ascii")
    if int(end.group(4)) != line.index or not is_entry_time(time):
        return None
    return StreamedRoll(
        bytes(credentials.encodings), credentials.problem, roll_digest,
        _signature(end), bytes.fromhex(end.group(5).decode("ascii")), time, line_hash,
    )


BODY_PREFIX = b'{"credentials":['
"""How the canonical JSON of a roll body (6.3) begins."""


def read_roll_body(handle: BinaryIO) -> StreamedRoll | None:
    """A file holding a roll body in canonical JSON and a newline (the credential
    authority's public roll), followed in pieces as `read_roll` follows a roll line;
    None if the file is not exactly that (the caller then reads it whole).

    `previous`, `time` and `hash` mean nothing here and are left empty.
    """
    def pieces() -> Iterator[bytes]:
        read = 0
        while piece := handle.read(PIECE):
            read += len(piece)
            if read > MAX_ROLL_LINE + 1:
                return
            yield piece

    followed = _follow(pieces(), BODY_PREFIX, _BODY_END)
    if followed is None:
        return None
    credentials, roll_digest, _, end = followed
    return StreamedRoll(bytes(credentials.encodings), credentials.problem, roll_digest,
                        _signature(end), b"", "", b"")


def _signature(end: re.Match[bytes]) -> dict[str, str]:
    return {"challenge": end.group(2).decode("ascii"), "response": end.group(3).decode("ascii")}


def _follow(pieces: Iterable[bytes], prefix: bytes, ending: re.Pattern[bytes]) -> (
    tuple[_Credentials, bytes, bytes, re.Match[bytes]] | None
):
    """Follow `prefix`, the credentials and what `ending` matches; return the
    credentials, the roll digest, the SHA-256 of all the bytes and the ending's match."""
    line_hash = hashlib.sha256()
    roll_hash = hashlib.sha256(b'{"credentials":[')
    credentials = _Credentials()
    pending = b""
    first = True
    for piece in pieces:
        line_hash.update(piece)
        pending += piece
        if first:
            if len(pending) < len(prefix):
                continue
            if not pending.startswith(prefix):
                return None
            pending, first = pending[len(prefix):], False
        usable = (len(pending) - _RESERVE) // CREDENTIAL_TEXT * CREDENTIAL_TEXT
        if usable > 0:
            text = pending[:usable]
            if _CREDENTIALS.fullmatch(text) is None:
                return None
            roll_hash.update(text)
            credentials.add(text)
            pending = pending[usable:]
    end = None if first else ending.fullmatch(pending)
    if end is None:
        return None
    text = end.group(1)
    if text is None and credentials.count:
        return None  # a comma before the closing bracket
    if text is not None:
        roll_hash.update(text)
        credentials.add(text)
    roll_hash.update(b"]}")
    return credentials, roll_hash.digest(), line_hash.digest(), end


CREDENTIALS_PER_PIECE = 16_384


def sorted_credentials(encodings: bytes) -> bytes:
    """32-byte encodings sorted ascending without duplicates: the roll's order (6.3),
    since lowercase hex sorts as the bytes it encodes."""
    items = [encodings[start:start + 32] for start in range(0, len(encodings), 32)]
    items.sort()
    return b"".join(item for n, item in enumerate(items) if n == 0 or item != items[n - 1])


def credential_text(credentials: bytes) -> Iterator[bytes]:
    """The items of the roll's `credentials` list in canonical JSON (`"<hex>","<hex>"`),
    in pieces, from sorted 32-byte encodings."""
    step = 32 * CREDENTIALS_PER_PIECE
    for start in range(0, len(credentials), step):
        hexed = credentials[start:start + step].hex()
        items = '","'.join(hexed[n:n + 64] for n in range(0, len(hexed), 64))
        yield ('"' if start == 0 else ',"').encode() + items.encode() + b'"'


def signed_roll(manifest_digest: bytes, authority_secret: Scalar, credentials: bytes,
                rng: Rng) -> tuple[bytes, Iterator[bytes]]:
    """`sign_roll` for sorted unique 32-byte `credentials`: the roll digest and the
    canonical body in pieces (the authority's signature draws one nonce, as there)."""
    roll_hash = hashlib.sha256(b'{"credentials":[')
    for piece in credential_text(credentials):
        roll_hash.update(piece)
    roll_hash.update(b"]}")
    digest = roll_hash.digest()
    signature = SchnorrProof.prove(TAG_ROLL_SIGNATURE, (manifest_digest, digest),
                                   authority_secret, rng)

    def body() -> Iterator[bytes]:
        yield b'{"credentials":['
        yield from credential_text(credentials)
        yield b'],"signature":' + canonical_json(signature.to_json()) + b"}"

    return digest, body()

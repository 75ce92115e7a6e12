"""Canonical JSON (section 2.3): RFC 8785 restricted to integers.

``canonical_json`` serialises a value that has already been checked to hold
only the allowed types; ``parse_json`` reads untrusted bytes and rejects
floats, duplicate keys, bad UTF-8 and out-of-range integers.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from omov.crypto.errors import InvalidEncoding

MAX_SAFE_INTEGER = 2**53
_ENCODER = json.JSONEncoder(
    ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False
)


def _check(value: object, field: str) -> None:
    """Raise InvalidEncoding where ``value`` holds something 2.3 forbids."""
    if isinstance(value, str) or value is None or value is True or value is False:
        return
    if isinstance(value, int):
        if not -MAX_SAFE_INTEGER < value < MAX_SAFE_INTEGER:
            raise InvalidEncoding("integer out of range (|n| must be below 2^53)", field)
        return
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str) or not key.isascii():
                raise InvalidEncoding("object keys must be ASCII strings", field)
            _check(item, f"{field}.{key}" if field else key)
        return
    if isinstance(value, list | tuple):
        for n, item in enumerate(value):
            _check(item, f"{field}[{n}]")
        return
    raise InvalidEncoding(f"{type(value).__name__} is not allowed in canonical JSON", field)


def _plainly_allowed(value: object) -> bool:
    """A fast walk without field paths: True if ``value`` is made only of the
    exact types 2.3 allows. False sends the caller to ``_check`` for the field."""
    if type(value) is str or value is None or type(value) is bool:
        return True
    if type(value) is int:
        return -MAX_SAFE_INTEGER < value < MAX_SAFE_INTEGER
    if type(value) is dict:
        for key, item in value.items():
            if type(key) is not str or not key.isascii() or not _plainly_allowed(item):
                return False
        return True
    if type(value) is list or type(value) is tuple:
        return all(_plainly_allowed(item) for item in value)
    return False


def canonical_json(value: Any) -> bytes:
    """The canonical UTF-8 bytes of ``value`` (dicts, lists, str, int, bool, None)."""
    if not _plainly_allowed(value):
        _check(value, "")
    try:
        return _ENCODER.encode(value).encode("utf-8")
    except UnicodeEncodeError as error:
        raise InvalidEncoding("string holds a lone surrogate", None) from error


def canonical_json_unchecked(value: Any) -> bytes:
    """canonical_json without the type walk, for a value the caller has already
    checked holds only objects with ASCII keys, lists, strings without lone
    surrogates, integers below 2^53 in size, booleans and null (such as a
    ballot that passed its shape checks)."""
    return _ENCODER.encode(value).encode("utf-8")


def digest(value: Any) -> bytes:
    """SHA-256 of the canonical JSON of ``value`` (32 bytes)."""
    return hashlib.sha256(canonical_json(value)).digest()


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise InvalidEncoding(f"duplicate key {key!r}", key)
            seen.add(key)
    return result


def _no_float(text: str) -> Any:
    raise InvalidEncoding(f"number {text} is not an integer")


def _no_constant(text: str) -> Any:
    raise InvalidEncoding(f"{text} is not JSON")


def _bounded_int(text: str) -> int:
    if len(text) > 17:
        raise InvalidEncoding(f"integer {text[:20]} out of range (|n| must be below 2^53)")
    value = int(text)
    if not -MAX_SAFE_INTEGER < value < MAX_SAFE_INTEGER:
        raise InvalidEncoding(f"integer {text} out of range (|n| must be below 2^53)")
    return value


_DECODER = json.JSONDecoder(
    object_pairs_hook=_no_duplicates,
    parse_float=_no_float,
    parse_int=_bounded_int,
    parse_constant=_no_constant,
)


# parse_json's decoder but for duplicate keys, which parse_canonical does not
# need to look for: a dict holds each key once, so re-encoding never matches.
_CANONICAL_DECODER = json.JSONDecoder(
    parse_float=_no_float, parse_int=_bounded_int, parse_constant=_no_constant
)


def parse_canonical(data: bytes) -> Any | None:
    """The value of ``data`` if ``data`` is exactly its canonical JSON, else None.

    A fast path for input that is almost always canonical (board lines): it
    takes ASCII input only, and replaces parse_json's duplicate-key check and
    canonical_json's type walk with the one comparison that subsumes both.
    On None, ``parse_json`` and ``canonical_json`` say what is wrong.
    """
    if not data.isascii():
        return None
    text = data.decode("ascii")
    try:
        value = _CANONICAL_DECODER.decode(text)
    except (InvalidEncoding, ValueError, RecursionError):
        return None
    # ensure_ascii=False: an escaped non-ASCII key or string, or a lone
    # surrogate, comes back as a non-ASCII character and so never matches.
    return value if _ENCODER.encode(value) == text else None


def parse_json(data: bytes | str, field: str | None = None) -> Any:
    """Parse untrusted JSON; raise InvalidEncoding (naming ``field``) if it is not JSON
    in the subset of 2.3. It does not require the input to be canonical: compare
    ``canonical_json`` of the result with the input for that."""
    if isinstance(data, bytes):
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as error:
            raise InvalidEncoding(f"not UTF-8 (byte {error.start})", field) from error
    else:
        text = data
    if text.startswith("\ufeff"):
        raise InvalidEncoding("a byte order mark is not allowed", field)
    try:
        return _DECODER.decode(text)
    except InvalidEncoding as error:
        raise InvalidEncoding(error.reason, field) from error
    except (json.JSONDecodeError, RecursionError, ValueError) as error:
        raise InvalidEncoding(f"not JSON: {error}", field) from error

"""Trustee secret backups under a passphrase (docs/protocol.md section 13).

scrypt turns the passphrase into an encryption key and a MAC key; the
plaintext is XORed with an HMAC-SHA512 counter keystream and authenticated
with HMAC-SHA256. The tag is checked, in constant time, before anything is
decrypted, so a wrong passphrase and an altered file fail the same way and
reveal nothing.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import unicodedata
from collections.abc import Callable
from typing import Any

from omov.crypto.canonical import canonical_json, parse_json
from omov.crypto.errors import InvalidEncoding, ProtocolError

FORMAT = "omov-trustee-backup/1"
SCRYPT_N = 32768
SCRYPT_R = 8
SCRYPT_P = 1
SALT_BYTES = 16
NONCE_BYTES = 16
TAG_BYTES = 32
_TAG_DOMAIN = b"omov/v1/trustee-backup"
# Limits on what a backup file may ask of scrypt, so that a crafted file cannot
# make the reader allocate gigabytes: the spec's parameters, and nothing else.
_KDF_ALLOWED = {"n": SCRYPT_N, "r": SCRYPT_R, "p": SCRYPT_P}
_HEX = re.compile(r"\A(?:[0-9a-f]{2})*\Z")
_TOP_KEYS = {"format", "kdf", "nonce", "ciphertext", "tag"}
_KDF_KEYS = {"name", "n", "r", "p", "salt"}


class InvalidBackup(ProtocolError):
    """The backup cannot be opened: wrong passphrase, or the file was altered."""


def derive_keys(passphrase: str, salt: bytes, n: int, r: int, p: int) -> tuple[bytes, bytes]:
    """Return `(k_enc, k_mac)` from the passphrase (NFC-normalised UTF-8) and `salt`."""
    normalised = unicodedata.normalize("NFC", passphrase).encode("utf-8")
    key = hashlib.scrypt(
        normalised, salt=salt, n=n, r=r, p=p, dklen=64, maxmem=256 * r * n * p
    )
    return key[:32], key[32:]


def keystream(k_enc: bytes, nonce: bytes, length: int) -> bytes:
    """HMAC-SHA512(k_enc, nonce || u32(counter)) blocks, truncated to `length`."""
    blocks = []
    for counter in range((length + 63) // 64):
        block_input = nonce + counter.to_bytes(4, "big")
        blocks.append(hmac.new(k_enc, block_input, hashlib.sha512).digest())
    return b"".join(blocks)[:length]


def _xor(data: bytes, stream: bytes) -> bytes:
    return (int.from_bytes(data, "big") ^ int.from_bytes(stream, "big")).to_bytes(
        len(data), "big"
    )


def _tag(k_mac: bytes, nonce: bytes, ciphertext: bytes) -> bytes:
    return hmac.new(k_mac, _TAG_DOMAIN + nonce + ciphertext, hashlib.sha256).digest()


def encrypt_backup(
    state: dict[str, Any],
    passphrase: str,
    rng_bytes: Callable[[int], bytes] | None = None,
) -> dict[str, Any]:
    """Encrypt the trustee's `state` (its canonical JSON is the plaintext).

    `rng_bytes(count)` supplies the salt and then the nonce; it defaults to the
    operating system's generator and is replaced only to make test vectors.
    """
    if not passphrase:
        raise InvalidBackup("the passphrase must not be empty", field="passphrase")
    draw = rng_bytes if rng_bytes is not None else os.urandom
    salt = draw(SALT_BYTES)
    nonce = draw(NONCE_BYTES)
    plaintext = canonical_json(state)
    k_enc, k_mac = derive_keys(passphrase, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)
    ciphertext = _xor(plaintext, keystream(k_enc, nonce, len(plaintext)))
    return {
        "format": FORMAT,
        "kdf": {"name": "scrypt", "n": SCRYPT_N, "r": SCRYPT_R, "p": SCRYPT_P, "salt": salt.hex()},
        "nonce": nonce.hex(),
        "ciphertext": ciphertext.hex(),
        "tag": _tag(k_mac, nonce, ciphertext).hex(),
    }


def decrypt_backup(doc: object, passphrase: str) -> dict[str, Any]:
    """Check the tag of the backup document `doc` and return the decrypted state.

    Raises InvalidEncoding (with the field) for a malformed document and
    InvalidBackup when the passphrase is wrong or the file was altered.
    """
    if not isinstance(doc, dict):
        raise InvalidEncoding("a trustee backup must be a JSON object", field=None)
    _expect_keys(doc, _TOP_KEYS, "")
    if doc["format"] != FORMAT:
        raise InvalidEncoding(f"the backup format must be {FORMAT!r}", field="format")
    kdf = doc["kdf"]
    if not isinstance(kdf, dict):
        raise InvalidEncoding("kdf must be an object", field="kdf")
    _expect_keys(kdf, _KDF_KEYS, "kdf.")
    if kdf["name"] != "scrypt":
        raise InvalidEncoding("the only key derivation is scrypt", field="kdf.name")
    for name, allowed in _KDF_ALLOWED.items():
        if kdf[name] != allowed:
            raise InvalidEncoding(f"scrypt {name} must be {allowed}", field=f"kdf.{name}")
    salt = _hex_field(kdf["salt"], "kdf.salt", SALT_BYTES)
    nonce = _hex_field(doc["nonce"], "nonce", NONCE_BYTES)
    ciphertext = _hex_field(doc["ciphertext"], "ciphertext", None)
    tag = _hex_field(doc["tag"], "tag", TAG_BYTES)
    k_enc, k_mac = derive_keys(passphrase, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)
    if not hmac.compare_digest(_tag(k_mac, nonce, ciphertext), tag):
        raise InvalidBackup(
            "the passphrase is wrong, or the backup file was altered", field="tag"
        )
    plaintext = _xor(ciphertext, keystream(k_enc, nonce, len(ciphertext)))
    state = parse_json(plaintext, field="ciphertext")
    if not isinstance(state, dict):
        raise InvalidEncoding("the backed-up state must be a JSON object", field="ciphertext")
    return state


def _expect_keys(obj: dict[str, Any], keys: set[str], prefix: str) -> None:
    missing = sorted(keys - obj.keys())
    if missing:
        raise InvalidEncoding(f"missing member {missing[0]!r}", field=prefix + missing[0])
    extra = sorted(obj.keys() - keys)
    if extra:
        raise InvalidEncoding(f"unexpected member {extra[0]!r}", field=prefix + extra[0])


def _hex_field(value: object, field: str, length: int | None) -> bytes:
    if not isinstance(value, str) or not _HEX.match(value):
        raise InvalidEncoding("must be lowercase hexadecimal", field=field)
    raw = bytes.fromhex(value)
    if length is not None and len(raw) != length:
        raise InvalidEncoding(f"must be {length} bytes", field=field)
    return raw

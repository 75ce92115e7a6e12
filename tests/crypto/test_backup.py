"""Trustee secret backups (docs/protocol.md section 13)."""

from __future__ import annotations

import copy
import hashlib
import hmac
import unicodedata
from typing import Any

import pytest

from omov.crypto.backup import (
    InvalidBackup,
    decrypt_backup,
    derive_keys,
    encrypt_backup,
    keystream,
)
from omov.crypto.canonical import canonical_json
from omov.crypto.errors import InvalidEncoding

STATE: dict[str, Any] = {
    "manifest_digest": "ab" * 32,
    "trustee": 2,
    "communication_secret": "01" + "00" * 31,
    "coefficients": ["02" + "00" * 31, "03" + "00" * 31],
    "share": None,
}


def counter_bytes() -> Any:
    counter = iter(range(256))
    return lambda n: bytes(next(counter) for _ in range(n))


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    return encrypt_backup(STATE, "correct horse battery", counter_bytes())


def test_round_trip(document: dict[str, Any]) -> None:
    assert decrypt_backup(document, "correct horse battery") == STATE


def test_layout_follows_the_spec(document: dict[str, Any]) -> None:
    assert document["format"] == "omov-trustee-backup/1"
    assert document["kdf"] == {
        "name": "scrypt", "n": 32768, "r": 8, "p": 1, "salt": bytes(range(16)).hex()
    }
    assert document["nonce"] == bytes(range(16, 32)).hex()
    plaintext = canonical_json(STATE)
    assert len(bytes.fromhex(document["ciphertext"])) == len(plaintext)
    # Recompute independently from the formulas of section 13.
    key = hashlib.scrypt(
        b"correct horse battery", salt=bytes(range(16)), n=32768, r=8, p=1, dklen=64,
        maxmem=64 * 1024 * 1024,
    )
    nonce = bytes(range(16, 32))
    stream = b"".join(
        hmac.new(key[:32], nonce + i.to_bytes(4, "big"), hashlib.sha512).digest()
        for i in range(len(plaintext) // 64 + 1)
    )
    expected = bytes(a ^ b for a, b in zip(plaintext, stream, strict=False))
    assert document["ciphertext"] == expected.hex()
    tag = hmac.new(key[32:], b"omov/v1/trustee-backup" + nonce + expected, hashlib.sha256)
    assert document["tag"] == tag.hexdigest()


def test_keystream_blocks_are_counted_from_zero() -> None:
    stream = keystream(b"k" * 32, b"n" * 16, 100)
    assert len(stream) == 100
    first = hmac.new(b"k" * 32, b"n" * 16 + b"\0\0\0\0", hashlib.sha512).digest()
    second = hmac.new(b"k" * 32, b"n" * 16 + b"\0\0\0\1", hashlib.sha512).digest()
    assert stream == (first + second)[:100]


def test_wrong_passphrase_fails_the_tag(document: dict[str, Any]) -> None:
    with pytest.raises(InvalidBackup) as caught:
        decrypt_backup(document, "correct horse battery!")
    assert caught.value.field == "tag"
    assert "passphrase is wrong" in str(caught.value)


@pytest.mark.parametrize("member", ["ciphertext", "nonce", "tag"])
def test_altered_file_fails_the_tag(document: dict[str, Any], member: str) -> None:
    altered = copy.deepcopy(document)
    raw = bytearray.fromhex(altered[member])
    raw[0] ^= 1
    altered[member] = raw.hex()
    with pytest.raises(InvalidBackup):
        decrypt_backup(altered, "correct horse battery")


def test_altered_salt_fails_the_tag(document: dict[str, Any]) -> None:
    altered = copy.deepcopy(document)
    altered["kdf"]["salt"] = "ff" * 16
    with pytest.raises(InvalidBackup):
        decrypt_backup(altered, "correct horse battery")


@pytest.mark.parametrize(
    ("path", "value", "field"),
    [
        (("format",), "omov-trustee-backup/2", "format"),
        (("kdf", "n"), 1 << 30, "kdf.n"),
        (("kdf", "name"), "pbkdf2", "kdf.name"),
        (("kdf", "salt"), "AB" * 16, "kdf.salt"),
        (("nonce",), "00" * 15, "nonce"),
        (("tag",), "xyz", "tag"),
        (("extra",), 1, "extra"),
    ],
)
def test_malformed_documents_name_the_field(
    document: dict[str, Any], path: tuple[str, ...], value: Any, field: str
) -> None:
    altered = copy.deepcopy(document)
    target = altered
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    with pytest.raises(InvalidEncoding) as caught:
        decrypt_backup(altered, "correct horse battery")
    assert caught.value.field == field


def test_passphrase_is_normalised_to_nfc() -> None:
    composed = "caf\u00e9 passphrase"
    decomposed = unicodedata.normalize("NFD", composed)
    assert composed != decomposed
    doc = encrypt_backup(STATE, composed, counter_bytes())
    assert decrypt_backup(doc, decomposed) == STATE
    salt = b"s" * 16
    assert derive_keys(composed, salt, 1024, 8, 1) == derive_keys(decomposed, salt, 1024, 8, 1)


def test_empty_passphrase_is_refused() -> None:
    with pytest.raises(InvalidBackup):
        encrypt_backup(STATE, "")


def test_fresh_backups_use_fresh_salt_and_nonce() -> None:
    first = encrypt_backup(STATE, "passphrase one")
    second = encrypt_backup(STATE, "passphrase one")
    assert first["kdf"]["salt"] != second["kdf"]["salt"]
    assert first["nonce"] != second["nonce"]
    assert first["ciphertext"] != second["ciphertext"]

"""The count code of 9.4: computed as the spec says, and sensitive to head and count."""

from __future__ import annotations

import hashlib
import re

import pytest

from omov.crypto.base32 import CROCKFORD
from omov.record.count_code import count_code


def spec_code(head: bytes, counted: int) -> str:
    digest = hashlib.sha256(b"omov/count-code/v1" + head + counted.to_bytes(8, "big")).digest()
    bits = int.from_bytes(digest, "big") >> (256 - 50)
    symbols = "".join(CROCKFORD[(bits >> (5 * (9 - i))) & 31] for i in range(10))
    return f"{symbols[:5]}-{symbols[5:]}"


def test_the_code_follows_the_spec() -> None:
    head = bytes(range(32))
    code = count_code(head, 100_000)
    assert re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}", code)
    assert code == spec_code(head, 100_000)


def test_another_head_or_count_gives_another_code() -> None:
    head = bytes(32)
    assert count_code(head, 3) != count_code(head, 4)
    assert count_code(head, 3) != count_code(b"\x01" + head[1:], 3)


def test_a_head_of_the_wrong_length_is_refused() -> None:
    with pytest.raises(ValueError):
        count_code(bytes(31), 1)

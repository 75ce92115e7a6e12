"""Canonical JSON (section 2.3) and the strict parser."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from omov.crypto.canonical import canonical_json, digest, parse_canonical, parse_json
from omov.crypto.errors import InvalidEncoding

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**53) + 1, 2**53 - 1) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4)
    | st.dictionaries(st.text(st.characters(max_codepoint=127), max_size=4), inner, max_size=4),
    max_leaves=12,
)


def test_sorted_compact_utf8() -> None:
    value = {"b": [1, -2, True, None], "a": {"z": "é/€", "y": 0}}
    assert canonical_json(value) == '{"a":{"y":0,"z":"é/€"},"b":[1,-2,true,null]}'.encode()


def test_escapes() -> None:
    text = '"\\\b\f\n\r\t\x00\x1f\x7f'
    expected = b'"\\"\\\\\\b\\f\\n\\r\\t\\u0000\\u001f\x7f"'
    assert canonical_json(text) == expected


@pytest.mark.parametrize(
    "value", [1.5, 2**53, -(2**53), {1: "x"}, {"é": 1}, "\ud800", b"bytes", {"a": [1.0]}]
)
def test_rejects_what_is_not_allowed(value: object) -> None:
    with pytest.raises(InvalidEncoding):
        canonical_json(value)


def test_field_of_bad_value_is_named() -> None:
    with pytest.raises(InvalidEncoding) as caught:
        canonical_json({"answers": [{"choices": [0.5]}]})
    assert caught.value.field == "answers[0].choices[0]"


def test_digest_is_sha256_of_canonical() -> None:
    import hashlib

    assert digest({"x": 1}) == hashlib.sha256(b'{"x":1}').digest()


@pytest.mark.parametrize(
    "data",
    [
        b'{"a":1,"a":2}',
        b'{"a":1.0}',
        b'{"a":1e3}',
        b'{"a":NaN}',
        b'{"a":Infinity}',
        b'{"a":9007199254740992}',
        b'\xef\xbb\xbf{"a":1}',
        b'{"a":"\xff"}',
        b'{"a":1',
        b"",
        b"[" * 100000,
    ],
)
def test_parser_rejects(data: bytes) -> None:
    with pytest.raises(InvalidEncoding) as caught:
        parse_json(data, field="ballot")
    assert caught.value.field == "ballot"


def test_parser_round_trip() -> None:
    data = b'{"a":[1,-2,"\\u00e9"],"b":null}'
    assert parse_json(data) == {"a": [1, -2, "é"], "b": None}
    assert canonical_json(parse_json(data)) == '{"a":[1,-2,"é"],"b":null}'.encode()


def test_unchecked_form_equals_checked_form() -> None:
    from omov.crypto.canonical import canonical_json_unchecked

    value = {"b": [1, -2, True, None, "é\n"], "a": {"z": "x"}}
    assert canonical_json_unchecked(value) == canonical_json(value)


def test_subclasses_of_allowed_types_take_the_slow_path_and_pass() -> None:
    from collections import OrderedDict

    value = OrderedDict([("b", 1), ("a", (True, None))])
    assert canonical_json(value) == b'{"a":[true,null],"b":1}'


@pytest.mark.parametrize(
    "data",
    [
        b'{"a":1,"a":2}',
        b'{"a":1,"a":1}',
        b'{"a":1.0}',
        b'{"a":NaN}',
        b'{"a":9007199254740992}',
        b'{"a":-0}',
        b'{"a": 1}',
        b' {"a":1}',
        b'{"b":1,"a":2}',
        b'{"a":"\\u0041"}',
        b'{"\\u00e9":1}',
        b'{"a":"\\ud800"}',
        '{"a":"é"}'.encode(),
        b'{"a":1',
        b"[" * 100000,
    ],
)
def test_parse_canonical_refuses_what_is_not_exactly_canonical(data: bytes) -> None:
    assert parse_canonical(data) is None


@given(json_values)
def test_parse_canonical_reads_every_ascii_canonical_encoding(value: object) -> None:
    data = canonical_json(value)
    assert parse_canonical(data) == (value if data.isascii() else None)

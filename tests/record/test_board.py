"""The bulletin board: entry lines, hashes, the chain and the order of kinds."""

from __future__ import annotations

import hashlib
from array import array
from pathlib import Path

import pytest

from omov.crypto.canonical import canonical_json
from omov.record.board import GENESIS, ChainChecker, is_entry_time, make_entry, parse_entry
from omov.record.errors import RecordError, RecordUnreadable
from omov.record.reader import read_lines, read_lines_at
from omov.record.writer import RecordWriter

AT = "2026-12-01T09:00:00.000000Z"
TAIL = b'","time":"' + AT.encode() + b'"}'


def test_entry_line_is_canonical_and_hash_is_sha256_of_it() -> None:
    entry = make_entry(0, "manifest", GENESIS, {"title": "Vote", "b": [1, 2]}, AT)
    assert entry.line == (
        b'{"body":{"b":[1,2],"title":"Vote"},"index":0,"kind":"manifest","previous":"'
        + b"0" * 64 + TAIL
    )
    assert entry.hash == hashlib.sha256(entry.line).digest()


def test_parse_entry_round_trips() -> None:
    entry = make_entry(3, "open", b"\x01" * 32, {"fingerprint": "ab", "opened_at": "t"}, AT)
    parsed = parse_entry(entry.line, 3)
    assert (parsed.kind, parsed.previous, parsed.body, parsed.hash) == (
        "open", b"\x01" * 32, {"fingerprint": "ab", "opened_at": "t"}, entry.hash)


def test_body_json_is_the_canonical_body_inside_the_line() -> None:
    body = {"b": [1, {"a": 1, "index": 2}], "index": 3}
    entry = make_entry(12, "ballot", b"\x02" * 32, body, AT)
    assert entry.body_json == canonical_json(body)
    assert parse_entry(entry.line, 12).body_json == canonical_json(body)


def test_parse_entry_rejects_non_canonical_line() -> None:
    line = make_entry(0, "manifest", GENESIS, {"a": 1}, AT).line.replace(b'"a":1', b'"a": 1')
    with pytest.raises(RecordError, match="not canonical JSON"):
        parse_entry(line, 0)


@pytest.mark.parametrize(("body", "field", "reason"), [
    (b'{"\\u00e9":1}', "body", "object keys must be ASCII strings"),
    (b'"\\ud800"', None, "string holds a lone surrogate"),
])
def test_parse_entry_names_json_that_canonical_json_cannot_hold(
    body: bytes, field: str | None, reason: str
) -> None:
    line = b'{"body":' + body + b',"index":0,"kind":"manifest","previous":"' + b"0" * 64 + TAIL
    with pytest.raises(RecordError, match="not canonical JSON") as caught:
        parse_entry(line, 0)
    assert (caught.value.field, caught.value.reason.endswith(reason)) == (field, True)


def test_parse_entry_rejects_wrong_index_and_unknown_kind() -> None:
    with pytest.raises(RecordError, match="index is 1 but this is line 0"):
        parse_entry(make_entry(1, "manifest", GENESIS, {}, AT).line, 0)
    line = make_entry(0, "manifest", GENESIS, {}, AT).line.replace(b"manifest", b"gossip")
    with pytest.raises(RecordError, match="unknown entry kind 'gossip'"):
        parse_entry(line, 0)


@pytest.mark.parametrize("time", [
    "2026-12-01T09:00:00Z", "2026-12-01T09:00:00.000Z", "2026-12-01T09:00:00.0000000Z",
    "2026-12-01T09:00:00.000000+00:00", "2026-02-30T09:00:00.000000Z",
    "2026-12-01T24:00:00.000000Z", "2026-12-01 09:00:00.000000Z", 1764579600,
])
def test_parse_entry_refuses_a_time_stamp_not_of_the_one_form(time: object) -> None:
    entry = make_entry(0, "manifest", GENESIS, {}, AT)
    line = canonical_json({"body": {}, "index": 0, "kind": "manifest", "previous": "0" * 64,
                           "time": time})
    assert not is_entry_time(time)
    assert parse_entry(entry.line, 0).time == AT
    with pytest.raises(RecordError, match=r"YYYY-MM-DDTHH:MM:SS\.ffffffZ") as caught:
        parse_entry(line, 0)
    assert caught.value.field == "time"


def test_an_entry_without_a_time_stamp_is_refused() -> None:
    line = canonical_json({"body": {}, "index": 0, "kind": "manifest", "previous": "0" * 64})
    with pytest.raises(RecordError, match="exactly body, index, kind, previous and time"):
        parse_entry(line, 0)


def test_the_writer_never_stamps_a_time_before_the_last(tmp_path: Path) -> None:
    stamps = iter(["2026-12-01T09:00:01.000000Z", "2026-12-01T09:00:00.500000Z"])
    with RecordWriter(tmp_path / "r.omov.jsonl", clock=lambda: next(stamps)) as writer:
        first = writer.append("manifest", {})
        second = writer.append("trustee_commitment", {})
    assert first.time == second.time == "2026-12-01T09:00:01.000000Z"


@pytest.mark.parametrize("line", [b'{"body":', b'{"body":NaN}', b"[1,]"])
def test_parse_entry_not_json_is_unreadable(line: bytes) -> None:
    with pytest.raises(RecordUnreadable, match="not a JSON line"):
        parse_entry(line, 0)


@pytest.mark.parametrize(("line", "reason"), [
    (b'{"body":{"a":1.5},"index":0,"kind":"manifest","previous":"x"}', "not an integer"),
    (b'{"body":{"a":1,"a":2},"index":0,"kind":"manifest","previous":"x"}', "duplicate key"),
    (b'{"body":{"a":9007199254740992},"index":0,"kind":"manifest","previous":"x"}',
     "out of range"),
    ('\ufeff{"body":{}}'.encode(), "byte order mark"),
])
def test_parse_entry_json_that_breaks_canonical_form_is_invalid(line: bytes,
                                                                 reason: str) -> None:
    with pytest.raises(RecordError, match="not canonical JSON") as caught:
        parse_entry(line, 0)
    assert reason in caught.value.reason


def _chain(kinds: list[str]) -> ChainChecker:
    chain = ChainChecker()
    previous = GENESIS
    for index, kind in enumerate(kinds):
        entry = make_entry(index, kind, previous, {}, AT)
        chain.check(index, kind, previous, entry.hash)
        previous = entry.hash
    return chain


def test_chain_accepts_the_order_of_section_10() -> None:
    chain = _chain(["manifest", "trustee_commitment", "trustee_shares", "trustee_complaint",
                    "trustee_shares", "joint_key", "credential_roll", "open", "ballot",
                    "audited_ballot", "revocation", "ballot", "close", "tally",
                    "partial_decryption", "partial_decryption", "result"])
    assert chain.phase == "closing"
    assert chain.count == 17


def test_chain_rejects_kinds_out_of_order() -> None:
    with pytest.raises(RecordError, match="a ballot entry may not follow a close entry"):
        _chain(["manifest", "joint_key", "credential_roll", "open", "close", "ballot"])
    with pytest.raises(RecordError, match="entry 0 must be the manifest"):
        _chain(["open"])
    with pytest.raises(RecordError, match="a second tally entry"):
        _chain(["manifest", "close", "tally", "tally"])


def test_chain_rejects_broken_link_once() -> None:
    chain = ChainChecker()
    first = make_entry(0, "manifest", GENESIS, {}, AT)
    chain.check(0, "manifest", GENESIS, first.hash)
    stray = make_entry(1, "trustee_commitment", b"\x07" * 32, {}, AT)
    with pytest.raises(RecordError, match="previous is not the hash of entry 0"):
        chain.check(1, stray.kind, stray.previous, stray.hash)
    following = make_entry(2, "trustee_commitment", stray.hash, {}, AT)
    chain.check(2, following.kind, following.previous, following.hash)


def test_writer_and_reader_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "r.omov.jsonl"
    with RecordWriter(path) as writer:
        first = writer.append("manifest", {"x": "é"})
        second_hash = writer.append_canonical("open", b'{"fingerprint":"00"}')
    lines = list(read_lines(path))
    assert [index for index, _ in lines] == [0, 1]
    assert lines[0][1] == first.line
    assert parse_entry(lines[1][1], 1).previous == first.hash
    assert hashlib.sha256(lines[1][1]).digest() == second_hash


def test_lines_are_read_again_at_the_offsets_the_reader_noted(tmp_path: Path) -> None:
    path = tmp_path / "r.omov.jsonl"
    path.write_bytes(b'{"a":"\xc3\xa9"}\n{"b":2}\n{"c":3}\n')
    offsets: array[int] = array("Q")
    lines = [line for _, line in read_lines(path, offsets)]
    assert list(offsets) == [0, 11, 19]
    assert list(read_lines_at(path, [offsets[2], offsets[0]])) == [lines[2], lines[0]]


def test_reader_reports_unreadable_files(tmp_path: Path) -> None:
    with pytest.raises(RecordUnreadable, match="cannot open"):
        list(read_lines(tmp_path / "missing.jsonl"))
    empty = tmp_path / "empty.jsonl"
    empty.write_bytes(b"")
    with pytest.raises(RecordUnreadable, match="is empty"):
        list(read_lines(empty))
    cut = tmp_path / "cut.jsonl"
    cut.write_bytes(b'{"a":1}\n{"b":')
    with pytest.raises(RecordUnreadable, match="line 1: the last line has no newline"):
        list(read_lines(cut))
    latin = tmp_path / "latin.jsonl"
    latin.write_bytes(b'{"a":"\xe9"}\n')
    with pytest.raises(RecordUnreadable, match="line 0: not UTF-8"):
        list(read_lines(latin))


def test_only_the_roll_line_may_exceed_8_mib(tmp_path: Path) -> None:
    big = ["ab" * 32] * 130_000
    roll = tmp_path / "roll.jsonl"
    with RecordWriter(roll) as writer:
        writer.append("manifest", {})
        writer.append("credential_roll", {"credentials": big})
    assert len(list(read_lines(roll))[1][1]) > 8 * 1024 * 1024
    other = tmp_path / "other.jsonl"
    with RecordWriter(other) as writer:
        writer.append("manifest", {"padding": big})
    with pytest.raises(RecordError, match="longer than 8 MiB"):
        list(read_lines(other))

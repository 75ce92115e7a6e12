// tests/vectors/board.json: board entry lines and hashes reproduced byte for byte,
// and the lines whose entry (its members or its time stamp, 10.1) is refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toHex } from '../src/protocol/bytes.js';
import { entryHash, entryLine, isEntryTime, parseEntry } from '../src/protocol/board.js';
import { InvalidEncoding } from '../src/protocol/errors.js';
import { assertSameJson, loadVectors } from './vectors.js';

const BOARD = loadVectors('board.json');

test('board vectors: every entry line and hash, and the chain', () => {
  assert.ok(BOARD.entries.length >= 4);
  let previous = '00'.repeat(32);
  for (const v of BOARD.entries) {
    assert.equal(v.previous, previous);
    const line = entryLine(v.index, v.kind, v.previous, v.body, v.time);
    assert.equal(new TextDecoder().decode(line), v.line);
    assert.equal(entryHash(line), v.hash);
    const parsed = parseEntry(v.line, v.index);
    assertSameJson(parsed.body, v.body);
    assert.equal(parsed.time, v.time);
    previous = toHex(new Uint8Array(Buffer.from(v.hash, 'hex')));
  }
});

test('board vectors: refused lines, naming the same member as Python', () => {
  assert.ok(BOARD.rejected.length > 0);
  for (const v of BOARD.rejected) {
    assert.throws(() => parseEntry(v.line, 0), (error) => {
      assert.ok(error instanceof InvalidEncoding, v.reason);
      assert.equal(error.field ?? null, v.field, v.reason);
      return true;
    }, v.reason);
  }
});

test('an entry time is refused by the writer too', () => {
  assert.equal(isEntryTime('2026-12-01T09:00:00.000000Z'), true);
  assert.throws(() => entryLine(0, 'manifest', '00'.repeat(32), {}, '2026-12-01T09:00:00Z'), InvalidEncoding);
});

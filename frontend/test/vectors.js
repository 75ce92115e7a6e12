// Loading the shared test vectors of tests/vectors/ (written by the Python generators).
import { readFileSync } from 'node:fs';
import assert from 'node:assert/strict';
import { canonicalJsonString } from '../src/protocol/canonical.js';
import { TestRng } from '../src/protocol/rng.js';
import { Point, Scalar } from '../src/protocol/group.js';
import { fromHex } from '../src/protocol/bytes.js';

const DIR = new URL('../../tests/vectors/', import.meta.url);

/** The parsed vector file `name`; a missing file fails the test (nothing is skipped). */
export function loadVectors(name) {
  return JSON.parse(readFileSync(new URL(name, DIR), 'utf8'));
}

/** A TestRng seeded with the ASCII/UTF-8 bytes of `seed`. */
export function seeded(seed) {
  return new TestRng(new TextEncoder().encode(seed));
}

/** Byte-for-byte equality of two JSON values through their canonical form. */
export function assertSameJson(actual, expected, message) {
  const plain = JSON.parse(JSON.stringify(actual));
  assert.equal(canonicalJsonString(plain), canonicalJsonString(expected), message);
}

/** A typed transcript or context item `{"type", "value"}` of tests/vectors/generate.py. */
export function item({ type, value }) {
  switch (type) {
    case 'point': return Point.fromHex(value, null, true);
    case 'scalar': return Scalar.fromHex(value);
    case 'bytes': return fromHex(value);
    case 'string':
    case 'int': return value;
    default: throw new Error(`unknown item type ${type}`);
  }
}

/** Assert that `run` throws the error class named `error` (and carries `field`, if given). */
export function assertRejected(run, { error, field }, message) {
  assert.throws(run, (e) => {
    assert.equal(e.constructor.name, error, `${message}: ${e.message}`);
    if (field !== undefined) assert.equal(e.field, field, `${message}: ${e.message}`);
    return true;
  }, message);
}

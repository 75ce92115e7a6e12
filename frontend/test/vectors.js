// Loading the shared test vectors of tests/vectors/ (written by the Python generators).
import { readFileSync } from 'node:fs';
import assert from 'node:assert/strict';
import { canonicalJsonString } from '../src/protocol/canonical.js';
import { TestRng } from '../src/protocol/rng.js';

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
  assert.equal(canonicalJsonString(actual), canonicalJsonString(expected), message);
}

// The browser's shuffle (section 14): wrong shuffles and malformed input are rejected.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encrypt } from '../src/protocol/elgamal.js';
import { InvalidEncoding, InvalidProof } from '../src/protocol/errors.js';
import { G } from '../src/protocol/group.js';
import { TestRng } from '../src/protocol/rng.js';
import {
  ShuffleContext, ShuffleProof, proveShuffle, rowsFromJSON, rowsToJSON, shuffleRows, verifyShuffle,
} from '../src/protocol/shuffle.js';

const rng = (seed) => new TestRng(new TextEncoder().encode(seed));
const KEY = G.mul(rng('key').scalar());
const CONTEXT = new ShuffleContext(new Uint8Array(32).fill(7), 'committee', 1);

function shuffled(n, width) {
  const source = rng('rows');
  const input = Array.from({ length: n }, (_, j) => Array.from({ length: width }, (_, k) => encrypt(KEY, j + k, source.scalar())));
  const r = rng('shuffle');
  const { output, permutation, randomness } = shuffleRows(KEY, input, r);
  return { input, output, permutation, randomness, proof: proveShuffle(KEY, input, output, permutation, randomness, CONTEXT, r) };
}

test('shuffle: an honest shuffle verifies; a swap within a row or another key does not', () => {
  const { input, output, permutation, randomness, proof } = shuffled(3, 2);
  verifyShuffle(KEY, input, output, proof, CONTEXT);
  const swapped = output.map((row, j) => (j === 0 ? [row[1], row[0]] : row));
  const cheat = proveShuffle(KEY, input, swapped, permutation, randomness, CONTEXT, rng('cheat'));
  assert.throws(() => verifyShuffle(KEY, input, swapped, cheat, CONTEXT), (e) => e instanceof InvalidProof && e.field === 'proof');
  const other = G.mul(rng('other').scalar());
  assert.throws(() => verifyShuffle(other, input, output, proof, CONTEXT), InvalidProof);
  assert.throws(() => verifyShuffle(KEY, input, output, proof, new ShuffleContext(CONTEXT.fingerprint, 'committee', 2)), InvalidProof);
});

test('shuffle: sizes and shapes are checked and the member at fault is named', () => {
  const { input, output, proof } = shuffled(2, 2);
  assert.throws(() => verifyShuffle(KEY, input, [output[0], output[1].slice(1)], proof, CONTEXT),
    (e) => e instanceof InvalidProof && e.field === 'output[1]');
  assert.throws(() => verifyShuffle(KEY, [], [], proof, CONTEXT), (e) => e instanceof InvalidProof && e.field === 'input');
  const json = JSON.parse(JSON.stringify(proof));
  assert.throws(() => ShuffleProof.fromJSON({ ...json, s_hat: json.s_hat.slice(1) }), (e) => e instanceof InvalidEncoding && e.field === 's_hat');
  assert.throws(() => ShuffleProof.fromJSON({ ...json, extra: 1 }), (e) => e instanceof InvalidEncoding && e.field === 'extra');
  assert.throws(() => ShuffleProof.fromJSON({ ...json, s2: 'ff'.repeat(32) }), (e) => e instanceof InvalidEncoding && e.field === 's2');
  const rows = rowsToJSON(input);
  assert.throws(() => rowsFromJSON([rows[0], rows[1].slice(1)], 'input'), (e) => e instanceof InvalidEncoding && e.field === 'input[1]');
  assert.throws(() => rowsFromJSON([], 'input'), (e) => e instanceof InvalidEncoding && e.field === 'input');
});

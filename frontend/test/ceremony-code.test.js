// tests/vectors/ceremony_code.json (tests/vectors/generate_ceremony.py), reproduced byte for byte.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fromHex, toHex } from '../src/protocol/bytes.js';
import { checkCommitment } from '../src/protocol/dkg.js';
import { ceremonyCode, ceremonyInput } from '../src/pages/lib/ceremony_code.js';
import { loadVectors } from './vectors.js';

const V = loadVectors('ceremony_code.json');

function read(c) {
  const digest = fromHex(c.manifest_digest);
  const commitments = new Map();
  for (const body of c.commitments) {
    commitments.set(body.trustee, checkCommitment(digest, body, V.trustees, V.threshold));
  }
  return { digest, commitments };
}

test('ceremony code vectors: the hashed bytes and the code', () => {
  assert.ok(V.cases.length >= 5);
  for (const c of V.cases) {
    const { digest, commitments } = read(c);
    assert.equal(toHex(ceremonyInput(digest, commitments)), c.input, c.name);
    assert.equal(ceremonyCode(digest, commitments), c.code, c.name);
    assert.match(c.code, /^[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}$/);
  }
});

test('order does not matter; a forged, missing or foreign commitment changes the code', () => {
  const [honest, reordered, forged, missing, other] = V.cases.map((c) => c.code);
  assert.equal(honest, reordered);
  for (const code of [forged, missing, other]) assert.notEqual(code, honest);
});

test('a commitment filed under the wrong trustee is refused', () => {
  const { digest, commitments } = read(V.cases[0]);
  const swapped = new Map([[1, commitments.get(2)], [2, commitments.get(1)]]);
  assert.throws(() => ceremonyInput(digest, swapped), /filed under trustee 1/);
});

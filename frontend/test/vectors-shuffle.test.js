// tests/vectors/shuffle.json (tests/vectors/generate_shuffle.py), reproduced byte for byte.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fromHex, toHex } from '../src/protocol/bytes.js';
import { encrypt } from '../src/protocol/elgamal.js';
import { G, Point, Scalar } from '../src/protocol/group.js';
import {
  CHAIN_BASE, ShuffleContext, ShuffleProof, generators, proveShuffle, rowsDigest, rowsFromJSON, rowsToJSON,
  shuffleRows, shuffleWeights, verifyShuffle,
} from '../src/protocol/shuffle.js';
import { assertRejected, assertSameJson, loadVectors, seeded } from './vectors.js';

const V = loadVectors('shuffle.json');
const SECRET = Scalar.fromHex(V.secret_key);
const KEY = Point.fromHex(V.public_key);
const context = (c) => new ShuffleContext(fromHex(c.fingerprint), c.question, c.trustee);

test('shuffle vectors: the generators and the chain base', () => {
  assert.equal(G.mul(SECRET).hex(), V.public_key);
  assert.deepEqual(generators(V.generators.length).map((h) => h.hex()), V.generators);
  assert.equal(CHAIN_BASE.hex(), V.chain_base);
});

for (const C of V.cases) {
  test(`shuffle vectors: ${C.name} (${C.rows} rows of width ${C.width}) shuffles, proves and verifies`, () => {
    const source = seeded(`shuffle-input-${C.name}`);
    const input = Array.from({ length: C.rows }, (_, j) => Array.from(
      { length: C.width }, (_, k) => encrypt(KEY, (j + k) % (C.width + 1), source.scalar()),
    ));
    assertSameJson(rowsToJSON(input), C.input, 'input rows');
    const rng = seeded(`shuffle-${C.name}`);
    const { output, permutation, randomness } = shuffleRows(KEY, input, rng);
    assert.deepEqual(permutation, C.permutation);
    assertSameJson(randomness.map((row) => row.map((r) => r.hex())), C.randomness, 'randomness');
    assertSameJson(rowsToJSON(output), C.output, 'output rows');
    assert.equal(toHex(rowsDigest(input)), C.input_digest);
    assert.equal(toHex(rowsDigest(output)), C.output_digest);
    assert.deepEqual(shuffleWeights(Scalar.fromHex(C.seed).value, C.rows).map((u) => new Scalar(u).hex()), C.weights);
    const proof = proveShuffle(KEY, input, output, permutation, randomness, context(C.context), rng);
    assertSameJson(proof.toJSON(), C.proof, 'proof');
    verifyShuffle(KEY, rowsFromJSON(C.input, 'input'), rowsFromJSON(C.output, 'output'),
      ShuffleProof.fromJSON(C.proof), context(C.context));
  });
}

test('shuffle vectors: every altered shuffle is rejected with the error Python reports', () => {
  const C = V.cases.find((c) => c.name === V.rejected.case);
  const input = rowsFromJSON(C.input, 'input');
  for (const bad of V.rejected.variants) {
    assertRejected(
      () => verifyShuffle(KEY, input, rowsFromJSON(bad.output, 'output'), ShuffleProof.fromJSON(bad.proof), context(bad.context)),
      { error: bad.error, field: bad.field },
      bad.description,
    );
  }
});

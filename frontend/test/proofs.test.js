import { test } from 'node:test';
import assert from 'node:assert/strict';
import { G, Scalar } from '../src/protocol/group.js';
import { encrypt } from '../src/protocol/elgamal.js';
import { InvalidProof } from '../src/protocol/errors.js';
import { DleqProof, SchnorrProof, ValueSetProof } from '../src/protocol/proofs.js';
import { TestRng } from '../src/protocol/rng.js';

const rng = () => new TestRng(new TextEncoder().encode('proofs'));
const json = (v) => JSON.parse(JSON.stringify(v));

test('Schnorr: proves, verifies, and rejects another context or key', () => {
  const r = rng();
  const x = r.scalar();
  const proof = SchnorrProof.prove('demo', ['ctx', 1], x, r);
  const read = SchnorrProof.fromJSON(json(proof), 'sig');
  read.verify('demo', ['ctx', 1], G.mul(x));
  assert.throws(() => read.verify('demo', ['ctx', 2], G.mul(x), 'sig'), (e) => e instanceof InvalidProof && e.field === 'sig');
  assert.throws(() => read.verify('other', ['ctx', 1], G.mul(x)), InvalidProof);
  assert.throws(() => read.verify('demo', ['ctx', 1], G.mul(x.add(Scalar.fromInt(1)))), InvalidProof);
});

test('DLEQ: proves equal logs and rejects a wrong D', () => {
  const r = rng();
  const x = r.scalar();
  const A = G.mul(r.scalar());
  const proof = DleqProof.fromJSON(json(DleqProof.prove('dleq', [7], x, A, r)));
  proof.verify('dleq', [7], G.mul(x), A, A.mul(x));
  assert.throws(() => proof.verify('dleq', [7], G.mul(x), A, A.mul(x).add(G)), InvalidProof);
});

test('value set: every true index verifies; a value outside the set cannot be proved', () => {
  const r = rng();
  const Y = G.mul(r.scalar());
  const values = [1, 2, 3, 4];
  values.forEach((v, t) => {
    const rand = r.scalar();
    const ct = encrypt(Y, v, rand);
    const proof = ValueSetProof.fromJSON(json(ValueSetProof.prove('sum', ['q'], Y, ct, values, t, rand, r)), 'p', 4);
    proof.verify('sum', ['q'], Y, ct, values);
    assert.throws(() => proof.verify('sum', ['q'], Y, ct, [0, 2, 3, 4]), InvalidProof);
  });
  const rand = r.scalar();
  const ct = encrypt(Y, 5, rand);
  const forged = ValueSetProof.prove('sum', ['q'], Y, ct, values, 3, rand, r);
  assert.throws(() => forged.verify('sum', ['q'], Y, ct, values), InvalidProof);
});

test('value set: lists of the wrong length are rejected with the field', () => {
  const r = rng();
  const Y = G.mul(r.scalar());
  const rand = r.scalar();
  const ct = encrypt(Y, 0, rand);
  const proof = json(ValueSetProof.prove('option', [], Y, ct, [0, 1], 0, rand, r));
  proof.challenges.pop();
  assert.throws(() => ValueSetProof.fromJSON(proof, 'answers[0].proofs[0]', 2), (e) => e.field === 'answers[0].proofs[0].challenges');
});

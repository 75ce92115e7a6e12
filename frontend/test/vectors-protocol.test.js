// tests/vectors/proofs.json, ballots.json and credentials.json, reproduced byte for byte.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fromHex, toHex } from '../src/protocol/bytes.js';
import { ElectionContext, ballotHash, checkAudit, encryptBallot, tracker, verifyBallot } from '../src/protocol/ballot.js';
import {
  credentialSecret, newCode, normaliseCode, publicCredential, signRoll, verifyRoll,
} from '../src/protocol/credentials.js';
import { Ciphertext, encrypt } from '../src/protocol/elgamal.js';
import { Point, Scalar } from '../src/protocol/group.js';
import { DleqProof, SchnorrProof, ValueSetProof } from '../src/protocol/proofs.js';
import { QuestionRule } from '../src/protocol/questions.js';
import { assertRejected, assertSameJson, item, loadVectors, seeded } from './vectors.js';

const PROOFS = loadVectors('proofs.json');
const BALLOTS = loadVectors('ballots.json');
const CREDENTIALS = loadVectors('credentials.json');

function verifyProof(kind, v) {
  const context = v.context.map(item);
  if (kind === 'schnorr') {
    SchnorrProof.fromJSON(v.proof).verify(v.tag, context, Point.fromHex(v.public));
  } else if (kind === 'dleq') {
    DleqProof.fromJSON(v.proof).verify(v.tag, context, Point.fromHex(v.public), Point.fromHex(v.base_a), Point.fromHex(v.result_d));
  } else {
    ValueSetProof.fromJSON(v.proof).verify(v.tag, context, Point.fromHex(v.public_key), Ciphertext.fromJSON(v.ciphertext), v.values);
  }
}

test('proof vectors: Schnorr and DLEQ proofs reproduced and verified', () => {
  assert.ok(PROOFS.schnorr.length > 0 && PROOFS.dleq.length > 0);
  for (const v of PROOFS.schnorr) {
    const secret = Scalar.fromHex(v.secret);
    assert.equal(publicCredential(secret).hex(), v.public);
    assertSameJson(SchnorrProof.prove(v.tag, v.context.map(item), secret, seeded(v.seed)), v.proof, v.seed);
    verifyProof('schnorr', v);
  }
  for (const v of PROOFS.dleq) {
    const secret = Scalar.fromHex(v.secret);
    const baseA = Point.fromHex(v.base_a);
    assert.equal(baseA.mul(secret).hex(), v.result_d);
    assertSameJson(DleqProof.prove(v.tag, v.context.map(item), secret, baseA, seeded(v.seed)), v.proof, v.seed);
    verifyProof('dleq', v);
  }
});

test('proof vectors: value-set proofs reproduced and verified', () => {
  assert.ok(PROOFS.value_set.length > 0);
  for (const v of PROOFS.value_set) {
    const key = Point.fromHex(v.public_key);
    const randomness = Scalar.fromHex(v.randomness);
    const ciphertext = encrypt(key, v.values[v.true_index], randomness);
    assertSameJson(ciphertext, v.ciphertext, v.seed);
    const proof = ValueSetProof.prove(v.tag, v.context.map(item), key, ciphertext, v.values, v.true_index, randomness, seeded(v.seed));
    assertSameJson(proof, v.proof, v.seed);
    verifyProof('value_set', v);
  }
});

test('proof vectors: rejected proofs', () => {
  assert.ok(PROOFS.rejected.length > 0);
  for (const v of PROOFS.rejected) assertRejected(() => verifyProof(v.kind, v), v, v.reason);
});

const contexts = new Map(
  BALLOTS.elections.map((e) => [
    e.name,
    new ElectionContext(fromHex(e.fingerprint), Point.fromHex(e.public_key), e.rules.map((r) => new QuestionRule(r.options, r.min, r.max, r.ranked === true))),
  ]),
);

test('ballot vectors: encrypted, signed, hashed and tracked byte for byte', () => {
  assert.ok(BALLOTS.ballots.length > 0);
  for (const v of BALLOTS.ballots) {
    const ctx = contexts.get(v.election);
    const secret = credentialSecret(fromHex(v.manifest_digest), v.code);
    assert.equal(secret.hex(), v.credential_secret);
    const prepared = encryptBallot(ctx, secret, v.selections, seeded(v.seed));
    assertSameJson(prepared.ballot, v.ballot, v.seed);
    assert.equal(toHex(prepared.hash), v.ballot_hash);
    assert.equal(prepared.tracker, v.tracker);
    assertSameJson(prepared.auditReveal(), v.audit_reveal);
    const verified = verifyBallot(ctx, v.ballot);
    assert.equal(toHex(verified.hash), v.ballot_hash);
    assert.equal(tracker(ballotHash(v.ballot)), v.tracker);
    assert.deepEqual(checkAudit(ctx, v.audit_reveal), v.selections);
  }
});

test('ballot vectors: every rejected ballot fails with the same error and field', () => {
  assert.ok(BALLOTS.rejected.length > 0);
  for (const v of BALLOTS.rejected) assertRejected(() => verifyBallot(contexts.get(v.election), v.ballot), v, v.description);
});

test('ballot vectors: every rejected audit reveal fails with the same error and field', () => {
  assert.ok(BALLOTS.rejected_audits.length > 0);
  for (const v of BALLOTS.rejected_audits) assertRejected(() => checkAudit(contexts.get(v.election), v.reveal), v, v.description);
});

test('credential vectors: codes, normalisation and keys', () => {
  assert.ok(CREDENTIALS.codes.length > 0);
  for (const v of CREDENTIALS.codes) assert.equal(newCode(fromHex(v.random)), v.code);
  for (const v of CREDENTIALS.normalise) {
    if ('code' in v) assert.equal(normaliseCode(v.input), v.code, v.input);
    else assertRejected(() => normaliseCode(v.input), v, JSON.stringify(v.input));
  }
  for (const v of CREDENTIALS.keys) {
    const secret = credentialSecret(fromHex(v.manifest_digest), v.code);
    assert.equal(secret.hex(), v.secret);
    assert.equal(publicCredential(secret).hex(), v.public);
  }
});

test('credential vectors: the signed roll', () => {
  const v = CREDENTIALS.roll;
  const digest = fromHex(v.manifest_digest);
  const roll = signRoll(digest, Scalar.fromHex(v.authority_secret), v.credentials.map((c) => Point.fromHex(c)), seeded(v.seed));
  assertSameJson(roll, v.roll);
  assert.equal(verifyRoll(digest, Point.fromHex(v.authority_key), v.roll).length, v.roll.credentials.length);
});

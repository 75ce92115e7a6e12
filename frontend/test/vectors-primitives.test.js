// tests/vectors/group.json, canonical.json and transcript.json, reproduced byte for byte.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sha256 } from '@noble/hashes/sha2.js';
import { fromHex, toHex } from '../src/protocol/bytes.js';
import { canonicalJson, parseJson } from '../src/protocol/canonical.js';
import { G, Point, Scalar, baseMult } from '../src/protocol/group.js';
import { challenge, transcriptBytes } from '../src/protocol/transcript.js';
import { assertRejected, item, loadVectors, seeded } from './vectors.js';

const GROUP = loadVectors('group.json');
const CANONICAL = loadVectors('canonical.json');
const TRANSCRIPT = loadVectors('transcript.json');

test('group vectors: scalar encodings and arithmetic', () => {
  assert.ok(GROUP.scalars.length > 0 && GROUP.scalar_arithmetic.length > 0);
  for (const { decimal, hex } of GROUP.scalars) {
    assert.equal(Scalar.fromInt(BigInt(decimal)).hex(), hex);
    assert.equal(Scalar.fromHex(hex).value, BigInt(decimal));
  }
  for (const v of GROUP.scalar_arithmetic) {
    const a = Scalar.fromHex(v.a);
    const b = Scalar.fromHex(v.b);
    assert.equal(a.add(b).hex(), v.sum);
    assert.equal(a.sub(b).hex(), v.difference);
    assert.equal(a.mul(b).hex(), v.product);
    assert.equal(a.neg().hex(), v.negation);
    assert.equal(a.inverse().hex(), v.inverse);
  }
  for (const v of GROUP.invalid_scalars) assertRejected(() => Scalar.fromHex(v.hex, 's'), v, v.reason);
});

test('group vectors: multiples, products, sums and invalid points', () => {
  for (const { n, point } of GROUP.multiples) {
    assert.equal(baseMult(Scalar.fromInt(n)).hex(), point);
    assert.equal(G.mulPublic(Scalar.fromInt(n)).hex(), point);
  }
  for (const v of GROUP.scalar_multiples) {
    const p = Point.fromHex(v.point);
    assert.equal(p.mul(Scalar.fromHex(v.scalar)).hex(), v.product);
    assert.equal(p.mulPublic(Scalar.fromHex(v.scalar)).hex(), v.product);
  }
  for (const v of GROUP.additions) {
    const p = Point.fromHex(v.p);
    const q = Point.fromHex(v.q);
    assert.equal(p.add(q).hex(), v.sum);
    assert.equal(p.sub(q).hex(), v.difference);
  }
  assert.ok(GROUP.invalid_points.length > 0);
  for (const v of GROUP.invalid_points) assertRejected(() => Point.fromHex(v.hex, 'p'), v, v.reason);
});

test('canonical vectors: canonical text, bytes and digest; rejected inputs', () => {
  assert.ok(CANONICAL.canonical.length > 0);
  for (const v of CANONICAL.canonical) {
    const bytes = canonicalJson(parseJson(v.text));
    assert.equal(toHex(bytes), v.canonical_hex, v.text);
    assert.equal(new TextDecoder().decode(bytes), v.canonical);
    assert.equal(toHex(sha256(bytes)), v.digest);
  }
  for (const v of CANONICAL.rejected) assertRejected(() => parseJson(fromHex(v.bytes)), v, v.reason);
});

test('transcript vectors: T(tag, items) and challenges; the test RNG', () => {
  assert.ok(TRANSCRIPT.transcripts.length > 0);
  for (const v of TRANSCRIPT.transcripts) {
    const items = v.items.map(item);
    assert.equal(toHex(transcriptBytes(v.tag, ...items)), v.transcript, v.tag);
    assert.equal(challenge(v.tag, ...items).hex(), v.challenge, v.tag);
  }
  for (const v of TRANSCRIPT.test_rng) {
    const rng = seeded(v.seed);
    assert.deepEqual(v.scalars.map(() => rng.scalar().hex()), v.scalars, v.seed);
  }
});

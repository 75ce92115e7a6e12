import { test } from 'node:test';
import assert from 'node:assert/strict';
import { G, IDENTITY, L, Point, Scalar, baseMult } from '../src/protocol/group.js';
import { InvalidEncoding } from '../src/protocol/errors.js';
import { fromHex, toHex } from '../src/protocol/bytes.js';

// RFC 9496 appendix A.1: encodings of the first multiples of the generator.
const MULTIPLES = [
  '0000000000000000000000000000000000000000000000000000000000000000',
  'e2f2ae0a6abc4e71a884a961c500515f58e30b6aa582dd8db6a65945e08d2d76',
  '6a493210f7499cd17fecb510ae0cea23a110e8d5b901f8acadd3095c73a3b919',
  '94741f5d5d52755ece4f23f044ee27d5d1ea1e2bd196b462166b16152a9d0259',
];

test('small multiples of G match RFC 9496', () => {
  MULTIPLES.forEach((hex, n) => {
    assert.equal(baseMult(Scalar.fromInt(n)).hex(), hex);
  });
  assert.equal(G.hex(), MULTIPLES[1]);
  assert.equal(IDENTITY.hex(), MULTIPLES[0]);
});

test('the identity is rejected unless allowed, and names the field', () => {
  assert.throws(() => Point.fromHex(MULTIPLES[0], 'credential'), (e) => e instanceof InvalidEncoding && e.field === 'credential');
  assert.ok(Point.fromHex(MULTIPLES[0], 'x', true).isIdentity());
});

test('non-canonical and invalid point encodings are rejected', () => {
  const bad = [
    '0100000000000000000000000000000000000000000000000000000000000000', // negative field element
    'ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f', // not below p
    'edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f', // p itself
    MULTIPLES[1].toUpperCase(),
    MULTIPLES[1].slice(2),
  ];
  for (const hex of bad) {
    assert.throws(() => Point.fromHex(hex, 'answers[0].choices[0].alpha'), (e) => {
      assert.ok(e instanceof InvalidEncoding);
      assert.equal(e.field, 'answers[0].choices[0].alpha');
      return true;
    }, hex);
  }
});

test('scalars: canonical encodings only, little-endian', () => {
  assert.equal(Scalar.fromInt(1).hex(), `01${'00'.repeat(31)}`);
  const lBytes = Scalar.fromInt(0).toBytes();
  let v = L;
  for (let i = 0; i < 32; i++) { lBytes[i] = Number(v & 0xffn); v >>= 8n; }
  assert.throws(() => Scalar.fromBytes(lBytes, 'response'), (e) => e instanceof InvalidEncoding && e.field === 'response');
  lBytes[0] -= 1;
  assert.equal(Scalar.fromBytes(lBytes).value, L - 1n);
  assert.throws(() => Scalar.fromHex('00', 's'), InvalidEncoding);
});

test('scalar arithmetic is mod L', () => {
  const a = Scalar.fromInt(L - 2n);
  const b = Scalar.fromInt(5);
  assert.equal(a.add(b).value, 3n);
  assert.equal(b.sub(a).value, 7n);
  assert.equal(a.neg().value, 2n);
  assert.equal(a.mul(a.inverse()).value, 1n);
  assert.equal(Scalar.fromInt(-1).value, L - 1n);
  assert.throws(() => Scalar.fromInt(0).inverse());
});

test('group law: (a+b)·G = a·G + b·G, and public and secret multiplication agree', () => {
  const a = Scalar.fromInt(123456789n);
  const b = Scalar.fromInt(L - 987654321n);
  assert.ok(baseMult(a.add(b)).equals(baseMult(a).add(baseMult(b))));
  const P = baseMult(a);
  assert.ok(P.mul(b).equals(P.mulPublic(b)));
  assert.ok(P.mul(Scalar.fromInt(0)).isIdentity());
  assert.equal(Point.fromHex(P.hex()).hex(), P.hex());
});

test('hex is strict lowercase and even-length', () => {
  assert.deepEqual(toHex(fromHex('00ff')), '00ff');
  assert.throws(() => fromHex('0F'), InvalidEncoding);
  assert.throws(() => fromHex('abc'), InvalidEncoding);
  assert.throws(() => fromHex(12), InvalidEncoding);
});

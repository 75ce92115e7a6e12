import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sha512 } from '@noble/hashes/sha2.js';
import { canonicalJsonString, parseJson } from '../src/protocol/canonical.js';
import { InvalidEncoding } from '../src/protocol/errors.js';
import { challenge, transcriptBytes } from '../src/protocol/transcript.js';
import { G, L, Scalar } from '../src/protocol/group.js';
import { TestRng } from '../src/protocol/rng.js';
import { toHex } from '../src/protocol/bytes.js';

test('canonical JSON sorts keys, drops white space and escapes only what 2.3 says', () => {
  assert.equal(canonicalJsonString({ b: [1, -2, true, null], a: 'x/é\u0001\n"\\' }), '{"a":"x/é\\u0001\\n\\"\\\\","b":[1,-2,true,null]}');
  assert.equal(canonicalJsonString({ '': {} , z: [] }), '{"":{},"z":[]}');
  assert.equal(canonicalJsonString('\u007f\u2028😀'), '"\u007f\u2028😀"');
});

test('canonical JSON rejects floats, big integers, lone surrogates and non-ASCII keys', () => {
  for (const bad of [1.5, 2 ** 53, -(2 ** 53), '\ud800', { é: 1 }, { a: undefined }, 10n]) {
    assert.throws(() => canonicalJsonString(bad), InvalidEncoding);
  }
  assert.throws(() => canonicalJsonString({ a: [1, 0.5] }), (e) => e.field === 'a[1]');
});

test('parseJson is strict: integers only, unique keys, valid UTF-8', () => {
  assert.deepEqual(parseJson(' {"a": [1, -0, "\\u00e9"], "b": {"c": null}} '), { a: [1, -0, 'é'], b: { c: null } });
  const rejects = ['{"a":1,"a":2}', '[1.0]', '[1e3]', '[01]', '{"a":1} x', '"\\ud800"', '[9007199254740992]', "{'a':1}", '[1,]'];
  for (const text of rejects) assert.throws(() => parseJson(text, 'body'), InvalidEncoding, text);
  assert.throws(() => parseJson(new Uint8Array([0x22, 0xff, 0x22])), InvalidEncoding);
  assert.throws(() => parseJson('{"a":{"b":1,"b":2}}'), (e) => e.field === 'a.b');
});

test('transcripts are length-prefixed as in 2.4', () => {
  const bytes = transcriptBytes('x', 1, 'hé', new Uint8Array([7]), G);
  const expected = [
    0, 0, 0, 9, ...new TextEncoder().encode('omov/v1/x'),
    0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0, 1,
    0, 0, 0, 3, 0x68, 0xc3, 0xa9,
    0, 0, 0, 1, 7,
    0, 0, 0, 32, ...G.toBytes(),
  ];
  assert.deepEqual([...bytes], expected);
});

test('a challenge is SHA-512 read little-endian mod L', () => {
  const digest = sha512(transcriptBytes('t', Scalar.fromInt(3)));
  let n = 0n;
  for (let i = 63; i >= 0; i--) n = (n << 8n) | BigInt(digest[i]);
  assert.equal(challenge('t', Scalar.fromInt(3)).value, n % L);
});

test('the test RNG draws challenge("test-rng", seed, i)', () => {
  const seed = new Uint8Array([1, 2]);
  const rng = new TestRng(seed);
  assert.equal(rng.scalar().hex(), challenge('test-rng', seed, 0).hex());
  assert.equal(rng.scalar().hex(), challenge('test-rng', seed, 1).hex());
  assert.notEqual(toHex(seed), '');
});

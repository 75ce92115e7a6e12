import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  credentialSecret, newCode, normaliseCode, publicCredential, signRoll, verifyRoll,
} from '../src/protocol/credentials.js';
import { InvalidCredential, InvalidProof } from '../src/protocol/errors.js';
import { G } from '../src/protocol/group.js';
import { TestRng } from '../src/protocol/rng.js';
import { challenge } from '../src/protocol/transcript.js';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** GF(32) product, carry-less then reduced by x^5 + x^2 + 1 (apart from the module's). */
function times(a, b) {
  let product = 0;
  for (let bit = 0; bit < 5; bit += 1) if ((b >> bit) & 1) product ^= a << bit;
  for (const bit of [8, 7, 6, 5]) if ((product >> bit) & 1) product ^= 0b100101 << (bit - 5);
  return product;
}

function syndromes(plain) {
  let weight = 1;
  let sum = 0;
  let weighted = 0;
  for (const symbol of plain) {
    const value = ALPHABET.indexOf(symbol);
    sum ^= value;
    weighted ^= times(weight, value);
    weight = times(weight, 2);
  }
  return [sum, weighted];
}

test('every single-symbol change and adjacent swap of 300 random codes is caught', () => {
  let tried = 0;
  for (let n = 0; n < 300; n += 1) {
    const plain = newCode().replaceAll('-', '');
    assert.equal(normaliseCode(plain), plain);
    const typos = [];
    for (let i = 0; i < 20; i += 1) {
      for (const other of ALPHABET) if (other !== plain[i]) typos.push(plain.slice(0, i) + other + plain.slice(i + 1));
      if (i < 19 && plain[i] !== plain[i + 1]) typos.push(plain.slice(0, i) + plain[i + 1] + plain[i] + plain.slice(i + 2));
    }
    for (const typo of typos) {
      assert.throws(() => normaliseCode(typo), InvalidCredential);
      tried += 1;
    }
  }
  assert.ok(tried > 300 * 620);
});

test('a new code is 20 symbols in groups of five with the check symbols of 6.1', () => {
  const code = newCode();
  assert.match(code, /^[0-9A-HJKMNP-TV-Z]{5}(-[0-9A-HJKMNP-TV-Z]{5}){3}$/);
  const plain = code.replaceAll('-', '');
  assert.deepEqual(syndromes(plain), [0, 0]);
  assert.equal(newCode(new Uint8Array(12)).replaceAll('-', '').slice(0, 18), '0'.repeat(18));
  assert.equal(newCode(new Uint8Array(12).fill(255)).replaceAll('-', '').slice(0, 18), 'Z'.repeat(18));
});

test('typed codes are normalised: spaces, hyphens, case, O/I/L', () => {
  const code = newCode(new Uint8Array([0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0, 0x11, 0x22, 0x33, 0x44]));
  const plain = code.replaceAll('-', '');
  assert.equal(normaliseCode(code), plain);
  const sloppy = ` ${code.toLowerCase().replaceAll('-', ' - ')} `.replaceAll('0', 'o').replaceAll('1', 'l');
  assert.equal(normaliseCode(sloppy), plain);
});

test('a mistyped code is rejected, never turned into another key', () => {
  const plain = newCode(new Uint8Array(12).fill(7)).replaceAll('-', '');
  const swapped = plain.slice(0, 3) + (plain[3] === 'A' ? 'B' : 'A') + plain.slice(4);
  for (const typo of [swapped, plain.slice(1), `${plain}0`, plain.replace(/.$/, 'U')]) {
    assert.throws(() => normaliseCode(typo), (e) => e instanceof InvalidCredential && /mistyped/.test(e.message) && e.field === 'code');
  }
});

test('the credential key is challenge("credential", manifest_digest, code)', () => {
  const digest = new Uint8Array(32).fill(3);
  const code = newCode(new Uint8Array(12).fill(1));
  const x = credentialSecret(digest, code.toLowerCase());
  assert.equal(x.hex(), challenge('credential', digest, code.replaceAll('-', '')).hex());
  assert.ok(publicCredential(x).equals(G.mul(x)));
});

test('a signed roll is sorted and verifies; a reordered or altered roll does not', () => {
  const rng = new TestRng(new Uint8Array([5]));
  const digest = new Uint8Array(32).fill(4);
  const authority = rng.scalar();
  const creds = [1, 2, 3].map(() => G.mul(rng.scalar()));
  const roll = signRoll(digest, authority, creds, rng);
  assert.deepEqual(roll.credentials, [...roll.credentials].sort());
  assert.equal(verifyRoll(digest, G.mul(authority), roll).length, 3);
  const reordered = { ...roll, credentials: [...roll.credentials].reverse() };
  assert.throws(() => verifyRoll(digest, G.mul(authority), reordered), InvalidCredential);
  const shorter = { ...roll, credentials: roll.credentials.slice(1) };
  assert.throws(() => verifyRoll(digest, G.mul(authority), shorter), InvalidProof);
});

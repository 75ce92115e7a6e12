/**
 * Credentials (section 6): codes with check symbols, credential keys, and
 * the credential authority's signed roll.
 */

import { CROCKFORD, encodeBits, group } from './base32.js';
import { digest } from './canonical.js';
import { InvalidCredential, fieldPath } from './errors.js';
import { G, Point } from './group.js';
import { SchnorrProof } from './proofs.js';
import { randomBytes } from './rng.js';
import { expectList, expectObject } from './shape.js';
import { challenge } from './transcript.js';

const CODE_RE = new RegExp(`^[${CROCKFORD}]{20}$`);
const POLYNOMIAL = 0b100101; // x^5 + x^2 + 1, primitive: alpha = x has order 31

/** Product in GF(32) = GF(2)[x] / (x^5 + x^2 + 1). */
function gfMul(a, b) {
  let product = 0;
  for (let n = 0; n < 5; n += 1) {
    if (b & 1) product ^= a;
    b >>= 1;
    a <<= 1;
    if (a & 32) a ^= POLYNOMIAL;
  }
  return product;
}

const ALPHA = [1];
while (ALPHA.length < 31) ALPHA.push(gfMul(ALPHA[ALPHA.length - 1], 2));
const INVERSE = new Map();
for (let a = 1; a < 32; a += 1) for (let b = 1; b < 32; b += 1) if (gfMul(a, b) === 1) INVERSE.set(a, b);

/** [sum v_i, sum alpha^i v_i] over GF(32); both are 0 for a valid code (6.1). */
function syndromes(symbols) {
  let plain = 0;
  let weighted = 0;
  [...symbols].forEach((symbol, i) => {
    const value = CROCKFORD.indexOf(symbol);
    plain ^= value;
    weighted ^= gfMul(ALPHA[i], value);
  });
  return [plain, weighted];
}

/** c18 = (S1 + alpha^19 S0) / (alpha^18 + alpha^19), c19 = S0 + c18. */
function checkSymbols(body) {
  const [s0, s1] = syndromes(body);
  const c18 = gfMul(s1 ^ gfMul(ALPHA[19], s0), INVERSE.get(ALPHA[18] ^ ALPHA[19]));
  return CROCKFORD[c18] + CROCKFORD[s0 ^ c18];
}

/**
 * A new credential code in its grouped display form (`K3F9Q-7M2XA-DP4RT-WZ8G1`).
 * @param {Uint8Array} [random] at least 12 random bytes; the first 90 bits,
 *   most significant bit first, give the 18 random symbols
 */
export function newCode(random = randomBytes(12)) {
  const body = encodeBits(random, 18);
  return group(body + checkSymbols(body), 5);
}

/**
 * Read a code typed by a person (6.1): drop spaces and hyphens, uppercase,
 * O→0, I→1, L→1; the result must be 20 symbols with matching check symbols.
 * @param {string} text @returns {string} the 20-symbol normalised code
 */
export function normaliseCode(text) {
  if (typeof text !== 'string') throw new InvalidCredential('expected the voting code as text', 'code');
  const code = text.replace(/[ -]/g, '').toUpperCase().replace(/O/g, '0').replace(/[IL]/g, '1');
  if (!CODE_RE.test(code)) {
    throw new InvalidCredential(
      'the voting code looks mistyped: it has 20 letters and digits (shown in four groups of five)',
      'code',
    );
  }
  const [s0, s1] = syndromes(code);
  if (s0 !== 0 || s1 !== 0) {
    throw new InvalidCredential(
      'the voting code looks mistyped: its check symbols do not match the rest; please check each group',
      'code',
    );
  }
  return code;
}

/**
 * `x = challenge("credential", manifest_digest, code)` (6.2).
 * @param {Uint8Array} manifestDigest @param {string} code as typed (it is normalised first)
 */
export function credentialSecret(manifestDigest, code) {
  return challenge('credential', manifestDigest, normaliseCode(code));
}

/** `X = x·G`. */
export function publicCredential(secret) {
  return G.mul(secret);
}

/** `digest({"credentials": [...]})`. */
export function rollDigest(credentials) {
  return digest({ credentials });
}

/**
 * The credential authority signs the roll (6.3).
 * @param {Uint8Array} manifestDigest @param {import('./group.js').Scalar} authoritySecret a
 * @param {Point[]} credentials the public credentials @param {{scalar(): any}} rng
 */
export function signRoll(manifestDigest, authoritySecret, credentials, rng) {
  const sorted = [...new Set(credentials.map((c) => c.hex()))].sort();
  const signature = SchnorrProof.prove('roll-signature', [manifestDigest, rollDigest(sorted)], authoritySecret, rng);
  return { credentials: sorted, signature: signature.toJSON() };
}

/**
 * Check a roll: sorted, unique, valid points, signed by the authority.
 * @param {Uint8Array} manifestDigest @param {Point} authorityKey CA from the manifest
 * @param {object} roll @returns {Point[]} the public credentials
 */
export function verifyRoll(manifestDigest, authorityKey, roll) {
  expectObject(roll, ['credentials', 'signature'], null, InvalidCredential);
  const list = expectList(roll.credentials, 'credentials', null, InvalidCredential);
  const points = list.map((hex, i) => {
    const field = fieldPath('credentials', i);
    const point = Point.fromHex(hex, field);
    if (i > 0 && !(list[i - 1] < hex)) {
      throw new InvalidCredential('credentials must be sorted ascending without duplicates', field);
    }
    return point;
  });
  SchnorrProof.fromJSON(roll.signature, 'signature').verify(
    'roll-signature', [manifestDigest, rollDigest(list)], authorityKey, 'signature',
  );
  return points;
}

/**
 * Credentials (section 6): codes with check symbols, credential keys, and
 * the credential authority's signed roll.
 */

import { sha256 } from '@noble/hashes/sha2.js';
import { CROCKFORD, encodeBits, group } from './base32.js';
import { concatBytes, utf8 } from './bytes.js';
import { digest } from './canonical.js';
import { InvalidCredential, fieldPath } from './errors.js';
import { G, Point } from './group.js';
import { SchnorrProof } from './proofs.js';
import { randomBytes } from './rng.js';
import { expectList, expectObject } from './shape.js';
import { challenge } from './transcript.js';

const CHECK_PREFIX = utf8('omov/v1/credential-check');
const CODE_RE = new RegExp(`^[${CROCKFORD}]{20}$`);

function checkSymbols(body) {
  return encodeBits(sha256(concatBytes(CHECK_PREFIX, utf8(body))), 2);
}

/**
 * A new credential code in its grouped display form (`K3F9Q-7M2XA-DP4RT-WZ8HC`).
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
  if (typeof text !== 'string') throw new InvalidCredential('expected the credential code as text', 'code');
  const code = text.replace(/[ -]/g, '').toUpperCase().replace(/O/g, '0').replace(/[IL]/g, '1');
  if (!CODE_RE.test(code)) {
    throw new InvalidCredential(
      'the credential code looks mistyped: it has 20 letters and digits (shown in four groups of five)',
      'code',
    );
  }
  if (checkSymbols(code.slice(0, 18)) !== code.slice(18)) {
    throw new InvalidCredential(
      'the credential code looks mistyped: its last two symbols do not match the rest; please check each group',
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

/**
 * Trustee secret backups under a passphrase (section 13): scrypt, an
 * HMAC-SHA512 counter keystream, and an HMAC-SHA256 tag checked in constant
 * time before anything is decrypted. Both functions are async so that scrypt
 * does not freeze the page.
 */

import { hmac } from '@noble/hashes/hmac.js';
import { scryptAsync } from '@noble/hashes/scrypt.js';
import { sha256, sha512 } from '@noble/hashes/sha2.js';
import { concatBytes, equalBytes, fromHex, toHex, u32, utf8 } from './bytes.js';
import { canonicalJson, parseJson } from './canonical.js';
import { InvalidEncoding, OmovError } from './errors.js';
import { randomBytes } from './rng.js';
import { expectObject } from './shape.js';

const FORMAT = 'omov-trustee-backup/1';
const KDF = Object.freeze({ n: 32768, r: 8, p: 1 });
const SALT_BYTES = 16;
const NONCE_BYTES = 16;
const TAG_BYTES = 32;
const TAG_DOMAIN = utf8('omov/v1/trustee-backup');

/** The backup cannot be opened: wrong passphrase, or the file was altered. */
export class InvalidBackup extends OmovError {}

async function deriveKeys(passphrase, salt) {
  const key = await scryptAsync(utf8(passphrase.normalize('NFC')), salt, { N: KDF.n, r: KDF.r, p: KDF.p, dkLen: 64 });
  return [key.slice(0, 32), key.slice(32)];
}

function keystream(kEnc, nonce, length) {
  const blocks = [];
  for (let counter = 0; counter * 64 < length; counter++) blocks.push(hmac(sha512, kEnc, concatBytes(nonce, u32(counter))));
  return concatBytes(...blocks).slice(0, length);
}

function xor(data, stream) {
  return data.map((b, i) => b ^ stream[i]);
}

function tag(kMac, nonce, ciphertext) {
  return hmac(sha256, kMac, concatBytes(TAG_DOMAIN, nonce, ciphertext));
}

/**
 * Encrypt the trustee's state (its canonical JSON is the plaintext).
 * @param {object} state the backup plaintext, e.g. `TrusteeState.toJSON()`
 * @param {string} passphrase chosen by the trustee
 * @param {(count: number) => Uint8Array} [rngBytes] gives the salt, then the nonce
 * @returns {Promise<object>} the backup document
 */
export async function encryptBackup(state, passphrase, rngBytes = randomBytes) {
  if (!passphrase) throw new InvalidBackup('the passphrase must not be empty', 'passphrase');
  const salt = rngBytes(SALT_BYTES);
  const nonce = rngBytes(NONCE_BYTES);
  const plaintext = canonicalJson(state);
  const [kEnc, kMac] = await deriveKeys(passphrase, salt);
  const ciphertext = xor(plaintext, keystream(kEnc, nonce, plaintext.length));
  return {
    format: FORMAT,
    kdf: { name: 'scrypt', n: KDF.n, r: KDF.r, p: KDF.p, salt: toHex(salt) },
    nonce: toHex(nonce),
    ciphertext: toHex(ciphertext),
    tag: toHex(tag(kMac, nonce, ciphertext)),
  };
}

/**
 * Check the tag and return the decrypted state.
 * @param {object} doc the backup document @param {string} passphrase
 * @returns {Promise<object>}
 */
export async function decryptBackup(doc, passphrase) {
  expectObject(doc, ['format', 'kdf', 'nonce', 'ciphertext', 'tag'], null);
  if (doc.format !== FORMAT) throw new InvalidEncoding(`the backup format must be '${FORMAT}'`, 'format');
  expectObject(doc.kdf, ['name', 'n', 'r', 'p', 'salt'], 'kdf');
  if (doc.kdf.name !== 'scrypt') throw new InvalidEncoding('the only key derivation is scrypt', 'kdf.name');
  for (const [name, allowed] of Object.entries(KDF)) {
    if (doc.kdf[name] !== allowed) throw new InvalidEncoding(`scrypt ${name} must be ${allowed}`, `kdf.${name}`);
  }
  const salt = fromHex(doc.kdf.salt, 'kdf.salt', SALT_BYTES);
  const nonce = fromHex(doc.nonce, 'nonce', NONCE_BYTES);
  const ciphertext = fromHex(doc.ciphertext, 'ciphertext');
  const expected = fromHex(doc.tag, 'tag', TAG_BYTES);
  const [kEnc, kMac] = await deriveKeys(passphrase, salt);
  if (!equalBytes(tag(kMac, nonce, ciphertext), expected)) {
    throw new InvalidBackup('the passphrase is wrong, or the backup file was altered', 'tag');
  }
  const state = parseJson(xor(ciphertext, keystream(kEnc, nonce, ciphertext.length)), 'ciphertext');
  if (typeof state !== 'object' || state === null || Array.isArray(state)) {
    throw new InvalidEncoding('the backed-up state must be a JSON object', 'ciphertext');
  }
  return state;
}

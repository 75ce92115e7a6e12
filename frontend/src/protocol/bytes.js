/** Byte helpers: strict lowercase hex, concatenation, fixed-width integers. */

import { InvalidEncoding } from './errors.js';

const HEX_DIGITS = '0123456789abcdef';
const HEX_RE = /^(?:[0-9a-f]{2})*$/;
const utf8Encoder = new TextEncoder();

/**
 * @param {Uint8Array} bytes
 * @returns {string} lowercase hex
 */
export function toHex(bytes) {
  let out = '';
  for (let i = 0; i < bytes.length; i++) {
    out += HEX_DIGITS[bytes[i] >> 4] + HEX_DIGITS[bytes[i] & 15];
  }
  return out;
}

/**
 * Decode lowercase, even-length hex (section 2); anything else is rejected.
 * @param {unknown} text
 * @param {string | null} [field] where the hex was read from
 * @param {number | null} [length] the required number of bytes, if fixed
 * @returns {Uint8Array}
 */
export function fromHex(text, field = null, length = null) {
  if (typeof text !== 'string') throw new InvalidEncoding('expected a hex string', field);
  if (!HEX_RE.test(text)) {
    throw new InvalidEncoding('expected lowercase hexadecimal of even length', field);
  }
  if (length !== null && text.length !== 2 * length) {
    throw new InvalidEncoding(`expected ${length} bytes (${2 * length} hex characters)`, field);
  }
  const out = new Uint8Array(text.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(text.substr(2 * i, 2), 16);
  return out;
}

/**
 * @param {...Uint8Array} parts
 * @returns {Uint8Array}
 */
export function concatBytes(...parts) {
  let total = 0;
  for (const p of parts) total += p.length;
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** @param {string} text @returns {Uint8Array} UTF-8 bytes */
export function utf8(text) {
  return utf8Encoder.encode(text);
}

/** @param {number} n 0 ≤ n < 2^32 @returns {Uint8Array} 4 bytes big-endian */
export function u32(n) {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, n, false);
  return out;
}

/** @param {number | bigint} n 0 ≤ n < 2^64 @returns {Uint8Array} 8 bytes big-endian */
export function u64(n) {
  const value = BigInt(n);
  if (value < 0n || value >= 1n << 64n) throw new RangeError(`integer out of u64 range: ${n}`);
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, value, false);
  return out;
}

/** @param {Uint8Array} bytes @returns {bigint} the bytes read little-endian */
export function bytesToBigIntLE(bytes) {
  let value = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) value = (value << 8n) | BigInt(bytes[i]);
  return value;
}

/** @param {bigint} value @param {number} length @returns {Uint8Array} little-endian */
export function bigIntToBytesLE(value, length) {
  const out = new Uint8Array(length);
  let v = value;
  for (let i = 0; i < length; i++) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}

/** Constant-time equality of two byte strings of public length. */
export function equalBytes(a, b) {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i] ^ b[i];
  return diff === 0;
}

/** Crockford base32 (most significant bit first), as used by codes and trackers. */

export const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * The first `symbols` 5-bit groups of `bytes`, most significant bit first.
 * @param {Uint8Array} bytes @param {number} symbols
 */
export function encodeBits(bytes, symbols) {
  if (symbols * 5 > bytes.length * 8) throw new RangeError('not enough bytes for that many symbols');
  let out = '';
  for (let i = 0; i < symbols; i++) {
    let value = 0;
    for (let b = 0; b < 5; b++) {
      const bit = i * 5 + b;
      value = (value << 1) | ((bytes[bit >> 3] >> (7 - (bit & 7))) & 1);
    }
    out += CROCKFORD[value];
  }
  return out;
}

/** Split text into groups of `size` joined by hyphens. */
export function group(text, size) {
  const parts = [];
  for (let i = 0; i < text.length; i += size) parts.push(text.slice(i, i + size));
  return parts.join('-');
}

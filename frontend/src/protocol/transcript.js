/**
 * Length-prefixed transcripts and Fiat–Shamir challenges (section 2.4).
 */

import { sha512 } from '@noble/hashes/sha2.js';
import { concatBytes, u32, u64, utf8 } from './bytes.js';
import { Point, Scalar } from './group.js';

const PREFIX = 'omov/v1/';

function itemBytes(item) {
  if (item instanceof Point || item instanceof Scalar) return item.toBytes();
  if (typeof item === 'number' || typeof item === 'bigint') return u64(item);
  if (typeof item === 'string') return utf8(item);
  if (item instanceof Uint8Array) return item;
  throw new TypeError(`cannot put ${typeof item} in a transcript`);
}

/**
 * `T(tag, items...)`: each item is a Point, Scalar, integer (u64), string
 * (UTF-8) or Uint8Array (as is), length-prefixed after the tag "omov/v1/"+tag.
 * @param {string} tag @param {...(Point|Scalar|number|bigint|string|Uint8Array)} items
 * @returns {Uint8Array}
 */
export function transcriptBytes(tag, ...items) {
  const parts = [];
  const domain = utf8(PREFIX + tag);
  parts.push(u32(domain.length), domain);
  for (const item of items) {
    const b = itemBytes(item);
    parts.push(u32(b.length), b);
  }
  return concatBytes(...parts);
}

/** `int_le(SHA512(T(tag, items...))) mod L`. @returns {Scalar} */
export function challenge(tag, ...items) {
  return Scalar.fromWideBytes(sha512(transcriptBytes(tag, ...items)));
}

/** The count code (section 9.4): what trustees read aloud before decrypting. */

import { sha256 } from '@noble/hashes/sha2.js';
import { encodeBits, group } from './base32.js';
import { concatBytes, u64, utf8 } from './bytes.js';

const COUNT_CODE_DOMAIN = utf8('omov/count-code/v1');

/**
 * Ten Crockford symbols in two groups of five, from the tally entry's hash and N:
 * `SHA256("omov/count-code/v1" || T || u64(N))`, its first 50 bits.
 * @param {Uint8Array} tallyEntryHash T, 32 bytes @param {number} counted N
 */
export function countCode(tallyEntryHash, counted) {
  if (!(tallyEntryHash instanceof Uint8Array) || tallyEntryHash.length !== 32
      || !Number.isSafeInteger(counted) || counted < 0) {
    throw new RangeError('a count code needs a 32-byte entry hash and a non-negative count');
  }
  return group(encodeBits(sha256(concatBytes(COUNT_CODE_DOMAIN, tallyEntryHash, u64(counted))), 10), 5);
}

/**
 * The ceremony code (docs/protocol.md 8.5): a short code every trustee reads
 * aloud before dealing shares. A server that shows one trustee a forked set
 * of commitments (its own in place of another trustee's) would receive that
 * trustee's shares; a forked set gives another code. Reproduces
 * tests/vectors/ceremony_code.json byte for byte.
 */

import { sha256 } from '@noble/hashes/sha2.js';
import { encodeBits, group } from '../../protocol/base32.js';

const DOMAIN = new TextEncoder().encode('omov/ceremony-code/v1');

function u32(n) {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, n, false);
  return out;
}

/**
 * The bytes hashed for the code: the manifest digest, the number of
 * commitments, then each trustee's index, communication key and coefficient
 * commitments, in increasing order of trustee.
 * @param {Uint8Array} manifestDigest @param {Map<number, import('../../protocol/dkg.js').TrusteeCommitment>} commitments
 */
export function ceremonyInput(manifestDigest, commitments) {
  if (manifestDigest.length !== 32) throw new RangeError('a ceremony code needs the 32-byte manifest digest');
  const parts = [DOMAIN, manifestDigest, u32(commitments.size)];
  for (const index of [...commitments.keys()].sort((a, b) => a - b)) {
    const commitment = commitments.get(index);
    if (commitment.trustee !== index) {
      throw new RangeError(`the commitment filed under trustee ${index} is trustee ${commitment.trustee}'s`);
    }
    parts.push(u32(index), commitment.communicationKey.toBytes(), ...commitment.commitments.map((c) => c.toBytes()));
  }
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** Ten Crockford symbols in two groups of five, e.g. "7K2QM-9XD4T". */
export function ceremonyCode(manifestDigest, commitments) {
  return group(encodeBits(sha256(ceremonyInput(manifestDigest, commitments)), 10), 5);
}

/** What the trustee is told to do with the code. */
export const COMPARE_CEREMONY = 'Read this ceremony code aloud to the other trustees (by phone or in person, '
  + 'not through this site) and listen to theirs. Deal your shares only if every trustee reads the same code; '
  + 'if any code differs, stop: the server is showing you other commitments than the rest.';

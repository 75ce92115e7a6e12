/**
 * Randomness (section 2.5): `SystemRng` for real use, `TestRng` for vectors.
 * Both expose `scalar()`; proofs and ballots draw in the order the spec gives.
 */

import { challenge } from './transcript.js';
import { Scalar } from './group.js';

/** Fill n bytes from the platform's cryptographic generator. */
export function randomBytes(n) {
  const out = new Uint8Array(n);
  globalThis.crypto.getRandomValues(out);
  return out;
}

/** 64 random bytes from crypto.getRandomValues, read little-endian, reduced mod L. */
export class SystemRng {
  scalar() {
    return Scalar.fromWideBytes(randomBytes(64));
  }
}

/**
 * The deterministic generator for test vectors only: the i-th scalar is
 * `challenge("test-rng", seed, i)`. Never use it for a real election.
 */
export class TestRng {
  /** @param {Uint8Array} seed */
  constructor(seed) {
    this.seed = Uint8Array.from(seed);
    this.count = 0;
  }

  scalar() {
    return challenge('test-rng', this.seed, this.count++);
  }
}

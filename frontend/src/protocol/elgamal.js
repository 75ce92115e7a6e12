/** Exponential ElGamal (section 3). */

import { G, Point, smallMultiple } from './group.js';
import { fieldPath } from './errors.js';
import { expectObject } from './shape.js';

/** An ElGamal ciphertext `(alpha, beta) = (r·G, r·Y + v·G)`. */
export class Ciphertext {
  /** @param {Point} alpha @param {Point} beta */
  constructor(alpha, beta) {
    this.alpha = alpha;
    this.beta = beta;
    Object.freeze(this);
  }

  /** Componentwise sum: encrypts the sum of the values. @param {Ciphertext} other */
  add(other) {
    return new Ciphertext(this.alpha.add(other.alpha), this.beta.add(other.beta));
  }

  toJSON() {
    return { alpha: this.alpha.hex(), beta: this.beta.hex() };
  }

  /** Read `{"alpha", "beta"}`; neither component may be the identity. */
  static fromJSON(obj, field = null) {
    expectObject(obj, ['alpha', 'beta'], field);
    return new Ciphertext(
      Point.fromHex(obj.alpha, fieldPath(field, 'alpha')),
      Point.fromHex(obj.beta, fieldPath(field, 'beta')),
    );
  }
}

/**
 * `Enc_Y(v; r)`.
 * @param {Point} publicKey the election's joint key Y (precompute it for speed)
 * @param {number} value the small integer v
 * @param {import('./group.js').Scalar} randomness r
 */
export function encrypt(publicKey, value, randomness) {
  const alpha = G.mul(randomness);
  const rY = publicKey.mul(randomness);
  return new Ciphertext(alpha, value === 0 ? rY : rY.add(smallMultiple(value)));
}

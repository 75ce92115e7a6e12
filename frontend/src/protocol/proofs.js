/**
 * Non-interactive proofs (section 4) in compact form: Schnorr (4.1),
 * Chaum–Pedersen DLEQ (4.2) and the disjunctive value-set proof (4.3).
 * Each proof is a frozen object with `prove` and `verify` side by side.
 * `context` is the list of transcript items that binds a proof to one
 * election, credential, question or trustee (as each use in the spec names).
 */

import { G, Point, Scalar, smallMultiple } from './group.js';
import { InvalidProof, fieldPath } from './errors.js';
import { expectList, expectObject } from './shape.js';
import { challenge } from './transcript.js';

function readScalar(obj, key, field) {
  return Scalar.fromHex(obj[key], fieldPath(field, key));
}

/** Proof of knowledge of x with X = x·G; also a signature when the context holds a message. */
export class SchnorrProof {
  /** @param {Scalar} challenge c @param {Scalar} response s */
  constructor(challenge, response) {
    this.challenge = challenge;
    this.response = response;
    Object.freeze(this);
  }

  /**
   * @param {string} tag domain separation tag @param {Array} context binding items
   * @param {Scalar} secret x @param {{scalar(): Scalar}} rng draws the nonce w
   * @param {Point} [publicPoint] X = x·G, if already known
   */
  static prove(tag, context, secret, rng, publicPoint = G.mul(secret)) {
    const w = rng.scalar();
    const c = challenge(tag, ...context, publicPoint, G.mul(w));
    return new SchnorrProof(c, w.add(c.mul(secret)));
  }

  /** @param {string} tag @param {Array} context @param {Point} publicPoint X @param {string | null} [field] */
  verify(tag, context, publicPoint, field = null) {
    const r = G.mulPublic(this.response).sub(publicPoint.mulPublic(this.challenge));
    if (!challenge(tag, ...context, publicPoint, r).equals(this.challenge)) {
      throw new InvalidProof(`${tag} proof does not verify`, field);
    }
  }

  toJSON() {
    return { challenge: this.challenge.hex(), response: this.response.hex() };
  }

  static fromJSON(obj, field = null) {
    expectObject(obj, ['challenge', 'response'], field);
    return new SchnorrProof(readScalar(obj, 'challenge', field), readScalar(obj, 'response', field));
  }
}

/** Proof that X = x·G and D = x·A share the secret x. */
export class DleqProof {
  constructor(challenge, response) {
    this.challenge = challenge;
    this.response = response;
    Object.freeze(this);
  }

  /**
   * @param {string} tag @param {Array} context @param {Scalar} secret x
   * @param {Point} baseA the second base A @param {{scalar(): Scalar}} rng draws w
   * @param {Point} [publicPoint] X = x·G @param {Point} [resultD] D = x·A
   */
  static prove(tag, context, secret, baseA, rng, publicPoint = G.mul(secret), resultD = baseA.mul(secret)) {
    const w = rng.scalar();
    const c = challenge(tag, ...context, publicPoint, baseA, resultD, G.mul(w), baseA.mul(w));
    return new DleqProof(c, w.add(c.mul(secret)));
  }

  /** @param {string} tag @param {Array} context @param {Point} publicPoint X @param {Point} baseA A @param {Point} resultD D @param {string | null} [field] */
  verify(tag, context, publicPoint, baseA, resultD, field = null) {
    const u = G.mulPublic(this.response).sub(publicPoint.mulPublic(this.challenge));
    const v = baseA.mulPublic(this.response).sub(resultD.mulPublic(this.challenge));
    if (!challenge(tag, ...context, publicPoint, baseA, resultD, u, v).equals(this.challenge)) {
      throw new InvalidProof(`${tag} proof does not verify`, field);
    }
  }

  toJSON() {
    return { challenge: this.challenge.hex(), response: this.response.hex() };
  }

  static fromJSON(obj, field = null) {
    expectObject(obj, ['challenge', 'response'], field);
    return new DleqProof(readScalar(obj, 'challenge', field), readScalar(obj, 'response', field));
  }
}

function valueSetItems(publicKey, ciphertext, values) {
  return [publicKey, ciphertext.alpha, ciphertext.beta, values.length, ...values];
}

/** Proof that a ciphertext encrypts one of the integers v_0 < ... < v_{m-1}. */
export class ValueSetProof {
  /** @param {Scalar[]} challenges c_j @param {Scalar[]} responses s_j */
  constructor(challenges, responses) {
    this.challenges = Object.freeze([...challenges]);
    this.responses = Object.freeze([...responses]);
    Object.freeze(this);
  }

  /**
   * Draws, in order: for each j ≠ t ascending, c_j then s_j; then w.
   * @param {string} tag @param {Array} context
   * @param {Point} publicKey Y @param {import('./elgamal.js').Ciphertext} ciphertext (alpha, beta)
   * @param {number[]} values the value set, ascending @param {number} trueIndex t
   * @param {Scalar} randomness r of the ciphertext @param {{scalar(): Scalar}} rng
   */
  static prove(tag, context, publicKey, ciphertext, values, trueIndex, randomness, rng) {
    const m = values.length;
    const cs = new Array(m);
    const ss = new Array(m);
    const commitments = new Array(2 * m);
    let simulatedSum = Scalar.fromInt(0);
    for (let j = 0; j < m; j++) {
      if (j === trueIndex) continue;
      const cj = rng.scalar();
      const sj = rng.scalar();
      cs[j] = cj;
      ss[j] = sj;
      simulatedSum = simulatedSum.add(cj);
      const shifted = values[j] === 0 ? ciphertext.beta : ciphertext.beta.sub(smallMultiple(values[j]));
      commitments[2 * j] = G.mul(sj).sub(ciphertext.alpha.mul(cj));
      commitments[2 * j + 1] = publicKey.mul(sj).sub(shifted.mul(cj));
    }
    const w = rng.scalar();
    commitments[2 * trueIndex] = G.mul(w);
    commitments[2 * trueIndex + 1] = publicKey.mul(w);
    const c = challenge(tag, ...context, ...valueSetItems(publicKey, ciphertext, values), ...commitments);
    cs[trueIndex] = c.sub(simulatedSum);
    ss[trueIndex] = w.add(cs[trueIndex].mul(randomness));
    return new ValueSetProof(cs, ss);
  }

  /** @param {string} tag @param {Array} context @param {Point} publicKey @param {import('./elgamal.js').Ciphertext} ciphertext @param {number[]} values @param {string | null} [field] */
  verify(tag, context, publicKey, ciphertext, values, field = null) {
    const m = values.length;
    if (this.challenges.length !== m || this.responses.length !== m) {
      throw new InvalidProof(`expected ${m} challenges and ${m} responses`, field);
    }
    const commitments = [];
    let sum = Scalar.fromInt(0);
    for (let j = 0; j < m; j++) {
      const cj = this.challenges[j];
      const sj = this.responses[j];
      sum = sum.add(cj);
      const shifted = values[j] === 0 ? ciphertext.beta : ciphertext.beta.sub(smallMultiple(values[j]));
      commitments.push(G.mulPublic(sj).sub(ciphertext.alpha.mulPublic(cj)));
      commitments.push(publicKey.mulPublic(sj).sub(shifted.mulPublic(cj)));
    }
    const c = challenge(tag, ...context, ...valueSetItems(publicKey, ciphertext, values), ...commitments);
    if (!c.equals(sum)) throw new InvalidProof(`${tag} proof does not verify`, field);
  }

  toJSON() {
    return { challenges: this.challenges.map((c) => c.hex()), responses: this.responses.map((s) => s.hex()) };
  }

  /** @param {unknown} obj @param {string | null} [field] @param {number | null} [m] the expected length */
  static fromJSON(obj, field = null, m = null) {
    expectObject(obj, ['challenges', 'responses'], field);
    const read = (key) =>
      expectList(obj[key], fieldPath(field, key), m).map((hex, i) =>
        Scalar.fromHex(hex, fieldPath(fieldPath(field, key), i)),
      );
    return new ValueSetProof(read('challenges'), read('responses'));
  }
}

/**
 * Threshold key arithmetic (sections 8.4, 9.3): polynomials, the joint key,
 * verification keys, final shares and Lagrange coefficients.
 */

import { IDENTITY, Scalar } from './group.js';
import { OmovError } from './errors.js';

/** Fewer than the threshold of trustees are qualified or took part. */
export class NotEnoughTrustees extends OmovError {}

/** `f(x) = Σ_j coefficients[j]·x^j mod L`: a dealer's share for trustee x. */
export function evaluatePolynomial(coefficients, x) {
  const point = Scalar.fromInt(x);
  let total = Scalar.fromInt(0);
  for (let j = coefficients.length - 1; j >= 0; j--) total = total.mul(point).add(coefficients[j]);
  return total;
}

/** `Σ_j x^j·C_j`: the public image f(x)·G of a committed polynomial (public scalars). */
export function evaluateCommitments(commitments, x) {
  const point = Scalar.fromInt(x);
  let power = Scalar.fromInt(1);
  let total = IDENTITY;
  for (const c of commitments) {
    total = total.add(c.mulPublic(power));
    power = power.mul(point);
  }
  return total;
}

/** Raise NotEnoughTrustees unless `indices` holds at least `threshold` trustees. */
export function requireThreshold(indices, threshold, what) {
  if (indices.length < threshold) {
    throw new NotEnoughTrustees(
      `${what}: ${indices.length} trustee(s) [${indices.join(', ')}], but the threshold is ${threshold}`,
    );
  }
}

/**
 * `Y = Σ_{i∈Q} C_{i,0}`.
 * @param {Map<number, import('./group.js').Point[]>} coefficientCommitments C_{i,0..k-1} by trustee
 * @param {Iterable<number>} qualifiedSet Q
 */
export function jointKey(coefficientCommitments, qualifiedSet) {
  let total = IDENTITY;
  for (const i of qualifiedSet) total = total.add(coefficientCommitments.get(i)[0]);
  return total;
}

/** `Y_ℓ = Σ_{i∈Q} Σ_j ℓ^j·C_{i,j}`, trustee ℓ's verification key. */
export function verificationKey(coefficientCommitments, qualifiedSet, index) {
  const members = [...qualifiedSet];
  const joint = coefficientCommitments.get(members[0]).map(() => IDENTITY);
  for (const i of members) {
    coefficientCommitments.get(i).forEach((c, j) => {
      joint[j] = joint[j].add(c);
    });
  }
  return evaluateCommitments(joint, index);
}

/**
 * `s_ℓ = Σ_{i∈Q} f_i(ℓ)`.
 * @param {Map<number, Scalar>} received f_i(ℓ) by dealer i, the trustee's own included
 * @param {Iterable<number>} qualifiedSet Q
 */
export function finaliseShare(received, qualifiedSet) {
  let total = Scalar.fromInt(0);
  for (const i of qualifiedSet) {
    if (!received.has(i)) throw new OmovError(`no share from qualified trustee ${i}`, `shares[${i}]`);
    total = total.add(received.get(i));
  }
  return total;
}

/** `λ_ℓ = Π_{m∈P, m≠ℓ} m·(m - ℓ)^{-1} mod L`. */
export function lagrangeAtZero(index, indices) {
  let numerator = Scalar.fromInt(1);
  let denominator = Scalar.fromInt(1);
  for (const m of indices) {
    if (m === index) continue;
    numerator = numerator.mul(Scalar.fromInt(m));
    denominator = denominator.mul(Scalar.fromInt(m - index));
  }
  return numerator.mul(denominator.inverse());
}

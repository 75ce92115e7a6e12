/**
 * Partial decryptions of the tally and combining them (section 9). A tally is
 * one ciphertext per question per encrypted option, or null for every option
 * when no ballot was counted; partial decryptions mirror that shape, with null
 * share and proof (and nothing drawn) where the ciphertext is null.
 */

import { Ciphertext } from './elgamal.js';
import { InvalidEncoding, OmovError } from './errors.js';
import { G, IDENTITY, Point } from './group.js';
import { discreteLog } from './dlog.js';
import { DleqProof } from './proofs.js';
import { expectIndex, expectList, expectObject, prefixed } from './shape.js';
import { lagrangeAtZero, requireThreshold } from './threshold.js';

const TAG_PARTIAL_DECRYPTION = 'partial-decryption';

/**
 * Read a `tally` entry's `ciphertexts` (lists of `{"alpha","beta"}` or null).
 * @returns {(Ciphertext | null)[][]}
 */
export function tallyFromJSON(ciphertexts, field = 'ciphertexts') {
  return expectList(ciphertexts, field).map((row, q) =>
    expectList(row, `${field}[${q}]`).map((c, o) => (c === null ? null : Ciphertext.fromJSON(c, `${field}[${q}][${o}]`))),
  );
}

/** A `partial_decryption` body (9.2). */
export class PartialDecryption {
  /** @param {number} trustee @param {(Point|null)[][]} shares @param {(DleqProof|null)[][]} proofs */
  constructor(trustee, shares, proofs) {
    Object.assign(this, { trustee, shares, proofs });
    Object.freeze(this);
  }

  toJSON() {
    return {
      trustee: this.trustee,
      shares: this.shares.map((row) => row.map((d) => (d === null ? null : d.hex()))),
      proofs: this.proofs.map((row) => row.map((p) => (p === null ? null : p.toJSON()))),
    };
  }

  /** Parse a body whose shape must match `tally` (null exactly where it is null). */
  static fromJSON(obj, tally, field = '') {
    expectObject(obj, ['trustee', 'shares', 'proofs'], field || null);
    const sharesField = prefixed(field, 'shares');
    const proofsField = prefixed(field, 'proofs');
    const shareRows = rows(obj.shares, tally, sharesField);
    const proofRows = rows(obj.proofs, tally, proofsField);
    const shares = [];
    const proofs = [];
    tally.forEach((ciphertexts, q) => {
      shares.push([]);
      proofs.push([]);
      ciphertexts.forEach((ciphertext, o) => {
        const shareField = `${sharesField}[${q}][${o}]`;
        const proofField = `${proofsField}[${q}][${o}]`;
        if (ciphertext === null) {
          expectNull(shareRows[q][o], shareField);
          expectNull(proofRows[q][o], proofField);
          shares[q].push(null);
          proofs[q].push(null);
          return;
        }
        shares[q].push(Point.fromHex(shareRows[q][o], shareField, ciphertext.alpha.isIdentity()));
        proofs[q].push(DleqProof.fromJSON(proofRows[q][o], proofField));
      });
    });
    return new PartialDecryption(expectIndex(obj.trustee, prefixed(field, 'trustee')), shares, proofs);
  }
}

function rows(value, tally, field) {
  const list = expectList(value, field);
  if (list.length !== tally.length) throw new InvalidEncoding(`must hold ${tally.length} questions`, field);
  return list.map((row, q) => {
    const items = expectList(row, `${field}[${q}]`);
    if (items.length !== tally[q].length) {
      throw new InvalidEncoding(`must hold ${tally[q].length} items, one per encrypted option`, `${field}[${q}]`);
    }
    return items;
  });
}

function expectNull(value, field) {
  if (value !== null) throw new InvalidEncoding('must be null because the tally ciphertext is null', field);
}

/**
 * Trustee ℓ's `partial_decryption` body: D = s_ℓ·A with a DLEQ proof per
 * non-null ciphertext (one nonce each, questions then options).
 * @param {import('./group.js').Scalar} share s_ℓ @param {number} index ℓ
 * @param {Uint8Array} fingerprint the election's fingerprint
 * @param {(Ciphertext | null)[][]} tally @param {{scalar(): any}} rng
 */
export function partialDecrypt(share, index, fingerprint, tally, rng) {
  const verificationKey = G.mul(share);
  const shares = [];
  const proofs = [];
  tally.forEach((ciphertexts, q) => {
    shares.push([]);
    proofs.push([]);
    ciphertexts.forEach((ciphertext, o) => {
      if (ciphertext === null) {
        shares[q].push(null);
        proofs[q].push(null);
        return;
      }
      const d = ciphertext.alpha.mul(share);
      shares[q].push(d);
      proofs[q].push(
        DleqProof.prove(TAG_PARTIAL_DECRYPTION, [fingerprint, index, q, o], share, ciphertext.alpha, rng, verificationKey, d),
      );
    });
  });
  return new PartialDecryption(index, shares, proofs).toJSON();
}

/**
 * Parse a `partial_decryption` body and verify every proof against Y_ℓ.
 * @param {Uint8Array} fingerprint @param {object} body @param {(Ciphertext | null)[][]} tally
 * @param {Point} verificationKey the trustee's Y_ℓ (8.4)
 * @returns {PartialDecryption}
 */
export function checkPartialDecryption(fingerprint, body, tally, verificationKey) {
  const partial = PartialDecryption.fromJSON(body, tally);
  tally.forEach((ciphertexts, q) => {
    ciphertexts.forEach((ciphertext, o) => {
      if (ciphertext === null) return;
      partial.proofs[q][o].verify(
        TAG_PARTIAL_DECRYPTION, [fingerprint, partial.trustee, q, o], verificationKey, ciphertext.alpha,
        partial.shares[q][o], `proofs[${q}][${o}]`,
      );
    });
  });
  return partial;
}

/**
 * The totals of every encrypted option from the partial decryptions of a set P (9.3).
 * @param {(Ciphertext | null)[][]} tally @param {Map<number, PartialDecryption>} partials checked, by trustee
 * @param {number} threshold k @param {number} counted N, bounding each total
 * @returns {number[][]}
 */
export function combine(tally, partials, threshold, counted) {
  const indices = [...partials.keys()].sort((a, b) => a - b);
  requireThreshold(indices, threshold, 'partial decryptions');
  const lambdas = new Map(indices.map((i) => [i, lagrangeAtZero(i, indices)]));
  return tally.map((ciphertexts, q) =>
    ciphertexts.map((ciphertext, o) => {
      if (ciphertext === null) return 0;
      let factor = IDENTITY;
      for (const i of indices) {
        const d = partials.get(i).shares[q][o];
        if (d === null) throw new OmovError(`trustee ${i} gave no share for a non-null ciphertext`, `shares[${q}][${o}]`);
        factor = factor.add(d.mulPublic(lambdas.get(i)));
      }
      return discreteLog(ciphertext.beta.sub(factor), counted, `totals[${q}][${o}]`);
    }),
  );
}

/**
 * All m totals per question: an implicit last option gets k·N − Σ others.
 * @param {import('./questions.js').QuestionRule[]} rules @param {number[][]} encryptedTotals @param {number} counted N
 */
export function questionTotals(rules, encryptedTotals, counted) {
  return rules.map((rule, q) => {
    const row = [...encryptedTotals[q]];
    if (rule.implicitLast) row.push(rule.max * counted - row.reduce((a, b) => a + b, 0));
    return row;
  });
}

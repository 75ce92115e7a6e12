/**
 * The shuffle proof and the rows it is about, and their JSON (section 14.5).
 * Reading is strict and reports the same member as the Python reader.
 */

import { Ciphertext } from './elgamal.js';
import { InvalidEncoding, fieldPath } from './errors.js';
import { Point, Scalar } from './group.js';

const MEMBERS = ['commitments', 'chain', 'challenge', 's1', 's2', 's3', 's4', 's_hat', 's_prime'];
const PER_ROW = ['commitments', 'chain', 's_hat', 's_prime'];

function nonEmptyList(value, field, what) {
  if (!Array.isArray(value) || value.length === 0) {
    throw new InvalidEncoding(`must be a non-empty list of ${what}`, field);
  }
  return value;
}

/** A proof of a correct shuffle of N rows of width w (14.4). */
export class ShuffleProof {
  /**
   * @param {{commitments: Point[], chain: Point[], challenge: Scalar, s1: Scalar, s2: Scalar, s3: Scalar,
   *   s4: Scalar[], sHat: Scalar[], sPrime: Scalar[]}} parts
   */
  constructor({ commitments, chain, challenge, s1, s2, s3, s4, sHat, sPrime }) {
    Object.assign(this, { commitments, chain, challenge, s1, s2, s3, s4, sHat, sPrime });
    Object.freeze(this);
  }

  toJSON() {
    return {
      commitments: this.commitments.map((p) => p.hex()),
      chain: this.chain.map((p) => p.hex()),
      challenge: this.challenge.hex(),
      s1: this.s1.hex(),
      s2: this.s2.hex(),
      s3: this.s3.hex(),
      s4: this.s4.map((s) => s.hex()),
      s_hat: this.sHat.map((s) => s.hex()),
      s_prime: this.sPrime.map((s) => s.hex()),
    };
  }

  /**
   * Read a proof; whether its N and w match the rows is verifyShuffle's check.
   * @param {unknown} obj @param {string | null} [field]
   */
  static fromJSON(obj, field = null) {
    if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) {
      throw new InvalidEncoding('a shuffle proof must be a JSON object', field);
    }
    for (const name of MEMBERS) {
      if (!Object.prototype.hasOwnProperty.call(obj, name)) {
        throw new InvalidEncoding(`missing member '${name}'`, fieldPath(field, name));
      }
    }
    const extra = Object.keys(obj).filter((k) => !MEMBERS.includes(k)).sort();
    if (extra.length > 0) throw new InvalidEncoding(`unexpected member '${extra[0]}'`, fieldPath(field, extra[0]));
    let rows = null;
    for (const name of PER_ROW) {
      const found = nonEmptyList(obj[name], fieldPath(field, name), 'hex strings').length;
      if (rows === null) rows = found;
      else if (found !== rows) {
        throw new InvalidEncoding(
          `holds ${found} items but commitments holds ${rows}: there is one of each per row`, fieldPath(field, name),
        );
      }
    }
    nonEmptyList(obj.s4, fieldPath(field, 's4'), 'scalars');
    const points = (name) => obj[name].map((item, n) => Point.fromHex(item, `${fieldPath(field, name)}[${n}]`));
    const scalars = (name) => obj[name].map((item, n) => Scalar.fromHex(item, `${fieldPath(field, name)}[${n}]`));
    const scalar = (name) => Scalar.fromHex(obj[name], fieldPath(field, name));
    return new ShuffleProof({
      commitments: points('commitments'),
      chain: points('chain'),
      challenge: scalar('challenge'),
      s1: scalar('s1'),
      s2: scalar('s2'),
      s3: scalar('s3'),
      s4: scalars('s4'),
      sHat: scalars('s_hat'),
      sPrime: scalars('s_prime'),
    });
  }
}

/** @param {Ciphertext[][]} rows */
export function rowsToJSON(rows) {
  return rows.map((row) => row.map((ct) => ct.toJSON()));
}

/**
 * Read a non-empty list of rows, each a non-empty list of ciphertexts, all of one width.
 * @param {unknown} obj @param {string | null} [field]
 * @returns {Ciphertext[][]}
 */
export function rowsFromJSON(obj, field = null) {
  const name = field ?? 'rows';
  const rows = nonEmptyList(obj, name, 'rows');
  const width = Array.isArray(rows[0]) ? rows[0].length : null;
  return rows.map((row, j) => {
    const path = `${name}[${j}]`;
    const items = nonEmptyList(row, path, 'ciphertexts');
    if (items.length !== width) {
      throw new InvalidEncoding(
        `holds ${items.length} ciphertexts but the first row holds ${width}: every row has the same width`, path,
      );
    }
    return items.map((ct, k) => Ciphertext.fromJSON(ct, `${path}[${k}]`));
  });
}

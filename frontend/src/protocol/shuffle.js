/**
 * The verifiable re-encryption shuffle of rows of ciphertexts (section 14):
 * shuffle, Terelius–Wikström proof, verification. It reproduces the Python
 * implementation (omov/crypto/shuffle.py) byte for byte.
 *
 * The prover multiplies secret scalars in constant time, one at a time; the
 * verifier's sums over rows use Pippenger's multi-scalar multiplication
 * (variable time, on public values only).
 */

import { ristretto255, ristretto255_hasher } from '@noble/curves/ed25519.js';
import { pippenger } from '@noble/curves/abstract/curve.js';
import { sha256, sha512 } from '@noble/hashes/sha2.js';
import { bytesToBigIntLE, concatBytes, u32, u64, utf8 } from './bytes.js';
import { Ciphertext } from './elgamal.js';
import { InvalidProof } from './errors.js';
import { L, Point, Scalar } from './group.js';
import { ShuffleProof } from './shuffle-proof.js';

export { ShuffleProof, rowsFromJSON, rowsToJSON } from './shuffle-proof.js';

const RistrettoPoint = ristretto255.Point;
const ZERO = RistrettoPoint.ZERO;
const BASE = RistrettoPoint.BASE;
const LENGTH_32 = u32(32);

const mod = (n) => ((n % L) + L) % L;

/** T(tag, items...) of section 2.4, hashed as it is written. */
class Transcript {
  constructor(tag, hash = sha512) {
    this.hash = hash.create();
    this.raw(utf8(`omov/v1/${tag}`));
  }

  raw(bytes) {
    this.hash.update(u32(bytes.length));
    this.hash.update(bytes);
  }

  integer(n) {
    this.raw(u64(n));
  }

  /** @param {Iterable<Uint8Array>} encodings 32-byte point encodings */
  points(encodings) {
    for (const p of encodings) {
      this.hash.update(LENGTH_32);
      this.hash.update(p);
    }
  }

  challenge() {
    return bytesToBigIntLE(this.hash.digest()) % L;
  }
}

function hashToPoint(tag, ...indices) {
  const transcript = new Transcript(tag);
  for (const i of indices) transcript.integer(i);
  return new Point(ristretto255_hasher.deriveToCurve(transcript.hash.digest()));
}

const generatorCache = [];

/** H_0, ..., H_{count-1} (14.1). @returns {Point[]} */
export function generators(count) {
  while (generatorCache.length < count) generatorCache.push(hashToPoint('shuffle-generator', generatorCache.length));
  return generatorCache.slice(0, count);
}

/** The chain base H (14.1). */
export const CHAIN_BASE = hashToPoint('shuffle-chain-base');

/** What one shuffle is bound to (14.2). */
export class ShuffleContext {
  /** @param {Uint8Array} fingerprint the election's (7.1) @param {string} question its id @param {number} trustee */
  constructor(fingerprint, question, trustee) {
    Object.assign(this, { fingerprint: Uint8Array.from(fingerprint), question, trustee });
    Object.freeze(this);
  }
}

/** `rows_digest` of 14.2. @param {Ciphertext[][]} rows */
export function rowsDigest(rows) {
  const transcript = new Transcript('shuffle-rows', sha256);
  transcript.integer(rows.length);
  transcript.integer(rows[0].length);
  for (const row of rows) {
    for (const ct of row) transcript.points([ct.alpha.toBytes(), ct.beta.toBytes()]);
  }
  return transcript.hash.digest();
}

/** The statement S of 14.2, opening a transcript with `tag`. */
function statement(context, publicKey, inputs, outputs, commitments) {
  const inputDigest = rowsDigest(inputs);
  const outputDigest = rowsDigest(outputs);
  return (tag) => {
    const t = new Transcript(tag);
    t.raw(context.fingerprint);
    t.raw(utf8(context.question));
    t.integer(context.trustee);
    t.points([publicKey.toBytes()]);
    t.integer(inputs.length);
    t.integer(inputs[0].length);
    t.raw(inputDigest);
    t.raw(outputDigest);
    t.points(commitments.map((c) => c.toBytes()));
    return t;
  };
}

/** u_i = challenge("shuffle-weight", seed, i). @returns {bigint[]} */
export function shuffleWeights(seed, count) {
  const head = concatBytes(u32(22), utf8('omov/v1/shuffle-weight'), LENGTH_32, new Scalar(seed).toBytes(), u32(8));
  const weights = new Array(count);
  for (let i = 0; i < count; i++) weights[i] = bytesToBigIntLE(sha512(concatBytes(head, u64(i)))) % L;
  return weights;
}

function finalChallenge(open, chain, t1, t2, t3, t4, chainTerms) {
  const t = open('shuffle-challenge');
  t.points(chain.map((p) => p.toBytes()));
  t.points([t1, t2, t3].map((p) => p.toBytes()));
  t.points(t4.flatMap(([a, b]) => [a.toBytes(), b.toBytes()]));
  t.points(chainTerms.map((p) => p.toBytes()));
  return t.challenge();
}

/** s·P in constant time, for the prover's secret scalars. */
function mul(point, scalar) {
  return scalar === 0n ? ZERO : point.multiply(scalar);
}

/** s·P in variable time, for the verifier's public scalars. */
function mulPublic(point, scalar) {
  return point.multiplyUnsafe(scalar);
}

function sum(points) {
  return points.reduce((a, b) => a.add(b), ZERO);
}

/**
 * Re-encrypt and permute `rows` under `publicKey` (14.3). Draws N-1 scalars for
 * the permutation, then N·w for the randomness, row by row.
 * @param {Point} publicKey @param {Ciphertext[][]} rows @param {{scalar(): Scalar}} rng
 * @returns {{output: Ciphertext[][], permutation: number[], randomness: Scalar[][]}}
 */
export function shuffleRows(publicKey, rows, rng) {
  const n = rows.length;
  const permutation = [...Array(n).keys()];
  for (let i = n - 1; i > 0; i--) {
    const t = Number(rng.scalar().value % BigInt(i + 1));
    [permutation[i], permutation[t]] = [permutation[t], permutation[i]];
  }
  const randomness = rows.map((row) => row.map(() => rng.scalar()));
  const key = publicKey.inner;
  const output = permutation.map((i, j) => rows[i].map((ct, k) => {
    const r = randomness[j][k].value;
    return new Ciphertext(new Point(ct.alpha.inner.add(mul(BASE, r))), new Point(ct.beta.inner.add(mul(key, r))));
  }));
  return { output, permutation, randomness };
}

/**
 * Prove that `output` is `input` permuted by `permutation` and re-encrypted
 * with `randomness` (14.4). Draws r_i, r^_j, ω1, ω2, ω3, ω4_k, ω^_j, ω'_j.
 * @returns {ShuffleProof}
 */
export function proveShuffle(publicKey, input, output, permutation, randomness, context, rng) {
  const n = input.length;
  const width = input[0].length;
  const hs = generators(n).map((h) => h.inner);
  const inverse = new Array(n);
  permutation.forEach((i, j) => { inverse[i] = j; });
  const draw = (count) => Array.from({ length: count }, () => rng.scalar().value);
  const r = draw(n);
  const commitments = r.map((ri, i) => new Point(BASE.multiply(ri).add(hs[inverse[i]])));
  const open = statement(context, publicKey, input, output, commitments);
  const weights = shuffleWeights(open('shuffle-seed').challenge(), n);
  const permuted = permutation.map((i) => weights[i]);

  const rHat = draw(n);
  const chain = [];
  let previous = CHAIN_BASE.inner;
  for (let j = 0; j < n; j++) {
    previous = BASE.multiply(rHat[j]).add(mul(previous, permuted[j]));
    chain.push(new Point(previous));
  }
  const [omega1, omega2, omega3] = draw(3);
  const omega4 = draw(width);
  const omegaHat = draw(n);
  const omegaPrime = draw(n);
  const weighted = (points) => sum(points.map((p, j) => mul(p, omegaPrime[j])));
  const key = publicKey.inner;
  const t1 = new Point(BASE.multiply(omega1));
  const t2 = new Point(BASE.multiply(omega2));
  const t3 = new Point(BASE.multiply(omega3).add(weighted(hs)));
  const t4 = [];
  for (let k = 0; k < width; k++) {
    t4.push([
      new Point(weighted(output.map((row) => row[k].alpha.inner)).subtract(BASE.multiply(omega4[k]))),
      new Point(weighted(output.map((row) => row[k].beta.inner)).subtract(key.multiply(omega4[k]))),
    ]);
  }
  const chainTerms = chain.map((_, j) => {
    const before = j === 0 ? CHAIN_BASE.inner : chain[j - 1].inner;
    return new Point(BASE.multiply(omegaHat[j]).add(mul(before, omegaPrime[j])));
  });
  const c = finalChallenge(open, chain, t1, t2, t3, t4, chainTerms);

  let rBar = 0n;
  let rWeighted = 0n;
  for (let i = 0; i < n; i++) {
    rBar += r[i];
    rWeighted += r[i] * weights[i];
  }
  let offset = 0n;
  for (let j = 0; j < n; j++) offset = (offset * permuted[j] + rHat[j]) % L;
  const s4 = omega4.map((w, k) => {
    let rk = 0n;
    for (let j = 0; j < n; j++) rk += randomness[j][k].value * permuted[j];
    return new Scalar(mod(w + c * rk));
  });
  return new ShuffleProof({
    commitments,
    chain,
    challenge: new Scalar(c),
    s1: new Scalar(mod(omega1 + c * rBar)),
    s2: new Scalar(mod(omega2 + c * offset)),
    s3: new Scalar(mod(omega3 + c * rWeighted)),
    s4,
    sHat: omegaHat.map((w, j) => new Scalar(mod(w + c * rHat[j]))),
    sPrime: omegaPrime.map((w, j) => new Scalar(mod(w + c * permuted[j]))),
  });
}

function rowShape(rows, field) {
  if (!Array.isArray(rows) || rows.length === 0) throw new InvalidProof('a shuffle needs at least one row', field);
  const width = rows[0].length;
  if (width === 0) throw new InvalidProof('a row needs at least one ciphertext', `${field}[0]`);
  rows.forEach((row, j) => {
    if (row.length !== width) {
      throw new InvalidProof(
        `every row must hold ${width} ciphertexts, as the first does; this one holds ${row.length}`, `${field}[${j}]`,
      );
    }
  });
  return [rows.length, width];
}

function checkSizes(n, width, output, proof) {
  if (output.length !== n) {
    throw new InvalidProof(`the shuffle has ${n} input rows but ${output.length} output rows`, 'output');
  }
  if (rowShape(output, 'output')[1] !== width) {
    throw new InvalidProof(
      `the input rows hold ${width} ciphertexts each but the output rows ${output[0].length}`, 'output',
    );
  }
  const lists = { commitments: proof.commitments, chain: proof.chain, s_hat: proof.sHat, s_prime: proof.sPrime };
  for (const [name, list] of Object.entries(lists)) {
    if (list.length !== n) throw new InvalidProof(`expected ${n} items, one per row, found ${list.length}`, `proof.${name}`);
  }
  if (proof.s4.length !== width) {
    throw new InvalidProof(`expected ${width} items, one per column, found ${proof.s4.length}`, 'proof.s4');
  }
}

function msm(points, scalars) {
  return pippenger(RistrettoPoint, points, scalars);
}

/**
 * Check that `output` is a re-encryption of a permutation of `input` under
 * `publicKey` (14.6); throws InvalidProof naming the field at fault.
 * @param {Point} publicKey @param {Ciphertext[][]} input @param {Ciphertext[][]} output
 * @param {ShuffleProof} proof @param {ShuffleContext} context
 */
export function verifyShuffle(publicKey, input, output, proof, context) {
  const [n, width] = rowShape(input, 'input');
  checkSizes(n, width, output, proof);
  const open = statement(context, publicKey, input, output, proof.commitments);
  const u = shuffleWeights(open('shuffle-seed').challenge(), n);
  const c = proof.challenge.value;
  const hs = generators(n).map((h) => h.inner);
  const commitments = proof.commitments.map((p) => p.inner);
  const chain = proof.chain.map((p) => p.inner);
  const sPrime = proof.sPrime.map((s) => s.value);
  const key = publicKey.inner;

  let product = 1n;
  for (const ui of u) product = (product * ui) % L;
  const commitmentSum = sum(commitments).subtract(sum(hs));
  const chainEnd = chain[n - 1].subtract(mulPublic(CHAIN_BASE.inner, product));
  const negC = mod(-c);
  const t1 = new Point(mulPublic(BASE, proof.s1.value).add(mulPublic(commitmentSum, negC)));
  const t2 = new Point(mulPublic(BASE, proof.s2.value).add(mulPublic(chainEnd, negC)));
  const t3 = new Point(mulPublic(BASE, proof.s3.value).add(msm(hs, sPrime)).add(mulPublic(msm(commitments, u), negC)));
  const t4 = [];
  for (let k = 0; k < width; k++) {
    const s4 = proof.s4[k].value;
    const alpha = msm(output.map((row) => row[k].alpha.inner), sPrime)
      .subtract(mulPublic(BASE, s4)).add(mulPublic(msm(input.map((row) => row[k].alpha.inner), u), negC));
    const beta = msm(output.map((row) => row[k].beta.inner), sPrime)
      .subtract(mulPublic(key, s4)).add(mulPublic(msm(input.map((row) => row[k].beta.inner), u), negC));
    t4.push([new Point(alpha), new Point(beta)]);
  }
  const chainTerms = chain.map((point, j) => {
    const before = j === 0 ? CHAIN_BASE.inner : chain[j - 1];
    return new Point(mulPublic(BASE, proof.sHat[j].value).add(mulPublic(before, sPrime[j])).add(mulPublic(point, negC)));
  });
  if (finalChallenge(open, proof.chain, t1, t2, t3, t4, chainTerms) !== c) {
    throw new InvalidProof(
      'the shuffle proof does not verify: its challenge is not the hash of the commitments recomputed from its responses',
      'proof',
    );
  }
}


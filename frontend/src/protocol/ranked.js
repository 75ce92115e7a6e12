/**
 * Ranked questions (protocol 5.2, 7.3): the m × R matrix of 0/1 cells a
 * ballot encrypts (candidate j at rank i in cell j·R + i), its validity proof,
 * and the rows the mix shuffles. As omov/crypto/ranked.py, draw for draw.
 *
 * On top of each cell's 0/1 proof: candidate_proofs[j] shows Σ_i x[j][i] ∈ {0, 1};
 * rank_proofs[0] shows c_0 = Σ_j x[j][0] ∈ [min, 1]; rank_proofs[i] (1 ≤ i < R)
 * shows c_{i-1} − c_i ∈ {0, 1}. So the column sums are 1, …, 1, 0, …, 0.
 */

import { Ciphertext, encrypt } from './elgamal.js';
import { InvalidBallot } from './errors.js';
import { Scalar } from './group.js';
import { ValueSetProof } from './proofs.js';
import { expectList, expectObject } from './shape.js';

const BIT_VALUES = Object.freeze([0, 1]);

function requireRanked(rule) {
  if (!rule.ranked) throw new RangeError('not a ranked question');
}

/** Whether `cells` (m·R values) are a valid ranking: each 0/1, a candidate once, a rank once, no gap, k ≥ min. */
export function validRanking(rule, cells) {
  requireRanked(rule);
  const R = rule.max;
  if (!Array.isArray(cells) || cells.length !== rule.options * R || !cells.every((v) => v === 0 || v === 1)) return false;
  for (let j = 0; j < rule.options; j++) {
    let row = 0;
    for (let i = 0; i < R; i++) row += cells[j * R + i];
    if (row > 1) return false;
  }
  let filled = 0;
  let previous = 1;
  for (let i = 0; i < R; i++) {
    let column = 0;
    for (let j = 0; j < rule.options; j++) column += cells[j * R + i];
    if (column > previous) return false;
    previous = column;
    filled += column;
  }
  return filled >= rule.min;
}

/**
 * The m·R cells of a ranking (0-based candidate indices in rank order).
 * @param {import('./questions.js').QuestionRule} rule @param {number[]} ranking
 */
export function cellsFromRanking(rule, ranking) {
  requireRanked(rule);
  const R = rule.max;
  if (!Array.isArray(ranking) || ranking.length < rule.min || ranking.length > R) {
    throw new InvalidBallot(`rank between ${rule.min} and ${R} candidates`, 'ranking');
  }
  if (new Set(ranking).size !== ranking.length) throw new InvalidBallot('a candidate is ranked more than once', 'ranking');
  const cells = new Array(rule.options * R).fill(0);
  ranking.forEach((j, i) => {
    if (!Number.isInteger(j) || j < 0 || j >= rule.options) {
      throw new InvalidBallot(`rank ${i + 1} names no candidate of this question`, 'ranking');
    }
    cells[j * R + i] = 1;
  });
  return cells;
}

/** The ranking (0-based candidate indices in rank order) that valid `cells` hold. */
export function rankingFromCells(rule, cells) {
  if (!validRanking(rule, cells)) throw new InvalidBallot('these cells are not a valid ranking', 'selections');
  const R = rule.max;
  const ranking = [];
  for (let i = 0; i < R; i++) {
    for (let j = 0; j < rule.options; j++) if (cells[j * R + i] === 1) ranking.push(j);
  }
  return ranking;
}

function total(list) {
  return list.reduce((a, b) => a.add(b));
}

function difference(a, b) {
  return new Ciphertext(a.alpha.sub(b.alpha), a.beta.sub(b.beta));
}

function column(list, R, i) {
  return list.filter((_, o) => o % R === i);
}

/** Per candidate j, Σ_i x[j][i]: the statements of candidate_proofs. */
export function candidateSums(rule, choices) {
  const R = rule.max;
  return Array.from({ length: rule.options }, (_, j) => total(choices.slice(j * R, (j + 1) * R)));
}

/** C_0, then C_{i-1} − C_i for 1 ≤ i < R: the statements of rank_proofs. */
export function rankStatements(rule, choices) {
  const R = rule.max;
  const columns = Array.from({ length: R }, (_, i) => total(column(choices, R, i)));
  return columns.map((c, i) => (i === 0 ? c : difference(columns[i - 1], c)));
}

/** The value set of rank_proofs[i]: [min, 1] for i = 0, {0, 1} after. */
export function rankValues(rule, i) {
  return i === 0 ? (rule.min === 1 ? [1] : [0, 1]) : BIT_VALUES;
}

/**
 * The answer to ranked question `q` and its cells' randomness, drawing as 7.3
 * says: each cell's r then its 0/1 proof; the candidate proofs; the rank proofs.
 */
export function encryptRanked(ctx, credential, q, rule, cells, rng) {
  const context = [ctx.fingerprint, credential, q];
  const R = rule.max;
  const choices = [];
  const proofs = [];
  const rs = [];
  cells.forEach((v, o) => {
    const r = rng.scalar();
    const ct = encrypt(ctx.publicKey, v, r);
    proofs.push(ValueSetProof.prove('option', [...context, o], ctx.publicKey, ct, BIT_VALUES, v, r, rng).toJSON());
    choices.push(ct);
    rs.push(r);
  });
  const sumScalars = (list) => list.reduce((a, b) => a.add(b), Scalar.fromInt(0));
  const candidateProofs = candidateSums(rule, choices).map((ct, j) => {
    const value = cells.slice(j * R, (j + 1) * R).reduce((a, b) => a + b, 0);
    return ValueSetProof.prove('ranked-candidate', [...context, j], ctx.publicKey, ct, BIT_VALUES, value,
      sumScalars(rs.slice(j * R, (j + 1) * R)), rng).toJSON();
  });
  const columnValues = Array.from({ length: R }, (_, i) => column(cells, R, i).reduce((a, b) => a + b, 0));
  const columnRandomness = Array.from({ length: R }, (_, i) => sumScalars(column(rs, R, i)));
  const rankProofs = rankStatements(rule, choices).map((ct, i) => {
    const value = i === 0 ? columnValues[0] : columnValues[i - 1] - columnValues[i];
    const randomness = i === 0 ? columnRandomness[0] : columnRandomness[i - 1].sub(columnRandomness[i]);
    const values = rankValues(rule, i);
    return ValueSetProof.prove('ranked-rank', [...context, i], ctx.publicKey, ct, values, values.indexOf(value),
      randomness, rng).toJSON();
  });
  const answer = {
    candidate_proofs: candidateProofs,
    choices: choices.map((c) => c.toJSON()),
    proofs,
    rank_proofs: rankProofs,
  };
  return { answer, randomness: rs };
}

/** Check the answer to ranked question `q` (7.4) and return its m·R cell ciphertexts. */
export function verifyRanked(ctx, rule, q, credential, answer) {
  const field = `answers[${q}]`;
  expectObject(answer, ['candidate_proofs', 'choices', 'proofs', 'rank_proofs'], field, InvalidBallot);
  const cells = rule.encryptedCount;
  const choices = expectList(answer.choices, `${field}.choices`, cells, InvalidBallot)
    .map((c, o) => Ciphertext.fromJSON(c, `${field}.choices[${o}]`));
  // Proof lengths are checked by verify (InvalidProof), as the Python verifier does.
  const read = (name, length) => expectList(answer[name], `${field}.${name}`, length, InvalidBallot)
    .map((p, n) => ValueSetProof.fromJSON(p, `${field}.${name}[${n}]`));
  const proofs = read('proofs', cells);
  const candidateProofs = read('candidate_proofs', rule.options);
  const rankProofs = read('rank_proofs', rule.max);
  const context = [ctx.fingerprint, credential, q];
  choices.forEach((ct, o) => proofs[o].verify('option', [...context, o], ctx.publicKey, ct, BIT_VALUES,
    `${field}.proofs[${o}]`));
  candidateSums(rule, choices).forEach((ct, j) => candidateProofs[j].verify('ranked-candidate', [...context, j],
    ctx.publicKey, ct, BIT_VALUES, `${field}.candidate_proofs[${j}]`));
  rankStatements(rule, choices).forEach((ct, i) => rankProofs[i].verify('ranked-rank', [...context, i],
    ctx.publicKey, ct, rankValues(rule, i), `${field}.rank_proofs[${i}]`));
  return Object.freeze(choices);
}

/**
 * The row the mix shuffles (5.2): R ciphertexts, row_i = Σ_j (j+1)·x[j][i],
 * by suffix sums (additions only), exactly the points of omov.crypto.ranked.ranked_rows.
 * @param {import('./questions.js').QuestionRule} rule @param {Ciphertext[]} choices the m·R cells
 */
export function rankedRows(rule, choices) {
  requireRanked(rule);
  const R = rule.max;
  const m = rule.options;
  if (choices.length !== m * R) throw new RangeError(`a ranked question has ${m * R} cells, not ${choices.length}`);
  const row = [];
  for (let i = 0; i < R; i++) {
    let suffix = choices[(m - 1) * R + i];
    let sum = suffix;
    for (let j = m - 2; j >= 0; j--) {
      suffix = suffix.add(choices[j * R + i]);
      sum = sum.add(suffix);
    }
    row.push(sum);
  }
  return row;
}

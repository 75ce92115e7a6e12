/**
 * The trustee's shuffle of a ranked question (docs/protocol.md 12.1 and 14), in
 * the browser. The page never shuffles what the server says is the input: it
 * recomputes the input from the record (the counted ballots' cells, in board
 * order, made into rows as 5.2 says), verifies every earlier shuffle of the
 * question in the record, and only if the server's input is exactly that does
 * it shuffle, prove and send the result. The same checks as `omov trustee shuffle`.
 */

import { Ciphertext, QuestionRule, SystemRng, checkManifest, fromHex, rankedRows } from '../../protocol/index.js';
import {
  ShuffleContext, ShuffleProof, proveShuffle, rowsDigest, rowsFromJSON, rowsToJSON, shuffleRows, verifyShuffle,
} from '../../protocol/shuffle.js';
import { Point, toHex } from '../../protocol/index.js';

/**
 * Above this many ciphertexts (rows × width) the page asks for the command line: a
 * shuffle and its proof of 1,000 rows of width 10 took 80 s in V8 on a loaded
 * two-core machine (about 4 ms per ciphertext), the command line 7.5 s.
 */
export const BROWSER_MAX_CELLS = 20000;

/** The counted ballots (9.1) in board order of each counted ballot: the last per credential, less revoked. */
export function countedBallots(entries) {
  const latest = new Map();
  for (const { kind, body } of entries) {
    if (kind === 'ballot') {
      latest.delete(body.credential);
      latest.set(body.credential, body);
    } else if (kind === 'revocation') {
      for (const credential of body.revoked) latest.delete(credential);
    }
  }
  return [...latest.values()];
}

/** Join one shuffle's parts (its entries in order) into output rows and its proof. */
export function joinShuffle(parts) {
  const rows = [];
  const lists = { commitments: [], chain: [], s_hat: [], s_prime: [] };
  parts.forEach((body, p) => {
    if (body.part !== p || body.parts !== parts.length) throw new Error(`part ${p} of a shuffle is out of order`);
    rows.push(...body.rows);
    for (const name of Object.keys(lists)) lists[name].push(...body[name]);
  });
  const proof = ShuffleProof.fromJSON({ ...lists, ...parts[parts.length - 1].proof }, 'proof');
  return { rows: rowsFromJSON(rows, 'rows'), proof };
}

/**
 * What the next shuffle of `questionId` takes, from the record alone: the mix input,
 * then each shuffle in the record verified in turn. Throws naming the shuffle that fails.
 * @returns {{rows: Ciphertext[][], after: number[], fingerprint: Uint8Array, publicKey: Point, width: number}}
 */
export function expectedInput(entries, questionId, progress = () => {}) {
  const manifest = entries[0]?.kind === 'manifest' ? entries[0].body : null;
  if (!manifest) throw new Error('The record does not begin with its manifest.');
  checkManifest(manifest);
  const q = manifest.questions.findIndex((question) => question.id === questionId && question.kind === 'ranked');
  if (q < 0) throw new Error(`The manifest has no ranked question ${questionId}.`);
  const question = manifest.questions[q];
  const rule = new QuestionRule(question.options.length, question.min, question.max, true);
  const tallyAt = entries.findIndex((entry) => entry.kind === 'tally');
  if (tallyAt < 0) throw new Error('The record holds no tally: voting has not closed.');
  const opened = entries.find((entry) => entry.kind === 'open');
  const joint = entries.find((entry) => entry.kind === 'joint_key');
  const fingerprint = fromHex(opened.body.fingerprint, 'open.fingerprint', 32);
  const publicKey = Point.fromHex(joint.body.public_key, 'joint_key.public_key');
  let rows = countedBallots(entries.slice(0, tallyAt)).map((ballot, n) => rankedRows(rule,
    ballot.answers[q].choices.map((cell, o) => Ciphertext.fromJSON(cell, `counted ballot ${n}: choices[${o}]`))));
  const shuffles = [];
  for (const { kind, body } of entries.slice(tallyAt + 1)) {
    if (kind !== 'shuffle' || body.question !== questionId) continue;
    if (body.part === 0) shuffles.push([]);
    if (shuffles.length === 0) throw new Error('A shuffle in the record starts without its part 0.');
    shuffles[shuffles.length - 1].push(body);
  }
  const after = [];
  for (const parts of shuffles) {
    const trustee = parts[0].trustee;
    progress(`Verifying trustee ${trustee}'s shuffle in the record…`);
    const { rows: output, proof } = joinShuffle(parts);
    try {
      verifyShuffle(publicKey, rows, output, proof, new ShuffleContext(fingerprint, questionId, trustee));
    } catch (error) {
      throw new Error(`STOP: trustee ${trustee}'s shuffle of question ${questionId} in the record does not verify `
        + `(${error.message}). Do not shuffle; tell the other trustees.`);
    }
    rows = output;
    after.push(trustee);
  }
  return { rows, after, fingerprint, publicKey, width: question.max };
}

/** Why the server's input is not the record's rows, or null when it is the same. */
export function inputProblem(served, rows, questionId) {
  if (!served || served.question !== questionId) return `it is not an input of question ${questionId}`;
  const expected = toHex(rowsDigest(rows));
  if (served.digest !== expected) return `its digest ${String(served.digest).slice(0, 16)}… is not the record's ${expected.slice(0, 16)}…`;
  let sent;
  try {
    sent = rowsFromJSON(served.rows, 'rows');
  } catch (error) {
    return `its rows are not readable: ${error.message}`;
  }
  if (toHex(rowsDigest(sent)) !== expected) return 'its rows are not the record\'s rows (another order, or other ciphertexts)';
  return null;
}

/**
 * Shuffle question `questionId` for trustee `index`: check, shuffle, prove; returns the
 * body to send (`step` "shuffle") and the seconds each part took.
 */
export function makeShuffle(entries, served, questionId, index, progress = () => {}) {
  const started = performance.now();
  const expected = expectedInput(entries, questionId, progress);
  if (expected.after.includes(index)) throw new Error(`You have already shuffled question ${questionId}.`);
  if (expected.rows.length === 0) throw new Error(`Question ${questionId} has no counted ballot: nothing to shuffle.`);
  if (expected.rows.length * expected.width > BROWSER_MAX_CELLS) {
    throw new Error(`Question ${questionId} has ${expected.rows.length.toLocaleString('en-GB')} rows of `
      + `${expected.width}: too many to shuffle in a browser; use the command line (omov trustee shuffle).`);
  }
  const problem = inputProblem(served, expected.rows, questionId);
  if (problem) {
    throw new Error(`STOP: the input the server sent for question ${questionId} is not the one the board implies `
      + `(${problem}). Nothing was shuffled or sent. Reload the page; if it happens again, tell the other trustees.`);
  }
  const checked = performance.now();
  progress(`Shuffling ${expected.rows.length.toLocaleString('en-GB')} rows…`);
  const rng = new SystemRng();
  const { output, permutation, randomness } = shuffleRows(expected.publicKey, expected.rows, rng);
  const proof = proveShuffle(expected.publicKey, expected.rows, output, permutation, randomness,
    new ShuffleContext(expected.fingerprint, questionId, index), rng);
  const done = performance.now();
  return {
    body: { question: questionId, input_digest: toHex(rowsDigest(expected.rows)), rows: rowsToJSON(output), proof: proof.toJSON() },
    seconds: { check: (checked - started) / 1000, shuffle: (done - checked) / 1000 },
    rows: expected.rows.length,
  };
}

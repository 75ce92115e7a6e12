// Ranked questions (protocol 5.2, 7.3): tests/vectors/ranked.json byte for byte,
// and the encoding's checks on the browser side.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fromHex } from '../src/protocol/bytes.js';
import { ElectionContext, checkAudit, encryptBallot, verifyBallot } from '../src/protocol/ballot.js';
import { Ciphertext } from '../src/protocol/elgamal.js';
import { G, Point, Scalar } from '../src/protocol/group.js';
import { QuestionRule } from '../src/protocol/questions.js';
import { cellsFromRanking, rankedRows, rankingFromCells, validRanking } from '../src/protocol/ranked.js';
import { assertSameJson, loadVectors, seeded } from './vectors.js';

const RANKED = loadVectors('ranked.json');
const BALLOTS = loadVectors('ballots.json');

function ruleOf(r) {
  return new QuestionRule(r.options, r.min, r.max, r.ranked === true);
}

const election = BALLOTS.elections.find((e) => e.name === RANKED.election);
const ctx = new ElectionContext(fromHex(election.fingerprint), Point.fromHex(election.public_key), election.rules.map(ruleOf));

test('ranked vectors: rankings as cells and back', () => {
  assert.ok(RANKED.cells.length > 0);
  for (const v of RANKED.cells) {
    const rule = ruleOf(v.rule);
    assert.deepEqual(cellsFromRanking(rule, v.ranking), v.cells);
    assert.deepEqual(rankingFromCells(rule, v.cells), v.ranking);
  }
});

test('ranked vectors: the rows of every ranked ballot, point for point', () => {
  assert.ok(RANKED.rows.length > 0);
  const secret = Scalar.fromHex(RANKED.election_secret);
  assert.ok(G.mul(secret).equals(ctx.publicKey));
  for (const v of RANKED.rows) {
    const verified = verifyBallot(ctx, BALLOTS.ballots[v.ballot].ballot);
    const row = rankedRows(ctx.rules[v.question], verified.choices[v.question]);
    assertSameJson(row.map((c) => c.toJSON()), v.rows, `ballot ${v.ballot}`);
    const values = row.map((c) => {
      const point = c.beta.sub(c.alpha.mul(secret));
      for (let k = 0; k <= ctx.rules[v.question].options; k++) {
        if (point.equals(k === 0 ? G.mul(Scalar.fromInt(0)) : G.mul(Scalar.fromInt(k)))) return k;
      }
      return -1;
    });
    assert.deepEqual(values, v.values);
  }
});

test('a ranked ballot encrypts, verifies, and its audit decodes to the ranking', () => {
  const cells = cellsFromRanking(ctx.rules[1], [3, 0]);
  const empty = cellsFromRanking(ctx.rules[2], []);
  const prepared = encryptBallot(ctx, Scalar.fromInt(99), [[1, 0], cells, empty], seeded('ranked-js'));
  const answer = prepared.ballot.answers[1];
  assert.deepEqual(Object.keys(answer).sort(), ['candidate_proofs', 'choices', 'proofs', 'rank_proofs']);
  assert.equal(answer.choices.length, 12);
  assert.equal(answer.candidate_proofs.length, 4);
  assert.equal(answer.rank_proofs.length, 3);
  assert.equal(answer.rank_proofs[0].challenges.length, 1, 'min 1: the first rank must hold one candidate');
  verifyBallot(ctx, prepared.ballot);
  const selections = checkAudit(ctx, prepared.auditReveal());
  assert.deepEqual(rankingFromCells(ctx.rules[1], selections[1]), [3, 0]);
  assert.deepEqual(rankingFromCells(ctx.rules[2], selections[2]), []);
});

test('the booth refuses to encrypt a ranking that is not one', () => {
  const rule = ctx.rules[1];
  assert.throws(() => cellsFromRanking(rule, [1, 1]), /more than once/);
  assert.throws(() => cellsFromRanking(rule, []), /rank between 1 and 3/);
  assert.throws(() => cellsFromRanking(rule, [0, 1, 2, 3]), /rank between 1 and 3/);
  assert.throws(() => cellsFromRanking(rule, [4]), /names no candidate/);
  const gap = new Array(12).fill(0);
  gap[2 * 3 + 0] = 1;
  gap[0 * 3 + 2] = 1;
  assert.ok(!validRanking(rule, gap));
  assert.throws(() => encryptBallot(ctx, Scalar.fromInt(5), [[1, 0], gap, new Array(9).fill(0)], seeded('gap')),
    /no gap/);
});

test('ranked rows are additions: each row value is the candidate number at that rank', () => {
  const rule = new QuestionRule(5, 0, 3, true);
  const y = Scalar.fromInt(7);
  const Y = G.mul(y);
  const cells = cellsFromRanking(rule, [4, 1]);
  const choices = cells.map((v, o) => {
    const r = Scalar.fromInt(1000 + o);
    const beta = v === 0 ? Y.mul(r) : Y.mul(r).add(G);
    return new Ciphertext(G.mul(r), beta);
  });
  const row = rankedRows(rule, choices);
  const expected = [5, 2, 0];
  row.forEach((c, i) => {
    const point = c.beta.sub(c.alpha.mul(y));
    assert.ok(point.equals(G.mul(Scalar.fromInt(expected[i]))), `rank ${i + 1}`);
  });
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ElectionContext, ballotHash, checkAudit, encryptBallot, tracker, verifyBallot,
} from '../src/protocol/ballot.js';
import { InvalidBallot, InvalidEncoding, InvalidProof } from '../src/protocol/errors.js';
import { G } from '../src/protocol/group.js';
import { QuestionRule } from '../src/protocol/questions.js';
import { TestRng } from '../src/protocol/rng.js';

const json = (v) => JSON.parse(JSON.stringify(v));

function setup() {
  const rng = new TestRng(new TextEncoder().encode('ballots'));
  const rules = [new QuestionRule(2, 1, 1), new QuestionRule(5, 2, 2), new QuestionRule(4, 0, 4), new QuestionRule(4, 1, 3)];
  const ctx = new ElectionContext(new Uint8Array(32).fill(9), G.mul(rng.scalar()), rules);
  return { rng, ctx, x: rng.scalar() };
}
const SELECTIONS = [[0, 1], [1, 0, 0, 1, 0], [1, 1, 0, 1], [0, 0, 1, 0]];

test('question rules follow 5.1', () => {
  const yesNo = new QuestionRule(2, 1, 1);
  assert.deepEqual([yesNo.encryptedCount, yesNo.sumRange, yesNo.needsSumProof], [1, [0, 1], false]);
  const choose = new QuestionRule(5, 2, 2);
  assert.deepEqual([choose.encryptedCount, choose.sumRange, choose.needsSumProof], [4, [1, 2], true]);
  const approval = new QuestionRule(6, 0, 6);
  assert.deepEqual([approval.encryptedCount, approval.needsSumProof], [6, false]);
  const block = new QuestionRule(6, 0, 2);
  assert.deepEqual([block.sumValues, block.needsSumProof], [[0, 1, 2], true]);
  assert.throws(() => new QuestionRule(3, 2, 1), RangeError);
});

test('an encrypted ballot verifies after a JSON round trip, with the shape of 7.2', () => {
  const { rng, ctx, x } = setup();
  const prepared = encryptBallot(ctx, x, SELECTIONS, rng);
  const ballot = json(prepared.ballot);
  const verified = verifyBallot(ctx, ballot);
  assert.ok(verified.credential.equals(G.mul(x)));
  assert.deepEqual(verified.choices.map((c) => c.length), [1, 4, 4, 4]);
  assert.deepEqual(ballot.answers.map((a) => a.sum_proof === null), [true, false, true, false]);
  assert.deepEqual([...verified.hash], [...ballotHash(ballot)]);
  assert.match(prepared.tracker, /^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$/);
  assert.equal(prepared.tracker, tracker(ballotHash(ballot)));
});

test('tampering is caught and the error names the field', () => {
  const { rng, ctx, x } = setup();
  const ballot = json(encryptBallot(ctx, x, SELECTIONS, rng).ballot);
  const cases = [
    [(b) => { b.answers[1].proofs[2].challenges[0] = b.answers[1].proofs[2].challenges[1]; }, InvalidProof, 'answers[1].proofs[2]'],
    [(b) => { b.answers[0].choices[0].alpha = '00'.repeat(32); }, InvalidEncoding, 'answers[0].choices[0].alpha'],
    [(b) => { b.answers[2].sum_proof = b.answers[1].sum_proof; }, InvalidBallot, 'answers[2].sum_proof'],
    [(b) => { b.answers[1].sum_proof = null; }, InvalidBallot, 'answers[1].sum_proof'],
    [(b) => { b.election = 'ab'.repeat(32); }, InvalidBallot, 'election'],
    [(b) => { b.extra = 1; }, InvalidBallot, 'extra'],
    [(b) => { b.answers[3].choices.pop(); }, InvalidBallot, 'answers[3].choices'],
    [(b) => { b.signature.response = b.signature.challenge; }, InvalidProof, 'signature'],
    [(b) => { b.answers[3].choices.reverse(); }, InvalidProof, 'answers[3].proofs[0]'],
  ];
  for (const [mutate, type, field] of cases) {
    const copy = json(ballot);
    mutate(copy);
    assert.throws(() => verifyBallot(ctx, copy), (e) => {
      assert.ok(e instanceof type, `${field}: got ${e.name} ${e.message}`);
      assert.equal(e.field, field);
      return true;
    });
  }
});

test('selections that break the rules are refused before encrypting', () => {
  const { rng, ctx, x } = setup();
  const bad = [[[1, 1], ...SELECTIONS.slice(1)], [SELECTIONS[0], [1, 0, 0, 0, 0], ...SELECTIONS.slice(2)], [[0, 2], ...SELECTIONS.slice(1)]];
  for (const selections of bad) assert.throws(() => encryptBallot(ctx, x, selections, rng), InvalidBallot);
});

test('an audit reveal gives back the selections, and a false reveal is caught', () => {
  const { rng, ctx, x } = setup();
  const prepared = encryptBallot(ctx, x, SELECTIONS, rng);
  const reveal = json(prepared.auditReveal());
  assert.deepEqual(checkAudit(ctx, reveal), SELECTIONS);
  const lie = json(reveal);
  lie.selections[0] = [1, 0];
  assert.throws(() => checkAudit(ctx, lie), (e) => e instanceof InvalidBallot && e.field === 'choices[0][0]');
  assert.deepEqual(Object.keys(reveal).sort(), ['choices', 'election', 'randomness', 'selections']);
  assert.ok(!JSON.stringify(reveal).includes(prepared.ballot.credential));
  assert.throws(() => checkAudit(ctx, { ...reveal, credential: prepared.ballot.credential }),
    (e) => e instanceof InvalidBallot && e.field === 'credential');
});

test('the same selections with another randomness give another ballot', () => {
  const { ctx, x } = setup();
  const a = encryptBallot(ctx, x, SELECTIONS, new TestRng(new Uint8Array([1])));
  const b = encryptBallot(ctx, x, SELECTIONS, new TestRng(new Uint8Array([2])));
  const again = encryptBallot(ctx, x, SELECTIONS, new TestRng(new Uint8Array([1])));
  assert.notEqual(a.tracker, b.tracker);
  assert.equal(a.tracker, again.tracker);
});

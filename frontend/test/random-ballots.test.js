// Property check: for random question rules and random valid selections, a ballot verifies
// and its audit reveal gives the selections back; decrypting each choice gives the value.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ElectionContext, checkAudit, encryptBallot, fingerprint, verifyBallot } from '../src/protocol/ballot.js';
import { digest } from '../src/protocol/canonical.js';
import { G, Scalar } from '../src/protocol/group.js';
import { QuestionRule } from '../src/protocol/questions.js';
import { TestRng } from '../src/protocol/rng.js';

function randomInt(rng, below) {
  return Number(rng.scalar().value % BigInt(below));
}

function randomRule(rng) {
  const options = 2 + randomInt(rng, 6);
  const max = 1 + randomInt(rng, options);
  return new QuestionRule(options, randomInt(rng, max + 1), max);
}

function randomSelection(rng, rule) {
  const count = rule.min + randomInt(rng, rule.max - rule.min + 1);
  const row = new Array(rule.options).fill(0);
  let placed = 0;
  while (placed < count) {
    const o = randomInt(rng, rule.options);
    if (row[o] === 0) {
      row[o] = 1;
      placed++;
    }
  }
  return row;
}

test('random rules and selections: ballots verify, audits and decryptions give the selections', () => {
  const rng = new TestRng(new TextEncoder().encode('random-ballots'));
  for (let round = 0; round < 12; round++) {
    const y = rng.scalar();
    const rules = Array.from({ length: 1 + randomInt(rng, 3) }, () => randomRule(rng));
    const ctx = new ElectionContext(new Uint8Array(32).fill(round), G.mul(y), rules);
    const selections = rules.map((rule) => randomSelection(rng, rule));
    const prepared = encryptBallot(ctx, rng.scalar(), selections, rng);
    const received = JSON.parse(JSON.stringify(prepared.ballot));
    const verified = verifyBallot(ctx, received);
    assert.deepEqual(checkAudit(ctx, JSON.parse(JSON.stringify(prepared.auditReveal()))), selections);
    verified.choices.forEach((row, q) => {
      row.forEach((choice, o) => {
        const message = choice.beta.sub(choice.alpha.mul(y));
        assert.ok(message.equals(G.mulPublic(Scalar.fromInt(selections[q][o]))), `round ${round}, q ${q}, o ${o}`);
      });
    });
  }
});

test('ElectionContext.fromRecord binds the manifest, the joint key and the roll (7.1)', () => {
  const rng = new TestRng(new Uint8Array([8]));
  const Y = G.mul(rng.scalar());
  const manifest = { questions: [{ id: 'q1', options: ['Yes', 'No'], min: 1, max: 1 }], title: 'T' };
  const roll = { credentials: [G.mul(rng.scalar()).hex()], signature: { challenge: '00', response: '00' } };
  const ctx = ElectionContext.fromRecord(manifest, Y.hex(), roll);
  const expected = fingerprint(digest(manifest), Y, digest({ credentials: roll.credentials }));
  assert.deepEqual([...ctx.fingerprint], [...expected]);
  assert.deepEqual(ctx.rules.map((r) => [r.options, r.min, r.max]), [[2, 1, 1]]);
  const other = ElectionContext.fromRecord({ ...manifest, title: 'U' }, Y.hex(), roll);
  assert.notDeepEqual([...other.fingerprint], [...expected]);
});

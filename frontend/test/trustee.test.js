import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  checkCommitment, checkComplaint, checkShares, commit, complain, dealShares, openShare, qualified, receiveShares,
  TrusteeState,
} from '../src/protocol/dkg.js';
import { checkPartialDecryption, combine, partialDecrypt, questionTotals, tallyFromJSON } from '../src/protocol/decryption.js';
import { encrypt } from '../src/protocol/elgamal.js';
import { InvalidEncoding, InvalidProof, InvalidShare } from '../src/protocol/errors.js';
import { G, Scalar } from '../src/protocol/group.js';
import { QuestionRule } from '../src/protocol/questions.js';
import { TestRng } from '../src/protocol/rng.js';
import { jointKey, lagrangeAtZero, verificationKey } from '../src/protocol/threshold.js';
import { discreteLog } from '../src/protocol/dlog.js';

const json = (v) => JSON.parse(JSON.stringify(v));
const DIGEST = new Uint8Array(32).fill(0x42);

function ceremony(n, k, rng) {
  const states = new Map();
  const commitments = new Map();
  for (let i = 1; i <= n; i++) {
    const { state, body } = commit(DIGEST, i, k, rng);
    states.set(i, state);
    commitments.set(i, checkCommitment(DIGEST, json(body), n, k));
  }
  const shares = new Map();
  for (const [i, state] of states) shares.set(i, checkShares(DIGEST, json(dealShares(state, commitments, rng)), commitments));
  return { states, commitments, shares };
}

test('commitments verify, and a tampered proof or wrong threshold is named', () => {
  const rng = new TestRng(new Uint8Array([1]));
  const { body } = commit(DIGEST, 2, 3, rng);
  const bad = json(body);
  bad.commitment_proofs[1].response = bad.commitment_proofs[0].response;
  assert.throws(() => checkCommitment(DIGEST, bad, 3, 3), (e) => e instanceof InvalidProof && e.field === 'commitment_proofs[1]');
  assert.throws(() => checkCommitment(DIGEST, json(body), 3, 2), (e) => e instanceof InvalidEncoding && e.field === 'commitments');
  assert.throws(() => checkCommitment(DIGEST, json(body), 1, 3), (e) => e.field === 'trustee');
});

test('a 2-of-3 key generation gives shares consistent with the joint key', () => {
  const rng = new TestRng(new Uint8Array([2]));
  const { states, commitments, shares } = ceremony(3, 2, rng);
  const members = qualified(commitments, shares, [], 2);
  assert.deepEqual(members, [1, 2, 3]);
  const points = new Map([...commitments].map(([i, c]) => [i, c.commitments]));
  const Y = jointKey(points, members);
  const finals = new Map();
  for (const [i, state] of states) {
    const s = receiveShares(state, commitments, shares, members);
    assert.ok(G.mul(s).equals(verificationKey(points, members, i)));
    finals.set(i, s);
  }
  for (const pair of [[1, 2], [1, 3], [2, 3]]) {
    let y = Scalar.fromInt(0);
    for (const i of pair) y = y.add(lagrangeAtZero(i, pair).mul(finals.get(i)));
    assert.ok(G.mul(y).equals(Y));
  }
});

test('a bad share is refused, and the complaint about it is upheld; a false complaint is not', () => {
  const rng = new TestRng(new Uint8Array([3]));
  const { states, commitments, shares } = ceremony(3, 2, rng);
  const cheat = json(shares.get(1).toJSON());
  cheat.shares[0].ciphertext = cheat.shares[0].ciphertext.replace(/^../, (b) => (b === '00' ? '01' : '00'));
  assert.throws(() => checkShares(DIGEST, cheat, commitments), (e) => e instanceof InvalidProof && e.field === 'shares[0].signature');
  // A dealer who signs a wrong share: re-deal with different coefficients but the same commitments.
  const liar = new TrusteeState(DIGEST, 1, states.get(1).communicationSecret, [Scalar.fromInt(5), Scalar.fromInt(6)]);
  const lying = checkShares(DIGEST, json(dealShares(liar, commitments, rng)), commitments);
  assert.throws(() => openShare(states.get(2), commitments.get(1), lying), InvalidShare);
  const lyingShares = new Map(shares).set(1, lying);
  const complaint = json(complain(states.get(2), lying, rng));
  assert.equal(checkComplaint(DIGEST, complaint, commitments, lyingShares), true);
  assert.deepEqual(qualified(commitments, lyingShares, [1], 2), [2, 3]);
  const unfounded = json(complain(states.get(2), shares.get(1), rng));
  assert.equal(checkComplaint(DIGEST, unfounded, commitments, shares), false);
  const forged = json(unfounded);
  forged.key = G.hex();
  assert.throws(() => checkComplaint(DIGEST, forged, commitments, shares), InvalidProof);
});

test('partial decryptions verify and combine into the totals', () => {
  const rng = new TestRng(new Uint8Array([4]));
  const { states, commitments, shares } = ceremony(3, 2, rng);
  const members = [1, 2, 3];
  const points = new Map([...commitments].map(([i, c]) => [i, c.commitments]));
  const Y = jointKey(points, members);
  const votes = [[1, 0], [0, 0], [1, 1]];
  const tally = [0, 1].map((o) => votes.map((v) => encrypt(Y, v[o], rng.scalar())).reduce((a, b) => a.add(b)));
  const tallyJson = json([tally.map((c) => c.toJSON()), [null]]);
  const parsed = tallyFromJSON(tallyJson);
  const fingerprint = new Uint8Array(32).fill(1);
  const partials = new Map();
  for (const i of [3, 1]) {
    const s = receiveShares(states.get(i), commitments, shares, members);
    const body = json(partialDecrypt(s, i, fingerprint, parsed, rng));
    assert.equal(body.shares[1][0], null);
    partials.set(i, checkPartialDecryption(fingerprint, body, parsed, verificationKey(points, members, i)));
    const bad = json(body);
    bad.shares[0][1] = bad.shares[0][0];
    assert.throws(() => checkPartialDecryption(fingerprint, bad, parsed, verificationKey(points, members, i)),
      (e) => e instanceof InvalidProof && e.field === 'proofs[0][1]');
  }
  const totals = combine(parsed, partials, 2, 3);
  assert.deepEqual(totals, [[2, 1], [0]]);
  assert.deepEqual(questionTotals([new QuestionRule(3, 0, 2), new QuestionRule(2, 1, 1)], totals, 3), [[2, 1], [0, 3]]);
});

test('the bounded discrete log finds every total in [0, N] and nothing beyond', () => {
  for (const t of [0, 1, 7, 24, 25]) assert.equal(discreteLog(G.mulPublic(Scalar.fromInt(t)), 25), t);
  assert.throws(() => discreteLog(G.mulPublic(Scalar.fromInt(26)), 25));
});

test('trustee state survives its JSON form', () => {
  const { state } = commit(DIGEST, 1, 2, new TestRng(new Uint8Array([6])));
  const again = TrusteeState.fromJSON(json(state.withShare(Scalar.fromInt(9)).toJSON()));
  assert.equal(again.share.value, 9n);
  assert.deepEqual(again.toJSON().coefficients, state.toJSON().coefficients);
});

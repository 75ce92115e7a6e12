// tests/vectors/threshold.json and backup.json (tests/vectors/generate_threshold.py), reproduced byte for byte.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fromHex } from '../src/protocol/bytes.js';
import { decryptBackup, encryptBackup } from '../src/protocol/backup.js';
import {
  TrusteeState, checkCommitment, checkComplaint, checkShares, commit, complain, dealShares, qualified, receiveShares,
} from '../src/protocol/dkg.js';
import { checkPartialDecryption, combine, partialDecrypt, tallyFromJSON } from '../src/protocol/decryption.js';
import { encrypt } from '../src/protocol/elgamal.js';
import { L, Scalar } from '../src/protocol/group.js';
import { jointKey, verificationKey } from '../src/protocol/threshold.js';
import { assertSameJson, loadVectors, seeded } from './vectors.js';

const V = loadVectors('threshold.json');
const DIGEST = fromHex(V.manifest_digest);
const FINGERPRINT = fromHex(V.fingerprint);

function keyGeneration() {
  const states = new Map();
  const commitments = new Map();
  for (let i = 1; i <= V.trustees; i++) {
    const { state, body } = commit(DIGEST, i, V.threshold, seeded(`commit-${i}`));
    states.set(i, state);
    assertSameJson(state.toJSON(), V.states[i - 1], `state of trustee ${i}`);
    assertSameJson(body, V.commitments[i - 1], `commitment of trustee ${i}`);
    commitments.set(i, checkCommitment(DIGEST, body, V.trustees, V.threshold));
  }
  const shares = new Map();
  for (const [i, state] of states) {
    const body = dealShares(state, commitments, seeded(`deal-${i}`));
    assertSameJson(body, V.shares[i - 1], `shares of trustee ${i}`);
    shares.set(i, checkShares(DIGEST, body, commitments));
  }
  return { states, commitments, shares };
}

test('threshold vectors: commitments, shares, final shares, joint and verification keys', () => {
  const { states, commitments, shares } = keyGeneration();
  const members = qualified(commitments, shares, [], V.threshold);
  const points = new Map([...commitments].map(([i, c]) => [i, c.commitments]));
  assert.deepEqual(members, V.joint_key.qualified);
  assert.equal(jointKey(points, members).hex(), V.joint_key.public_key);
  for (const i of members) {
    assert.equal(receiveShares(states.get(i), commitments, shares, members).hex(), V.final_shares[i]);
    assert.equal(verificationKey(points, members, i).hex(), V.verification_keys[i]);
  }
});

test('threshold vectors: a false complaint and an upheld one', () => {
  const { states, commitments, shares } = keyGeneration();
  const falseComplaint = complain(states.get(1), shares.get(2), seeded('false-complaint'));
  assertSameJson(falseComplaint, V.false_complaint.body);
  assert.equal(checkComplaint(DIGEST, V.false_complaint.body, commitments, shares), V.false_complaint.upheld);

  const honest = states.get(2);
  const last = Scalar.fromInt((honest.coefficients.at(-1).value + 1n) % L);
  const cheat = new TrusteeState(DIGEST, 2, honest.communicationSecret, [...honest.coefficients.slice(0, -1), last]);
  const cheatingBody = dealShares(cheat, commitments, seeded('deal-2'));
  assertSameJson(cheatingBody, V.cheating.shares);
  const cheatingShares = new Map(shares).set(2, checkShares(DIGEST, cheatingBody, commitments));
  const complaint = complain(states.get(3), cheatingShares.get(2), seeded('complaint'));
  assertSameJson(complaint, V.cheating.complaint);
  assert.equal(checkComplaint(DIGEST, complaint, commitments, cheatingShares), V.cheating.upheld);
  assert.deepEqual(qualified(commitments, cheatingShares, [2], V.threshold), V.cheating.qualified);
});

test('threshold vectors: tally, partial decryptions and totals from every subset', () => {
  const { states, commitments, shares } = keyGeneration();
  const members = V.joint_key.qualified;
  const points = new Map([...commitments].map(([i, c]) => [i, c.commitments]));
  const publicKey = jointKey(points, members);
  const totals = V.decryption.totals_by_subset[members.join(',')];
  const tallyRng = seeded('tally');
  const ciphertexts = totals.map((row) => row.map((v) => encrypt(publicKey, v, tallyRng.scalar()).toJSON()));
  assertSameJson({ counted: V.decryption.tally.counted, ciphertexts }, V.decryption.tally);
  const tally = tallyFromJSON(V.decryption.tally.ciphertexts);
  const partials = new Map();
  members.forEach((i, n) => {
    const share = receiveShares(states.get(i), commitments, shares, members);
    const body = partialDecrypt(share, i, FINGERPRINT, tally, seeded(`partial-${i}`));
    assertSameJson(body, V.decryption.partial_decryptions[n], `partial decryption of trustee ${i}`);
    partials.set(i, checkPartialDecryption(FINGERPRINT, body, tally, verificationKey(points, members, i)));
  });
  for (const [subset, expected] of Object.entries(V.decryption.totals_by_subset)) {
    const chosen = new Map(subset.split(',').map((i) => [Number(i), partials.get(Number(i))]));
    assert.deepEqual(combine(tally, chosen, V.threshold, V.decryption.tally.counted), expected, subset);
  }
  const nullTally = tallyFromJSON([[null, null], [null]]);
  const share1 = receiveShares(states.get(1), commitments, shares, members);
  assertSameJson(partialDecrypt(share1, 1, FINGERPRINT, nullTally, seeded('partial-1')), V.decryption.null_tally_partial_decryption);
});

test('backup vectors: encrypt byte for byte and decrypt', async () => {
  const B = loadVectors('backup.json');
  assert.ok(B.cases.length > 0);
  for (const c of B.cases) {
    let next = fromHex(c.backup.kdf.salt)[0];
    const counting = (n) => Uint8Array.from({ length: n }, () => next++);
    assertSameJson(await encryptBackup(c.state, c.passphrase, counting), c.backup, c.passphrase);
    assertSameJson(await decryptBackup(c.backup, c.passphrase), c.state);
  }
});

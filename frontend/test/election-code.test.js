import { test } from 'node:test';
import assert from 'node:assert/strict';
import { digest } from '../src/protocol/canonical.js';
import { fingerprint, tracker } from '../src/protocol/ballot.js';
import { publicCredential, rollDigest, signRoll } from '../src/protocol/credentials.js';
import { checkCommitment, commit, dealShares } from '../src/protocol/dkg.js';
import { G } from '../src/protocol/group.js';
import { TestRng } from '../src/protocol/rng.js';
import { jointKey } from '../src/protocol/threshold.js';
import { electionCode } from '../src/pages/lib/election-code.js';

const json = (v) => JSON.parse(JSON.stringify(v));

/** A record up to the joint key for two trustees, and the authority's roll. */
function setup() {
  const rng = new TestRng(new Uint8Array([7]));
  const authority = rng.scalar();
  const manifest = {
    format: 'omov-election/1', election_id: 'code-test', title: 'Code test', threshold: 2,
    questions: [{ id: 'q1', kind: 'yes_no', text: 'Yes?', options: ['Yes', 'No'], min: 1, max: 1 }],
    trustees: [{ index: 1, name: 'One' }, { index: 2, name: 'Two' }],
    credential_authority: { name: 'CA', public_key: G.mul(authority).hex() },
  };
  const manifestDigest = digest(manifest);
  const entries = [{ kind: 'manifest', body: manifest }];
  const states = [];
  const commitments = new Map();
  for (const i of [1, 2]) {
    const { state, body } = commit(manifestDigest, i, 2, rng);
    states.push(state);
    entries.push({ kind: 'trustee_commitment', body: json(body) });
    commitments.set(i, checkCommitment(manifestDigest, json(body), 2, 2));
  }
  for (const state of states) {
    entries.push({ kind: 'trustee_shares', body: json(dealShares(state, commitments, rng)) });
  }
  const key = jointKey(new Map([...commitments].map(([i, c]) => [i, c.commitments])), [1, 2]);
  entries.push({ kind: 'joint_key', body: { qualified: [1, 2], public_key: key.hex() } });
  const roll = signRoll(manifestDigest, authority, [publicCredential(rng.scalar())], rng);
  return { entries, roll, manifestDigest, key, authorityKey: manifest.credential_authority.public_key };
}

test('the election code is the fingerprint of manifest, joint key and roll as a tracker', () => {
  const { entries, roll, manifestDigest, key, authorityKey } = setup();
  const expected = tracker(fingerprint(manifestDigest, key, rollDigest(roll.credentials)));
  assert.equal(electionCode(entries, authorityKey, roll), expected);
  assert.match(expected, /^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/);
});

test('a record whose joint key is not the trustees\' is refused', () => {
  const { entries, roll, authorityKey } = setup();
  entries.at(-1).body.public_key = G.mul(new TestRng(new Uint8Array([9])).scalar()).hex();
  assert.throws(() => electionCode(entries, authorityKey, roll), /joint key on the record is not/);
});

test('a manifest naming another authority is refused', () => {
  const { entries, roll } = setup();
  assert.throws(() => electionCode(entries, G.hex(), roll), /another credential authority key/);
});

test('a record whose manifest breaks section 5 is refused by the browser\'s checker', () => {
  const { entries, roll, authorityKey } = setup();
  entries[0].body.trustees[0].region = 'North';
  assert.throws(() => electionCode(entries, authorityKey, roll),
    (e) => e.field === 'trustees[0]' && /exactly index and name/.test(e.message));
});

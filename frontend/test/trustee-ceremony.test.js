// The trustee page's reading of the board: its own commitment, dealing, and the ceremony code.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { digest } from '../src/protocol/canonical.js';
import { commit, dealShares, checkCommitment, encryptBackup } from '../src/protocol/index.js';
import { TestRng } from '../src/protocol/rng.js';
import { ceremonyCode } from '../src/pages/lib/ceremony_code.js';
import { normaliseHeardCode, sameCode, trusteeView } from '../src/pages/lib/trustee_ceremony.js';
import { loadVectors } from './vectors.js';
import {
  PendingBackup, backupFileName, commitmentFingerprint, openBackup,
} from '../src/pages/lib/trustee_backup.js';

const json = (v) => JSON.parse(JSON.stringify(v));
// A manifest of section 5 (the record reader checks it): 3 trustees, threshold 2.
const manifest = loadVectors('manifests.json').accepted[0];
const manifestDigest = digest(manifest);

function board(seed = 1) {
  const rng = new TestRng(new Uint8Array([seed]));
  const made = [1, 2, 3].map((i) => commit(manifestDigest, i, 2, rng));
  const entries = [{ kind: 'manifest', body: manifest },
    ...made.map(({ body }) => ({ kind: 'trustee_commitment', body: json(body) }))];
  return { rng, made, entries };
}

test('the view finds the own commitment, dealing, and the code once all committed', () => {
  const { rng, made, entries } = board();
  const partial = trusteeView(entries.slice(0, 3), 1);
  assert.equal(partial.allCommitted, false);
  assert.equal(partial.code, null);
  const view = trusteeView(entries, 2);
  assert.deepEqual(view.ownBody, json(made[1].body));
  assert.equal(view.dealt, false);
  const commitments = new Map(made.map(({ body }, n) => [n + 1, checkCommitment(manifestDigest, json(body), 3, 2)]));
  assert.equal(view.code, ceremonyCode(manifestDigest, commitments));
  const dealt = dealShares(made[1].state, commitments, rng);
  assert.equal(trusteeView([...entries, { kind: 'trustee_shares', body: json(dealt) }], 2).dealt, true);
});

test('a heard code is compared without case, spaces, hyphens or O/I/L confusion', () => {
  assert.equal(normaliseHeardCode(' 7k2qm 9xd4t '), '7K2QM9XD4T');
  assert.ok(sameCode('oil23-45678', '01123-45678'));
  assert.ok(!sameCode('01123-45679', '01123-45678'));
});

test('a backup is checked against the commitment on the board', async () => {
  const { made, entries } = board();
  const other = board(2).made[0];
  const view = trusteeView(entries, 1);
  const passphrase = 'a long trustee passphrase';
  const at = { ballot: 'b', manifestDigest, index: 1, commitment: view.own, commitmentBody: view.ownBody };
  const good = JSON.stringify(await encryptBackup(made[0].state.toJSON(), passphrase));
  assert.equal((await openBackup(good, passphrase, at)).index, 1);
  await assert.rejects(openBackup(good, 'wrong passphrase', at), /passphrase is wrong/);
  await assert.rejects(openBackup('not json', passphrase, at), /not an omov trustee backup/);
  await assert.rejects(openBackup('{"a":1}', passphrase, at), /not an omov trustee backup/);
  const earlier = JSON.stringify(await encryptBackup(other.state.toJSON(), passphrase));
  const name = backupFileName('b', 1, view.ownBody);
  await assert.rejects(openBackup(earlier, passphrase, at), new RegExp(`another attempt.*${name}`));
  const second = JSON.stringify(await encryptBackup(made[1].state.toJSON(), passphrase));
  await assert.rejects(openBackup(second, passphrase, at), /trustee 2, not to you/);
  await assert.rejects(openBackup(good, passphrase, { ...at, commitment: null }), /not on the board/);
  assert.match(name, /^b-trustee-1-[0-9a-f]{8}-backup\.json$/);
  assert.equal(commitmentFingerprint(view.ownBody), Buffer.from(digest(view.ownBody)).toString('hex').slice(0, 8));
});

test('the kept backup is offered only for the commitment it belongs to', () => {
  const items = new Map();
  const storage = { getItem: (k) => items.get(k) ?? null, setItem: (k, v) => items.set(k, v), removeItem: (k) => items.delete(k) };
  const { made } = board();
  const kept = new PendingBackup(storage, 'b', 1);
  kept.save({ format: 'x' }, json(made[0].body));
  assert.deepEqual(kept.load(json(made[0].body)), { format: 'x' });
  assert.equal(kept.load(json(made[1].body)), null);
  kept.clear();
  assert.equal(kept.load(json(made[0].body)), null);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidBackup, decryptBackup, encryptBackup } from '../src/protocol/backup.js';
import { InvalidEncoding } from '../src/protocol/errors.js';

const STATE = { manifest_digest: '00'.repeat(32), trustee: 2, communication_secret: '01'.repeat(32), coefficients: ['02'.repeat(32)], share: null };

test('a backup opens with its passphrase (NFC-normalised) and not with another', async () => {
  const doc = await encryptBackup(STATE, 'Cafe\u0301 au lait');
  assert.equal(doc.kdf.n, 32768);
  assert.deepEqual(await decryptBackup(JSON.parse(JSON.stringify(doc)), 'Caf\u00e9 au lait'), STATE);
  await assert.rejects(decryptBackup(doc, 'cafe au lait'), (e) => e instanceof InvalidBackup && e.field === 'tag');
  const altered = { ...doc, ciphertext: doc.ciphertext.replace(/^./, (c) => (c === '0' ? '1' : '0')) };
  await assert.rejects(decryptBackup(altered, 'Caf\u00e9 au lait'), InvalidBackup);
});

test('a backup asking for other scrypt parameters is refused before any work', async () => {
  const doc = await encryptBackup(STATE, 'pass', (n) => new Uint8Array(n).fill(n));
  assert.equal(doc.kdf.salt, '10'.repeat(16));
  await assert.rejects(decryptBackup({ ...doc, kdf: { ...doc.kdf, n: 1 << 30 } }, 'pass'), (e) => e instanceof InvalidEncoding && e.field === 'kdf.n');
  await assert.rejects(encryptBackup(STATE, ''), InvalidBackup);
});

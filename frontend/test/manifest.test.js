// tests/vectors/manifests.json: the browser's manifest checker accepts and
// refuses exactly what the Python verifier does, naming the same field.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidEncoding } from '../src/protocol/errors.js';
import { checkManifest, isUtcTime } from '../src/protocol/manifest.js';
import { loadVectors } from './vectors.js';

const MANIFESTS = loadVectors('manifests.json');

test('manifest vectors: the accepted ones pass', () => {
  assert.ok(MANIFESTS.accepted.length >= 2);
  for (const body of MANIFESTS.accepted) checkManifest(body);
});

test('manifest vectors: each rejected one fails at the same field', () => {
  assert.ok(MANIFESTS.rejected.length >= 30);
  for (const v of MANIFESTS.rejected) {
    assert.throws(() => checkManifest(v.manifest), (e) => {
      assert.ok(e instanceof InvalidEncoding, v.description);
      assert.equal(e.field, v.field, v.description);
      return true;
    }, v.description);
  }
});

test('UTC times are real calendar dates and clock times', () => {
  assert.ok(isUtcTime('2028-02-29T23:59:59.123456789Z'));
  for (const bad of ['2027-02-29T00:00:00Z', '2026-12-01T24:00:00Z', '2026-12-01T09:00:00', '2026-12-01T09:00:00.Z']) {
    assert.ok(!isUtcTime(bad), bad);
  }
});

/**
 * Reading the public election record (docs/protocol.md section 10) in the
 * browser, with the protocol library's own checks, for the trustee steps.
 */

import { checkCommitment, checkManifest, checkShares, digest, parseEntry } from '../../protocol/index.js';

/**
 * Fetch the record and return its entries' `{kind, body, time}` in board order, each
 * line read with exactly its five members and its time stamp (sections 10, 10.1).
 */
export async function loadRecord(url) {
  const response = await fetch(url, { credentials: 'same-origin' });
  if (!response.ok) throw new Error(`Could not download the election record (${response.status}).`);
  const text = await response.text();
  return text.split('\n').filter((line) => line.length > 0).map((line, n) => {
    const entry = parseEntry(line, n);
    return { kind: entry.kind, body: entry.body, time: entry.time };
  });
}

/** The parts of the record the key ceremony and decryption need, checked. */
export function readCeremony(entries) {
  if (entries[0]?.kind !== 'manifest') throw new Error('The record does not begin with its manifest.');
  const manifest = entries[0].body;
  checkManifest(manifest);
  const manifestDigest = digest(manifest);
  const trustees = manifest.trustees.length;
  const commitments = new Map();
  const shares = new Map();
  const bodies = (kind) => entries.filter((e) => e.kind === kind).map((e) => e.body);
  for (const body of bodies('trustee_commitment')) {
    const commitment = checkCommitment(manifestDigest, body, trustees, manifest.threshold);
    commitments.set(commitment.trustee, commitment);
  }
  for (const body of bodies('trustee_shares')) {
    const dealt = checkShares(manifestDigest, body, commitments);
    shares.set(dealt.trustee, dealt);
  }
  const [jointKey] = bodies('joint_key');
  const [opened] = bodies('open');
  const [tally] = bodies('tally');
  const complaints = bodies('trustee_complaint');
  return { manifest, manifestDigest, trustees, commitments, shares, complaints, jointKey, opened, tally };
}

/**
 * The election code the credential authority gives each member next to their
 * voting code (docs/protocol.md 7.1): the fingerprint written as a tracker.
 * Computed here from the record's manifest and key ceremony, checked with the
 * protocol library, and the authority's own roll, never from a server label.
 */

import {
  checkComplaint, fingerprint, jointKey, qualified, rollDigest, tracker,
} from '../../protocol/index.js';
import { readCeremony } from './record.js';

/** What the member is told to do with the code. */
export const COMPARE = 'Before you cast your ballot, check that the booth shows this same election code; '
  + 'if it shows another, do not vote and tell the credential authority.';

/** The joint key Y recomputed from the checked commitments (8.4); throws if the record's differs. */
function checkedJointKey(ceremony) {
  const { manifestDigest, commitments, shares, complaints, manifest } = ceremony;
  if (!ceremony.jointKey) throw new Error('The record has no joint key yet: the key ceremony is not finished.');
  const upheld = complaints.filter((body) => checkComplaint(manifestDigest, body, commitments, shares))
    .map((body) => body.against);
  const members = qualified(commitments, shares, upheld, manifest.threshold);
  const key = jointKey(new Map(members.map((i) => [i, commitments.get(i).commitments])), members);
  if (key.hex() !== ceremony.jointKey.public_key) {
    throw new Error('The joint key on the record is not the one the trustees\' commitments give: do not go on.');
  }
  return key;
}

/**
 * The election code for `roll` (the authority's own signed roll) under the
 * record `entries`, whose manifest must name `authorityKeyHex`.
 */
export function electionCode(entries, authorityKeyHex, roll) {
  const ceremony = readCeremony(entries);
  if (ceremony.manifest.credential_authority.public_key !== authorityKeyHex) {
    throw new Error('The manifest on the record names another credential authority key than yours.');
  }
  const key = checkedJointKey(ceremony);
  return tracker(fingerprint(ceremony.manifestDigest, key, rollDigest(roll.credentials)));
}

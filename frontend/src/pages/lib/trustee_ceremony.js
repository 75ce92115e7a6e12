/**
 * What the board says about one trustee's key ceremony (docs/protocol.md 8),
 * for the trustee page: their own commitment (checked, and its body), whether
 * they have dealt, and the ceremony code (8.5) once every trustee has committed.
 */

import { ceremonyCode } from './ceremony_code.js';
import { readCeremony } from './record.js';

/** The page's view of the record `entries` for trustee `index`. */
export function trusteeView(entries, index) {
  const ceremony = readCeremony(entries);
  const ownBody = entries.find((e) => e.kind === 'trustee_commitment' && e.body.trustee === index)?.body ?? null;
  const allCommitted = ceremony.commitments.size === ceremony.trustees;
  return {
    ceremony,
    ownBody,
    own: ceremony.commitments.get(index) ?? null,
    dealt: ceremony.shares.has(index),
    allCommitted,
    code: allCommitted ? ceremonyCode(ceremony.manifestDigest, ceremony.commitments) : null,
  };
}

/**
 * A code as typed or heard: upper case, spaces and hyphens dropped, and the
 * letters Crockford reads as digits (O→0, I and L→1) mapped back.
 */
export function normaliseHeardCode(text) {
  return text.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
}

/** Whether the code the other trustees read out is this page's code. */
export function sameCode(heard, code) {
  return normaliseHeardCode(heard) === normaliseHeardCode(code);
}

export const STOP_DIFFERENT_CODE = 'STOP: the code the other trustees read out is not the code this page shows. '
  + 'Do not send your shares. This page is being shown other commitments than the other trustees see, '
  + 'which would let the server read your shares. Tell the organiser and the other trustees; nothing was sent.';

/**
 * A trustee's backup file (docs/protocol.md section 13) on the trustee page:
 * its file name, and the check, whenever a backup is loaded, that it holds
 * the secrets of the commitment this trustee published on the board (8.1).
 * A backup from an earlier, abandoned attempt is refused in plain words
 * before it is used for anything.
 */

import {
  InvalidBackup, TrusteeState, baseMult, decryptBackup, digest, parseJson, toHex,
} from '../../protocol/index.js';

/** Eight hex characters of SHA-256 of the commitment body's canonical JSON (section 13). */
export function commitmentFingerprint(body) {
  return toHex(digest(body)).slice(0, 8);
}

/** E.g. "budget-2027-trustee-2-3fa9c01d-backup.json". */
export function backupFileName(ballot, index, commitmentBody) {
  return `${ballot}-trustee-${index}-${commitmentFingerprint(commitmentBody)}-backup.json`;
}

/** Whether `state`'s secrets give the published commitment's points: E_i = d_i·G, C_{i,j} = a_{i,j}·G. */
export function matchesCommitment(state, commitment) {
  if (state.index !== commitment.trustee) return false;
  if (!baseMult(state.communicationSecret).equals(commitment.communicationKey)) return false;
  if (state.coefficients.length !== commitment.commitments.length) return false;
  return state.coefficients.every((a, j) => baseMult(a).equals(commitment.commitments[j]));
}

/**
 * Decrypt the backup `text` with `passphrase` and check it against the board.
 * `board` holds the ballot's slug, the manifest digest, this trustee's index,
 * and the commitment on the board for this trustee (checked) with its body,
 * or null when there is none yet. Throws an Error with a plain message.
 */
export async function openBackup(text, passphrase, board) {
  let doc;
  try {
    doc = parseJson(text, 'backup');
  } catch {
    throw new Error('This file is not an omov trustee backup (it is not JSON). Choose the file ending in “-backup.json”.');
  }
  if (!doc || typeof doc !== 'object' || doc.format !== 'omov-trustee-backup/1') {
    throw new Error('This file is not an omov trustee backup. Choose the file ending in “-backup.json” that you saved at step 1.');
  }
  let state;
  try {
    state = TrusteeState.fromJSON(await decryptBackup(doc, passphrase));
  } catch (error) {
    if (error instanceof InvalidBackup) {
      throw new Error('The backup could not be opened: the passphrase is wrong, or this is not the file you saved.');
    }
    throw new Error(`The backup file is damaged: ${error.message}`);
  }
  if (toHex(state.manifestDigest) !== toHex(board.manifestDigest)) {
    throw new Error(`This backup belongs to another ballot, not “${board.ballot}”.`);
  }
  if (state.index !== board.index) {
    throw new Error(`This backup belongs to trustee ${state.index}, not to you (trustee ${board.index}).`);
  }
  if (!board.commitment) {
    throw new Error('Your commitment is not on the board, so no backup can be checked yet: do step 1 first.');
  }
  if (!matchesCommitment(state, board.commitment)) {
    const wanted = backupFileName(board.ballot, board.index, board.commitmentBody);
    throw new Error('This backup is not the one for the commitment you published: it comes from another attempt '
      + `and cannot take part in this ballot. Look for the file named ${wanted}.`);
  }
  return state;
}

/** Offer `text` as a download behind `link` without starting it (the trustee clicks). */
export function offerFile(link, name, text) {
  link.href = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  link.download = name;
  link.hidden = false;
  return link;
}

/**
 * Keeps the encrypted backup in this browser between the server's acceptance
 * of the commitment and the trustee's check of the saved file, so that a
 * closed tab does not lose it. It is encrypted under the passphrase.
 */
export class PendingBackup {
  constructor(storage, ballot, index) {
    this.storage = storage;
    this.key = `omov-trustee-backup:${ballot}:${index}`;
  }

  save(doc, commitmentBody) {
    try {
      this.storage.setItem(this.key, JSON.stringify({ doc, fingerprint: commitmentFingerprint(commitmentBody) }));
    } catch {
      // Storage may be full or disabled; the download is then the only copy.
    }
  }

  /** The kept backup document if it belongs to `commitmentBody`, else null. */
  load(commitmentBody) {
    let kept = null;
    try {
      kept = JSON.parse(this.storage.getItem(this.key) || 'null');
    } catch {
      return null;
    }
    if (!kept || kept.fingerprint !== commitmentFingerprint(commitmentBody)) return null;
    return kept.doc;
  }

  clear() {
    try {
      this.storage.removeItem(this.key);
    } catch {
      // nothing kept
    }
  }
}

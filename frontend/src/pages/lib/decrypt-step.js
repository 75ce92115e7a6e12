/**
 * The trustee page's decryption step (docs/protocol.md 9.4). The page never
 * decrypts the tally the server hands it: it downloads the record, counts it
 * itself (lib/tally.js, ballots checked in Web Workers on every core), shows
 * the trustee the number of counted ballots, the tally entry's hash and the
 * count code, and decrypts only the tally it computed, once the trustee
 * confirms that the code matches the other trustees' and the public board's.
 */

import { baseMult, partialDecrypt, receiveShares, verificationKey } from '../../protocol/index.js';
import { RecordFault, countRecord, fetchRecord } from './tally.js';
import { workerPool } from './worker-pool.js';

const REFUSED = 'Nothing was decrypted and nothing was sent. Tell the other trustees and do not decrypt until this is explained.';

/**
 * Count the record at `url` and fit this trustee's backup to it; throws an
 * Error whose message a trustee can act on.
 * @param {string} url @param {import('../../protocol/index.js').TrusteeState} state
 * @param {(text: string) => void} progress
 */
export async function checkedDecryption(url, state, progress) {
  let checked;
  try {
    const text = await fetchRecord(url);
    checked = await countRecord(text, (setup) => workerPool(setup), {
      onProgress: (done, total) => progress(`Checking the board: ${done.toLocaleString('en')} of `
        + `${total.toLocaleString('en')} entries…`),
    });
  } catch (error) {
    if (error instanceof RecordFault) {
      if (error.reason === 'there is no tally on the board yet') throw new Error('There is no tally on the board yet.');
      throw new Error(`Refused: the record does not check, so its tally cannot be trusted (${error.message}). ${REFUSED}`);
    }
    throw error;
  }
  const toHex = (bytes) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  if (toHex(state.manifestDigest) !== toHex(checked.manifestDigest)) {
    throw new Error(`Refused: your backup belongs to another manifest than the one on this board. ${REFUSED}`);
  }
  if (!checked.members.includes(state.index)) {
    throw new Error(`Refused: trustee ${state.index} is not among the qualified trustees ${checked.members.join(', ')}.`);
  }
  const share = receiveShares(state, checked.commitments, checked.shares, checked.members);
  if (!baseMult(share).equals(verificationKey(checked.coefficientCommitments, checked.members, state.index))) {
    throw new Error(`Refused: the share in your backup does not fit the key generation on this board. ${REFUSED}`);
  }
  return { checked, share };
}

/**
 * Wire the step: `#decrypt` counts and shows the code; `#decrypt-confirm`
 * (enabled by `#count-compared`) decrypts the checked tally.
 */
export function setupDecryptStep({ root, button, status, loadState, submit, rng, say }) {
  const panel = document.getElementById('count-check');
  const compared = document.getElementById('count-compared');
  const confirm = document.getElementById('decrypt-confirm');
  let ready = null;

  const hide = () => {
    ready = null;
    panel.hidden = true;
    compared.checked = false;
    confirm.disabled = true;
  };
  compared.addEventListener('change', () => {
    confirm.disabled = !(compared.checked && ready);
  });

  button.addEventListener('click', async () => {
    button.disabled = true;
    hide();
    say(status, 'Downloading the record and checking every ballot in this browser…');
    try {
      const state = await loadState();
      const { checked, share } = await checkedDecryption(root.dataset.recordUrl, state, (text) => say(status, text));
      document.getElementById('count-counted').textContent = checked.counted.toLocaleString('en');
      document.getElementById('count-ballots').textContent = checked.ballotEntries.toLocaleString('en');
      document.getElementById('count-head').textContent = Array.from(checked.tallyEntryHash, (b) => b.toString(16).padStart(2, '0')).join('');
      document.getElementById('count-code').textContent = checked.code;
      ready = { checked, share, index: state.index };
      panel.hidden = false;
      say(status, `The record checks: ${checked.counted.toLocaleString('en')} counted ballots, and the tally on the `
        + 'board is their sum. Compare the count code below before you decrypt.');
    } catch (error) {
      say(status, error.message, true);
    }
    button.disabled = false;
  });

  confirm.addEventListener('click', async () => {
    if (!ready || !compared.checked) {
      say(status, 'First compare the count code with the other trustees and the public board, and tick the box.', true);
      return;
    }
    const { checked, share, index } = ready;
    confirm.disabled = true;
    try {
      const body = partialDecrypt(share, index, checked.context.fingerprint, checked.ciphertexts, rng);
      say(status, await submit('partial_decryption', body));
      hide();
    } catch (error) {
      say(status, error.message, true);
      confirm.disabled = false;
    }
  });
}

/**
 * A trustee's steps (docs/protocol.md sections 8 and 9.2), run in the
 * trustee's browser. The secrets live only in an encrypted backup file
 * (section 13) that the trustee downloads and loads again for each step; the
 * server receives the public bodies only, and checks them again.
 */

import {
  InvalidShare, SystemRng, TrusteeState, commit, complain, decryptBackup, dealShares, encryptBackup, fromHex,
  openShare, parseJson,
} from '../protocol/index.js';
import { setupDecryptStep } from './lib/decrypt-step.js';
import { loadRecord, readCeremony } from './lib/record.js';
import { csrfToken, postJson, readFile, saveFile, say } from './lib/http.js';

const root = document.getElementById('trustee');
const MIN_PASSPHRASE = 12;

function setup() {
  const index = Number(root.dataset.trustee);
  const status = document.getElementById('trustee-status');
  const token = csrfToken(root);
  const rng = new SystemRng();

  async function submit(step, body) {
    const reply = await postJson(root.dataset.submitUrl, { step, body }, token);
    if (!reply.ok) throw new Error(reply.data.error);
    return reply.data.message;
  }

  async function loadState() {
    const passphrase = document.getElementById('backup-passphrase').value;
    const doc = parseJson(await readFile(document.getElementById('backup-file')), 'backup');
    const plain = await decryptBackup(doc, passphrase).catch(() => {
      throw new Error('The backup could not be opened: is the passphrase right, and is this the backup file?');
    });
    const state = TrusteeState.fromJSON(plain);
    if (state.index !== index) throw new Error(`This backup belongs to trustee ${state.index}, not ${index}.`);
    return state;
  }

  function run(button, work) {
    button.addEventListener('click', async () => {
      button.disabled = true;
      say(status, 'Working… this can take a few seconds.');
      try {
        say(status, await work());
      } catch (error) {
        say(status, error.message, true);
      }
      button.disabled = false;
    });
  }

  const commitButton = document.getElementById('commit');
  if (commitButton) {
    run(commitButton, async () => {
      const passphrase = document.getElementById('new-passphrase').value;
      if (passphrase.length < MIN_PASSPHRASE) throw new Error(`Choose a passphrase of at least ${MIN_PASSPHRASE} characters.`);
      if (passphrase !== document.getElementById('new-passphrase-again').value) {
        throw new Error('The two passphrases differ.');
      }
      const record = readCeremony(await loadRecord(root.dataset.recordUrl));
      const { state, body } = commit(record.manifestDigest, index, record.manifest.threshold, rng);
      const backup = await encryptBackup(state.toJSON(), passphrase);
      saveFile(document.getElementById('backup-link'), `${root.dataset.ballot}-trustee-${index}-backup.json`,
        JSON.stringify(backup));
      const message = await submit('trustee_commitment', body);
      return `${message} Keep the backup file and the passphrase: you need both for every later step.`;
    });
  }

  const dealButton = document.getElementById('deal');
  if (dealButton) {
    run(dealButton, async () => {
      const state = await loadState();
      const record = readCeremony(await loadRecord(root.dataset.recordUrl));
      if (record.commitments.size < record.trustees) {
        throw new Error(`Only ${record.commitments.size} of ${record.trustees} trustees have committed; try later.`);
      }
      return submit('trustee_shares', dealShares(state, record.commitments, rng));
    });
  }

  const checkButton = document.getElementById('check');
  if (checkButton) {
    run(checkButton, async () => {
      const state = await loadState();
      const record = readCeremony(await loadRecord(root.dataset.recordUrl));
      const waiting = [...record.commitments.keys()].filter((i) => i !== index && !record.shares.has(i));
      if (waiting.length) throw new Error(`Trustees ${waiting.join(', ')} have not sent their shares yet.`);
      const complained = [];
      for (const [dealer, dealt] of record.shares) {
        if (dealer === index) continue;
        try {
          openShare(state, record.commitments.get(dealer), dealt);
        } catch (error) {
          if (!(error instanceof InvalidShare)) throw error;
          await submit('trustee_complaint', complain(state, dealt, rng));
          complained.push(dealer);
        }
      }
      await submit('shares_checked', null);
      return complained.length
        ? `You complained about the shares of trustees ${complained.join(', ')}; the rest checked out.`
        : 'Every share sent to you checked out. Your part of the key ceremony is done.';
    });
  }

  const decryptButton = document.getElementById('decrypt');
  if (decryptButton) {
    // The tally is recomputed from the record, never taken from the server (9.4).
    setupDecryptStep({ root, button: decryptButton, status, loadState, submit, rng, say });
  }
}

if (root) setup();

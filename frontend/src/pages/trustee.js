/**
 * A trustee's steps (docs/protocol.md sections 8 and 9.2), run in the
 * trustee's browser. The secrets live only in an encrypted backup file
 * (section 13) that the trustee downloads and loads again for each step; the
 * server receives the public bodies only, and checks them again.
 */

import {
  InvalidShare, SystemRng, commit, complain, dealShares, encryptBackup,
  openShare,
} from '../protocol/index.js';
import { setupDecryptStep } from './lib/decrypt-step.js';
import { loadRecord, readCeremony } from './lib/record.js';
import { csrfToken, getJson, postJson, readFile, saveFile, say } from './lib/http.js';

const MIX_WORKER_URL = new URL('./mix-worker.js', import.meta.url);

/** Check and make a shuffle in a Web Worker (lib/mix-step.js), reporting progress. */
function shuffleInWorker(message, progress) {
  return new Promise((resolve, reject) => {
    const worker = new Worker(MIX_WORKER_URL, { type: 'module' });
    worker.onmessage = (event) => {
      if (event.data.progress) {
        progress(event.data.progress);
        return;
      }
      worker.terminate();
      if (event.data.error) reject(new Error(event.data.error));
      else resolve(event.data.made);
    };
    worker.onerror = (event) => {
      worker.terminate();
      reject(new Error(`The shuffle stopped: ${event.message}`));
    };
    worker.postMessage(message);
  });
}
import {
  PendingBackup, backupFileName, commitmentFingerprint, matchesCommitment, offerFile, openBackup,
} from './lib/trustee_backup.js';
import { STOP_DIFFERENT_CODE, sameCode, trusteeView } from './lib/trustee_ceremony.js';

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

  const pending = new PendingBackup(window.localStorage, root.dataset.ballot, index);

  /** The backup loaded on the page, checked against this trustee's commitment on the board. */
  async function loadState(entries = null) {
    const view = trusteeView(entries ?? await loadRecord(root.dataset.recordUrl), index);
    const passphrase = document.getElementById('backup-passphrase').value;
    const text = await readFile(document.getElementById('backup-file'));
    return openBackup(text, passphrase, {
      ballot: root.dataset.ballot, manifestDigest: view.ceremony.manifestDigest, index,
      commitment: view.own, commitmentBody: view.ownBody,
    });
  }

  /** Step 1 is done: show it, hide key generation, and offer a backup kept in this browser. */
  function showCommitted(body, doc = null) {
    const name = backupFileName(root.dataset.ballot, index, body);
    document.getElementById('step-commit')?.remove();
    for (const id of ['step-committed', 'step-backup']) document.getElementById(id).hidden = false;
    document.getElementById('commitment-fingerprint').textContent = commitmentFingerprint(body);
    document.getElementById('backup-name').textContent = name;
    const link = document.getElementById('backup-link');
    if (doc) saveFile(link, name, JSON.stringify(doc));
    else if (pending.load(body) && link.hidden) offerFile(link, name, JSON.stringify(pending.load(body)));
    return name;
  }

  function showDealt() {
    document.getElementById('step-deal').hidden = true;
    document.getElementById('dealt-note').hidden = false;
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
      const before = trusteeView(await loadRecord(root.dataset.recordUrl), index);
      if (before.ownBody) {
        const name = showCommitted(before.ownBody);
        throw new Error(`Your commitment is already on the board, so no new keys were made. Keep using the backup `
          + `you saved then (${name}) and its passphrase.`);
      }
      const record = before.ceremony;
      const { state, body } = commit(record.manifestDigest, index, record.manifest.threshold, rng);
      const backup = await encryptBackup(state.toJSON(), passphrase);
      pending.save(backup, body);
      let message = 'Your commitments are on the board.';
      try {
        message = await submit('trustee_commitment', body);
      } catch (error) {
        // The answer may have been lost after the server took it: only the board says.
        const after = trusteeView(await loadRecord(root.dataset.recordUrl), index);
        if (!after.own || !matchesCommitment(state, after.own)) {
          pending.clear();
          throw new Error(`${error.message} No backup was saved: it would belong to a commitment the board does not hold.`);
        }
      }
      const name = showCommitted(body, backup);
      return `${message} Your backup ${name} is downloading: keep it and the passphrase; you need both for every `
        + 'later step, and after voting closes to decrypt. To be sure the saved file is good, load it below and '
        + 'press “Check my backup file”.';
    });
  }

  const checkBackupButton = document.getElementById('check-backup');
  if (checkBackupButton) {
    run(checkBackupButton, async () => {
      const state = await loadState();
      pending.clear();
      return `This backup opens with your passphrase and holds the secrets of your commitment on the board (trustee ${state.index}). `
        + 'Keep it until the result is published.';
    });
  }

  const dealButton = document.getElementById('deal');
  if (dealButton) {
    run(dealButton, async () => {
      const entries = await loadRecord(root.dataset.recordUrl);
      const view = trusteeView(entries, index);
      if (view.dealt) {
        showDealt();
        throw new Error('Your shares are already on the board: a trustee sends them once, and they were not sent '
          + 'again. Go on with step 3.');
      }
      if (!view.allCommitted) {
        throw new Error(`Only ${view.ceremony.commitments.size} of ${view.ceremony.trustees} trustees have committed; try later.`);
      }
      const shown = document.getElementById('ceremony-code');
      if (shown.dataset.code && shown.dataset.code !== view.code) {
        shown.textContent = view.code;
        shown.dataset.code = view.code;
        throw new Error('The commitments on the board changed since this page showed its ceremony code; the new code is '
          + 'shown. Compare it with the other trustees again.');
      }
      const heard = document.getElementById('ceremony-code-heard').value;
      if (!heard.trim()) throw new Error('Type the ceremony code the other trustees read out to you first.');
      if (!sameCode(heard, view.code)) {
        document.getElementById('step-deal').classList.add('errors');
        throw new Error(STOP_DIFFERENT_CODE);
      }
      const state = await loadState(entries);
      const message = await submit('trustee_shares', dealShares(state, view.ceremony.commitments, rng));
      showDealt();
      return `${message} Next: when every trustee has sent theirs, check the shares sent to you (step 3).`;
    });
  }

  async function showBoard() {
    const view = trusteeView(await loadRecord(root.dataset.recordUrl), index);
    if (view.ownBody) showCommitted(view.ownBody);
    if (view.dealt) showDealt();
    const shown = document.getElementById('ceremony-code');
    if (shown && view.code) {
      shown.textContent = view.code;
      shown.dataset.code = view.code;
    }
  }
  if (root.dataset.phase === 'key_ceremony') {
    showBoard().catch((error) => say(status, `Could not read the board: ${error.message}`, true));
  }

  const checkButton = document.getElementById('check');
  if (checkButton) {
    run(checkButton, async () => {
      const entries = await loadRecord(root.dataset.recordUrl);
      const state = await loadState(entries);
      const record = readCeremony(entries);
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
      document.getElementById('step-check').hidden = true;
      const next = ' You are needed again after voting closes, to decrypt your part of the count with this same '
        + 'backup file and passphrase; you will be emailed then.';
      return (complained.length
        ? `You complained about the shares of trustees ${complained.join(', ')}; the rest checked out.`
        : 'Every share sent to you checked out. Your part of the key ceremony is done.') + next;
    });
  }

  const decryptButton = document.getElementById('decrypt');
  if (decryptButton) {
    // The tally is recomputed from the record, never taken from the server (9.4).
    setupDecryptStep({ root, button: decryptButton, status, loadState, submit, rng, say });
  }

  // The mix: the input is recomputed from the record and compared with the server's.
  for (const button of document.querySelectorAll('button[data-mix-question]')) {
    run(button, async () => {
      const question = button.dataset.mixQuestion;
      const entries = await loadRecord(root.dataset.recordUrl);
      const served = await getJson(button.dataset.inputUrl);
      const made = await shuffleInWorker({ entries, served, question, index }, (text) => say(status, text));
      const message = await submit('shuffle', made.body);
      button.closest('.mix-question')?.setAttribute('data-shuffled', 'yes');
      return `${message} The page checked the input against the board in ${made.seconds.check.toFixed(1)} s `
        + `and shuffled and proved ${made.rows.toLocaleString('en-GB')} rows in ${made.seconds.shuffle.toFixed(1)} s.`;
    });
  }
}

if (root) setup();

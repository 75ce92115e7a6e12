/**
 * The voting booth (docs/protocol.md section 7). Everything secret happens
 * here: the member's choices and voting code never leave the browser.
 * The page encrypts, proves and signs the ballot with the protocol library,
 * shows the tracker before anything is sent, and then casts it or audits it.
 */

import {
  ElectionContext, Point, QuestionRule, SystemRng, auditHash, canonicalJsonString, checkAudit, checkManifest,
  credentialSecret, digest, encryptBallot, fingerprint, fromHex, toHex, tracker,
} from '../protocol/index.js';
import { csrfToken, getJson, postAnonymous, postJson, say } from './lib/http.js';
import {
  describeSelections, placeRank, rankedSelection, renderQuestions, updateRankStatus,
} from './lib/booth_questions.js';
import { checkPinned } from './lib/booth_pin.js';

const form = document.getElementById('booth');

function plural(n, word) {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** Keep checkbox questions within their maximum as the member ticks boxes. */
function enforceMaximum(question, changed) {
  const chosen = question.inputs.filter((input) => input.checked);
  if (changed.type === 'checkbox' && chosen.length > question.max) {
    changed.checked = false;
    say(question.error, `You can choose at most ${plural(question.max, 'option')} here.`, true);
  } else {
    say(question.error, '');
  }
}

/** The selections (0/1 per option, all m, manifest order; a ranked question's cells) or null, with a message on each bad question. */
function readSelections(questions) {
  let valid = true;
  const selections = questions.map((question) => {
    if (question.ranked) {
      const { cells, message } = rankedSelection(question);
      say(question.error, message ?? '', message !== undefined);
      if (message !== undefined) valid = false;
      return cells ?? null;
    }
    const row = question.inputs.map((input) => (input.checked ? 1 : 0));
    const count = row.reduce((a, b) => a + b, 0);
    let message = '';
    if (count < question.min) {
      message = question.min === question.max
        ? `Choose ${plural(question.min, 'option')} here (you chose ${count}).`
        : `Choose at least ${plural(question.min, 'option')} here (you chose ${count}).`;
    } else if (count > question.max) {
      message = `Choose at most ${plural(question.max, 'option')} here (you chose ${count}).`;
    }
    say(question.error, message, message !== '');
    if (message) valid = false;
    return row;
  });
  if (!valid) questions.find((q) => q.error.textContent)?.inputs[0]?.focus();
  return valid ? selections : null;
}

/**
 * The fingerprint code (7.1): the first 10 bytes of the fingerprint written as
 * a tracker is (7.5). The member compares it with the credential authority's
 * message, which the server cannot change.
 */
export function fingerprintCode(fingerprintBytes) {
  return tracker(fingerprintBytes);
}

/** The election's data, checked against its fingerprint and against what this browser saw before. */
async function checkedElection() {
  const election = await getJson(form.dataset.electionUrl);
  // The browser derives the digest and the fingerprint itself (7.1) rather
  // than trusting the server's copies, so the ballot is bound to this manifest,
  // key and roll; the fingerprint code anchors them outside the server.
  checkManifest(election.manifest);
  const manifestDigest = digest(election.manifest);
  const publicKey = Point.fromHex(election.public_key, 'public_key');
  const electionFingerprint = fingerprint(manifestDigest, publicKey,
    fromHex(election.roll_digest, 'roll_digest', 32));
  if (toHex(electionFingerprint) !== election.fingerprint) {
    throw new Error('the election data do not match their fingerprint; do not vote here, and tell the organisers');
  }
  checkPinned(window.location.pathname, {
    public_key: election.public_key,
    roll_digest: election.roll_digest,
    manifest_digest: toHex(manifestDigest),
    fingerprint: election.fingerprint,
  });
  return { manifest: election.manifest, manifestDigest, publicKey, electionFingerprint };
}

function showList(list, lines) {
  list.replaceChildren(...lines.map((line) => {
    const item = document.createElement('li');
    item.textContent = line;
    return item;
  }));
}

function show(section) {
  section.hidden = false;
  section.focus();
}

async function start() {
  const election = await checkedElection();
  const ctx = new ElectionContext(
    election.electionFingerprint, election.publicKey,
    election.manifest.questions.map((q) => QuestionRule.fromQuestion(q)),
  );
  const questions = renderQuestions(document.getElementById('questions'), election.manifest);
  document.getElementById('fingerprint-code').textContent = fingerprintCode(election.electionFingerprint);
  document.getElementById('fingerprint-check').hidden = false;
  const token = csrfToken(form);
  const codeInput = document.getElementById('credential-code');
  const codeError = document.getElementById('credential-error');
  const compared = document.getElementById('fingerprint-compared');
  const comparedError = document.getElementById('fingerprint-error');
  const prepared = document.getElementById('prepared');
  const castError = document.getElementById('cast-error');
  const castButton = document.getElementById('cast');
  const auditButton = document.getElementById('audit');
  const audited = document.getElementById('audited');
  const prepareButton = form.querySelector('#prepare');
  prepareButton.disabled = false;
  let ballot = null;
  // A cast whose answer was lost may be on the board: such a ballot is never
  // audited, since its audit would publish how a counted ballot votes.
  let maybeCast = false;

  for (const question of questions) {
    if (question.ranked) {
      for (const select of question.inputs) {
        let previous = select.value;
        select.addEventListener('focus', () => { previous = select.value; });
        select.addEventListener('change', () => {
          const moved = placeRank(question, select, previous);
          previous = select.value;
          updateRankStatus(question);
          say(question.error, moved);
        });
      }
      continue;
    }
    for (const input of question.inputs) input.addEventListener('change', () => enforceMaximum(question, input));
  }
  const fields = () => form.querySelectorAll('input:not([type=hidden]), select');

  function reopen() {
    ballot = null;
    prepared.hidden = true;
    prepareButton.disabled = false;
    for (const input of fields()) input.disabled = false;
    form.querySelector('input:not([type=hidden]), select')?.focus();
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    say(codeError, '');
    say(comparedError, '');
    const selections = readSelections(questions);
    if (selections === null) return;
    if (!compared.checked) {
      say(comparedError, 'Compare the election code above with the one in the credential authority\'s message '
        + 'first. If they differ, do not vote here.', true);
      compared.focus();
      return;
    }
    let secret;
    try {
      secret = credentialSecret(election.manifestDigest, codeInput.value);
    } catch (error) {
      say(codeError, `Your voting code looks mistyped: please check each group of five. (${error.message})`, true);
      codeInput.focus();
      return;
    }
    ballot = encryptBallot(ctx, secret, selections, new SystemRng());
    for (const input of fields()) input.disabled = true;
    prepareButton.disabled = true;
    document.getElementById('prepared-tracker').textContent = ballot.tracker;
    showList(document.getElementById('prepared-selections'), describeSelections(election.manifest, ballot.selections));
    say(castError, '');
    castButton.textContent = 'Cast my ballot';
    castButton.disabled = false;
    auditButton.disabled = false;
    maybeCast = false;
    show(prepared);
  });

  castButton.addEventListener('click', async () => {
    if (ballot === null) return;
    castButton.disabled = true;
    auditButton.disabled = true;
    say(castError, 'Sending your ballot…');
    try {
      const reply = await postJson(form.dataset.castUrl, canonicalJsonString(ballot.ballot), token);
      if (reply.ok) {
        window.location.assign(reply.data.receipt_url);
        return;
      }
      say(castError, `Your ballot was not accepted: ${reply.data.error}`, true);
    } catch (error) {
      maybeCast = true;
      say(castError, `The ballot could not be sent (${error.message}). Nothing is lost: try again. `
        + '(It may have reached the board, so it can no longer be audited.)', true);
    }
    castButton.textContent = 'Try casting again';
    castButton.disabled = false;
    auditButton.disabled = maybeCast;
  });

  auditButton.addEventListener('click', async () => {
    if (ballot === null || maybeCast) return;
    castButton.disabled = true;
    auditButton.disabled = true;
    const seenTracker = ballot.tracker;
    const reveal = ballot.auditReveal();
    // The audited ballot's randomness is forgotten at once: this ballot can
    // never be cast, and the member chooses afresh.
    ballot = null;
    for (const input of form.querySelectorAll('fieldset input')) input.checked = false;
    for (const select of form.querySelectorAll('fieldset select')) select.value = '';
    for (const question of questions) if (question.ranked) updateRankStatus(question);
    // The browser checks the opened ballot itself and decodes it against the
    // manifest it checked against the fingerprint, never against what the
    // server answers.
    const opened = checkAudit(ctx, reveal);
    document.getElementById('audited-tracker').textContent = seenTracker;
    showList(document.getElementById('audited-selections'), describeSelections(election.manifest, opened));
    const published = document.getElementById('audit-published');
    prepared.hidden = true;
    say(published, 'Publishing the audited ballot on the board, anonymously…');
    show(audited);
    // Sent without the session cookie and without the credential (7.6): the
    // audit names nobody, and the server cannot tie it to this account.
    const reply = await postAnonymous(form.dataset.auditUrl, canonicalJsonString(reveal))
      .catch((error) => ({ ok: false, data: { error: error.message } }));
    if (!reply.ok) {
      say(published, `Your browser checked the audit, but it could not be published on the board: ${reply.data.error}`, true);
      return;
    }
    say(published, `Published anonymously on the board as audit ${tracker(auditHash(reveal))}.`);
  });

  document.getElementById('change').addEventListener('click', reopen);
  document.getElementById('again').addEventListener('click', () => {
    audited.hidden = true;
    reopen();
  });
}

if (form) {
  start().catch((error) => {
    const message = document.createElement('p');
    message.className = 'message error';
    message.setAttribute('role', 'alert');
    message.textContent = `The booth could not start: ${error.message}`;
    form.prepend(message);
  });
}

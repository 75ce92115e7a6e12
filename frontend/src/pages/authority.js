/**
 * The credential authority's page (docs/protocol.md section 6), run in the
 * authority's browser: it makes the authority's key pair, and then every
 * member's voting code and the signed public roll. Only the public key
 * and the public roll are sent to the server; the codes are saved to a
 * private file that the authority mails from their own machine. The roll is
 * uploaded only once the authority confirms the private file is saved, so a
 * closed tab cannot leave a roll on the board whose codes nobody holds.
 */

import {
  Scalar, SystemRng, baseMult, credentialSecret, digest, newCode, parseJson, publicCredential, signRoll,
} from '../protocol/index.js';
import { COMPARE, electionCode } from './lib/election-code.js';
import { csrfToken, getJson, postJson, readFile, saveFile, say } from './lib/http.js';
import { loadRecord } from './lib/record.js';

const root = document.getElementById('authority');

function csvCell(value) {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/**
 * The private file in the columns `omov credentials mail` reads: member, email,
 * name, code, and the election code each member compares with the booth's.
 */
function privateCsv(rows, election) {
  const lines = rows.map((row) => [row.membership_number, row.email, '', row.code, election].map(csvCell).join(','));
  return ['member,email,name,code,election_code', ...lines].join('\n') + '\n';
}

/** The authority's secret key from its key file, checked against the key in the manifest. */
async function authoritySecret() {
  const keyFile = parseJson(await readFile(document.getElementById('authority-key-file')), 'key file');
  if (keyFile.format !== 'omov-credential-authority/1') throw new Error('That is not an authority key file.');
  const secret = Scalar.fromHex(keyFile.secret_key, 'secret_key');
  if (baseMult(secret).hex() !== root.dataset.authorityKey) {
    throw new Error('That key file is not the one whose public key is in the manifest.');
  }
  return secret;
}

/** Every member's code and the signed roll, with the election code computed from the checked record. */
async function makeCodes(secret, rng, status) {
  const entries = await loadRecord(root.dataset.recordUrl);
  const manifestDigest = digest(entries[0].body);
  const electors = await getJson(root.dataset.electorsUrl);
  say(status, `Making ${electors.members.length} voting codes…`);
  const rows = [];
  const credentials = [];
  for (const member of electors.members) {
    const code = newCode();
    credentials.push(publicCredential(credentialSecret(manifestDigest, code)));
    rows.push({ membership_number: member.membership_number, email: member.email, code });
  }
  const roll = signRoll(manifestDigest, secret, credentials, rng);
  return { rows, roll, election: electionCode(entries, baseMult(secret).hex(), roll) };
}

function setup() {
  const status = document.getElementById('authority-status');
  const token = csrfToken(root);
  const rng = new SystemRng();

  const makeKey = document.getElementById('make-key');
  if (makeKey) {
    makeKey.addEventListener('click', () => {
      const secret = rng.scalar();
      const publicKey = baseMult(secret).hex();
      saveFile(document.getElementById('key-link'), `${root.dataset.ballot}-authority-key.json`,
        JSON.stringify({ format: 'omov-credential-authority/1', secret_key: secret.hex(), public_key: publicKey }));
      const input = document.getElementById('id_public_key');
      if (input) input.value = publicKey;
      say(status, 'Your key pair is saved as a file: keep it private and safe. The public key is filled in below; store it.');
    });
  }

  const generate = document.getElementById('generate');
  const upload = document.getElementById('upload-roll');
  let pendingRoll = null;
  if (generate && upload) {
    generate.addEventListener('click', async () => {
      generate.disabled = true;
      try {
        const { rows, roll, election } = await makeCodes(await authoritySecret(), rng, status);
        saveFile(document.getElementById('private-link'), `${root.dataset.ballot}-credentials-PRIVATE.csv`,
          privateCsv(rows, election), 'text/csv');
        pendingRoll = roll;
        upload.hidden = false;
        say(status, `Your browser is saving the private file of ${rows.length} codes (election code ${election}). `
          + 'Nothing has been uploaded yet. Keep this file on your own machine and never upload it: you need it '
          + 'to send each member their code (omov credentials mail) and to replace a lost code. '
          + 'Once the file is saved, press "I have saved the file: upload the roll".');
      } catch (error) {
        say(status, error.message, true);
        generate.disabled = false;
      }
    });
    upload.addEventListener('click', async () => {
      if (pendingRoll === null) return;
      upload.disabled = true;
      try {
        const reply = await postJson(root.dataset.rollUrl, pendingRoll, token);
        if (!reply.ok) throw new Error(reply.data.error);
        const count = pendingRoll.credentials.length;
        pendingRoll = null;
        upload.hidden = true;
        say(status, `The public roll of ${count} credentials is on the board. Now send each member their code `
          + 'and the election code from your own machine (omov credentials mail with the private file), '
          + `and tell them: "${COMPARE}" Never upload the private file.`);
      } catch (error) {
        say(status, `The roll was not uploaded: ${error.message} Your private file is still valid; try again.`, true);
      }
      upload.disabled = false;
    });
  }
}

if (root) setup();

/**
 * The credential authority's page (docs/protocol.md section 6), run in the
 * authority's browser: it makes the authority's key pair, and then every
 * member's credential code and the signed public roll. Only the public key
 * and the public roll are sent to the server; the codes are saved to a
 * private file that the authority mails from their own machine.
 */

import {
  Scalar, SystemRng, baseMult, credentialSecret, fromHex, newCode, parseJson, publicCredential, signRoll,
} from '../protocol/index.js';
import { csrfToken, getJson, postJson, readFile, saveFile, say } from './lib/http.js';

const root = document.getElementById('authority');

function csvCell(value) {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** The private file in the columns `omov credentials mail` reads: member, email, name, code. */
function privateCsv(rows) {
  const lines = rows.map((row) => [row.membership_number, row.email, '', row.code].map(csvCell).join(','));
  return ['member,email,name,code', ...lines].join('\n') + '\n';
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
      const link = document.createElement('a');
      link.hidden = true;
      document.body.append(link);
      saveFile(link, `${root.dataset.ballot}-authority-key.json`,
        JSON.stringify({ format: 'omov-credential-authority/1', secret_key: secret.hex(), public_key: publicKey }));
      const input = document.getElementById('id_public_key');
      if (input) input.value = publicKey;
      say(status, 'Your key pair is saved as a file: keep it private and safe. The public key is filled in below; store it.');
    });
  }

  const generate = document.getElementById('generate');
  if (generate) {
    generate.addEventListener('click', async () => {
      generate.disabled = true;
      try {
        const keyFile = parseJson(await readFile(document.getElementById('authority-key-file')), 'key file');
        if (keyFile.format !== 'omov-credential-authority/1') throw new Error('That is not an authority key file.');
        const secret = Scalar.fromHex(keyFile.secret_key, 'secret_key');
        if (baseMult(secret).hex() !== root.dataset.authorityKey) {
          throw new Error('That key file is not the one whose public key is in the manifest.');
        }
        const manifestDigest = fromHex(root.dataset.manifestDigest, 'manifest_digest', 32);
        const electors = await getJson(root.dataset.electorsUrl);
        say(status, `Making ${electors.members.length} credential codes…`);
        const rows = [];
        const credentials = [];
        for (const member of electors.members) {
          const code = newCode();
          credentials.push(publicCredential(credentialSecret(manifestDigest, code)));
          rows.push({ membership_number: member.membership_number, email: member.email, code });
        }
        const roll = signRoll(manifestDigest, secret, credentials, rng);
        saveFile(document.getElementById('private-link'), `${root.dataset.ballot}-credentials-PRIVATE.csv`,
          privateCsv(rows), 'text/csv');
        const reply = await postJson(root.dataset.rollUrl, roll, token);
        if (!reply.ok) throw new Error(reply.data.error);
        say(status, `The public roll of ${credentials.length} credentials is on the board. Now send each member `
          + 'their code from your own machine (omov credentials mail with the private file). Never upload the private file.');
      } catch (error) {
        say(status, error.message, true);
      }
      generate.disabled = false;
    });
  }
}

if (root) setup();

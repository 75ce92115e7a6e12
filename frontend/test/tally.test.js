// The trustee's own count (docs/protocol.md 9.4, src/pages/lib/tally.js) over the
// shared record tests/vectors/count_record.omov.jsonl, and a hostile server's
// variants of it: each must be refused with a message that says where.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { sha256 } from '@noble/hashes/sha2.js';
import {
  ElectionContext, Point, QuestionRule, Scalar, auditHash, canonicalJsonString, countCode, encryptBallot, fromHex,
  toHex,
} from '../src/protocol/index.js';
import { TestRng } from '../src/protocol/rng.js';
import { checkLines, contextFromSetup } from '../src/pages/lib/board-lines.js';
import { RecordFault, countRecord, inlineChecker } from '../src/pages/lib/tally.js';
import { loadVectors } from './vectors.js';

const VECTORS = loadVectors('count_code.json');
const RECORD = readFileSync(new URL(`../../tests/vectors/${VECTORS.record.file}`, import.meta.url), 'utf8');
const inline = inlineChecker(checkLines, contextFromSetup);

// The hostile variants below change a few lines of the record: each line's
// check is kept, so unchanged ballots are verified once for the whole file.
const seen = new Map();
function cached(setup) {
  const context = contextFromSetup(setup);
  return {
    size: 1,
    async check(first, lines) {
      const out = { lines: [], sums: null };
      lines.forEach((line, n) => {
        const key = `${first + n}:${line}`;
        if (!seen.has(key)) seen.set(key, checkLines(context, first + n, [line]));
        const one = seen.get(key);
        out.lines.push(one.lines[0]);
        if (one.sums !== null) {
          out.sums = out.sums === null ? one.sums : out.sums.map((s, i) => sumHex(s, one.sums[i]));
        }
      });
      return out;
    },
    close() {},
  };
}

function sumHex(a, b) {
  const point = (hex) => Point.fromHex(hex, null, true);
  return point(a.slice(0, 64)).add(point(b.slice(0, 64))).hex() + point(a.slice(64)).add(point(b.slice(64))).hex();
}

/** A checker that splits chunks further, as several workers would, and answers out of order. */
function scrambled(setup) {
  const context = contextFromSetup(setup);
  let n = 0;
  return {
    size: 3,
    check: (first, lines) => new Promise((resolve) => {
      setTimeout(() => resolve(checkLines(context, first, lines)), (n++ % 3) * 5);
    }),
    close() {},
  };
}

const entries = (text) => text.trimEnd().split('\n').map((line) => JSON.parse(line));

/** The record a server would serve after editing entries: every link recomputed. */
function rechain(list) {
  let previous = '0'.repeat(64);
  return list.map((entry, index) => {
    const line = canonicalJsonString({ ...entry, index, previous });
    previous = toHex(sha256(new TextEncoder().encode(line)));
    return `${line}\n`;
  }).join('');
}

async function refused(text, pattern) {
  await assert.rejects(countRecord(text, cached), (error) => {
    assert.ok(error instanceof RecordFault, `${error}`);
    assert.match(error.message, pattern);
    return true;
  });
}

test('a trustee who decrypts after others began the mix counts the same record up to its tally', async () => {
  // The mix (protocol 16) starts at the close, so a trustee may load the board
  // after shuffles and ranked decryptions are on it: they follow the tally.
  const mixed = readFileSync(new URL('../../tests/vectors/mix_record.omov.jsonl', import.meta.url), 'utf8');
  const kinds = mixed.trimEnd().split('\n').map((line) => JSON.parse(line).kind);
  assert.ok(kinds.includes('shuffle') && kinds.includes('ranked_decryption'));
  const checked = await countRecord(mixed, inline);
  assert.equal(checked.tallyIndex, kinds.indexOf('tally'));
  assert.equal(checked.entries, kinds.length);
});

test('count code vectors reproduced', () => {
  assert.ok(VECTORS.codes.length >= 3);
  for (const v of VECTORS.codes) assert.equal(countCode(fromHex(v.tally_entry_hash), v.counted), v.code);
});

test('the count of the shared record matches Python byte for byte', async () => {
  for (const make of [inline, scrambled, cached]) {
    const checked = await countRecord(RECORD, make);
    const v = VECTORS.record;
    assert.equal(checked.counted, v.counted);
    assert.equal(checked.ballotEntries, v.ballots);
    assert.equal(checked.audits, v.audited);
    assert.ok(checked.ballotEntries > checked.counted, 'the record has revotes the rule leaves out');
    assert.equal(checked.tallyIndex, v.tally_index);
    assert.equal(toHex(checked.tallyEntryHash), v.tally_entry_hash);
    assert.equal(checked.code, v.code);
    assert.equal(canonicalJsonString(checked.ciphertexts.map((row) => row.map((c) => c && c.toJSON()))),
      canonicalJsonString(v.ciphertexts));
  }
});

test('a tally with one extra row per ballot is refused', async () => {
  const list = entries(RECORD);
  const tally = list.find((e) => e.kind === 'tally');
  const ballots = list.filter((e) => e.kind === 'ballot');
  tally.body.ciphertexts[0] = [...tally.body.ciphertexts[0], ...ballots.map((b) => b.body.answers[0].choices[0])];
  const rows = ballots.length + 1;
  await refused(rechain(list), new RegExp(`question 1: the tally holds ${rows} ciphertexts, but the manifest gives 1 encrypted option`));
});

test('a tally that is one ballot, not the sum, is refused', async () => {
  const list = entries(RECORD);
  const tally = list.find((e) => e.kind === 'tally');
  const victim = list.find((e) => e.kind === 'ballot');
  tally.body.ciphertexts = victim.body.answers.map((a) => a.choices);
  await refused(rechain(list), /entry \d+, ciphertexts\[0\]\[0\]: the tally is not the sum of the counted ballots/);
  tally.body.counted = 1;
  await refused(rechain(list), new RegExp(`the tally says 1 ballots were counted, but the counting rule \\(9\\.1\\) gives ${VECTORS.record.counted}`));
});

test('a board forked to drop ballots checks, but gives another count code', async () => {
  const list = entries(RECORD);
  const honest = await countRecord(RECORD, cached);
  // A revote's earlier ballot is not counted, so dropping it leaves the sum as it is.
  const dropped = list.findIndex((e, i) => e.kind === 'ballot'
    && list.slice(i + 1).some((later) => later.kind === 'ballot' && later.body.credential === e.body.credential));
  assert.ok(dropped > 0);
  const forked = list.filter((_, i) => i !== dropped);
  // Without fixing the close entry the fork is refused ...
  const ballots = VECTORS.record.ballots;
  await refused(rechain(forked), new RegExp(`the close entry says ${ballots} ballots but the board holds ${ballots - 1}`));
  // ... with it, the fork checks on its own: only the count code tells it from the public board's.
  forked.find((e) => e.kind === 'close').body.ballots = ballots - 1;
  const fork = await countRecord(rechain(forked), cached);
  assert.equal(fork.counted, honest.counted);
  assert.notEqual(toHex(fork.tallyEntryHash), toHex(honest.tallyEntryHash));
  assert.notEqual(fork.code, honest.code);
});

test('an altered ballot, a broken chain and a cut-off record are refused', async () => {
  const list = entries(RECORD);
  const ballot = list.find((e) => e.kind === 'ballot');
  const [c0] = ballot.body.signature.challenge;
  ballot.body.signature.challenge = (c0 === '0' ? '1' : '0') + ballot.body.signature.challenge.slice(1);
  await refused(rechain(list), /signature/);
  const lines = RECORD.split('\n');
  await refused([...lines.slice(0, 10), ...lines.slice(11)].join('\n'), /entry 10, index: index is 11/);
  const close = lines.findIndex((line) => line.includes('"kind":"close"'));
  lines[close] = lines[close].replace(/"closed_at":"([^"]*)Z"/, '"closed_at":"$1.0Z"');
  assert.match(lines[close], /"closed_at":"[^"]*\.0Z"/);
  await refused(lines.join('\n'), new RegExp(`entry ${close + 1}, previous: previous is not the hash of entry ${close}: the chain is broken`));
  await refused(RECORD.slice(0, -1), /cut short/);
  const upToClose = entries(RECORD).filter((e) => !['tally', 'partial_decryption', 'result'].includes(e.kind));
  await refused(rechain(upToClose), /there is no tally on the board yet/);
});

test('a ballot whose ciphertext was swapped for an audited one is refused', async () => {
  const list = entries(RECORD);
  const audit = list.find((e) => e.kind === 'audited_ballot');
  const ballot = list.find((e) => e.kind === 'ballot');
  ballot.body.answers[0].choices[0] = audit.body.choices[0][0];
  // The proofs no longer fit, so the ballot is refused before the 7.6 rule is reached.
  await refused(rechain(list), /entry \d+, answers\[0\]\.proofs\[0\]/);
});

test('audits are anonymous: checked without a credential, named by digest(body)', async () => {
  const list = entries(RECORD);
  const audits = list.filter((e) => e.kind === 'audited_ballot');
  assert.ok(audits.length > 0);
  for (const audit of audits) assert.deepEqual(Object.keys(audit.body).sort(), ['choices', 'election', 'randomness', 'selections']);
  const setup = await setupOf();
  const outcome = checkLines(setup.context, 0, RECORD.trimEnd().split('\n'));
  for (const audit of audits) {
    const line = outcome.lines[audit.index];
    assert.equal(line.fault, null);
    assert.equal(line.ballot.credential, null);
    assert.equal(line.ballot.hash, toHex(auditHash(audit.body)));
  }
  // An audit that names a credential is not of the 7.6 form.
  audits[0].body.credential = list.find((e) => e.kind === 'ballot').body.credential;
  await refused(rechain(list), new RegExp(`entry ${audits[0].index}, tracker [^,]+, credential: unexpected member`));
  delete audits[0].body.credential;
  // Revealed randomness that does not give the ciphertext.
  audits[0].body.randomness[0][0] = `01${'00'.repeat(31)}`;
  await refused(rechain(list), new RegExp(`entry ${audits[0].index}, tracker [^,]+, choices\\[0\\]\\[0\\]`));
});

test('the same audit published twice is refused (7.6)', async () => {
  const list = entries(RECORD);
  const at = list.findIndex((e) => e.kind === 'audited_ballot');
  const again = list.slice(0, at + 1).concat([structuredClone(list[at])], list.slice(at + 1));
  await refused(rechain(again), new RegExp(`entry ${at + 1}, tracker [^,]+: this audited ballot repeats a ciphertext `
    + `of the audited ballot at entry ${at}; an audited ballot appears once \\(7\\.6\\)`));
});

/** The election context of the shared record, read from its entries. */
async function setupOf() {
  const list = entries(RECORD);
  const body = (kind) => list.find((e) => e.kind === kind).body;
  const context = new ElectionContext(fromHex(body('open').fingerprint), Point.fromHex(body('joint_key').public_key),
    body('manifest').questions.map((q) => QuestionRule.fromQuestion(q)));
  return { list, context };
}

/** The shared record with the vector's signed revocation inserted after the last ballot, and `more` after it. */
function withRevocation(list, more = [], edit = (body) => body) {
  const v = VECTORS.revocation;
  const revocation = { kind: 'revocation', body: edit(structuredClone(v.body)), time: v.time };
  const close = list.find((e) => e.kind === 'close');
  close.body.ballots += more.filter((e) => e.kind === 'ballot').length;
  return rechain([...list.slice(0, v.after + 1), revocation, ...more.map((e) => ({ time: v.time, ...e })),
    ...list.slice(v.after + 1)]);
}

/** A fresh ballot of the credential the revocation adds, as the booth would make it. */
function addedBallot(context) {
  const selections = context.rules.map((rule) => Array.from({ length: rule.options },
    (_, o) => (o < Math.max(rule.min, 1) ? 1 : 0)));
  return encryptBallot(context, Scalar.fromHex(VECTORS.revocation.added_secret), selections,
    new TestRng(new TextEncoder().encode('tally test ballot')));
}

test('a revocation with a published reason (6.4) takes the revoked credential\'s ballot out of the count', async () => {
  const { list } = await setupOf();
  const v = VECTORS.revocation;
  assert.ok(v.body.reason.length > 0 && v.body.requested_at !== null);
  // Python's verifier takes this record but for the tally: the rule now gives one ballot less.
  await refused(withRevocation(entries(RECORD)), new RegExp(`entry ${VECTORS.record.tally_index + 1}, counted: the tally says `
    + `${VECTORS.record.counted} ballots were counted, but the counting rule \\(9\\.1\\) gives ${v.counted} `));
  // The reason and requested_at are signed: changing either breaks the signature.
  await refused(withRevocation(entries(RECORD), [], (b) => ({ ...b, reason: `${b.reason} ` })),
    new RegExp(`entry ${v.after + 1}, signature: the credential authority's signature`));
  await refused(withRevocation(entries(RECORD), [], (b) => ({ ...b, requested_at: null })),
    new RegExp(`entry ${v.after + 1}, signature: the credential authority's signature`));
  await refused(withRevocation(entries(RECORD), [], (b) => ({ ...b, reason: '   ' })),
    new RegExp(`entry ${v.after + 1}, reason: must be a published reason`));
  await refused(withRevocation(entries(RECORD), [], ({ requested_at: _, ...b }) => b),
    new RegExp(`entry ${v.after + 1}: a revocation holds exactly revoked, added, reason, requested_at and signature`));
  await refused(withRevocation(entries(RECORD), [], (b) => ({ ...b, requested_at: '2026-12-01T10:00:00Z' })),
    new RegExp(`entry ${v.after + 1}, requested_at: requested_at 2026-12-01T10:00:00Z is later than the revocation's own time`));
  // A ballot of the revoked credential after the revocation is refused.
  const revoked = list[v.after];
  await refused(withRevocation(entries(RECORD), [{ kind: 'ballot', body: revoked.body }]),
    new RegExp(`entry ${v.after + 2}, tracker [^:]+: a replay`));
});

test('a cast ballot that shares a ciphertext with an audit is refused, in either order (7.6)', async () => {
  const { context } = await setupOf();
  const prepared = addedBallot(context);
  const cast = { kind: 'ballot', body: prepared.ballot };
  const audit = { kind: 'audited_ballot', body: prepared.auditReveal() };
  const v = VECTORS.revocation;
  // The added credential's ballot on its own is valid: only the tally then differs.
  await refused(withRevocation(entries(RECORD), [cast]), /ciphertexts\[0\]\[0\]: the tally is not the sum/);
  for (const [first, second, ballotAt, auditAt] of [[audit, cast, v.after + 3, v.after + 2], [cast, audit, v.after + 2, v.after + 3]]) {
    await refused(withRevocation(entries(RECORD), [first, second]), new RegExp(`entry ${ballotAt}: this cast ballot reuses `
      + `a ciphertext of the audited ballot at entry ${auditAt}, whose content the audit reveals \\(7\\.6\\)`));
  }
});

test('board time stamps (10.1): a line without time, and times out of order, are refused', async () => {
  const lines = RECORD.split('\n');
  const list = entries(RECORD);
  const at = list.findIndex((e) => e.kind === 'ballot');
  const { time: _, ...untimed } = list[at];
  lines[at] = canonicalJsonString(untimed);
  await refused(lines.join('\n'), new RegExp(`entry ${at}: an entry holds exactly body, index, kind, previous and time`));
  const badForm = entries(RECORD);
  badForm[at].time = '2026-12-01T09:00:00Z';
  await refused(rechain(badForm), new RegExp(`entry ${at}, time: time must be a real UTC time written YYYY-MM-DDTHH:MM:SS.ffffffZ`));
  const backwards = entries(RECORD);
  backwards[at].time = backwards[at - 1].time.replace('09:00:00', '08:59:59');
  await refused(rechain(backwards), new RegExp(`entry ${at}, time: the entry's time .* is earlier than entry ${at - 1}'s time`));
  const late = entries(RECORD);
  const close = late.findIndex((e) => e.kind === 'close');
  late[close - 1].time = late[close].time;
  await refused(rechain(late), new RegExp(`entry ${close - 1}, time: a ballot stamped .*, not before the manifest's closes_at`));
  const early = entries(RECORD);
  early[close].body.closed_at = '2026-12-02T20:59:59Z';
  await refused(rechain(early), new RegExp(`entry ${close}, closed_at: closed_at 2026-12-02T20:59:59Z is earlier than the manifest's closes_at`));
});

const RANKED_RECORD = readFileSync(new URL(`../../tests/vectors/${VECTORS.ranked_record.file}`, import.meta.url), 'utf8');

test('a record with ranked questions: the count skips them as the Python verifier does (9.1)', async () => {
  for (const make of [inline, scrambled]) {
    const checked = await countRecord(RANKED_RECORD, make);
    const v = VECTORS.ranked_record;
    assert.equal(checked.counted, v.counted);
    assert.equal(checked.ballotEntries, v.ballots);
    assert.equal(checked.audits, v.audited);
    assert.equal(checked.code, v.code);
    assert.deepEqual(checked.ciphertexts.map((row) => row.length), [1, 0, 0]);
    assert.equal(canonicalJsonString(checked.ciphertexts.map((row) => row.map((c) => c && c.toJSON()))),
      canonicalJsonString(v.ciphertexts));
  }
});

test('shuffles and ranked decryptions after the tally do not stop the count; before it they are refused', async () => {
  const list = entries(RANKED_RECORD).filter((e) => !['partial_decryption', 'result'].includes(e.kind));
  const honest = await countRecord(rechain(list), cached);
  const mixed = [...list,
    { kind: 'shuffle', time: list.at(-1).time, body: { question: 'q2', trustee: 1 } },
    { kind: 'partial_decryption', time: list.at(-1).time, body: { trustee: 1 } },
    { kind: 'ranked_decryption', time: list.at(-1).time, body: { question: 'q2', trustee: 1 } }];
  const checked = await countRecord(rechain(mixed), cached);
  assert.equal(checked.code, honest.code);
  assert.equal(checked.counted, honest.counted);
  const tallyAt = list.findIndex((e) => e.kind === 'tally');
  const early = [...list.slice(0, tallyAt), mixed.at(-3), ...list.slice(tallyAt)];
  await refused(rechain(early), /a tally entry may not follow a shuffle entry/);
});

test('a tally that sums a ranked question\'s cells is refused', async () => {
  const list = entries(RANKED_RECORD);
  const tally = list.find((e) => e.kind === 'tally');
  const ballot = list.find((e) => e.kind === 'ballot');
  tally.body.ciphertexts[1] = ballot.body.answers[1].choices;
  await refused(rechain(list), /question 2: the tally holds 12 ciphertexts, but the manifest makes it a ranked question/);
});

test('a forged ranked cell in a ballot is refused by the trustee\'s count', async () => {
  const list = entries(RANKED_RECORD);
  const ballot = list.find((e) => e.kind === 'ballot');
  const proofs = ballot.body.answers[1].rank_proofs;
  [proofs[0], proofs[1]] = [proofs[1], proofs[0]];
  await refused(rechain(list), /answers\[1\]\.rank_proofs\[0\]/);
});

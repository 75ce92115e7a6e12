// The trustee's own count (docs/protocol.md 9.4, src/pages/lib/tally.js) over the
// shared record tests/vectors/count_record.omov.jsonl, and a hostile server's
// variants of it: each must be refused with a message that says where.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { sha256 } from '@noble/hashes/sha2.js';
import { Point, canonicalJsonString, countCode, fromHex, toHex } from '../src/protocol/index.js';
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
  await refused([...lines.slice(0, 10), ...lines.slice(11)].join('\n'), /entry 10, index: index is 11 but this is line 10/);
  const close = lines.findIndex((line) => line.includes('"kind":"close"'));
  lines[close] = lines[close].replace(/"closed_at":"[^"]*"/, '"closed_at":"2030-01-01T00:00:00Z"');
  await refused(lines.join('\n'), new RegExp(`entry ${close + 1}, previous: previous is not the hash of entry ${close}: the chain is broken`));
  await refused(RECORD.slice(0, -1), /cut short/);
  const upToClose = entries(RECORD).filter((e) => !['tally', 'partial_decryption', 'result'].includes(e.kind));
  await refused(rechain(upToClose), /there is no tally on the board yet/);
});

test('a ballot whose ciphertext was swapped for an audited one is refused', async () => {
  const list = entries(RECORD);
  const audit = list.find((e) => e.kind === 'audited_ballot');
  const ballot = list.find((e) => e.kind === 'ballot');
  ballot.body.answers[0].choices[0] = audit.body.ballot.answers[0].choices[0];
  // The proofs no longer fit, so the ballot is refused before the 7.6 rule is reached.
  await refused(rechain(list), /entry \d+, answers\[0\]\.proofs\[0\]/);
});

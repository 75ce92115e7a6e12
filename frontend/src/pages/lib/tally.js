/**
 * The trustee's own count (docs/protocol.md 9.4): from the record's board
 * lines alone, check the chain (10), the manifest, the key generation (8),
 * the roll (6.3), the open entry's fingerprint (7.1), every ballot's proofs
 * and signature (7.4), every anonymous audit and the ciphertexts it may not
 * share (7.6), revocations (6.4), the close and the time stamps (10.1, the
 * verifier's check 13);
 * apply the counting rule (9.1); sum the counted ballots' choices; and accept
 * the tally entry only if it is exactly that sum, in the shape the manifest
 * gives (5.1), with `counted` equal to the number of counted ballots.
 *
 * Anything else throws a RecordFault that says what and where, and nothing
 * may be decrypted. The ballots are checked in chunks by `checker.check`
 * (Web Workers in the page, lib/worker-pool.js; the same code in-process in
 * node's tests); the rest runs here in board order.
 */

import {
  Ciphertext, OmovError, Point, QuestionRule, SchnorrProof, canonicalJsonString, checkCommitment, checkComplaint,
  checkShares, countCode, digest, fingerprint, fromHex, isUtcTime, jointKey, qualified, toHex, tracker, verifyRoll,
  ElectionContext,
} from '../../protocol/index.js';
import { RecordFault, ballotSetup, parseEntry } from './board-lines.js';

export { RecordFault } from './board-lines.js';

const GENESIS = '0'.repeat(64);
const KIND_RANK = {
  manifest: 0, trustee_commitment: 1, trustee_shares: 2, trustee_complaint: 2, joint_key: 3,
  credential_roll: 4, open: 5, ballot: 6, audited_ballot: 6, revocation: 6, close: 7, tally: 8,
  // The mix (16) and the partial decryptions may interleave, as omov/record/board.py says.
  partial_decryption: 9, shuffle: 9, ranked_decryption: 9, result: 10,
};
const SINGLE_KINDS = new Set(['manifest', 'joint_key', 'credential_roll', 'open', 'close', 'tally', 'result']);
const SETUP_KINDS = new Set(['manifest', 'trustee_commitment', 'trustee_shares', 'trustee_complaint', 'joint_key',
  'credential_roll', 'open']);
const UTC_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?Z$/;
const VOTING_KINDS = new Set(['ballot', 'audited_ballot', 'revocation']);
const MAX_REASON = 500;
const CHUNK_LINES = 256;
const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Download the record as text (strict UTF-8). */
export async function fetchRecord(url) {
  const response = await fetch(url, { credentials: 'same-origin', cache: 'no-store' });
  if (!response.ok) throw new Error(`Could not download the election record (${response.status}).`);
  try {
    return decoder.decode(await response.arrayBuffer());
  } catch {
    throw new RecordFault('the record is not UTF-8', null);
  }
}

/** Follows `previous` links and the order of kinds (section 10). */
class Chain {
  constructor() {
    this.head = GENESIS;
    this.rank = -1;
    this.lastKind = null;
    this.seen = new Map();
  }

  follow(entry) {
    const { index, kind, previous, hash } = entry;
    if (previous !== this.head) {
      const which = index === 0 ? 'the zero hash' : `the hash of entry ${index - 1}`;
      throw new RecordFault(`previous is not ${which}: the chain is broken (an entry was removed, inserted, `
        + 'reordered or altered)', index, 'previous');
    }
    if (!Object.hasOwn(KIND_RANK, kind)) throw new RecordFault(`unknown entry kind ${JSON.stringify(kind)}`, index, 'kind');
    if (index === 0 && kind !== 'manifest') throw new RecordFault('entry 0 must be the manifest', index, 'kind');
    if (this.lastKind === 'result') throw new RecordFault('nothing may follow the result', index, 'kind');
    if (KIND_RANK[kind] < this.rank) {
      throw new RecordFault(`a ${kind} entry may not follow a ${this.lastKind} entry (section 10 order)`, index, 'kind');
    }
    if (SINGLE_KINDS.has(kind) && this.seen.has(kind)) {
      throw new RecordFault(`a second ${kind} entry (the first is entry ${this.seen.get(kind)})`, index, 'kind');
    }
    if (!this.seen.has(kind)) this.seen.set(kind, index);
    this.rank = KIND_RANK[kind];
    this.lastKind = kind;
    this.head = hash;
  }
}

/**
 * The counting rule (9.1) with revocations (6.4) and replays, in board order.
 * Audits are anonymous (7.6): they have no credential and never reach it.
 */
class Counter {
  constructor(roll) {
    this.roll = roll;
    this.added = new Set();
    this.revoked = new Set();
    this.last = new Map();
    this.castHashes = new Set();
    this.excluded = [];
    this.valid = 0;
  }

  eligible(credential) {
    return this.roll.has(credential) || this.added.has(credential);
  }

  cast(index, hash, credential) {
    this.valid += 1;
    let problem = null;
    if (this.castHashes.has(hash)) problem = 'a replay: the same ballot (same ballot hash) was already cast';
    else if (!this.eligible(credential)) problem = 'its credential is not on the credential roll';
    else if (this.revoked.has(credential)) problem = 'its credential was revoked by an earlier revocation entry';
    this.castHashes.add(hash);
    if (problem !== null) {
      this.excluded.push(index);
      return problem;
    }
    this.supersede(credential);
    this.last.set(credential, index);
    return null;
  }

  supersede(credential) {
    if (this.last.has(credential)) this.excluded.push(this.last.get(credential));
  }

  revoke(index, revoked, added) {
    revoked.forEach((credential, n) => {
      if (!this.eligible(credential) || this.revoked.has(credential)) {
        throw new RecordFault('not an eligible credential, or already revoked', index, `revoked[${n}]`);
      }
      this.supersede(credential);
      this.last.delete(credential);
      this.revoked.add(credential);
    });
    added.forEach((credential, n) => {
      if (this.eligible(credential)) throw new RecordFault('an added credential must be new', index, `added[${n}]`);
      this.added.add(credential);
    });
  }

  get counted() {
    return this.valid - this.excluded.length;
  }
}

function protocol(entry, work, what = null) {
  try {
    return work();
  } catch (error) {
    if (error instanceof OmovError) {
      throw new RecordFault(what ? `${what}: ${error.detail}` : error.detail, entry, error.field);
    }
    if (error instanceof RangeError) throw new RecordFault(error.message, entry);
    throw error;
  }
}

function isObject(value) {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The manifest facts the count needs, each checked (section 5). */
function readManifest(body) {
  if (!isObject(body) || body.format !== 'omov-election/1') {
    throw new RecordFault('entry 0 is not an omov-election/1 manifest', 0);
  }
  const { questions, trustees, threshold } = body;
  if (!Array.isArray(questions) || questions.length < 1 || questions.length > 20) {
    throw new RecordFault('a manifest holds 1 to 20 questions', 0, 'questions');
  }
  const rules = questions.map((q, n) => {
    const field = `questions[${n}]`;
    if (!isObject(q) || !Array.isArray(q.options) || !q.options.every((o) => typeof o === 'string' && o.length > 0)
        || new Set(q.options).size !== q.options.length || q.options.length > 100) {
      throw new RecordFault('a question holds 2 to 100 distinct, non-empty options', 0, field);
    }
    return protocol(0, () => QuestionRule.fromQuestion(q), field);
  });
  if (!Array.isArray(trustees) || trustees.length < 1 || trustees.length > 50
      || !trustees.every((t, n) => isObject(t) && t.index === n + 1 && typeof t.name === 'string')) {
    throw new RecordFault('trustees are numbered 1..n in index order, each with a name', 0, 'trustees');
  }
  if (!Number.isSafeInteger(threshold) || threshold < 1 || threshold > trustees.length) {
    throw new RecordFault(`the threshold must be between 1 and ${trustees.length}`, 0, 'threshold');
  }
  const authority = isObject(body.credential_authority) ? body.credential_authority.public_key : undefined;
  const authorityKey = protocol(0, () => Point.fromHex(authority, 'credential_authority.public_key'));
  return { manifest: body, digest: digest(body), rules, trustees: trustees.length, threshold, authorityKey };
}

/** Setup entries: manifest, key generation, roll, open. */
class Setup {
  constructor() {
    this.manifest = null;
    this.commitments = new Map();
    this.shares = new Map();
    this.upheld = new Set();
    this.members = null;
    this.publicKey = null;
    this.roll = null;
    this.rollDigest = null;
    this.context = null;
  }

  entry(e) {
    if (e.kind === 'manifest') {
      this.manifest = readManifest(e.body);
      return;
    }
    const m = this.manifest;
    if (e.kind === 'trustee_commitment') {
      const c = protocol(e.index, () => checkCommitment(m.digest, e.body, m.trustees, m.threshold), 'a trustee commitment');
      if (this.commitments.has(c.trustee)) throw new RecordFault(`a second commitment by trustee ${c.trustee}`, e.index, 'trustee');
      this.commitments.set(c.trustee, c);
    } else if (e.kind === 'trustee_shares') {
      const s = protocol(e.index, () => checkShares(m.digest, e.body, this.commitments), 'trustee shares');
      if (this.shares.has(s.trustee)) throw new RecordFault(`a second shares entry by trustee ${s.trustee}`, e.index, 'trustee');
      this.shares.set(s.trustee, s);
    } else if (e.kind === 'trustee_complaint') {
      try {
        if (checkComplaint(m.digest, e.body, this.commitments, this.shares)) this.upheld.add(e.body.against);
      } catch (error) {
        // A complaint that does not check has no effect (8.3).
        if (!(error instanceof OmovError)) throw error;
      }
    } else if (e.kind === 'joint_key') {
      this.jointKeyEntry(e);
    } else if (e.kind === 'credential_roll') {
      if (this.publicKey === null) throw new RecordFault('the credential roll comes after the joint key', e.index, 'kind');
      protocol(e.index, () => verifyRoll(m.digest, m.authorityKey, e.body), 'the credential roll');
      this.roll = new Set(e.body.credentials);
      this.rollDigest = digest({ credentials: e.body.credentials });
    } else if (e.kind === 'open') {
      this.open(e);
    }
  }

  jointKeyEntry(e) {
    const m = this.manifest;
    this.members = protocol(e.index, () => qualified(this.commitments, this.shares, this.upheld, m.threshold));
    this.publicKey = jointKey(this.coefficientCommitments(), this.members);
    const body = e.body;
    if (!isObject(body) || Object.keys(body).sort().join() !== 'public_key,qualified'
        || canonicalJsonString(body.qualified) !== canonicalJsonString(this.members)
        || body.public_key !== this.publicKey.hex()) {
      throw new RecordFault(`the joint key entry does not match the trustee entries (qualified ${this.members.join(', ')}, `
        + `key ${this.publicKey.hex()})`, e.index);
    }
  }

  open(e) {
    if (this.roll === null) throw new RecordFault('the election opened without a credential roll', e.index, 'kind');
    const election = fingerprint(this.manifest.digest, this.publicKey, this.rollDigest);
    const body = e.body;
    if (!isObject(body) || Object.keys(body).sort().join() !== 'fingerprint,opened_at' || !isUtcTime(body.opened_at)) {
      throw new RecordFault('the open entry holds exactly fingerprint and opened_at (a UTC time)', e.index);
    }
    if (body.fingerprint !== toHex(election)) {
      throw new RecordFault('the fingerprint is not the election\'s: SHA-256 of manifest digest, joint key and roll '
        + `digest is ${toHex(election)}`, e.index, 'fingerprint');
    }
    this.context = new ElectionContext(election, this.publicKey, this.manifest.rules);
  }

  coefficientCommitments() {
    return new Map([...this.commitments].map(([i, c]) => [i, c.commitments]));
  }
}

const REVOCATION_KEYS = 'added,reason,requested_at,revoked,signature';

/** Check a revocation body's form and signature (6.4) as omov/record/roll.py does; return its lists. */
function revocationLists(index, body, context, authorityKey) {
  if (!isObject(body) || Object.keys(body).sort().join() !== REVOCATION_KEYS) {
    throw new RecordFault('a revocation holds exactly revoked, added, reason, requested_at and signature', index);
  }
  const lists = {};
  for (const name of ['revoked', 'added']) {
    if (!Array.isArray(body[name])) throw new RecordFault('must be a list', index, name);
    lists[name] = body[name].map((hex, n) => protocol(index, () => Point.fromHex(hex, `${name}[${n}]`)).hex());
  }
  if (lists.revoked.length === 0 && lists.added.length === 0) {
    throw new RecordFault('a revocation names at least one credential', index, 'revoked');
  }
  const { reason } = body;
  if (typeof reason !== 'string' || reason.trim() === '' || [...reason].length > MAX_REASON) {
    throw new RecordFault(`must be a published reason: a string of 1-${MAX_REASON} characters, not only white space`,
      index, 'reason');
  }
  if (body.requested_at !== null && !isUtcTime(body.requested_at)) {
    throw new RecordFault('must be null or the time of the member\'s request, such as 2026-12-01T09:00:00Z',
      index, 'requested_at');
  }
  const statement = digest({
    added: body.added, reason: body.reason, requested_at: body.requested_at, revoked: body.revoked,
  });
  protocol(index, () => SchnorrProof.fromJSON(body.signature, 'signature').verify(
    'revocation-signature', [context.fingerprint, statement], authorityKey, 'signature',
  ), 'the credential authority\'s signature');
  return lists;
}

/** A checked time of the record (an entry's `time`, `opens_at`, ...) as nanoseconds since 1970 UTC. */
function nanoseconds(value) {
  const [year, month, day, hour, minute, second, fraction] = UTC_TIME.exec(value).slice(1);
  const moment = new Date(0);
  moment.setUTCFullYear(Number(year), Number(month) - 1, Number(day));
  moment.setUTCHours(Number(hour), Number(minute), Number(second), 0);
  return BigInt(moment.getTime() / 1000) * 1000000000n + BigInt((fraction ?? '').padEnd(9, '0'));
}

const timeOf = (value) => (isUtcTime(value) ? value : null);
const after = (a, b) => nanoseconds(a) > nanoseconds(b);

/**
 * The board's time stamps (10.1), as the verifier's check 13 (omov/record/times.py):
 * they never go backwards; open and close agree with the manifest's opens_at and
 * closes_at; every ballot, audit and revocation lies between the opening and the
 * closing, and a revocation's requested_at is not later than its own time.
 */
class TimeChecks {
  constructor() {
    this.last = '';
    this.lastIndex = -1;
    this.opensAt = null;
    this.closesAt = null;
    this.openedAt = null;
    this.lastVoting = null;
  }

  entry(index, kind, time, body) {
    // Entry times have one fixed width, so they order as strings.
    if (time < this.last) {
      throw new RecordFault(`the entry's time ${time} is earlier than entry ${this.lastIndex}'s time ${this.last}: `
        + 'times never go backwards', index, 'time');
    }
    this.last = time;
    this.lastIndex = index;
    const fields = isObject(body) ? body : {};
    if (kind === 'manifest') {
      this.opensAt = timeOf(fields.opens_at);
      this.closesAt = timeOf(fields.closes_at);
    } else if (kind === 'open') {
      this.open(index, time, timeOf(fields.opened_at));
    } else if (VOTING_KINDS.has(kind)) {
      this.voting(index, kind, time);
      const requested = timeOf(fields.requested_at);
      if (requested !== null && after(requested, time)) {
        throw new RecordFault(`requested_at ${requested} is later than the revocation's own time ${time}: a request `
          + 'comes before it', index, 'requested_at');
      }
    } else if (kind === 'close') {
      this.close(index, time, timeOf(fields.closed_at));
    }
  }

  open(index, time, openedAt) {
    if (openedAt === null) return; // the open entry's own check refuses it
    this.openedAt = openedAt;
    if (after(openedAt, time)) {
      throw new RecordFault(`opened_at ${openedAt} is later than the entry's own time ${time}`, index, 'opened_at');
    }
    if (this.opensAt !== null && after(this.opensAt, openedAt)) {
      throw new RecordFault(`opened_at ${openedAt} is earlier than the manifest's opens_at ${this.opensAt}`, index,
        'opened_at');
    }
    if (this.closesAt !== null && !after(this.closesAt, openedAt)) {
      throw new RecordFault(`opened_at ${openedAt} is not earlier than the manifest's closes_at ${this.closesAt}`,
        index, 'opened_at');
    }
  }

  voting(index, kind, time) {
    this.lastVoting = { index, time };
    const what = kind.replace('_', ' ');
    if (this.openedAt !== null && after(this.openedAt, time)) {
      throw new RecordFault(`a ${what} stamped ${time}, before the election opened at ${this.openedAt}`, index, 'time');
    }
    if (this.closesAt !== null && !after(this.closesAt, time)) {
      throw new RecordFault(`a ${what} stamped ${time}, not before the manifest's closes_at ${this.closesAt}: `
        + 'accepted after voting closed', index, 'time');
    }
  }

  close(index, time, closedAt) {
    if (closedAt === null) return; // the close entry's own check refuses it
    if (after(closedAt, time)) {
      throw new RecordFault(`closed_at ${closedAt} is later than the entry's own time ${time}`, index, 'closed_at');
    }
    if (this.closesAt !== null && after(this.closesAt, closedAt)) {
      throw new RecordFault(`closed_at ${closedAt} is earlier than the manifest's closes_at ${this.closesAt}`, index,
        'closed_at');
    }
    if (this.openedAt !== null && after(this.openedAt, closedAt)) {
      throw new RecordFault(`closed_at ${closedAt} is earlier than opened_at ${this.openedAt}`, index, 'closed_at');
    }
    if (this.lastVoting !== null && after(this.lastVoting.time, closedAt)) {
      throw new RecordFault(`stamped ${this.lastVoting.time}, after the election closed at ${closedAt}`,
        this.lastVoting.index, 'time');
    }
  }
}

function ciphertextOf(key, allowIdentity = false) {
  return new Ciphertext(
    Point.fromHex(key.slice(0, 64), null, allowIdentity),
    Point.fromHex(key.slice(64), null, allowIdentity),
  );
}

/** Why the tally entry is not the expected one, in words a trustee can pass on. */
function tallyDifference(body, expected, rules) {
  if (!isObject(body) || Object.keys(body).sort().join() !== 'ciphertexts,counted') {
    return { field: null, reason: 'the tally entry holds exactly counted and ciphertexts' };
  }
  if (body.counted !== expected.counted) {
    return { field: 'counted', reason: `the tally says ${JSON.stringify(body.counted)} ballots were counted, but the `
      + `counting rule (9.1) gives ${expected.counted.toLocaleString('en')} from the ballots on the board` };
  }
  const rows = body.ciphertexts;
  if (!Array.isArray(rows) || rows.length !== rules.length) {
    return { field: 'ciphertexts', reason: `the tally must hold one row per question (${rules.length}) and `
      + `holds ${Array.isArray(rows) ? rows.length : 'none'}` };
  }
  for (let q = 0; q < rules.length; q++) {
    const width = rules[q].tallyWidth;
    if (!Array.isArray(rows[q]) || rows[q].length !== width) {
      return { field: `ciphertexts[${q}]`, reason: `question ${q + 1}: the tally holds `
        + `${Array.isArray(rows[q]) ? rows[q].length.toLocaleString('en') : 'no list of'} ciphertexts, but the manifest `
        + (rules[q].ranked ? 'makes it a ranked question, which the tally skips (an empty list, 9.1)'
          : `gives ${width} encrypted option(s) (5.1)`) };
    }
    for (let o = 0; o < width; o++) {
      if (canonicalJsonString(rows[q][o]) !== canonicalJsonString(expected.ciphertexts[q][o])) {
        return { field: `ciphertexts[${q}][${o}]`, reason: 'the tally is not the sum of the counted ballots\' choices' };
      }
    }
  }
  return { field: null, reason: 'the tally entry is not the expected one' };
}

/**
 * Count the record `text` (the whole `.omov.jsonl` file) as 9.4 says.
 * @param {string} text
 * @param {(setup: object) => {size?: number, check(first: number, lines: string[]): Promise<object>, close(): void}} makeChecker
 * @param {{onProgress?: (done: number, total: number) => void}} [options]
 * @returns {Promise<CheckedTally>}
 */
export async function countRecord(text, makeChecker, options = {}) {
  if (typeof text !== 'string' || text.length === 0) throw new RecordFault('the record is empty', null);
  if (!text.endsWith('\n')) throw new RecordFault('the record\'s last line has no newline (it was cut short)', null);
  const lines = text.split('\n');
  lines.pop();
  const chain = new Chain();
  const times = new TimeChecks();
  const setup = new Setup();
  let n = 0;
  for (; n < lines.length; n++) {
    const entry = parseEntry(lines[n], n);
    if (!SETUP_KINDS.has(entry.kind) && Object.hasOwn(KIND_RANK, entry.kind)) break;
    times.entry(entry.index, entry.kind, entry.time, entry.body);
    chain.follow(entry);
    setup.entry(entry);
  }
  if (setup.context === null) {
    throw new RecordFault('the board holds no valid manifest, joint key, credential roll and open entry yet', null);
  }
  const voting = new Voting(setup, chain, times);
  const checker = makeChecker(ballotSetup(setup.context));
  try {
    const window = Math.max(2, (checker.size || 1) * 3);
    const pending = [];
    let next = n;
    const dispatch = () => {
      while (pending.length < window && next < lines.length) {
        const first = next;
        next = Math.min(lines.length, next + CHUNK_LINES);
        pending.push(checker.check(first, lines.slice(first, next)));
      }
    };
    dispatch();
    while (pending.length > 0) {
      const outcome = await pending.shift();
      dispatch();
      for (const line of outcome.lines) voting.line(line);
      voting.addSums(outcome.sums);
      if (options.onProgress && outcome.lines.length) {
        options.onProgress(outcome.lines[outcome.lines.length - 1].index + 1, lines.length);
      }
    }
  } finally {
    checker.close();
  }
  return voting.finish(lines);
}

/** Voting and closing entries, in board order, and the checks at the end. */
class Voting {
  constructor(setup, chain, times) {
    this.setup = setup;
    this.chain = chain;
    this.times = times;
    this.counter = new Counter(setup.roll);
    this.castKeys = new Map();
    this.auditedCiphertexts = new Map();
    this.sums = null;
    this.ballotEntries = 0;
    this.audits = 0;
    this.revocations = 0;
    this.close = null;
    this.tally = null;
  }

  line(r) {
    if (r.kind === null) throw RecordFault.fromJSON(r.fault);
    this.times.entry(r.index, r.kind, r.time, r.body);
    this.chain.follow(r);
    if (r.kind === 'ballot' || r.kind === 'audited_ballot') {
      const cast = r.kind === 'ballot';
      if (cast) this.ballotEntries += 1;
      else this.audits += 1;
      if (r.fault) throw RecordFault.fromJSON(r.fault);
      const { hash, credential, keys } = r.ballot;
      const problem = cast ? this.counter.cast(r.index, hash, credential) : this.audited(r.index, keys);
      if (problem !== null) throw new RecordFault(problem, r.index, null, tracker(fromHex(hash)));
      if (cast) this.castKeys.set(r.index, keys);
    } else if (r.kind === 'revocation') {
      this.revocations += 1;
      const { revoked, added } = revocationLists(r.index, r.body, this.setup.context, this.setup.manifest.authorityKey);
      this.counter.revoke(r.index, revoked, added);
    } else if (r.kind === 'close') {
      this.closeEntry(r);
    } else if (r.kind === 'tally') {
      this.tally = r;
    }
  }

  /** An anonymous audit's ciphertexts: none may repeat one of an earlier audit (7.6). */
  audited(index, keys) {
    const earlier = keys.map((key) => this.auditedCiphertexts.get(key)).find((at) => at !== undefined);
    for (const key of keys) if (!this.auditedCiphertexts.has(key)) this.auditedCiphertexts.set(key, index);
    if (earlier !== undefined) {
      return `this audited ballot repeats a ciphertext of the audited ballot at entry ${earlier}; an audited ballot `
        + 'appears once (7.6)';
    }
    return null;
  }

  closeEntry(r) {
    const body = r.body;
    if (!isObject(body) || Object.keys(body).sort().join() !== 'ballots,closed_at' || !isUtcTime(body.closed_at)) {
      throw new RecordFault('the close entry holds exactly closed_at (a UTC time) and ballots', r.index);
    }
    if (body.ballots !== this.ballotEntries) {
      throw new RecordFault(`the close entry says ${JSON.stringify(body.ballots)} ballots but the board holds `
        + `${this.ballotEntries.toLocaleString('en')} ballot entries`, r.index, 'ballots');
    }
    this.close = r;
  }

  addSums(sums) {
    if (sums === null) return;
    const chunk = [];
    for (let i = 0; i < sums.length; i++) chunk.push(ciphertextOf(sums[i], true));
    this.sums = this.sums === null ? chunk : this.sums.map((s, i) => s.add(chunk[i]));
  }

  /** No cast ballot may share a ciphertext with an audit, in either board order (7.6). */
  sharedCiphertexts() {
    const audited = this.auditedCiphertexts;
    if (audited.size === 0) return;
    for (const [index, keys] of this.castKeys) {
      for (const key of keys) {
        if (audited.has(key)) {
          throw new RecordFault(`this cast ballot reuses a ciphertext of the audited ballot at entry ${audited.get(key)}, `
            + 'whose content the audit reveals (7.6)', index);
        }
      }
    }
  }

  expectedTally() {
    const rules = this.setup.manifest.rules;
    const counted = this.counter.counted;
    let total = this.sums;
    if (total !== null && counted > 0) {
      for (const index of this.counter.excluded) {
        this.castKeys.get(index).forEach((key, i) => {
          const c = ciphertextOf(key);
          total[i] = new Ciphertext(total[i].alpha.sub(c.alpha), total[i].beta.sub(c.beta));
        });
      }
    }
    let at = 0;
    const rows = rules.map((rule) => {
      const width = rule.tallyWidth;
      const row = counted === 0 || total === null ? Array(width).fill(null) : total.slice(at, at + width);
      at += rule.encryptedCount;
      return row;
    });
    return { counted, rows };
  }

  finish(lines) {
    if (this.tally === null) throw new RecordFault('there is no tally on the board yet', null);
    if (this.close === null) throw new RecordFault('there is a tally but no close entry before it', this.tally.index);
    this.sharedCiphertexts();
    const { counted, rows } = this.expectedTally();
    const expected = { counted, ciphertexts: rows.map((row) => row.map((c) => (c === null ? null : c.toJSON()))) };
    if (canonicalJsonString(this.tally.body) !== canonicalJsonString(expected)) {
      const { field, reason } = tallyDifference(this.tally.body, expected, this.setup.manifest.rules);
      throw new RecordFault(reason, this.tally.index, field);
    }
    const tallyEntryHash = fromHex(this.tally.hash, 'tally', 32);
    const setup = this.setup;
    return new CheckedTally({
      manifest: setup.manifest.manifest,
      manifestDigest: setup.manifest.digest,
      threshold: setup.manifest.threshold,
      context: setup.context,
      commitments: setup.commitments,
      shares: setup.shares,
      members: setup.members,
      coefficientCommitments: setup.coefficientCommitments(),
      counted,
      ciphertexts: rows,
      tallyIndex: this.tally.index,
      tallyEntryHash,
      code: countCode(tallyEntryHash, counted),
      entries: lines.length,
      ballotEntries: this.ballotEntries,
      audits: this.audits,
      revocations: this.revocations,
    });
  }
}

/** A tally recomputed from the record: the only thing a trustee decrypts. */
export class CheckedTally {
  constructor(fields) {
    Object.assign(this, fields);
    Object.freeze(this);
  }
}

/** A checker that runs the worker's code in this thread (node's tests, small records). */
export function inlineChecker(checkLines, contextFromSetup) {
  return (setup) => {
    const context = contextFromSetup(setup);
    return { size: 1, check: async (first, lines) => checkLines(context, first, lines), close() {} };
  };
}

/**
 * Reading board lines (docs/protocol.md section 10) and checking the ballots
 * among them (7.4, 7.6): the part of the trustee's count that runs in Web
 * Workers, one chunk of lines at a time. Pure functions, so node's tests and
 * the worker run the same code.
 */

import { sha256 } from '@noble/hashes/sha2.js';
import {
  ElectionContext, OmovError, Point, QuestionRule, auditHash, checkAudit, fromHex, parseEntry as parseBoardEntry,
  toHex, tracker, verifyBallot,
} from '../../protocol/index.js';

export const MAX_LINE = 8 * 1024 * 1024;
export const MAX_ROLL_LINE = 256 * 1024 * 1024;
const encoder = new TextEncoder();

/** A fault in the record, located by entry number and field. */
export class RecordFault extends Error {
  /** @param {string} reason @param {number | null} entry @param {string | null} [field] @param {string | null} [tracker] */
  constructor(reason, entry, field = null, tracker = null) {
    const where = [entry === null ? null : `entry ${entry}`, tracker ? `tracker ${tracker}` : null, field]
      .filter(Boolean).join(', ');
    super(where ? `${where}: ${reason}` : reason);
    this.name = 'RecordFault';
    Object.assign(this, { reason, entry, field, tracker });
  }

  toJSON() {
    return { reason: this.reason, entry: this.entry, field: this.field, tracker: this.tracker };
  }

  static fromJSON(obj) {
    return new RecordFault(obj.reason, obj.entry, obj.field, obj.tracker);
  }
}

function fault(error, entry) {
  if (error instanceof RecordFault) return error;
  if (error instanceof OmovError) return new RecordFault(error.detail, entry, error.field);
  throw error;
}

/**
 * Parse line `index` of the record as a board entry (section 10): canonical
 * JSON (2.3) of exactly `{body, index, kind, previous, time}`, read by the
 * protocol's `parseEntry` (the time stamp of 10.1 included). Returns `{index,
 * kind, previous, hash, body, time}` with the hashes as hex; throws RecordFault.
 * @param {string} line without its newline @param {number} index
 */
export function parseEntry(line, index) {
  const bytes = encoder.encode(line);
  const limit = line.includes('"kind":"credential_roll"') ? MAX_ROLL_LINE : MAX_LINE;
  if (bytes.length > limit) throw new RecordFault(`the line is longer than ${limit} bytes`, index);
  let entry;
  try {
    entry = parseBoardEntry(line, index);
  } catch (error) {
    if (!(error instanceof OmovError)) throw error;
    const where = `entry ${index}: `;
    const reason = error.detail.startsWith(where) ? error.detail.slice(where.length) : error.detail;
    throw new RecordFault(reason, index, error.field);
  }
  return { ...entry, hash: toHex(sha256(bytes)) };
}

/**
 * What a worker needs to check ballots: the fingerprint, the joint key and the
 * question rules, as plain data that crosses `postMessage`.
 */
export function ballotSetup(context) {
  return {
    fingerprint: context.fingerprintHex,
    publicKey: context.publicKey.hex(),
    rules: context.rules.map((r) => ({ options: r.options, min: r.min, max: r.max, ranked: r.ranked })),
  };
}

export function contextFromSetup(setup) {
  return new ElectionContext(
    fromHex(setup.fingerprint, 'fingerprint', 32),
    Point.fromHex(setup.publicKey, 'public_key'),
    setup.rules.map((r) => new QuestionRule(r.options, r.min, r.max, r.ranked === true)),
  );
}

/** Flat `alpha||beta` hex of every choice of a ballot, questions then options. */
function choiceKeys(ballot) {
  return ballot.answers.flatMap((answer) => answer.choices.map((c) => c.alpha + c.beta));
}

/** The same keys of an anonymous audit (7.6) that passed `checkAudit`. */
function auditKeys(reveal) {
  return reveal.choices.flatMap((row) => row.map((c) => c.alpha + c.beta));
}

/** `digest(body)` of an audit as hex, or zeros if the body has no canonical form. */
function auditName(body) {
  try {
    return toHex(auditHash(body));
  } catch (error) {
    if (error instanceof OmovError || error instanceof TypeError || error instanceof RangeError) return '0'.repeat(64);
    throw error;
  }
}

/**
 * Check a chunk of consecutive board lines, starting at entry `first`.
 *
 * Returns `{lines, sums}`: for each line `{index, kind, previous, hash, time,
 * fault}` and, for a ballot that passed 7.4, `ballot: {hash, credential,
 * keys}`; for an anonymous audited ballot (7.6) `ballot: {hash, credential:
 * null, keys}`, its hash digest(body) (keys empty if it failed); for any other
 * kind its `body`. `sums`
 * is the flat list of `alpha||beta` hex of the sum of the choices of every
 * valid cast ballot in the chunk (identity allowed), or null if none.
 * Whether a ballot counts (eligibility, last per credential, revocations) is
 * decided in board order by the caller.
 * @param {ElectionContext} context @param {number} first @param {string[]} lines
 */
export function checkLines(context, first, lines) {
  const out = [];
  let sums = null;
  lines.forEach((line, n) => {
    const index = first + n;
    let entry;
    try {
      entry = parseEntry(line, index);
    } catch (error) {
      out.push({ index, kind: null, previous: null, time: null, hash: toHex(sha256(encoder.encode(line))), fault: fault(error, index).toJSON() });
      return;
    }
    const result = { index, kind: entry.kind, previous: entry.previous, hash: entry.hash, time: entry.time, fault: null };
    if (entry.kind === 'ballot') {
      try {
        const verified = verifyBallot(context, entry.body);
        const flat = verified.choices.flat();
        sums = sums === null ? flat : sums.map((s, i) => s.add(flat[i]));
        result.ballot = { hash: toHex(verified.hash), credential: entry.body.credential, keys: choiceKeys(entry.body) };
      } catch (error) {
        result.fault = fault(error, index).toJSON();
      }
    } else if (entry.kind === 'audited_ballot') {
      // An anonymous audit (7.6): named by digest(body), no credential.
      const hash = auditName(entry.body);
      try {
        checkAudit(context, entry.body);
        result.ballot = { hash, credential: null, keys: auditKeys(entry.body) };
      } catch (error) {
        const refused = fault(error, index);
        refused.tracker = tracker(fromHex(hash));
        result.fault = refused.toJSON();
        result.ballot = { hash, credential: null, keys: [] };
      }
    } else {
      result.body = entry.body;
    }
    out.push(result);
  });
  return { lines: out, sums: sums === null ? null : sums.map((c) => c.alpha.hex() + c.beta.hex()) };
}

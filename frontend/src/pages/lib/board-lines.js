/**
 * Reading board lines (docs/protocol.md section 10) and checking the ballots
 * among them (7.4, 7.6): the part of the trustee's count that runs in Web
 * Workers, one chunk of lines at a time. Pure functions, so node's tests and
 * the worker run the same code.
 */

import { sha256 } from '@noble/hashes/sha2.js';
import {
  ElectionContext, OmovError, Point, QuestionRule, canonicalJsonString, checkAudit, fromHex, parseJson, toHex,
  verifyBallot,
} from '../../protocol/index.js';

export const MAX_LINE = 8 * 1024 * 1024;
export const MAX_ROLL_LINE = 256 * 1024 * 1024;
const ENTRY_KEYS = ['body', 'index', 'kind', 'previous'];
const HEX64 = /^[0-9a-f]{64}$/;
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
 * Parse line `index` of the record as a board entry: canonical JSON (2.3) of
 * exactly `{body, index, kind, previous}`. Returns `{index, kind, previous,
 * hash, body}` with the hashes as hex; throws RecordFault.
 * @param {string} line without its newline @param {number} index
 */
export function parseEntry(line, index) {
  const bytes = encoder.encode(line);
  const limit = line.includes('"kind":"credential_roll"') ? MAX_ROLL_LINE : MAX_LINE;
  if (bytes.length > limit) throw new RecordFault(`the line is longer than ${limit} bytes`, index);
  let entry;
  try {
    entry = parseJson(line, null);
  } catch (error) {
    throw new RecordFault(`the line is not JSON a verifier accepts: ${error.message}`, index);
  }
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)
      || Object.keys(entry).sort().join() !== ENTRY_KEYS.join()) {
    throw new RecordFault('an entry must be an object with exactly body, index, kind and previous', index);
  }
  let canonical;
  try {
    canonical = canonicalJsonString(entry);
  } catch (error) {
    throw fault(error, index);
  }
  if (canonical !== line) throw new RecordFault('the line is not canonical JSON (section 2.3)', index);
  if (entry.index !== index) throw new RecordFault(`index is ${JSON.stringify(entry.index)} but this is line ${index}`, index, 'index');
  if (typeof entry.kind !== 'string') throw new RecordFault('kind must be a string', index, 'kind');
  if (typeof entry.previous !== 'string' || !HEX64.test(entry.previous)) {
    throw new RecordFault('previous must be 64 lowercase hex', index, 'previous');
  }
  return { index, kind: entry.kind, previous: entry.previous, hash: toHex(sha256(bytes)), body: entry.body };
}

/**
 * What a worker needs to check ballots: the fingerprint, the joint key and the
 * question rules, as plain data that crosses `postMessage`.
 */
export function ballotSetup(context) {
  return {
    fingerprint: context.fingerprintHex,
    publicKey: context.publicKey.hex(),
    rules: context.rules.map((r) => ({ options: r.options, min: r.min, max: r.max })),
  };
}

export function contextFromSetup(setup) {
  return new ElectionContext(
    fromHex(setup.fingerprint, 'fingerprint', 32),
    Point.fromHex(setup.publicKey, 'public_key'),
    setup.rules.map((r) => new QuestionRule(r.options, r.min, r.max)),
  );
}

/** Flat `alpha||beta` hex of every choice of a ballot, questions then options. */
function choiceKeys(ballot) {
  return ballot.answers.flatMap((answer) => answer.choices.map((c) => c.alpha + c.beta));
}

/**
 * Check a chunk of consecutive board lines, starting at entry `first`.
 *
 * Returns `{lines, sums}`: for each line `{index, kind, previous, hash,
 * fault}` and, for a ballot or audited ballot that passed 7.4 (or 7.6),
 * `ballot: {hash, credential, keys}`; for any other kind its `body`. `sums`
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
      out.push({ index, kind: null, previous: null, hash: toHex(sha256(encoder.encode(line))), fault: fault(error, index).toJSON() });
      return;
    }
    const result = { index, kind: entry.kind, previous: entry.previous, hash: entry.hash, fault: null };
    if (entry.kind === 'ballot' || entry.kind === 'audited_ballot') {
      try {
        const cast = entry.kind === 'ballot';
        const ballot = cast ? entry.body : entry.body && entry.body.ballot;
        if (cast) {
          const verified = verifyBallot(context, ballot);
          const flat = verified.choices.flat();
          sums = sums === null ? flat : sums.map((s, i) => s.add(flat[i]));
          result.ballot = { hash: toHex(verified.hash), credential: ballot.credential, keys: choiceKeys(ballot) };
        } else {
          checkAudit(context, entry.body);
          result.ballot = { hash: toHex(sha256(encoder.encode(canonicalJsonString(ballot)))), credential: ballot.credential, keys: choiceKeys(ballot) };
        }
      } catch (error) {
        result.fault = fault(error, index).toJSON();
      }
    } else {
      result.body = entry.body;
    }
    out.push(result);
  });
  return { lines: out, sums: sums === null ? null : sums.map((c) => c.alpha.hex() + c.beta.hex()) };
}

/**
 * Board entries (docs/protocol.md section 10): the canonical line of an entry,
 * its hash, and reading a line back with exactly its five members and the
 * time stamp of section 10.1.
 */

import { sha256 } from '@noble/hashes/sha2.js';
import { toHex } from './bytes.js';
import { canonicalJson, canonicalJsonString, parseJson } from './canonical.js';
import { InvalidEncoding } from './errors.js';

const ENTRY_KEYS = ['body', 'index', 'kind', 'previous', 'time'];
const ENTRY_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\.\d{6}Z$/;
const HEX64 = /^[0-9a-f]{64}$/;

/**
 * Whether `value` is an entry's time stamp (10.1): `YYYY-MM-DDTHH:MM:SS.ffffffZ`, six
 * fractional digits, a real calendar date and time in UTC (no leap second).
 */
export function isEntryTime(value) {
  if (typeof value !== 'string') return false;
  const match = ENTRY_TIME.exec(value);
  if (match === null) return false;
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number);
  const moment = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  return moment.getUTCFullYear() === year && moment.getUTCMonth() === month - 1
    && moment.getUTCDate() === day && moment.getUTCHours() === hour
    && moment.getUTCMinutes() === minute && moment.getUTCSeconds() === second;
}

/** The canonical line (UTF-8 bytes, no newline) of entry `index`. */
export function entryLine(index, kind, previousHex, body, time) {
  if (!isEntryTime(time)) throw new InvalidEncoding(`not an entry time: ${time}`, 'time');
  return canonicalJson({ body, index, kind, previous: previousHex, time });
}

/** `entry_hash`: SHA-256 of the line without its newline, as hex. */
export function entryHash(line) {
  return toHex(sha256(line));
}

/**
 * Read board line `index` (a string or UTF-8 bytes, no newline): canonical JSON of an
 * object with exactly body, index, kind, previous and time. Returns `{index, kind,
 * previous, body, time}`; throws InvalidEncoding naming the member that is wrong.
 */
export function parseEntry(line, index) {
  const where = `entry ${index}`;
  const entry = parseJson(line, where);
  if (entry === null || typeof entry !== 'object' || Array.isArray(entry)
      || Object.keys(entry).sort().join() !== ENTRY_KEYS.join()) {
    throw new InvalidEncoding(`${where}: an entry holds exactly body, index, kind, previous and time`, null);
  }
  const text = typeof line === 'string' ? line : new TextDecoder().decode(line);
  if (canonicalJsonString(entry) !== text) {
    throw new InvalidEncoding(`${where}: the line is not canonical JSON (section 2.3)`, null);
  }
  if (entry.index !== index) throw new InvalidEncoding(`${where}: index is ${entry.index}`, 'index');
  if (typeof entry.kind !== 'string') throw new InvalidEncoding(`${where}: kind must be a string`, 'kind');
  if (typeof entry.previous !== 'string' || !HEX64.test(entry.previous)) {
    throw new InvalidEncoding(`${where}: previous must be 64 lowercase hex`, 'previous');
  }
  if (!isEntryTime(entry.time)) {
    throw new InvalidEncoding(
      `${where}: time must be a real UTC time written YYYY-MM-DDTHH:MM:SS.ffffffZ (section 10.1)`, 'time');
  }
  return { index, kind: entry.kind, previous: entry.previous, body: entry.body, time: entry.time };
}

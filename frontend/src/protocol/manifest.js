/**
 * The manifest rules of docs/protocol.md section 5, as the Python verifier
 * (omov/record/manifest.py) applies them and in the same order, so that both
 * refuse the same manifests at the same field (tests/vectors/manifests.json).
 * Lengths count Unicode code points; numbers are JSON integers, never booleans.
 */

import { InvalidEncoding } from './errors.js';
import { Point } from './group.js';

const FORMAT = 'omov-election/1';
const MAX_STRING = 20000;
const TOP = new Set(['format', 'election_id', 'title', 'description', 'questions', 'trustees', 'threshold',
  'credential_authority', 'eligibility', 'opens_at', 'closes_at']);
const REQUIRED = ['format', 'election_id', 'title', 'questions', 'trustees', 'threshold', 'credential_authority'];
const QUESTION = ['id', 'kind', 'text', 'options', 'min', 'max'];
const RANKED = [...QUESTION, 'count'];
const METHODS = ['stv', 'irv', 'schulze'];
const TIES = ['earlier-rounds-then-lot', 'lot'];
const MAX_RANKED_CELLS = 400;
const MAX_RANKED_CELLS_IN_ALL = 1000;
const UTC_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?Z$/;

function require(condition, message, field) {
  if (!condition) throw new InvalidEncoding(`manifest: ${message}`, field);
}

const isObject = (value) => typeof value === 'object' && value !== null && !Array.isArray(value);
const isInteger = (value) => typeof value === 'number' && Number.isSafeInteger(value);
const length = (text) => [...text].length;
const sameKeys = (value, keys) => isObject(value) && Object.keys(value).length === keys.length
  && keys.every((key) => Object.prototype.hasOwnProperty.call(value, key));

function string(value, low, high, field) {
  require(typeof value === 'string' && low <= length(value) && length(value) <= high,
    `must be a string of ${low} to ${high} characters`, field);
}

function checkStrings(value, field) {
  if (typeof value === 'string') {
    require(length(value) <= MAX_STRING, 'a string is longer than 20,000 characters', field || null);
  } else if (Array.isArray(value)) {
    value.forEach((item, n) => checkStrings(item, `${field}[${n}]`));
  } else if (isObject(value)) {
    for (const [key, item] of Object.entries(value)) checkStrings(item, field ? `${field}.${key}` : key);
  }
}

/** A real calendar date (no 30 February). */
function realDate(year, month, day) {
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** Whether `value` is a UTC time such as 2026-12-01T09:00:00Z with a real date and clock time. */
export function isUtcTime(value) {
  const parts = typeof value === 'string' ? UTC_TIME.exec(value) : null;
  if (!parts) return false;
  const [year, month, day, hour, minute, second] = parts.slice(1, 7).map(Number);
  return year >= 1 && realDate(year, month, day) && hour < 24 && minute < 60 && second < 60;
}

/** Seconds and nanoseconds of a checked UTC time, for comparing two of them. */
function instant(value) {
  const parts = UTC_TIME.exec(value);
  const [year, month, day, hour, minute, second] = parts.slice(1, 7).map(Number);
  const fraction = (parts[7] ?? '.').slice(1).padEnd(9, '0');
  return [Date.UTC(year, month - 1, day, hour, minute, second) / 1000, Number(fraction)];
}

function schedule(body) {
  for (const key of ['opens_at', 'closes_at']) {
    if (key in body) require(isUtcTime(body[key]), 'must be a UTC time such as 2026-12-01T09:00:00Z', key);
  }
  if ('opens_at' in body && 'closes_at' in body) {
    const [opens, closes] = [instant(body.opens_at), instant(body.closes_at)];
    const later = closes[0] > opens[0] || (closes[0] === opens[0] && closes[1] > opens[1]);
    require(later, 'voting must close after it opens', 'closes_at');
  }
}

function eligibility(value) {
  require(isObject(value) && Object.keys(value).every((key) => key === 'cut_off' || key === 'description'),
    'eligibility has a cut_off date and a description', 'eligibility');
  if ('cut_off' in value) {
    const date = typeof value.cut_off === 'string' ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(value.cut_off) : null;
    const valid = date !== null && Number(date[1]) >= 1 && realDate(...date.slice(1, 4).map(Number));
    require(valid, 'must be a date such as 2026-11-01', 'eligibility.cut_off');
  }
  if ('description' in value) string(value.description, 0, MAX_STRING, 'eligibility.description');
}

const KINDS = {
  yes_no: (m, low, high) => [m === 2 && low === 1 && high === 1, 'exactly 2 options and min = max = 1'],
  yes_no_abstain: (m, low, high) => [m === 3 && low === 1 && high === 1, 'exactly 3 options and min = max = 1'],
  choose: () => [true, ''],
  approval: (m, low, high) => [low === 0 && high === m, 'min = 0 and max = the number of options'],
  block: (m, low, high) => [low === 0 && high < m, 'min = 0 and max below the number of options'],
  ranked: (m, low) => [low <= 1, 'min 0 (a blank ballot allowed) or 1'],
};

function balance(value, m, seats, field) {
  require(Array.isArray(value), 'balance is a list of rules', field);
  value.forEach((rule, n) => {
    const at = `${field}[${n}]`;
    require(sameKeys(rule, ['label', 'candidates', 'at_least']),
      'a balance rule holds exactly label, candidates and at_least', at);
    string(rule.label, 1, 100, `${at}.label`);
    const { candidates } = rule;
    require(Array.isArray(candidates) && candidates.length >= 1
      && candidates.every((c) => isInteger(c) && c >= 0 && c < m),
    `candidates is a non-empty list of option indices 0 to ${m - 1}`, `${at}.candidates`);
    require(candidates.every((c, k) => k === 0 || candidates[k - 1] < c),
      'candidates must be sorted ascending, each once', `${at}.candidates`);
    const most = Math.min(seats, candidates.length);
    require(isInteger(rule.at_least) && rule.at_least >= 1 && rule.at_least <= most,
      `at_least must be 1 to ${most} (at most the seats and the rule's candidates)`, `${at}.at_least`);
  });
  const labels = value.map((rule) => rule.label);
  require(new Set(labels).size === labels.length, 'balance rule labels must be unique', field);
}

/** A ranked question's count member (5.2), checked in the order of omov/record/manifest.py. */
function count(value, m, field) {
  const keys = isObject(value) ? Object.keys(value) : [];
  require(isObject(value) && ['method', 'seats', 'ties'].every((key) => keys.includes(key))
    && keys.every((key) => ['method', 'seats', 'ties', 'balance'].includes(key)),
  'count holds exactly method, seats and ties, and for stv optionally balance', field);
  const { method, seats } = value;
  require(typeof method === 'string' && METHODS.includes(method), 'method must be stv, irv or schulze', `${field}.method`);
  if (method === 'irv') {
    require(isInteger(seats) && seats === 1, 'an irv count fills exactly 1 seat', `${field}.seats`);
  } else {
    require(isInteger(seats) && seats >= 1 && seats <= m - 1,
      `a ${method} count fills 1 to ${m - 1} seats (fewer than the candidates)`, `${field}.seats`);
  }
  require(typeof value.ties === 'string' && TIES.includes(value.ties), 'ties must be earlier-rounds-then-lot or lot',
    `${field}.ties`);
  if ('balance' in value) {
    require(method === 'stv', 'balance rules apply to an stv count only', `${field}.balance`);
    balance(value.balance, m, seats, `${field}.balance`);
  }
}

function question(value, field) {
  const ranked = isObject(value) && value.kind === 'ranked';
  if (ranked) {
    require('count' in value, 'a question of kind ranked needs a count member (5.2)', `${field}.kind`);
    require(sameKeys(value, RANKED), 'a ranked question has exactly id, kind, text, options, min, max and count', field);
  } else {
    require(sameKeys(value, QUESTION), 'a question has exactly id, kind, text, options, min and max', field);
  }
  string(value.id, 1, 50, `${field}.id`);
  string(value.text, 0, MAX_STRING, `${field}.text`);
  const { options } = value;
  require(Array.isArray(options) && options.length >= 2 && options.length <= 100,
    'a question has 2 to 100 options', `${field}.options`);
  options.forEach((option, n) => string(option, 1, 500, `${field}.options[${n}]`));
  require(new Set(options).size === options.length, 'options must be unique', `${field}.options`);
  const { min: low, max: high } = value;
  const m = options.length;
  require(isInteger(low) && isInteger(high) && low >= 0 && low <= high && high <= m && high >= 1,
    `need integers 0 <= min <= max <= ${m} and max >= 1`, `${field}.min`);
  const rule = typeof value.kind === 'string' && Object.prototype.hasOwnProperty.call(KINDS, value.kind)
    ? KINDS[value.kind] : null;
  require(rule !== null, `unknown question kind ${JSON.stringify(value.kind)}`, `${field}.kind`);
  const [holds, needs] = rule(m, low, high);
  require(holds, `a question of kind ${value.kind} needs ${needs}`, `${field}.kind`);
  if (ranked) {
    require(m * high <= MAX_RANKED_CELLS, `a ranked question holds at most ${MAX_RANKED_CELLS} cells: `
      + `${m} candidates times max ${high} is ${m * high}`, `${field}.max`);
    count(value.count, m, `${field}.count`);
  }
}

function trustees(value, threshold) {
  require(Array.isArray(value) && value.length >= 1 && value.length <= 50, 'there must be 1 to 50 trustees', 'trustees');
  value.forEach((trustee, n) => {
    require(isObject(trustee) && trustee.index === n + 1,
      `trustees must be numbered 1..n in order; expected index ${n + 1}`, `trustees[${n}].index`);
    require(sameKeys(trustee, ['index', 'name']), 'a trustee holds exactly index and name', `trustees[${n}]`);
    string(trustee.name, 1, 500, `trustees[${n}].name`);
  });
  require(isInteger(threshold) && threshold >= 1 && threshold <= value.length,
    `threshold must be between 1 and ${value.length}`, 'threshold');
}

function authority(value) {
  require(sameKeys(value, ['name', 'public_key']), 'the credential authority holds exactly name and public_key',
    'credential_authority');
  string(value.name, 1, 500, 'credential_authority.name');
  require(typeof value.public_key === 'string', 'the credential authority needs a public_key',
    'credential_authority.public_key');
  return Point.fromHex(value.public_key, 'credential_authority.public_key');
}

/**
 * Check a manifest (section 5); throws InvalidEncoding naming the field, as
 * the Python verifier does. Returns the credential authority's key.
 * @param {unknown} body the parsed manifest @returns {Point}
 */
export function checkManifest(body) {
  require(isObject(body), 'the manifest must be an object', null);
  const extra = Object.keys(body).filter((key) => !TOP.has(key)).sort();
  require(extra.length === 0, `unknown member(s) ${JSON.stringify(extra)}`, null);
  const missing = REQUIRED.filter((key) => !(key in body)).sort();
  require(missing.length === 0, `missing member(s) ${JSON.stringify(missing)}`, null);
  require(body.format === FORMAT, `format must be '${FORMAT}'`, 'format');
  checkStrings(body, '');
  string(body.election_id, 1, 100, 'election_id');
  string(body.title, 1, 300, 'title');
  if ('description' in body) string(body.description, 0, MAX_STRING, 'description');
  schedule(body);
  if ('eligibility' in body) eligibility(body.eligibility);
  require(Array.isArray(body.questions) && body.questions.length >= 1 && body.questions.length <= 20,
    'there must be 1 to 20 questions', 'questions');
  body.questions.forEach((item, n) => question(item, `questions[${n}]`));
  const ids = body.questions.map((item) => item.id);
  require(new Set(ids).size === ids.length, 'question ids must be unique', 'questions');
  const cells = body.questions.filter((item) => item.kind === 'ranked')
    .reduce((sum, item) => sum + item.options.length * item.max, 0);
  require(cells <= MAX_RANKED_CELLS_IN_ALL, `the ranked questions hold ${cells.toLocaleString('en')} cells `
    + `(candidates times max) in all; at most ${MAX_RANKED_CELLS_IN_ALL.toLocaleString('en')} are allowed`, 'questions');
  trustees(body.trustees, body.threshold);
  return authority(body.credential_authority);
}

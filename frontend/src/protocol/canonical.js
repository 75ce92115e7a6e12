/**
 * Canonical JSON (section 2.3: RFC 8785 restricted to integers), `digest`,
 * and a strict parser that rejects what canonical JSON cannot hold.
 */

import { sha256 } from '@noble/hashes/sha2.js';
import { utf8 } from './bytes.js';
import { InvalidEncoding, fieldPath } from './errors.js';

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const ASCII_KEY = /^[\x00-\x7f]*$/;
const LIMIT = 2 ** 53;

function encodeString(text, field) {
  if (LONE_SURROGATE.test(text)) throw new InvalidEncoding('string holds a lone surrogate', field);
  // JSON.stringify escapes exactly \" \\ \b \f \n \r \t and \u00xx (lowercase) below U+0020.
  return JSON.stringify(text);
}

function encode(value, field) {
  if (value === null) return 'null';
  if (value === true) return 'true';
  if (value === false) return 'false';
  if (typeof value === 'number') {
    if (!Number.isInteger(value) || Math.abs(value) >= LIMIT) {
      throw new InvalidEncoding('numbers must be integers with absolute value below 2^53', field);
    }
    return Object.is(value, -0) ? '0' : String(value);
  }
  if (typeof value === 'string') return encodeString(value, field);
  if (Array.isArray(value)) {
    return `[${value.map((item, i) => encode(item, fieldPath(field, i))).join(',')}]`;
  }
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const keys = Object.keys(value).sort();
    const members = [];
    for (const key of keys) {
      if (!ASCII_KEY.test(key)) throw new InvalidEncoding('object keys must be ASCII', fieldPath(field, key));
      if (value[key] === undefined) throw new InvalidEncoding('undefined is not JSON', fieldPath(field, key));
      members.push(`${encodeString(key, field)}:${encode(value[key], fieldPath(field, key))}`);
    }
    return `{${members.join(',')}}`;
  }
  throw new InvalidEncoding(`cannot encode ${typeof value} as canonical JSON`, field);
}

/** @param {unknown} value @returns {string} the canonical JSON text */
export function canonicalJsonString(value) {
  return encode(value, null);
}

/** @param {unknown} value @returns {Uint8Array} the canonical JSON as UTF-8 */
export function canonicalJson(value) {
  return utf8(encode(value, null));
}

/** `digest(x) = SHA256(canonical_json(x))`. @returns {Uint8Array} 32 bytes */
export function digest(value) {
  return sha256(canonicalJson(value));
}

const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Parse JSON strictly: integers only (below 2^53), unique keys, valid UTF-8,
 * no byte order mark, no lone surrogates.
 * @param {string | Uint8Array} data
 * @param {string | null} [field] what is being parsed, for error messages
 */
export function parseJson(data, field = null) {
  let text = data;
  if (data instanceof Uint8Array) {
    try {
      text = decoder.decode(data);
    } catch {
      throw new InvalidEncoding('not valid UTF-8', field);
    }
  }
  if (typeof text !== 'string') throw new InvalidEncoding('expected JSON text', field);
  const parser = new Parser(text, field);
  parser.skipSpace();
  const value = parser.value(field);
  parser.skipSpace();
  if (parser.at !== text.length) parser.fail('unexpected text after the JSON value');
  return value;
}

class Parser {
  constructor(text, field) {
    this.text = text;
    this.at = 0;
    this.field = field;
  }

  fail(message, field = this.field) {
    throw new InvalidEncoding(`${message} (at character ${this.at})`, field);
  }

  skipSpace() {
    while (this.at < this.text.length && ' \t\n\r'.includes(this.text[this.at])) this.at++;
  }

  value(field) {
    const ch = this.text[this.at];
    if (ch === '{') return this.object(field);
    if (ch === '[') return this.array(field);
    if (ch === '"') return this.string(field);
    if (ch === '-' || (ch >= '0' && ch <= '9')) return this.number(field);
    for (const [word, result] of [['true', true], ['false', false], ['null', null]]) {
      if (this.text.startsWith(word, this.at)) {
        this.at += word.length;
        return result;
      }
    }
    return this.fail('invalid JSON value', field);
  }

  object(field) {
    const result = {};
    const seen = new Set();
    this.at++;
    this.skipSpace();
    if (this.text[this.at] === '}') {
      this.at++;
      return result;
    }
    for (;;) {
      this.skipSpace();
      if (this.text[this.at] !== '"') this.fail('expected a string key', field);
      const key = this.string(field);
      if (seen.has(key)) this.fail(`duplicate key "${key}"`, fieldPath(field, key));
      seen.add(key);
      this.skipSpace();
      if (this.text[this.at] !== ':') this.fail('expected ":"', field);
      this.at++;
      this.skipSpace();
      Object.defineProperty(result, key, {
        value: this.value(fieldPath(field, key)), enumerable: true, writable: true, configurable: true,
      });
      this.skipSpace();
      const ch = this.text[this.at++];
      if (ch === '}') return result;
      if (ch !== ',') this.fail('expected "," or "}"', field);
    }
  }

  array(field) {
    const result = [];
    this.at++;
    this.skipSpace();
    if (this.text[this.at] === ']') {
      this.at++;
      return result;
    }
    for (;;) {
      this.skipSpace();
      result.push(this.value(fieldPath(field, result.length)));
      this.skipSpace();
      const ch = this.text[this.at++];
      if (ch === ']') return result;
      if (ch !== ',') this.fail('expected "," or "]"', field);
    }
  }

  string(field) {
    const start = this.at;
    this.at++;
    for (;;) {
      const ch = this.text[this.at];
      if (ch === undefined) this.fail('unterminated string', field);
      if (ch === '"') break;
      if (ch < ' ') this.fail('unescaped control character in string', field);
      this.at += ch === '\\' ? 2 : 1;
    }
    this.at++;
    let result;
    try {
      result = JSON.parse(this.text.slice(start, this.at));
    } catch {
      this.fail('invalid string escape', field);
    }
    if (LONE_SURROGATE.test(result)) this.fail('string holds a lone surrogate', field);
    return result;
  }

  number(field) {
    const match = /^-?(?:0|[1-9][0-9]*)([.eE])?/.exec(this.text.slice(this.at, this.at + 40));
    if (!match) this.fail('invalid number', field);
    if (match[1]) this.fail('only integers are allowed (no fractions or exponents)', field);
    const value = Number(match[0]);
    if (Math.abs(value) >= LIMIT) this.fail('integer too large (absolute value must be below 2^53)', field);
    this.at += match[0].length;
    return value;
  }
}

/** Checks of JSON shape shared by every reader: exact members, lists, integers. */

import { InvalidEncoding, fieldPath } from './errors.js';

/**
 * Require a plain object with exactly the given members.
 * @param {unknown} obj @param {string[]} keys @param {string | null} field
 * @param {typeof InvalidEncoding} [ErrorType]
 */
export function expectObject(obj, keys, field, ErrorType = InvalidEncoding) {
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) {
    throw new ErrorType('expected a JSON object', field);
  }
  for (const key of keys) {
    if (!Object.prototype.hasOwnProperty.call(obj, key)) {
      throw new ErrorType(`missing member "${key}"`, fieldPath(field, key));
    }
  }
  for (const key of Object.keys(obj)) {
    if (!keys.includes(key)) throw new ErrorType(`unexpected member "${key}"`, fieldPath(field, key));
  }
  return obj;
}

/**
 * Require a JSON array, optionally of an exact length.
 * @param {unknown} value @param {string | null} field @param {number | null} [length]
 * @param {typeof InvalidEncoding} [ErrorType]
 */
export function expectList(value, field, length = null, ErrorType = InvalidEncoding) {
  if (!Array.isArray(value)) throw new ErrorType('expected a list', field);
  if (length !== null && value.length !== length) {
    throw new ErrorType(`expected ${length} items, found ${value.length}`, field);
  }
  return value;
}


/** Require a trustee index: an integer ≥ 1. */
export function expectIndex(value, field, ErrorType = InvalidEncoding) {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw new ErrorType('expected a trustee index (an integer from 1)', field);
  }
  return value;
}

/** Prefix for member paths inside a body read at `field` (empty at the top). */
export function prefixed(field, key) {
  return field ? `${field}.${key}` : key;
}

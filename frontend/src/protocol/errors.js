/**
 * Typed protocol errors. Each carries `field`: the path of the JSON member or
 * input it is about (for example `answers[0].proofs[1].challenges[0]`), so a
 * message can tell a person exactly what is wrong and where.
 */

export class OmovError extends Error {
  /**
   * @param {string} message what is wrong, in plain words
   * @param {string | null} [field] path of the offending member, if any
   */
  constructor(message, field = null) {
    super(field ? `${field}: ${message}` : message);
    this.name = new.target.name;
    this.field = field;
    this.detail = message;
  }

  /**
   * The same error located inside the member `prefix` (e.g. an audit
   * reveal's `ballot`): `election` becomes `ballot.election`.
   * @param {string} prefix
   */
  at(prefix) {
    const ErrorType = /** @type {typeof OmovError} */ (this.constructor);
    return new ErrorType(this.detail, this.field ? `${prefix}.${this.field}` : prefix);
  }
}

/** Bytes, hex, JSON, a scalar or a point that is not in its canonical form. */
export class InvalidEncoding extends OmovError {}

/** A proof or signature that does not verify. */
export class InvalidProof extends OmovError {}

/** A ballot whose structure or contents break section 7. */
export class InvalidBallot extends OmovError {}

/** A credential code that was mistyped, or a roll that does not check. */
export class InvalidCredential extends OmovError {}

/** A trustee share that does not decrypt or does not match the commitments. */
export class InvalidShare extends OmovError {}

/**
 * Join a parent path and a child key or index into a field path.
 * @param {string | null | undefined} parent
 * @param {string | number} child
 * @returns {string}
 */
export function fieldPath(parent, child) {
  if (typeof child === 'number') return `${parent ?? ''}[${child}]`;
  return parent ? `${parent}.${child}` : child;
}

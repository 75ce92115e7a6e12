/**
 * The ristretto255 group (section 2.1, 2.2): `Scalar` (integers mod L) and
 * `Point` (group elements), with their canonical 32-byte encodings.
 */

import { ristretto255 } from '@noble/curves/ed25519.js';
import { bigIntToBytesLE, bytesToBigIntLE, fromHex, toHex } from './bytes.js';
import { InvalidEncoding } from './errors.js';

const RistrettoPoint = ristretto255.Point;

/** The order of the ristretto255 group. */
export const L = 2n ** 252n + 27742317777372353535851937790883648493n;

function mod(n) {
  const r = n % L;
  return r < 0n ? r + L : r;
}

/** An integer mod L. Immutable. */
export class Scalar {
  /** @param {bigint} value already reduced into [0, L) */
  constructor(value) {
    this.value = value;
    Object.freeze(this);
  }

  /**
   * Decode 32 bytes little-endian; values ≥ L are non-canonical and rejected.
   * @param {Uint8Array} bytes
   * @param {string | null} [field] where the scalar was read from
   */
  static fromBytes(bytes, field = null) {
    if (!(bytes instanceof Uint8Array) || bytes.length !== 32) {
      throw new InvalidEncoding('a scalar is exactly 32 bytes', field);
    }
    const value = bytesToBigIntLE(bytes);
    if (value >= L) throw new InvalidEncoding('non-canonical scalar (not below the group order)', field);
    return new Scalar(value);
  }

  /** @param {unknown} text 64 lowercase hex characters @param {string | null} [field] */
  static fromHex(text, field = null) {
    return Scalar.fromBytes(fromHex(text, field, 32), field);
  }

  /** @param {number | bigint} n any integer, reduced mod L */
  static fromInt(n) {
    return new Scalar(mod(BigInt(n)));
  }

  /** Reduce a 64-byte string read little-endian mod L (section 2.4, 2.5). */
  static fromWideBytes(bytes) {
    return new Scalar(bytesToBigIntLE(bytes) % L);
  }

  toBytes() {
    return bigIntToBytesLE(this.value, 32);
  }

  hex() {
    return toHex(this.toBytes());
  }

  toJSON() {
    return this.hex();
  }

  /** @param {Scalar} other */
  add(other) {
    const s = this.value + other.value;
    return new Scalar(s >= L ? s - L : s);
  }

  /** @param {Scalar} other */
  sub(other) {
    const s = this.value - other.value;
    return new Scalar(s < 0n ? s + L : s);
  }

  /** @param {Scalar} other */
  mul(other) {
    return new Scalar((this.value * other.value) % L);
  }

  neg() {
    return new Scalar(this.value === 0n ? 0n : L - this.value);
  }

  /** The multiplicative inverse; the zero scalar has none. */
  inverse() {
    if (this.value === 0n) throw new RangeError('the zero scalar has no inverse');
    return new Scalar(modPow(this.value, L - 2n));
  }

  isZero() {
    return this.value === 0n;
  }

  /** @param {Scalar} other */
  equals(other) {
    return this.value === other.value;
  }
}

function modPow(base, exponent) {
  let result = 1n;
  let b = base % L;
  let e = exponent;
  while (e > 0n) {
    if (e & 1n) result = (result * b) % L;
    b = (b * b) % L;
    e >>= 1n;
  }
  return result;
}

/** An element of ristretto255. Immutable; caches its encoding. */
export class Point {
  /** @param {InstanceType<typeof RistrettoPoint>} inner @param {Uint8Array | null} [encoding] */
  constructor(inner, encoding = null) {
    this.inner = inner;
    this._encoding = encoding;
  }

  /**
   * Decode per RFC 9496 4.3.1, rejecting non-canonical encodings and (unless
   * allowed) the identity.
   * @param {Uint8Array} bytes
   * @param {string | null} [field] where the point was read from
   * @param {boolean} [allowIdentity]
   */
  static fromBytes(bytes, field = null, allowIdentity = false) {
    if (!(bytes instanceof Uint8Array) || bytes.length !== 32) {
      throw new InvalidEncoding('a point is exactly 32 bytes', field);
    }
    let inner;
    try {
      inner = RistrettoPoint.fromBytes(bytes);
    } catch {
      throw new InvalidEncoding('not a valid ristretto255 point encoding', field);
    }
    if (!allowIdentity && inner.is0()) {
      throw new InvalidEncoding('the identity point is not allowed here', field);
    }
    return new Point(inner, Uint8Array.from(bytes));
  }

  /** @param {unknown} text 64 lowercase hex characters @param {string | null} [field] @param {boolean} [allowIdentity] */
  static fromHex(text, field = null, allowIdentity = false) {
    return Point.fromBytes(fromHex(text, field, 32), field, allowIdentity);
  }

  toBytes() {
    if (this._encoding === null) this._encoding = this.inner.toBytes();
    return this._encoding;
  }

  hex() {
    return toHex(this.toBytes());
  }

  toJSON() {
    return this.hex();
  }

  /** @param {Point} other */
  add(other) {
    return new Point(this.inner.add(other.inner));
  }

  /** @param {Point} other */
  sub(other) {
    return new Point(this.inner.subtract(other.inner));
  }

  neg() {
    return new Point(this.inner.negate());
  }

  /**
   * s·P in constant time: for secret scalars (randomness, nonces, keys).
   * @param {Scalar} scalar
   */
  mul(scalar) {
    if (scalar.value === 0n) return IDENTITY;
    return new Point(this.inner.multiply(scalar.value));
  }

  /**
   * s·P in variable time: only for public scalars (proof verification).
   * @param {Scalar} scalar
   */
  mulPublic(scalar) {
    return new Point(this.inner.multiplyUnsafe(scalar.value));
  }

  /**
   * Build fixed-base tables for a point used many times (the election key),
   * so later `mul` calls are several times faster. Returns this point.
   */
  precompute() {
    this.inner.precompute(6, false);
    return this;
  }

  isIdentity() {
    return this.inner.is0();
  }

  /** @param {Point} other */
  equals(other) {
    return this.inner.equals(other.inner);
  }
}

/** The ristretto255 generator G. */
export const G = new Point(RistrettoPoint.BASE);

/** The identity element. */
export const IDENTITY = new Point(RistrettoPoint.ZERO);

/** s·G using the precomputed base table (constant time). */
export function baseMult(scalar) {
  return G.mul(scalar);
}


/** v·G for a small non-negative integer v (section 11.2); identity for 0. */
export function smallMultiple(v) {
  return G.mulPublic(Scalar.fromInt(v));
}

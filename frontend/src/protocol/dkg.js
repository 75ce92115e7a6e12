/**
 * Distributed key generation (sections 8.1-8.4): each trustee step returns
 * the JSON body it publishes; each `check*` is what anyone runs on a body.
 * Scalars are drawn in exactly the order of the spec.
 */

import { sha512 } from '@noble/hashes/sha2.js';
import { bytesToBigIntLE, fromHex, toHex } from './bytes.js';
import { InvalidEncoding, InvalidShare, OmovError } from './errors.js';
import { G, L, Point, Scalar } from './group.js';
import { DleqProof, SchnorrProof } from './proofs.js';
import { expectIndex, expectList, expectObject, prefixed } from './shape.js';
import { evaluateCommitments, evaluatePolynomial, finaliseShare, requireThreshold } from './threshold.js';
import { transcriptBytes } from './transcript.js';

const TAG_TRUSTEE_KEY = 'trustee-key';
const TAG_COEFFICIENT = 'coefficient';
const TAG_SHARE_PAD = 'share-pad';
const TAG_SHARE_SIGNATURE = 'share-signature';
const TAG_COMPLAINT = 'complaint';

/** A trustee's secrets: what its passphrase-protected backup holds (section 13). */
export class TrusteeState {
  /**
   * @param {Uint8Array} manifestDigest @param {number} index i
   * @param {Scalar} communicationSecret d_i @param {Scalar[]} coefficients a_{i,0..k-1}
   * @param {Scalar | null} [share] the final share s_i, once known
   */
  constructor(manifestDigest, index, communicationSecret, coefficients, share = null) {
    this.manifestDigest = manifestDigest;
    this.index = index;
    this.communicationSecret = communicationSecret;
    this.coefficients = Object.freeze([...coefficients]);
    this.share = share;
    Object.freeze(this);
  }

  get threshold() {
    return this.coefficients.length;
  }

  withShare(share) {
    return new TrusteeState(this.manifestDigest, this.index, this.communicationSecret, this.coefficients, share);
  }

  /** The backup plaintext of section 13. */
  toJSON() {
    return {
      manifest_digest: toHex(this.manifestDigest),
      trustee: this.index,
      communication_secret: this.communicationSecret.hex(),
      coefficients: this.coefficients.map((c) => c.hex()),
      share: this.share === null ? null : this.share.hex(),
    };
  }

  static fromJSON(obj, field = 'state') {
    expectObject(obj, ['manifest_digest', 'trustee', 'communication_secret', 'coefficients', 'share'], field);
    const coefficients = expectList(obj.coefficients, `${field}.coefficients`);
    if (coefficients.length === 0) throw new InvalidEncoding('needs at least one coefficient', `${field}.coefficients`);
    return new TrusteeState(
      fromHex(obj.manifest_digest, `${field}.manifest_digest`, 32),
      expectIndex(obj.trustee, `${field}.trustee`),
      Scalar.fromHex(obj.communication_secret, `${field}.communication_secret`),
      coefficients.map((c, j) => Scalar.fromHex(c, `${field}.coefficients[${j}]`)),
      obj.share === null ? null : Scalar.fromHex(obj.share, `${field}.share`),
    );
  }
}

/** A `trustee_commitment` body (8.1). */
export class TrusteeCommitment {
  constructor(trustee, communicationKey, communicationProof, commitments, commitmentProofs) {
    Object.assign(this, { trustee, communicationKey, communicationProof, commitments, commitmentProofs });
    Object.freeze(this);
  }

  toJSON() {
    return {
      trustee: this.trustee,
      communication_key: this.communicationKey.hex(),
      communication_proof: this.communicationProof.toJSON(),
      commitments: this.commitments.map((c) => c.hex()),
      commitment_proofs: this.commitmentProofs.map((p) => p.toJSON()),
    };
  }

  static fromJSON(obj, field = '') {
    expectObject(obj, ['trustee', 'communication_key', 'communication_proof', 'commitments', 'commitment_proofs'], field || null);
    const at = (key) => prefixed(field, key);
    return new TrusteeCommitment(
      expectIndex(obj.trustee, at('trustee')),
      Point.fromHex(obj.communication_key, at('communication_key')),
      SchnorrProof.fromJSON(obj.communication_proof, at('communication_proof')),
      expectList(obj.commitments, at('commitments')).map((c, j) => Point.fromHex(c, `${at('commitments')}[${j}]`)),
      expectList(obj.commitment_proofs, at('commitment_proofs')).map((p, j) =>
        SchnorrProof.fromJSON(p, `${at('commitment_proofs')}[${j}]`),
      ),
    );
  }
}

/** One share f_i(ℓ) sent by a dealer to `recipient` ℓ (8.2). */
export class EncryptedShare {
  constructor(recipient, ephemeral, ciphertext, signature) {
    Object.assign(this, { recipient, ephemeral, ciphertext, signature });
    Object.freeze(this);
  }

  toJSON() {
    return {
      recipient: this.recipient,
      ephemeral: this.ephemeral.hex(),
      ciphertext: toHex(this.ciphertext),
      signature: this.signature.toJSON(),
    };
  }

  static fromJSON(obj, field) {
    expectObject(obj, ['recipient', 'ephemeral', 'ciphertext', 'signature'], field);
    return new EncryptedShare(
      expectIndex(obj.recipient, `${field}.recipient`),
      Point.fromHex(obj.ephemeral, `${field}.ephemeral`),
      fromHex(obj.ciphertext, `${field}.ciphertext`, 32),
      SchnorrProof.fromJSON(obj.signature, `${field}.signature`),
    );
  }
}

/** A `trustee_shares` body (8.2): a dealer's shares for the other trustees. */
export class TrusteeShares {
  constructor(trustee, shares) {
    this.trustee = trustee;
    this.shares = Object.freeze([...shares]);
    Object.freeze(this);
  }

  shareFor(recipient) {
    const share = this.shares.find((s) => s.recipient === recipient);
    if (!share) throw new OmovError(`trustee ${this.trustee} sent no share to trustee ${recipient}`, 'shares');
    return share;
  }

  toJSON() {
    return { trustee: this.trustee, shares: this.shares.map((s) => s.toJSON()) };
  }

  static fromJSON(obj, field = '') {
    expectObject(obj, ['trustee', 'shares'], field || null);
    const sharesField = prefixed(field, 'shares');
    return new TrusteeShares(
      expectIndex(obj.trustee, prefixed(field, 'trustee')),
      expectList(obj.shares, sharesField).map((s, n) => EncryptedShare.fromJSON(s, `${sharesField}[${n}]`)),
    );
  }
}

/** A `trustee_complaint` body (8.3). */
export class Complaint {
  constructor(trustee, against, key, proof) {
    Object.assign(this, { trustee, against, key, proof });
    Object.freeze(this);
  }

  toJSON() {
    return { trustee: this.trustee, against: this.against, key: this.key.hex(), proof: this.proof.toJSON() };
  }

  static fromJSON(obj, field = '') {
    expectObject(obj, ['trustee', 'against', 'key', 'proof'], field || null);
    const at = (key) => prefixed(field, key);
    return new Complaint(
      expectIndex(obj.trustee, at('trustee')),
      expectIndex(obj.against, at('against')),
      Point.fromHex(obj.key, at('key')),
      DleqProof.fromJSON(obj.proof, at('proof')),
    );
  }
}

/**
 * Trustee `index` draws its secrets (d_i, then a_{i,0..k-1}, then the proof
 * nonces) and returns `{state, body}` with its `trustee_commitment` body.
 * @param {Uint8Array} manifestDigest @param {number} index @param {number} threshold k
 * @param {{scalar(): Scalar}} rng
 */
export function commit(manifestDigest, index, threshold, rng) {
  const communicationSecret = rng.scalar();
  const coefficients = Array.from({ length: threshold }, () => rng.scalar());
  const state = new TrusteeState(manifestDigest, index, communicationSecret, coefficients);
  const communicationProof = SchnorrProof.prove(TAG_TRUSTEE_KEY, [manifestDigest, index], communicationSecret, rng);
  const commitmentProofs = coefficients.map((a, j) =>
    SchnorrProof.prove(TAG_COEFFICIENT, [manifestDigest, index, j], a, rng),
  );
  const body = new TrusteeCommitment(
    index, G.mul(communicationSecret), communicationProof, coefficients.map((a) => G.mul(a)), commitmentProofs,
  );
  return { state, body: body.toJSON() };
}

/**
 * Parse a `trustee_commitment` body and verify its k+1 Schnorr proofs.
 * @param {Uint8Array} manifestDigest @param {object} body
 * @param {number} trustees n @param {number} threshold k
 * @returns {TrusteeCommitment}
 */
export function checkCommitment(manifestDigest, body, trustees, threshold) {
  const commitment = TrusteeCommitment.fromJSON(body);
  const index = commitment.trustee;
  if (index > trustees) throw new InvalidEncoding(`there are only ${trustees} trustees`, 'trustee');
  if (commitment.commitments.length !== threshold) {
    throw new InvalidEncoding(`must hold ${threshold} commitments (the threshold)`, 'commitments');
  }
  if (commitment.commitmentProofs.length !== threshold) {
    throw new InvalidEncoding(`must hold ${threshold} proofs, one per commitment`, 'commitment_proofs');
  }
  commitment.communicationProof.verify(
    TAG_TRUSTEE_KEY, [manifestDigest, index], commitment.communicationKey, 'communication_proof',
  );
  commitment.commitments.forEach((point, j) => {
    commitment.commitmentProofs[j].verify(TAG_COEFFICIENT, [manifestDigest, index, j], point, `commitment_proofs[${j}]`);
  });
  return commitment;
}

/** The 32-byte pad hiding the share of `dealer` for `recipient` (8.2 step 2). */
export function sharePad(manifestDigest, dealer, recipient, ephemeral, key) {
  return sha512(transcriptBytes(TAG_SHARE_PAD, manifestDigest, dealer, recipient, ephemeral, key)).slice(0, 32);
}

function xor32(a, b) {
  return a.map((x, i) => x ^ b[i]);
}

function sortedIndices(map) {
  return [...map.keys()].sort((a, b) => a - b);
}

/**
 * The dealer's `trustee_shares` body: per other trustee (ascending) draw ρ,
 * then the signature nonce.
 * @param {TrusteeState} state @param {Map<number, TrusteeCommitment>} commitments checked, by trustee
 * @param {{scalar(): Scalar}} rng
 */
export function dealShares(state, commitments, rng) {
  const dealer = state.index;
  const shares = [];
  for (const recipient of sortedIndices(commitments)) {
    if (recipient === dealer) continue;
    const value = evaluatePolynomial(state.coefficients, recipient);
    const rho = rng.scalar();
    const ephemeral = G.mul(rho);
    const key = commitments.get(recipient).communicationKey.mul(rho);
    const ciphertext = xor32(value.toBytes(), sharePad(state.manifestDigest, dealer, recipient, ephemeral, key));
    const signature = SchnorrProof.prove(
      TAG_SHARE_SIGNATURE, [state.manifestDigest, dealer, recipient, ephemeral, ciphertext],
      state.communicationSecret, rng,
    );
    shares.push(new EncryptedShare(recipient, ephemeral, ciphertext, signature));
  }
  return new TrusteeShares(dealer, shares).toJSON();
}

/**
 * Parse a `trustee_shares` body and verify every signature; the dealer must
 * send one share to each other committed trustee, in increasing order.
 * @param {Uint8Array} manifestDigest @param {object} body @param {Map<number, TrusteeCommitment>} commitments
 * @returns {TrusteeShares}
 */
export function checkShares(manifestDigest, body, commitments) {
  const dealt = TrusteeShares.fromJSON(body);
  const dealer = dealt.trustee;
  if (!commitments.has(dealer)) {
    throw new InvalidEncoding(`trustee ${dealer} has no valid commitment, so cannot deal shares`, 'trustee');
  }
  const expected = sortedIndices(commitments).filter((i) => i !== dealer);
  const recipients = dealt.shares.map((s) => s.recipient);
  if (recipients.join(',') !== expected.join(',')) {
    throw new InvalidEncoding(
      `must hold one share for each of trustees [${expected.join(', ')}] in that order, not [${recipients.join(', ')}]`,
      'shares',
    );
  }
  const dealerKey = commitments.get(dealer).communicationKey;
  dealt.shares.forEach((share, n) => {
    share.signature.verify(
      TAG_SHARE_SIGNATURE, [manifestDigest, dealer, share.recipient, share.ephemeral, share.ciphertext],
      dealerKey, `shares[${n}].signature`,
    );
  });
  return dealt;
}

function readShare(manifestDigest, dealer, share, key) {
  const plain = xor32(share.ciphertext, sharePad(manifestDigest, dealer.trustee, share.recipient, share.ephemeral, key));
  const field = `shares[recipient=${share.recipient}].ciphertext`;
  if (bytesToBigIntLE(plain) >= L) {
    throw new InvalidShare(`the share from trustee ${dealer.trustee} decrypts to a non-canonical scalar`, field);
  }
  const value = Scalar.fromBytes(plain, field);
  if (!G.mul(value).equals(evaluateCommitments(dealer.commitments, share.recipient))) {
    throw new InvalidShare(
      `the share from trustee ${dealer.trustee} to trustee ${share.recipient} does not match the dealer's commitments`,
      field,
    );
  }
  return value;
}

/**
 * Decrypt and check this trustee's share from `dealt` (end of 8.2); throws
 * InvalidShare if it must be complained about.
 * @param {TrusteeState} state @param {TrusteeCommitment} dealer @param {TrusteeShares} dealt
 */
export function openShare(state, dealer, dealt) {
  const share = dealt.shareFor(state.index);
  return readShare(state.manifestDigest, dealer, share, share.ephemeral.mul(state.communicationSecret));
}

/**
 * The `trustee_complaint` body against the dealer of `dealt` (8.3): reveals
 * K = d_ℓ·R with a DLEQ proof (one nonce drawn).
 */
export function complain(state, dealt, rng) {
  const share = dealt.shareFor(state.index);
  const key = share.ephemeral.mul(state.communicationSecret);
  const proof = DleqProof.prove(
    TAG_COMPLAINT, [state.manifestDigest, state.index, dealt.trustee], state.communicationSecret, share.ephemeral,
    rng, undefined, key,
  );
  return new Complaint(state.index, dealt.trustee, key, proof).toJSON();
}

/**
 * Check a complaint; true iff upheld. Throws (InvalidProof / InvalidEncoding)
 * for a complaint that has no effect.
 * @param {Uint8Array} manifestDigest @param {object} body
 * @param {Map<number, TrusteeCommitment>} commitments @param {Map<number, TrusteeShares>} shares
 */
export function checkComplaint(manifestDigest, body, commitments, shares) {
  const complaint = Complaint.fromJSON(body);
  if (!commitments.has(complaint.trustee)) {
    throw new InvalidEncoding(`trustee ${complaint.trustee} has no valid commitment`, 'trustee');
  }
  if (!shares.has(complaint.against) || !commitments.has(complaint.against)) {
    throw new InvalidEncoding(`trustee ${complaint.against} has no valid shares entry to complain about`, 'against');
  }
  if (complaint.against === complaint.trustee) throw new InvalidEncoding('a trustee cannot complain about itself', 'against');
  const share = shares.get(complaint.against).shareFor(complaint.trustee);
  complaint.proof.verify(
    TAG_COMPLAINT, [manifestDigest, complaint.trustee, complaint.against],
    commitments.get(complaint.trustee).communicationKey, share.ephemeral, complaint.key, 'proof',
  );
  try {
    readShare(manifestDigest, commitments.get(complaint.against), share, complaint.key);
  } catch (error) {
    if (error instanceof InvalidShare) return true;
    throw error;
  }
  return false;
}

/**
 * The qualified set Q of 8.4, ascending; throws NotEnoughTrustees if |Q| < k.
 * @param {Map<number, TrusteeCommitment>} commitments @param {Map<number, TrusteeShares>} shares
 * @param {Iterable<number>} upheldAgainst dealers with an upheld complaint @param {number} threshold
 */
export function qualified(commitments, shares, upheldAgainst, threshold) {
  const disqualified = new Set(upheldAgainst);
  const members = sortedIndices(commitments).filter((i) => shares.has(i) && !disqualified.has(i));
  requireThreshold(members, threshold, 'qualified trustees');
  return members;
}

/**
 * Open the shares of every qualified dealer and return the final share s_ℓ
 * (the trustee's own f_ℓ(ℓ) included).
 */
export function receiveShares(state, commitments, shares, members) {
  const own = state.index;
  const received = new Map([[own, evaluatePolynomial(state.coefficients, own)]]);
  for (const dealer of members) {
    if (dealer !== own) received.set(dealer, openShare(state, commitments.get(dealer), shares.get(dealer)));
  }
  return finaliseShare(received, members);
}

/**
 * Ballots (section 7): the fingerprint, encryption in the draw order of 7.3,
 * the signature, checking (7.4), trackers (7.5) and audit reveals (7.6).
 */

import { sha256 } from '@noble/hashes/sha2.js';
import { encodeBits, group } from './base32.js';
import { fromHex, toHex } from './bytes.js';
import { canonicalJson, digest } from './canonical.js';
import { Ciphertext, encrypt } from './elgamal.js';
import { InvalidBallot } from './errors.js';
import { G, Point, Scalar } from './group.js';
import { SchnorrProof, ValueSetProof } from './proofs.js';
import { QuestionRule } from './questions.js';
import { encryptRanked, validRanking, verifyRanked } from './ranked.js';
import { expectList, expectObject } from './shape.js';
import { transcriptBytes } from './transcript.js';

const BIT_VALUES = Object.freeze([0, 1]);
const MAX_BALLOT_BYTES = 2 * 1024 * 1024;

/**
 * `SHA256(T("fingerprint", manifest_digest, Y, roll_digest))` (7.1).
 * @param {Uint8Array} manifestDigest @param {Point} publicKey Y @param {Uint8Array} rollDigest
 */
export function fingerprint(manifestDigest, publicKey, rollDigest) {
  return sha256(transcriptBytes('fingerprint', manifestDigest, publicKey, rollDigest));
}

/** Everything a ballot is bound to: the fingerprint, the joint key Y and the question rules. */
export class ElectionContext {
  /**
   * @param {Uint8Array} electionFingerprint 32 bytes (7.1)
   * @param {Point} publicKey the joint key Y (its multiplication tables are built here)
   * @param {QuestionRule[]} rules one per question, in manifest order
   */
  constructor(electionFingerprint, publicKey, rules) {
    this.fingerprint = Uint8Array.from(electionFingerprint);
    this.fingerprintHex = toHex(this.fingerprint);
    this.publicKey = publicKey.precompute();
    this.rules = Object.freeze([...rules]);
    Object.freeze(this);
  }

  /**
   * Build the context from the published manifest, joint key and roll.
   * @param {object} manifest the manifest JSON (5) @param {string} publicKeyHex Y
   * @param {{credentials: string[]}} roll the credential roll (6.3)
   */
  static fromRecord(manifest, publicKeyHex, roll) {
    const publicKey = Point.fromHex(publicKeyHex, 'joint_key.public_key');
    const rollDigest = digest({ credentials: roll.credentials });
    return new ElectionContext(
      fingerprint(digest(manifest), publicKey, rollDigest),
      publicKey,
      manifest.questions.map((q) => QuestionRule.fromQuestion(q)),
    );
  }
}

/** `digest(ballot)`, the whole ballot with its signature (7.5). */
export function ballotHash(ballot) {
  return digest(ballot);
}

/** The tracker: first 10 bytes of the ballot hash, Crockford base32, 4 groups of 4. */
export function tracker(hash) {
  return group(encodeBits(hash, 16), 4);
}

function checkSelections(ctx, selections) {
  expectList(selections, 'selections', ctx.rules.length, InvalidBallot);
  ctx.rules.forEach((rule, q) => {
    const field = `selections[${q}]`;
    const row = expectList(selections[q], field, rule.selectionLength, InvalidBallot);
    if (rule.ranked) {
      if (!validRanking(rule, row)) {
        throw new InvalidBallot(`rank between ${rule.min} and ${rule.max} candidates, each once, one per rank, `
          + 'with no gap (one 0 or 1 per cell)', field);
      }
      return;
    }
    row.forEach((v, o) => {
      if (v !== 0 && v !== 1) throw new InvalidBallot(`each option is the integer 0 or 1 (option ${o + 1} is not)`, field);
    });
    const total = row.reduce((a, b) => a + b, 0);
    if (total < rule.min || total > rule.max) {
      throw new InvalidBallot(`choose between ${rule.min} and ${rule.max} options (chose ${total})`, field);
    }
  });
}

function signatureContext(ctx, unsigned) {
  return [ctx.fingerprint, digest(unsigned)];
}

/** A ballot ready to cast or audit, with the secrets an audit reveals. */
export class PreparedBallot {
  constructor(ballot, randomness, selections) {
    this.ballot = ballot;
    this.randomness = randomness;
    this.selections = selections;
    this.hash = ballotHash(ballot);
    this.tracker = tracker(this.hash);
    Object.freeze(this);
  }

  /**
   * The anonymous audit reveal of 7.6 (publishing it spoils this ballot): the
   * election, the ciphertexts, their randomness and the selections, and
   * nothing of the voter (no credential, no proofs, no signature).
   */
  auditReveal() {
    return {
      election: this.ballot.election,
      choices: this.ballot.answers.map((answer) => answer.choices),
      randomness: this.randomness.map((row) => row.map((r) => r.hex())),
      selections: this.selections.map((row) => [...row]),
    };
  }
}

/**
 * Encrypt, prove and sign a ballot, drawing in the order of 7.3.
 * @param {ElectionContext} ctx @param {Scalar} credentialSecret x (6.2)
 * @param {number[][]} selections 0/1 per option, all m options per question
 * @param {{scalar(): Scalar}} rng
 * @returns {PreparedBallot}
 */
export function encryptBallot(ctx, credentialSecret, selections, rng) {
  checkSelections(ctx, selections);
  const credential = G.mul(credentialSecret);
  const randomness = [];
  const answers = ctx.rules.map((rule, q) => {
    if (rule.ranked) {
      const { answer, randomness: rs } = encryptRanked(ctx, credential, q, rule, selections[q], rng);
      randomness.push(rs);
      return answer;
    }
    const choices = [];
    const proofs = [];
    const rs = [];
    let sumCt = null;
    let sumR = Scalar.fromInt(0);
    for (let o = 0; o < rule.encryptedCount; o++) {
      const v = selections[q][o];
      const r = rng.scalar();
      const ct = encrypt(ctx.publicKey, v, r);
      const proof = ValueSetProof.prove(
        'option', [ctx.fingerprint, credential, q, o], ctx.publicKey, ct, BIT_VALUES, v, r, rng,
      );
      choices.push(ct);
      proofs.push(proof);
      rs.push(r);
      sumCt = sumCt === null ? ct : sumCt.add(ct);
      sumR = sumR.add(r);
    }
    randomness.push(rs);
    let sumProof = null;
    if (rule.needsSumProof) {
      const total = selections[q].slice(0, rule.encryptedCount).reduce((a, b) => a + b, 0);
      sumProof = ValueSetProof.prove(
        'sum', [ctx.fingerprint, credential, q], ctx.publicKey, sumCt, rule.sumValues,
        total - rule.sumRange[0], sumR, rng,
      );
    }
    return {
      choices: choices.map((c) => c.toJSON()),
      proofs: proofs.map((p) => p.toJSON()),
      sum_proof: sumProof === null ? null : sumProof.toJSON(),
    };
  });
  const unsigned = { answers, credential: credential.hex(), election: ctx.fingerprintHex };
  const signature = SchnorrProof.prove(
    'ballot-signature', signatureContext(ctx, unsigned), credentialSecret, rng, credential,
  );
  const ballot = { ...unsigned, signature: signature.toJSON() };
  return new PreparedBallot(ballot, randomness, selections.map((row) => Object.freeze([...row])));
}

/** A ballot that passed every check of 7.4 except roll membership. */
export class VerifiedBallot {
  constructor(credential, choices, hash) {
    this.credential = credential;
    this.choices = choices;
    this.hash = hash;
    Object.freeze(this);
  }
}

function readAnswer(ctx, rule, q, credential, answer) {
  if (rule.ranked) return verifyRanked(ctx, rule, q, credential, answer);
  const field = `answers[${q}]`;
  expectObject(answer, ['choices', 'proofs', 'sum_proof'], field, InvalidBallot);
  const e = rule.encryptedCount;
  const choicesField = `${field}.choices`;
  const choices = expectList(answer.choices, choicesField, e, InvalidBallot).map((c, o) =>
    Ciphertext.fromJSON(c, `${choicesField}[${o}]`),
  );
  expectList(answer.proofs, `${field}.proofs`, e, InvalidBallot);
  choices.forEach((ct, o) => {
    const proofField = `${field}.proofs[${o}]`;
    ValueSetProof.fromJSON(answer.proofs[o], proofField, 2).verify(
      'option', [ctx.fingerprint, credential, q, o], ctx.publicKey, ct, BIT_VALUES, proofField,
    );
  });
  const sumField = `${field}.sum_proof`;
  if (!rule.needsSumProof) {
    if (answer.sum_proof !== null) throw new InvalidBallot('this question takes no sum proof (must be null)', sumField);
  } else {
    if (answer.sum_proof === null) throw new InvalidBallot('this question requires a sum proof', sumField);
    const values = rule.sumValues;
    const total = choices.reduce((a, b) => a.add(b));
    ValueSetProof.fromJSON(answer.sum_proof, sumField, values.length).verify(
      'sum', [ctx.fingerprint, credential, q], ctx.publicKey, total, values, sumField,
    );
  }
  return Object.freeze(choices);
}

/**
 * Check a ballot as in 7.4, except that the caller checks the credential is
 * eligible. Throws InvalidBallot, InvalidEncoding or InvalidProof naming the field.
 * @param {ElectionContext} ctx @param {object} ballot the ballot JSON
 * @returns {VerifiedBallot}
 */
export function verifyBallot(ctx, ballot) {
  expectObject(ballot, ['answers', 'credential', 'election', 'signature'], null, InvalidBallot);
  const encoded = canonicalJson(ballot);
  if (encoded.length > MAX_BALLOT_BYTES) throw new InvalidBallot('a ballot is at most 2 MiB', null);
  checkElection(ctx, ballot.election);
  const credential = Point.fromHex(ballot.credential, 'credential');
  expectList(ballot.answers, 'answers', ctx.rules.length, InvalidBallot);
  const choices = ctx.rules.map((rule, q) => readAnswer(ctx, rule, q, credential, ballot.answers[q]));
  const { signature, ...unsigned } = ballot;
  SchnorrProof.fromJSON(signature, 'signature').verify(
    'ballot-signature', signatureContext(ctx, unsigned), credential, 'signature',
  );
  return new VerifiedBallot(credential, Object.freeze(choices), sha256(encoded));
}

/** `digest(audited ballot body)`: names an anonymous audit on the board (7.6). */
export function auditHash(reveal) {
  return digest(reveal);
}

function checkElection(ctx, election) {
  if (typeof election !== 'string' || election !== ctx.fingerprintHex) {
    fromHex(election, 'election', 32);
    throw new InvalidBallot('the ballot is for a different election (fingerprint differs)', 'election');
  }
}

/**
 * Check an anonymous audit reveal (7.6) and return the voter's selections.
 * It holds no credential, so eligibility does not apply.
 * @param {ElectionContext} ctx @param {object} reveal `{"election", "choices", "randomness", "selections"}`
 * @returns {number[][]}
 */
export function checkAudit(ctx, reveal) {
  expectObject(reveal, ['choices', 'election', 'randomness', 'selections'], null, InvalidBallot);
  checkElection(ctx, reveal.election);
  if (canonicalJson(reveal).length > MAX_BALLOT_BYTES) {
    throw new InvalidBallot("an audited ballot's canonical JSON is at most 2 MiB", null);
  }
  expectList(reveal.choices, 'choices', ctx.rules.length, InvalidBallot);
  const choices = ctx.rules.map((rule, q) => expectList(reveal.choices[q], `choices[${q}]`, rule.encryptedCount, InvalidBallot)
    .map((c, o) => Ciphertext.fromJSON(c, `choices[${q}][${o}]`)));
  expectList(reveal.randomness, 'randomness', ctx.rules.length, InvalidBallot);
  expectList(reveal.selections, 'selections', ctx.rules.length, InvalidBallot);
  checkSelections(ctx, reveal.selections);
  ctx.rules.forEach((rule, q) => {
    const row = expectList(reveal.randomness[q], `randomness[${q}]`, rule.encryptedCount, InvalidBallot);
    row.forEach((hex, o) => {
      const r = Scalar.fromHex(hex, `randomness[${q}][${o}]`);
      const expected = encrypt(ctx.publicKey, reveal.selections[q][o], r);
      const actual = choices[q][o];
      if (!expected.alpha.equals(actual.alpha) || !expected.beta.equals(actual.beta)) {
        throw new InvalidBallot('the revealed value and randomness do not give this choice', `choices[${q}][${o}]`);
      }
    });
  });
  return reveal.selections.map((row) => [...row]);
}

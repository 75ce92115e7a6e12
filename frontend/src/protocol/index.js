/**
 * The omov protocol (docs/protocol.md) for the browser: everything a voter's
 * and a trustee's browser does. Pages import it from
 * `/static/omov/dist/omov-protocol.js`.
 */

export { OmovError, InvalidEncoding, InvalidProof, InvalidBallot, InvalidCredential, InvalidShare } from './errors.js';
export { toHex, fromHex } from './bytes.js';
export { L, Scalar, Point, G, IDENTITY, baseMult, smallMultiple } from './group.js';
export { canonicalJson, canonicalJsonString, digest, parseJson } from './canonical.js';
export { isEntryTime, entryLine, entryHash, parseEntry } from './board.js';
export { transcriptBytes, challenge } from './transcript.js';
// TestRng (section 2.5, test vectors only) is deliberately not exported to pages.
export { SystemRng, randomBytes } from './rng.js';
export { Ciphertext, encrypt } from './elgamal.js';
export { SchnorrProof, DleqProof, ValueSetProof } from './proofs.js';
export { QuestionRule } from './questions.js';
export { cellsFromRanking, rankingFromCells, rankedRows, validRanking } from './ranked.js';
export { checkManifest, isUtcTime } from './manifest.js';
export {
  ElectionContext, PreparedBallot, VerifiedBallot, fingerprint, encryptBallot, verifyBallot, ballotHash, tracker,
  checkAudit, auditHash,
} from './ballot.js';
export {
  newCode, normaliseCode, credentialSecret, publicCredential, rollDigest, signRoll, verifyRoll,
} from './credentials.js';
export {
  TrusteeState, TrusteeCommitment, TrusteeShares, EncryptedShare, Complaint, commit, checkCommitment, sharePad,
  dealShares, checkShares, openShare, complain, checkComplaint, qualified, receiveShares,
} from './dkg.js';
export {
  NotEnoughTrustees, evaluatePolynomial, evaluateCommitments, jointKey, verificationKey, finaliseShare,
  lagrangeAtZero,
} from './threshold.js';
export {
  PartialDecryption, tallyFromJSON, partialDecrypt, checkPartialDecryption, combine, questionTotals,
} from './decryption.js';
export { discreteLog } from './dlog.js';
export { InvalidBackup, encryptBackup, decryptBackup } from './backup.js';
export { countCode } from './count-code.js';
export {
  ShuffleContext, ShuffleProof, shuffleRows, proveShuffle, verifyShuffle, rowsFromJSON, rowsToJSON,
} from './shuffle.js';

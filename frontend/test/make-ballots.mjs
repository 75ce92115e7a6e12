// Make protocol messages with the JavaScript library for tests/crypto/test_js_interop.py.
//
// Reads one JSON request on stdin and writes one JSON answer on stdout:
//   {"mode": "ballots", "fingerprint", "public_key", "manifest_digest", "questions": [{"options", "min", "max", "ranked"?}], "count"}
//     -> {"ballots": [{"code", "selections", "ballot", "tracker", "audit"}]}: random valid selections, fresh
//        credential codes, system randomness.
//   {"mode": "fingerprint", "manifest_digest", "public_key", "roll_digest"} -> {"fingerprint"} (7.1).
//   {"mode": "dkg", "manifest_digest", "trustees", "threshold", "seed"}
//     -> {"commitments": [body...], "shares": [body...]}: a whole key generation made in JavaScript.
//   {"mode": "decrypt", ...the dkg request, "fingerprint", "tally": [[{"alpha","beta"} | null]], "trustees_decrypting": [i...]}
//     -> {"partial_decryptions": [body...]}: the same key generation (same seed), then partial decryptions.
import {
  ElectionContext, Point, QuestionRule, cellsFromRanking, fingerprint, toHex, SystemRng, checkCommitment, checkShares, commit, credentialSecret,
  dealShares, encryptBallot, fromHex, newCode, partialDecrypt, qualified, receiveShares, tallyFromJSON,
} from '../src/protocol/index.js';
import { TestRng } from '../src/protocol/rng.js';

function randomSelection(rule) {
  const random = new Uint32Array(rule.options + 1);
  globalThis.crypto.getRandomValues(random);
  const count = rule.min + (random[0] % (rule.max - rule.min + 1));
  const order = [...Array(rule.options).keys()].sort((a, b) => random[a + 1] - random[b + 1]);
  if (rule.ranked) return cellsFromRanking(rule, order.slice(0, count));
  const row = new Array(rule.options).fill(0);
  for (const o of order.slice(0, count)) row[o] = 1;
  return row;
}

function makeBallots(request) {
  const rules = request.questions.map((q) => new QuestionRule(q.options, q.min, q.max, q.ranked === true));
  const ctx = new ElectionContext(fromHex(request.fingerprint), Point.fromHex(request.public_key), rules);
  const manifestDigest = fromHex(request.manifest_digest);
  const rng = new SystemRng();
  const ballots = [];
  for (let n = 0; n < request.count; n++) {
    const code = newCode();
    const selections = rules.map(randomSelection);
    const prepared = encryptBallot(ctx, credentialSecret(manifestDigest, code), selections, rng);
    ballots.push({ code, selections, ballot: prepared.ballot, tracker: prepared.tracker, audit: prepared.auditReveal() });
  }
  return { ballots };
}

function keyGeneration(request) {
  const digest = fromHex(request.manifest_digest);
  const rng = new TestRng(fromHex(request.seed));
  const states = new Map();
  const commitmentBodies = [];
  const commitments = new Map();
  for (let i = 1; i <= request.trustees; i++) {
    const { state, body } = commit(digest, i, request.threshold, rng);
    states.set(i, state);
    commitmentBodies.push(body);
    commitments.set(i, checkCommitment(digest, body, request.trustees, request.threshold));
  }
  const shareBodies = [];
  const shares = new Map();
  for (const [i, state] of states) {
    const body = dealShares(state, commitments, rng);
    shareBodies.push(body);
    shares.set(i, checkShares(digest, body, commitments));
  }
  return { rng, states, commitments, shares, commitmentBodies, shareBodies };
}

function decrypt(request) {
  const { rng, states, commitments, shares } = keyGeneration(request);
  const members = qualified(commitments, shares, [], request.threshold);
  const tally = tallyFromJSON(request.tally);
  const partials = request.trustees_decrypting.map((i) => {
    const share = receiveShares(states.get(i), commitments, shares, members);
    return partialDecrypt(share, i, fromHex(request.fingerprint), tally, rng);
  });
  return { partial_decryptions: partials };
}

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const request = JSON.parse(Buffer.concat(chunks).toString('utf8'));
const handlers = {
  ballots: makeBallots,
  dkg: (r) => {
    const { commitmentBodies, shareBodies } = keyGeneration(r);
    return { commitments: commitmentBodies, shares: shareBodies };
  },
  decrypt,
  fingerprint: (r) => ({
    fingerprint: toHex(fingerprint(fromHex(r.manifest_digest), Point.fromHex(r.public_key), fromHex(r.roll_digest))),
  }),
};
process.stdout.write(JSON.stringify(handlers[request.mode](request)));

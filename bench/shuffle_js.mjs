// Benchmark of the browser's shuffle (frontend/src/protocol/shuffle.js) in Node: figures, not a test.
//
//   node bench/shuffle_js.mjs [--rows 10000] [--width 10]
//
// Prints, for N rows of width w: reading the rows from JSON (point decoding),
// shuffle, prove, and verify (with the proof read back from JSON), as wall
// and CPU time of this process, and the machine's load average. The input rows
// are made by additions (cheap); their values do not change the timings.
import { cpus, loadavg } from 'node:os';
import { G, Point } from '../frontend/src/protocol/group.js';
import { Ciphertext } from '../frontend/src/protocol/elgamal.js';
import { SystemRng } from '../frontend/src/protocol/rng.js';
import {
  ShuffleContext, ShuffleProof, proveShuffle, rowsFromJSON, rowsToJSON, shuffleRows, verifyShuffle,
} from '../frontend/src/protocol/shuffle.js';

function option(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

const rows = option('rows', 10000);
const width = option('width', 10);
const load = () => `load average ${loadavg().map((l) => l.toFixed(2)).join(' ')} on ${cpus().length} cores`;

function timed(name, run) {
  const wall = performance.now();
  const cpu = process.cpuUsage();
  const result = run();
  const used = process.cpuUsage(cpu);
  const seconds = (performance.now() - wall) / 1000;
  console.log(`  ${name}: ${seconds.toFixed(1)} s (CPU ${((used.user + used.system) / 1e6).toFixed(1)} s)`);
  return result;
}

console.log(`JavaScript shuffle benchmark (node ${process.version}): ${rows.toLocaleString('en')} rows of width ${width}; ${load()}`);
const rng = new SystemRng();
const key = G.mul(rng.scalar()).precompute();
const step = G.mul(rng.scalar()).inner;
let alpha = G.mul(rng.scalar()).inner;
let beta = G.mul(rng.scalar()).inner;
const made = [];
for (let j = 0; j < rows; j++) {
  const row = [];
  for (let k = 0; k < width; k++) {
    alpha = alpha.add(step);
    beta = beta.add(alpha);
    row.push(new Ciphertext(new Point(alpha), new Point(beta)));
  }
  made.push(row);
}
const json = rowsToJSON(made);
const input = timed(`read ${(rows * width * 2).toLocaleString('en')} points of input rows from JSON`, () => rowsFromJSON(json, 'input'));
const context = new ShuffleContext(new Uint8Array(32), 'ranked', 1);
const { output, permutation, randomness } = timed('shuffle', () => shuffleRows(key, input, rng));
const proof = timed('prove', () => proveShuffle(key, input, output, permutation, randomness, context, rng));
const proofJson = JSON.parse(JSON.stringify(proof));
const outputJson = rowsToJSON(output);
const readOutput = timed('read the output rows from JSON', () => rowsFromJSON(outputJson, 'output'));
const readProof = timed('read the proof from JSON', () => ShuffleProof.fromJSON(proofJson));
timed('verify', () => verifyShuffle(key, input, readOutput, readProof, context));
console.log(`  ${load()}`);

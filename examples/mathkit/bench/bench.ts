// The benchmark contract (docs/gate.md): Ouro hands each run a seed in OURO_BENCH_SEED, fresh for
// each pair and the same for the base and the candidate of one pair. The inputs are drawn from it,
// so no input can be special-cased in advance, and the digest line lets Ouro check that the
// candidate computes what the base computes on them. Ouro times this whole process (imports
// included); the metric printed here is the inner timer, labelled as such.
import { countPrimesBelow } from '../src/primes.js';

const seed = process.env.OURO_BENCH_SEED ?? '1'; // run by hand: always the same inputs
let state = Number(seed) >>> 0;
/** mulberry32: a few lines, the same numbers from the same seed everywhere. */
function next(): number {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const limits = [0, 1, 2].map(() => 11_000 + Math.floor(next() * 2_000));

const started = performance.now();
const counts = limits.map((limit) => countPrimesBelow(limit));
const ms = performance.now() - started;
console.log(JSON.stringify({ name: 'countPrimesBelow-x3', value: ms, unit: 'ms', lowerIsBetter: true }));
console.log(JSON.stringify({ 'ouro-digest': counts.join(','), 'ouro-seed': seed }));

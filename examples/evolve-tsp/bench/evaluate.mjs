// The task's evaluator (protected: bench/ is never the model's to edit).
// Draws its instances from OURO_BENCH_SEED (fresh for each pair, the same for
// its two runs), runs src/tour.mjs on each, checks every tour and prints the
// mean optimum/length as the benchmark's metric, higher is better. An invalid
// tour is no score: the evaluator exits 1 with the reason.
import { scoreTours } from './score.mjs';

const seed = Number.parseInt(process.env.OURO_BENCH_SEED ?? '1', 10) >>> 0;
const verdict = scoreTours(new URL('../src/tour.mjs', import.meta.url).pathname, seed);
if (!verdict.ok) {
  console.error(`invalid tour: ${verdict.reason}`);
  process.exit(1);
}
console.log(JSON.stringify({ name: 'optimality', value: verdict.optimality, unit: 'optimum/length', lowerIsBetter: false }));

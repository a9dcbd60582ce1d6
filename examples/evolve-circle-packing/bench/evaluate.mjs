// The task's evaluator (protected: bench/ is never the model's to edit).
// Runs src/pack.mjs, checks the packing itself and prints the sum of radii as
// the benchmark's metric, higher is better. An invalid packing is no score:
// the evaluator exits 1 with the reason.
import { scorePacking } from './packing.mjs';
import { runProgram } from './run-program.mjs';

const ran = runProgram(new URL('../src/pack.mjs', import.meta.url).pathname);
const verdict = ran.ok ? scorePacking(ran.stdout) : ran;
if (!verdict.ok) {
  console.error(`invalid packing: ${verdict.reason}`);
  process.exit(1);
}
console.log(JSON.stringify({ name: 'sum_radii', value: verdict.sum, unit: 'sum of radii', lowerIsBetter: false }));

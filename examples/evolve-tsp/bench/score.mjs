// The verdict on the program over instances drawn from a seed: each tour is
// checked and measured here, against the optimum computed here. The score is
// the mean of optimum / length (1 = optimal on every instance).
import { instance, optimum, tourLength } from './instances.mjs';
import { runProgram } from './run-program.mjs';

export const INSTANCES = 5;

export function scoreTours(programFile, seed) {
  let total = 0;
  for (let k = 0; k < INSTANCES; k++) {
    const points = instance((seed + k * 7919) >>> 0);
    const ran = runProgram(programFile, { input: JSON.stringify({ points }), timeoutMs: 5_000 });
    if (!ran.ok) return ran;
    let order;
    try {
      order = JSON.parse(ran.stdout.trim());
    } catch {
      return { ok: false, reason: `the program did not print one JSON array (it printed ${JSON.stringify(ran.stdout.slice(0, 80))})` };
    }
    const tour = tourLength(points, order);
    if (!tour.ok) return tour;
    total += optimum(points) / tour.length;
  }
  return { ok: true, optimality: total / INSTANCES };
}

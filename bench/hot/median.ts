// A hot pure function of Ouro's own, measured: median (core/stats/bench-stats.ts)
// over large samples (five medians of 200,001 numbers). `ouro evolve` on Ouro itself scores its programs by the
// metric line this prints (cli/self-evolve.ts; --bench-mode metrics --metric median-x5).
import { median } from '../../core/stats/bench-stats.js';

const sample = Array.from({ length: 200_001 }, (_, i) => ((i * 2_654_435_761) % 1_000_003) / 7);
const started = performance.now();
const results: number[] = [];
for (let i = 0; i < 5; i++) results.push(median(sample));
const ms = performance.now() - started;
// The right answer, whatever the implementation: a fast wrong median must fail here too.
const sorted = [...sample].sort((a, b) => a - b);
if (results.some((m) => m !== sorted[100_000])) throw new Error(`median is wrong: ${results[0]} vs ${sorted[100_000]}`);
console.log(JSON.stringify({ name: 'median-x5', value: ms, unit: 'ms', lowerIsBetter: true }));

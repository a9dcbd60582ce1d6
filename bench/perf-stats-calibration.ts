// Is the performance gate (core/stats/perf-stats.ts) calibrated? On synthetic
// pairs with a known true ratio (core/stats/perf/synthetic-pairs.ts), over
// many seeds: how often A/A noise gets a verdict (plain, with 10× outliers,
// and with the sequential looks the benchmark activity takes), how often a
// real change is found and how close the estimate lands, how often the naive
// median gate it replaced cries wolf, and what one decision costs. These ran
// as unit tests until they took a minute of the unit suite; the unit tests
// keep a few seeds of each (test/unit/stats/perf-stats*.test.ts).
//
// Each figure is printed with its Wilson 95% interval and the target the
// gate is held to; a missed target sets exit code 1.
// Run: npm run bench:perf-stats [-- --seeds 200]
import { decideMetric, shouldStop, naiveMedianGate, type MetricDecision, type Pair, type Verdict } from '../core/stats/perf-stats.js';
import { simulatePairs, type Scenario } from '../core/stats/perf/synthetic-pairs.js';
import { mulberry32 } from '../core/stats/seeded-random.js';
import { median } from '../core/stats/bench-stats.js';
import { wilsonInterval } from '../core/stats/wilson.js';

const arg = (name: string, dflt: number) => Number(process.argv[process.argv.indexOf(`--${name}`) + 1]) || dflt;
const seeds = arg('seeds', 200);

interface Figure {
  figure: string;
  hits: number;
  /** The rate the gate is held to (what the unit test over 200 seeds asserted). */
  target: string;
  met: boolean;
  /** Seeds behind the hits, so a surprising one can be replayed. */
  hitSeeds: number[];
  seconds: number;
  extra?: string;
}

const figures: Figure[] = [];

/** Counts the seeds for which `hit` holds, and times the whole sweep. */
function sweep(hit: (seed: number) => boolean): { hits: number; hitSeeds: number[]; seconds: number } {
  const t0 = performance.now();
  const hitSeeds: number[] = [];
  for (let seed = 1; seed <= seeds; seed++) if (hit(seed)) hitSeeds.push(seed);
  return { hits: hitSeeds.length, hitSeeds, seconds: (performance.now() - t0) / 1000 };
}

function record(figure: string, s: ReturnType<typeof sweep>, target: string, met: (rate: number) => boolean, extra?: string): void {
  figures.push({ figure, ...s, target, met: met(s.hits / seeds), extra });
}

const isVerdict = (v: Verdict) => v !== 'inconclusive';
const decide = (seed: number, scenario: Scenario): MetricDecision => decideMetric('x', simulatePairs(seed, scenario), { seed });

// False alarms on identical code: the ±2% margin on top of p < alpha makes the gate stricter than alpha alone.
record(
  'A/A, 20 pairs, 5% noise: false verdicts',
  sweep((seed) => isVerdict(decide(seed, { pairs: 20, ratio: 1, noise: 0.05 }).verdict)),
  '≤ 1%',
  (r) => r <= 0.01,
);

record(
  'A/A, 20 pairs, 5% noise, four 10× runs: false verdicts',
  sweep((seed) => {
    const pairs = simulatePairs(seed, { pairs: 20, ratio: 1, noise: 0.05 });
    const rand = mulberry32(seed + 1000);
    for (const arm of ['base', 'candidate', 'base', 'candidate'] as const) pairs[Math.floor(rand() * 20)]![arm] *= 10;
    return isVerdict(decideMetric('outliers', pairs, { seed }).verdict);
  }),
  '≤ 1%',
  (r) => r <= 0.01,
);

// Power, and how close the estimate lands when the change is real.
let worstError = 0;
let ciMissesEstimate = 0;
const slowdown = sweep((seed) => {
  const d = decide(seed, { pairs: 20, ratio: 1.05, noise: 0.01 });
  worstError = Math.max(worstError, Math.abs(d.speedup - 1 / 1.05));
  if (!(d.ci[0] <= d.speedup && d.speedup <= d.ci[1])) ciMissesEstimate++;
  return d.verdict === 'slower';
});
record(
  '5% slowdown, 20 pairs, 1% noise: found slower',
  slowdown,
  '100%, estimate within ±0.015, CI holds it',
  (r) => r === 1 && worstError < 0.015 && ciMissesEstimate === 0,
  `worst estimate error ${worstError.toFixed(4)}, CI missed the estimate ${ciMissesEstimate}×`,
);

let wrongWay = 0;
const speedup = sweep((seed) => {
  const v = decide(seed, { pairs: 30, ratio: 1 / 1.2, noise: 0.05 }).verdict;
  if (v === 'slower') wrongWay++;
  return v === 'faster';
});
record('20% speedup, 30 pairs, 5% noise: found faster', speedup, '≥ 98%, never slower', (r) => r >= 0.98 && wrongWay === 0, `called slower ${wrongWay}×`);

// Sequential looks, as the benchmark activity takes them: after every pair from 10 to 30.
const limits = { minPairs: 10, maxPairs: 30 };

/** Feeds pairs one at a time, as the runner does; returns how many it took. */
function pairsTaken(all: Pair[], opts: Parameters<typeof shouldStop>[1]): number {
  for (let n = 1; n <= all.length; n++) if (shouldStop(all.slice(0, n), opts).stop) return n;
  throw new Error('never stopped');
}

/** A/A with a look after every pair: is the verdict it stops on (or ends on) a false one? */
function sequentialFalseVerdict(seed: number, interimAlpha?: number): boolean {
  const all = simulatePairs(seed + 5000, { pairs: 30, ratio: 1, noise: 0.05 });
  const opts = { ...limits, bootstrapResamples: 400, seed, interimAlpha };
  const n = pairsTaken(all, opts);
  const alpha = n < limits.maxPairs ? (interimAlpha ?? 0.002) : 0.01;
  return isVerdict(decideMetric('aa', all.slice(0, n), { ...opts, alpha }).verdict);
}

const strict = sweep((seed) => sequentialFalseVerdict(seed));
record('A/A, looks at 10..30 pairs, interim alpha/5 (default): false verdicts', strict, '≤ 2%', (r) => r <= 0.02);
record(
  'A/A, looks at 10..30 pairs, plain alpha at every look: false verdicts',
  sweep((seed) => sequentialFalseVerdict(seed, 0.01)),
  'more than the default (why it is stricter)',
  (r) => r * seeds > strict.hits,
);

// The gate it replaced: median of 5 runs per arm against a ±2% band.
record(
  'naive median gate, A/A, 5 runs per arm, 5% noise: false alarms',
  sweep((seed) => {
    const pairs = simulatePairs(seed, { pairs: 5, ratio: 1, noise: 0.05 });
    const base = pairs.map((p) => p.base);
    const candidate = pairs.map((p) => p.candidate);
    return isVerdict(naiveMedianGate(base, candidate, 0.02));
  }),
  '> 40% (why it was replaced)',
  (r) => r > 0.4,
);

// What one decision costs: 2000 bootstrap resamples on 50 pairs.
const timed = simulatePairs(12, { pairs: 50, ratio: 1, noise: 0.05 });
for (let i = 0; i < 3; i++) decideMetric('warm-up', timed);
const ms = Array.from({ length: 20 }, () => {
  const t0 = performance.now();
  decideMetric('timed', timed, { bootstrapResamples: 2000 });
  return performance.now() - t0;
});

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
console.log(`perf-stats calibration, ${seeds} seeds per figure`);
for (const f of figures) {
  const { low, high } = wilsonInterval(f.hits, seeds);
  const missed = Array.from({ length: seeds }, (_, k) => k + 1).filter((seed) => !f.hitSeeds.includes(seed));
  const [which, list] = f.hits <= seeds / 2 ? ['on seeds', f.hitSeeds] : ['not on seeds', missed];
  const notes = [f.extra, list.length > 0 && list.length <= 12 ? `${which} ${list.join(', ')}` : undefined].filter(Boolean);
  console.log(
    `${f.met ? 'ok  ' : 'MISS'} ${f.figure}: ${f.hits}/${seeds} = ${pct(f.hits / seeds)} (95% CI ${pct(low)}–${pct(high)}); target ${f.target}; ${f.seconds.toFixed(1)} s`,
  );
  if (notes.length > 0) console.log(`       ${notes.join('; ')}`);
}
console.log(`decideMetric, 50 pairs, 2000 resamples: min ${Math.min(...ms).toFixed(1)} ms, median ${median(ms).toFixed(1)} ms over ${ms.length} runs`);
if (figures.some((f) => !f.met)) process.exitCode = 1;

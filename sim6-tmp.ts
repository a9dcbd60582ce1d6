import { decideMetric, mulberry32, shouldStop, type Pair } from './lib/perf-stats.js';
function normal(r: () => number) { let u = 0; while (u === 0) u = r(); return Math.sqrt(-2*Math.log(u))*Math.cos(2*Math.PI*r()); }
function gen(seed: number, n: number, noise: number): Pair[] { const r = mulberry32(seed); return Array.from({length:n},()=>({base:100*Math.exp(noise*normal(r)), candidate:100*Math.exp(noise*normal(r))})); }
const S = 600;
for (const noise of [0.02, 0.05, 0.1]) for (const [mn, mx] of [[10,30],[8,50]]) {
  const res: string[] = [];
  for (const ia of [0.01, 0.005, 0.002]) {
    let fp = 0, fixed = 0;
    for (let s = 0; s < S; s++) {
      const all = gen(90000 + s, mx, noise); let n = 1;
      for (; n <= mx; n++) if (shouldStop(all.slice(0, n), { minPairs: mn, maxPairs: mx, interimAlpha: ia, bootstrapResamples: 300, seed: s }).stop) break;
      const d = decideMetric('x', all.slice(0, n), { alpha: n < mx ? ia : 0.01, bootstrapResamples: 300, seed: s });
      if (d.verdict !== 'inconclusive') fp++;
      if (ia === 0.01 && decideMetric('x', all, { bootstrapResamples: 300, seed: s }).verdict !== 'inconclusive') fixed++;
    }
    res.push(`ia=${ia}: ${(100*fp/S).toFixed(2)}%` + (ia === 0.01 ? ` (fixed-n ${(100*fixed/S).toFixed(2)}%)` : ''));
  }
  console.log(`noise ${noise} min ${mn} max ${mx}:`, res.join(' | '));
}

// How often does the demo commit a fix? Runs `npm run demo`'s script N times
// (each: fresh example repo, the embedded model, up to the example's rounds)
// and prints the success count with its Wilson 95% interval and the median
// wall time. Run: npm run bench:demo [-- --runs 10]
import { execa } from 'execa';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../adapters/project-root.js';
import { freePort } from '../dev/ports.js';
import { median } from '../core/stats/bench-stats.js';
import { wilsonInterval } from '../core/stats/wilson.js';

const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 10;
let committed = 0;
const seconds: number[] = [];
const rounds: number[] = [];
for (let i = 1; i <= runs; i++) {
  const t0 = performance.now();
  // A dev server of its own on free ports, as on a fresh machine (never one a user left running on 7233).
  const ports = ['--port', String(await freePort()), '--ui-port', String(await freePort())];
  const r = await execa('node', ['--import', 'tsx', join(PROJECT_ROOT, 'cli', 'demo.ts'), ...ports], { cwd: PROJECT_ROOT, reject: false, all: true });
  const s = (performance.now() - t0) / 1000;
  seconds.push(s);
  const ok = r.exitCode === 0 && /outcome: committed/.test(String(r.all));
  const round = Number(/rounds:\s+(\d+)/.exec(String(r.all))?.[1] ?? 0);
  if (ok) {
    committed++;
    rounds.push(round);
  }
  if (!ok) process.stderr.write(`${String(r.all).slice(-1500)}\n`);
  process.stderr.write(`run ${i}/${runs}: ${ok ? `committed in round ${round}` : `no fix (exit ${r.exitCode})`} in ${s.toFixed(1)} s\n`);
}
const ci = wilsonInterval(committed, runs);
console.log(
  JSON.stringify({
    runs,
    committed,
    wilson95: [Number(ci.low.toFixed(2)), Number(ci.high.toFixed(2))],
    medianSeconds: Number(median(seconds).toFixed(1)),
    medianRoundOfFix: rounds.length ? median(rounds) : null,
  }),
);
console.log(
  `demo committed a fix in ${committed}/${runs} runs (95% CI ${(ci.low * 100).toFixed(0)}–${(ci.high * 100).toFixed(0)}%), median ${median(seconds).toFixed(1)} s per run`,
);

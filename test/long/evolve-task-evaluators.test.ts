// The bundled search tasks' evaluators (examples/evolve-circle-packing,
// examples/evolve-tsp) against candidate programs that try to earn a score
// without the work: a score line of their own (on stdout, on stderr, or
// written straight into the evaluator's output), packings that break the
// rules, tours that are not tours, an evaluator rewritten mid-run, a tour
// table fitted to the inputs one seed draws. Each evaluator is the real one,
// run as `node bench/evaluate.mjs` in a copy of its task; what Ouro would read
// from its output is core's own parse (measure, metrics mode).
import { execa } from 'execa';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../adapters/project-root.js';
import { measure } from '../../core/stats/bench-measure.js';

const copies: string[] = [];
afterAll(async () => Promise.all(copies.map((c) => rm(c, { recursive: true, force: true }))));

/** A copy of the task whose program is `program`; the evaluator's run: exit code, output and what Ouro reads of it. */
async function evaluate(task: 'evolve-circle-packing' | 'evolve-tsp', program: string, seed?: number, throughPipe = false) {
  const dir = await mkdtemp(join(tmpdir(), `ouro-${task}-`));
  copies.push(dir);
  await cp(join(PROJECT_ROOT, 'examples', task), dir, { recursive: true });
  await writeFile(join(dir, 'src', task === 'evolve-tsp' ? 'tour.mjs' : 'pack.mjs'), program);
  // Node hands a child a socket for its output, which /proc/<pid>/fd/1 cannot open; `| cat` gives the evaluator a real pipe, which it can.
  const [file, argv] = throughPipe ? ['sh', ['-c', 'node bench/evaluate.mjs | cat']] : ['node', ['bench/evaluate.mjs']];
  const run = await execa(file, argv, {
    cwd: dir,
    reject: false,
    all: true,
    env: seed === undefined ? {} : { OURO_BENCH_SEED: String(seed) },
  });
  const read = measure('metrics', run.all ?? '', 1);
  return { exitCode: run.exitCode, stdout: run.stdout, stderr: run.stderr, read };
}

/** A program printing `circles` as its packing, after `before` (more code of the candidate's). */
const packing = (circles: unknown, before = '') => `${before}\nconsole.log(${JSON.stringify(JSON.stringify(circles))});\n`;

/** 26 valid circles: a 6 × 5 grid, radius 1/12 (sum 26/12). */
const grid = Array.from({ length: 26 }, (_, i) => [((i % 6) + 0.5) / 6, (Math.floor(i / 6) + 0.5) / 5, 1 / 12]);
const SUM_GRID = 26 / 12;

const valueOf = (read: ReturnType<typeof measure>, name: string) => (typeof read === 'string' ? read : read[name]?.value);

describe('circle packing: the score is the evaluator’s, computed from a packing it checks', () => {
  it('the bundled base scores, and a valid packing scores exactly its sum of radii', async () => {
    const base = await evaluate('evolve-circle-packing', await readFile(join(PROJECT_ROOT, 'examples/evolve-circle-packing/src/pack.mjs'), 'utf8'));
    expect(base.exitCode).toBe(0);
    expect(valueOf(base.read, 'sum_radii')).toBeGreaterThan(1);
    const valid = await evaluate('evolve-circle-packing', packing(grid));
    expect(valueOf(valid.read, 'sum_radii')).toBeCloseTo(SUM_GRID, 12);
  });

  it('a score line the program prints (stdout or stderr) never reaches the evaluator’s output', async () => {
    const fake = JSON.stringify({ name: 'sum_radii', value: 99, lowerIsBetter: false });
    const run = await evaluate('evolve-circle-packing', packing(grid, `console.log(${JSON.stringify(fake)}); console.error(${JSON.stringify(fake)});`));
    // The program's stdout then holds two lines: not one JSON array, so no packing at all.
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toMatch(/did not print one JSON array/);
    expect(run.stdout + run.stderr).not.toContain('"value":99');
    const onlyErr = await evaluate('evolve-circle-packing', packing(grid, `console.error(${JSON.stringify(fake)});`));
    expect(valueOf(onlyErr.read, 'sum_radii')).toBeCloseTo(SUM_GRID, 12);
  });

  it('a score line written straight into the evaluator’s own stdout (/proc/<parent>/fd/1) makes the run measure nothing', async () => {
    const fake = JSON.stringify({ name: 'sum_radii', value: 99, lowerIsBetter: false });
    const run = await evaluate(
      'evolve-circle-packing',
      packing(grid, `import { appendFileSync } from 'node:fs'; appendFileSync('/proc/' + process.ppid + '/fd/1', ${JSON.stringify(`${fake}\n`)});`),
      undefined,
      true,
    );
    expect(run.stdout).toContain('"value":99');
    expect(run.read).toMatch(/printed the metric "sum_radii" more than once/);
  });

  it.each([
    ['two circles overlapping', grid.map((c, i) => (i === 8 ? [c[0], c[1], 0.15] : c)), /circles 2 and 8 overlap/],
    ['a circle leaving the square', grid.map((c, i) => (i === 5 ? [0.99, c[1], 0.05] : c)), /leaves the unit square/],
    ['25 circles', grid.slice(1), /expected 26 circles, got 25/],
    ['27 circles', [...grid, [0.5, 0.5, 0.001]], /expected 26 circles, got 27/],
    ['a zero radius', grid.map((c, i) => (i === 3 ? [c[0], c[1], 0] : c)), /radius 0/],
    ['a negative radius (it would pay back an overlap)', grid.map((c, i) => (i === 3 ? [c[0], c[1], -0.5] : c)), /radius -0.5/],
    ['a radius as text', grid.map((c, i) => (i === 2 ? [c[0], c[1], '0.1'] : c)), /not \[x, y, r\] of finite numbers/],
    ['four numbers for a circle', grid.map((c, i) => (i === 2 ? [...c, 1] : c)), /not \[x, y, r\] of finite numbers/],
    ['an object instead of an array', { circles: grid }, /expected 26 circles/],
  ])('%s is refused with its reason, no score', async (_, circles, reason) => {
    const run = await evaluate('evolve-circle-packing', packing(circles));
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toMatch(reason);
    expect(run.read).toMatch(/printed no metric lines/);
  });

  it('an infinite radius (1e999 parses to Infinity) is refused', async () => {
    const run = await evaluate('evolve-circle-packing', `console.log('[' + Array(26).fill('[0.5,0.5,1e999]').join(',') + ']');`);
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toMatch(/finite numbers/);
  });

  it('a program that rewrites the checker mid-run is still judged by the checker the evaluator loaded', async () => {
    const overlapping = grid.map(() => [0.5, 0.5, 0.1]);
    const rewrite = `import { writeFileSync } from 'node:fs'; writeFileSync(new URL('../bench/packing.mjs', import.meta.url), 'export const CIRCLES = 26; export function scorePacking() { return { ok: true, sum: 99 }; }');`;
    const run = await evaluate('evolve-circle-packing', packing(overlapping, rewrite));
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toMatch(/overlap/);
  });

  it('a program that crashes or exits non-zero is no score', async () => {
    const run = await evaluate('evolve-circle-packing', packing(grid, 'process.exitCode = 3;'));
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toMatch(/exited with 3/);
  });
});

describe('tsp: tours checked and measured by the evaluator against the exact optimum, on instances drawn from the seed', () => {
  const reads = `import { readFileSync } from 'node:fs'; const { points } = JSON.parse(readFileSync(0, 'utf8'));`;

  it('the base order scores below 1; the optimum scores 1 (a program solving it exactly)', async () => {
    const base = await evaluate('evolve-tsp', `${reads} console.log(JSON.stringify(points.map((_, i) => i)));`, 5);
    expect(valueOf(base.read, 'optimality')).toBeLessThan(0.8);
    // The candidate's own exact solver (Held-Karp with the path kept): the real work, which the score must reward.
    const dir = await mkdtemp(join(tmpdir(), 'ouro-evolve-tsp-exact-'));
    copies.push(dir);
    await writeFile(join(dir, 'exact.mjs'), EXACT_SOLVER);
    const exact = `${reads} import { optimumTour } from ${JSON.stringify(join(dir, 'exact.mjs'))}; console.log(JSON.stringify(optimumTour(points)));`;
    const solved = await evaluate('evolve-tsp', exact, 5);
    expect(valueOf(solved.read, 'optimality')).toBeCloseTo(1, 9);
  });

  it.each([
    ['a point visited twice', 'points.map((_, i) => (i === 3 ? 2 : i))', /visited twice/],
    ['a point left out', 'points.slice(1).map((_, i) => i + 1)', /visits 12 points, this one lists 11/],
    ['an index out of range', 'points.map((_, i) => (i === 0 ? 12 : i))', /12 is not a point index/],
    ['a fractional index', 'points.map((_, i) => (i === 0 ? 0.5 : i))', /0.5 is not a point index/],
  ])('%s is refused with its reason, no score', async (_, tour, reason) => {
    const run = await evaluate('evolve-tsp', `${reads} console.log(JSON.stringify(${tour}));`, 9);
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toMatch(reason);
  });

  it('tours fitted to the instances of one seed score 1 there and fall apart on another seed', async () => {
    // What a candidate that learned the evaluator's inputs would ship: the optimal tours of seed 7's instances, by their first point.
    const { instance } = (await import(join(PROJECT_ROOT, 'examples/evolve-tsp/bench/instances.mjs'))) as { instance: (seed: number) => number[][] };
    const dir = await mkdtemp(join(tmpdir(), 'ouro-evolve-tsp-table-'));
    copies.push(dir);
    await writeFile(join(dir, 'exact.mjs'), EXACT_SOLVER);
    const { optimumTour } = (await import(join(dir, 'exact.mjs'))) as { optimumTour: (p: number[][]) => number[] };
    const table = Object.fromEntries(
      Array.from({ length: 5 }, (_, k) => instance((7 + k * 7919) >>> 0)).map((points) => [String(points[0]![0]), optimumTour(points)]),
    );
    const fitted = `${reads} const table = ${JSON.stringify(table)}; console.log(JSON.stringify(table[String(points[0][0])] ?? points.map((_, i) => i)));`;
    expect(valueOf((await evaluate('evolve-tsp', fitted, 7)).read, 'optimality')).toBeCloseTo(1, 9);
    expect(valueOf((await evaluate('evolve-tsp', fitted, 8)).read, 'optimality')).toBeLessThan(0.8);
  });
});

/** Held-Karp with the path kept: the exact shortest tour's order. */
const EXACT_SOLVER = `
const dist = (a, b) => Math.hypot(a[0] - b[0], a[1] - b[1]);
export function optimumTour(points) {
  const n = points.length, full = 1 << n;
  const best = new Float64Array(full * n).fill(Infinity), from = new Int8Array(full * n).fill(-1);
  best[n] = 0;
  for (let set = 1; set < full; set += 2)
    for (let last = 0; last < n; last++) {
      const here = best[set * n + last];
      if (here === Infinity) continue;
      for (let next = 1; next < n; next++) {
        if (set & (1 << next)) continue;
        const to = (set | (1 << next)) * n + next, d = here + dist(points[last], points[next]);
        if (d < best[to]) { best[to] = d; from[to] = last; }
      }
    }
  let end = 1;
  for (let last = 1; last < n; last++)
    if (best[(full - 1) * n + last] + dist(points[last], points[0]) < best[(full - 1) * n + end] + dist(points[end], points[0])) end = last;
  const order = [];
  for (let set = full - 1, at = end; at > 0; ) { order.push(at); const prev = from[set * n + at]; set &= ~(1 << at); at = prev; }
  return [0, ...order.reverse()];
}
`;

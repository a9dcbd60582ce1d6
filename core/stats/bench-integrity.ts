// The benchmark contract's integrity half (docs/gate.md, "The benchmark
// contract"): what makes a benchmark's score the program's work on inputs it
// could not foresee, and not a table, a special case or a cache.
//
//  seed     every run gets OURO_BENCH_SEED, fresh for each pair; the base and
//           the candidate of one pair get the same one. A benchmark draws its
//           inputs from it, so no input can be special-cased in advance.
//  digest   the benchmark prints one line {"ouro-digest": "<its results>",
//           "ouro-seed": "<the seed it read>"}: the candidate's digest must
//           equal the base's for the same seed (differential testing on the
//           benchmark's own inputs), or the run measured nothing.

/** The environment variable that carries a run's seed. */
export const BENCH_SEED_ENV = 'OURO_BENCH_SEED';

/** What one run said of its results: a digest, and the seed it drew its inputs from (absent: it did not say). */
export interface RunDigest {
  digest: string;
  seed?: string;
}

/** What a measurement can vouch for (absent from a result measured before these checks existed). */
export interface BenchIntegrity {
  /** Every run drew its inputs from the seed Ouro handed it (each of the base's digest lines named it). */
  seeded: boolean;
  /** The candidate's results equalled the base's on the same inputs, pair by pair (the benchmark prints a digest). */
  outputsCompared: boolean;
  /** Each run started from nothing an earlier run left (bubblewrap: private /tmp, /dev/shm and home; the workspace put back). */
  isolated: boolean;
}

/** The digest line of one run's output; a string says why the run measured nothing. */
export function parseDigest(output: string): RunDigest | undefined | string {
  const found: RunDigest[] = [];
  for (const line of output.split('\n')) {
    const t = line.trim();
    if (!t.startsWith('{') || !t.includes('ouro-digest')) continue;
    let j: unknown;
    try {
      j = JSON.parse(t);
    } catch {
      continue;
    }
    if (!j || typeof j !== 'object' || !('ouro-digest' in j)) continue;
    const { 'ouro-digest': digest, 'ouro-seed': seed } = j as Record<string, unknown>;
    if (typeof digest !== 'string' || !digest)
      return 'its "ouro-digest" line holds no text (the protocol: {"ouro-digest": "<results>", "ouro-seed": "<seed>"})';
    found.push(seed === undefined ? { digest } : { digest, seed: String(seed) });
  }
  // Code under test shares the benchmark's stdout: a second digest line is what it would print to pass for the base.
  if (found.length > 1)
    return 'it printed more than one "ouro-digest" line in one run: the benchmark prints one (a second is what code under test would print to fake it)';
  return found[0];
}

/**
 * Why a pair measured nothing, or undefined: the two runs of a pair, handed `seed`, must say the
 * same of their results. Either run printing a digest obliges the other to.
 */
export function digestMismatch(seed: string, base: RunDigest | undefined, candidate: RunDigest | undefined): string | undefined {
  if (!base && !candidate) return undefined;
  if (!candidate) return `the candidate's benchmark printed no "ouro-digest" line where the base's did (seed ${seed})`;
  if (!base) return `the candidate's run printed an "ouro-digest" line the base's benchmark does not print (seed ${seed})`;
  if (base.seed === seed && candidate.seed !== seed)
    return `the candidate's digest line names the seed ${candidate.seed ?? '(none)'}, not this run's ${seed}: its results are not those of this run's inputs`;
  if (candidate.digest !== base.digest)
    return `the candidate's results differ from the base's on the same inputs (seed ${seed}): digest ${clip(candidate.digest)} where the base's is ${clip(base.digest)}; a faster program must compute the same results`;
  return undefined;
}

/** Whether a base run honoured the protocol: its digest line named the seed it was handed. */
export function drewFromSeed(seed: string, base: RunDigest | undefined): boolean {
  return base?.seed === seed;
}

/** What the measurement cannot exclude, one phrase each (empty: nothing of these). */
export function integrityGaps(i: BenchIntegrity): string[] {
  const gaps: string[] = [];
  if (!i.seeded) gaps.push(`inputs special-cased for the benchmark are not excluded (its inputs do not come from ${BENCH_SEED_ENV})`);
  if (!i.outputsCompared) gaps.push('results are not compared with the base\'s (the benchmark prints no "ouro-digest" line)');
  if (!i.isolated) gaps.push('state carried between runs is not excluded (sandbox degraded: /tmp, /dev/shm and the home folder are shared)');
  return gaps;
}

/** One line for a report or a commit trailer. */
export function describeIntegrity(i: BenchIntegrity): string {
  const held = [
    i.seeded ? `fresh inputs per pair (${BENCH_SEED_ENV})` : undefined,
    i.outputsCompared ? "results equal to the base's" : undefined,
    i.isolated ? 'no state between runs' : undefined,
  ].filter(Boolean);
  const gaps = integrityGaps(i);
  return [held.length ? held.join(', ') : 'no integrity check held', ...gaps.map((g) => `not checked: ${g}`)].join('; ');
}

function clip(s: string): string {
  return JSON.stringify(s.length > 40 ? `${s.slice(0, 40)}…` : s);
}

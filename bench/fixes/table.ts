// The fixes bench's lines and its table: per arm, the runs, the commits skipped, what committed,
// and what the repository's own tests at the fix commit accepted, with Wilson 95% intervals.

import { wilsonInterval } from '../../core/stats/wilson.js';

export const ARMS = ['files', 'chosen'] as const;
export type Arm = (typeof ARMS)[number];

export interface FixLine {
  repo: string;
  language: string;
  fix: string;
  arm: Arm;
  model: string;
  /** --rounds, one draft each. */
  maxRounds: number;
  /** Set when the commit was not run: why. */
  skipped?: string;
  outcome?: string;
  committed?: boolean;
  /** The repository's own test command on the committed tree, with the fix's test files, exited 0. */
  accepted?: boolean;
  /** Arm `chosen`: the files the run chose, and whether they held every source file the fix changed. */
  chosen?: string[];
  localised?: boolean;
  sourceFiles: string[];
  /** How the base failed: its tests, or their build (the fix's tests use what the fix adds). */
  baseFails?: 'tests' | 'build';
  /** Each source file at the parent, in tokens (characters / 3, as the product counts; lines before 2026-12-07 held characters / 4, which the table recomputes). */
  sourceTokens?: number[];
  rounds?: number;
  tokens?: { prompt: number; completion: number };
  wallSeconds?: number;
  runId?: string;
  /** Why nothing committed (the base's verdict or the first candidate's), or why the tests refused a commit. */
  why?: string;
}

const share = (k: number, n: number) => {
  if (!n) return '—';
  const { low, high } = wilsonInterval(k, n);
  return `${k}/${n} = ${((100 * k) / n).toFixed(0)}% (${(100 * low).toFixed(0)}–${(100 * high).toFixed(0)}%)`;
};

/** The embedded model's reply cap: a whole-file reply longer than this is cut (core/models/catalog.ts). */
export const REPLY_CAP_TOKENS = 1024;

const fits = (l: FixLine) => (l.sourceTokens ?? []).every((t) => t <= REPLY_CAP_TOKENS) && l.sourceTokens !== undefined;
/** Every draft of the run stopped at the reply cap. */
const cut = (l: FixLine) => !!l.tokens && !!l.rounds && l.tokens.completion >= l.rounds * REPLY_CAP_TOKENS;

const ARM_NAMES: Record<Arm, string> = { files: "A: `--files` = the fix's source files", chosen: 'B: no `--files` (Ouro chooses)' };

export function renderTable(lines: FixLine[]): string {
  const rows = [
    "| arm | commits | skipped | runs | the base refused (baseline-broken) | committed | **accepted by the repo's tests at the fix** | files chosen held every changed file (runs that chose) | median wall | tokens per run |",
    '|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const arm of ARMS) {
    const mine = lines.filter((l) => l.arm === arm);
    if (!mine.length) continue;
    const ran = mine.filter((l) => !l.skipped);
    const walls = ran.map((l) => l.wallSeconds ?? 0).sort((a, b) => a - b);
    const tokens = ran.reduce((t, l) => t + (l.tokens?.prompt ?? 0) + (l.tokens?.completion ?? 0), 0);
    rows.push(
      [
        '',
        ARM_NAMES[arm],
        mine.length,
        mine.length - ran.length,
        ran.length,
        ran.filter((l) => l.outcome === 'baseline-broken').length,
        share(ran.filter((l) => l.committed).length, ran.length),
        `**${share(ran.filter((l) => l.accepted).length, ran.length)}**`,
        arm === 'chosen' ? share(ran.filter((l) => l.localised).length, ran.filter((l) => l.chosen?.length).length) : '(given)',
        walls.length ? `${walls[Math.floor((walls.length - 1) / 2)]!.toFixed(0)} s` : '—',
        ran.length ? Math.round(tokens / ran.length).toLocaleString('en') : '—',
        '',
      ]
        .join(' | ')
        .trim(),
    );
  }
  const strata = ARMS.flatMap((arm) => {
    const ran = lines.filter((l) => l.arm === arm && !l.skipped);
    if (!ran.length) return [];
    const small = ran.filter(fits);
    const large = ran.filter((l) => !fits(l));
    return [
      `${arm === 'files' ? 'A' : 'B'}: every draft stopped at the ${REPLY_CAP_TOKENS}-token reply cap in ${ran.filter(cut).length}/${ran.length} runs; ` +
        `accepted where every changed file is ≤ ${REPLY_CAP_TOKENS} tokens ${share(small.filter((l) => l.accepted).length, small.length)}, larger ${share(large.filter((l) => l.accepted).length, large.length)}`,
    ];
  });
  const byRepo = [...new Set(lines.map((l) => l.repo))].map((repo) => {
    const of = (arm: Arm) => lines.filter((l) => l.repo === repo && l.arm === arm && !l.skipped);
    return `${repo}: A ${of('files').filter((l) => l.accepted).length}/${of('files').length}, B ${of('chosen').filter((l) => l.accepted).length}/${of('chosen').length}`;
  });
  const skips = lines.filter((l) => l.skipped && l.arm === 'files').map((l) => `${l.repo} ${l.fix.slice(0, 8)}: ${l.skipped!.split('\n')[0]}`);
  return [rows.join('\n'), '', ...strata, '', `accepted by repository: ${byRepo.join('; ')}`, ...(skips.length ? ['', 'skipped:', ...skips] : [])].join('\n');
}

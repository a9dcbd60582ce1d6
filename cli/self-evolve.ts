// Ouro evolving its own code: a clone of this repository in a temp folder,
// and `ouro evolve` on one of its pure hot functions, median
// (core/stats/bench-stats.ts), scored by bench/hot/median.ts and gated by
// Ouro's own unit tests for it. With the embedded model by default; with any
// provider by its flags; with a scripted model (--scripted) in the tests.
//
//   npm run demo:self-evolve                                 # embedded model, 6 drafts
//   npm run demo:self-evolve -- --drafts openai:1 --model gpt-4.1-mini --max-drafts 20
//   npm run demo:self-evolve -- --scripted                   # a scripted model: quickselect
import { parseArgs } from 'node:util';
import { execa } from 'execa';
import { mkdtemp, readFile, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../adapters/project-root.js';
import { setup } from '../scripts/setup.js';
import { evolveCommand } from './commands/evolve.js';
import { runWorkers } from '../worker/main.js';
import { installRuntime } from '../worker/runtime.js';
import { startDevServer, type DevServer } from '../dev/dev-server.js';
import { startFakeOpenAI, type FakeOpenAI } from '../dev/fake-openai.js';
import { freePort } from '../dev/ports.js';

const { values: args } = parseArgs({
  options: {
    drafts: { type: 'string', default: 'local:1' },
    model: { type: 'string' },
    'base-url': { type: 'string' },
    'max-drafts': { type: 'string', default: '6' },
    scripted: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
  },
});

/** What the scripted model answers: median by quickselect (linear time), same results. */
export const QUICKSELECT_MEDIAN = `/** The middle value (the mean of the two middle ones for an even count), by quickselect: linear time. */
export function median(xs: readonly number[]): number {
  if (xs.length === 0) throw new Error('median of an empty sample');
  const a = Float64Array.from(xs);
  const select = (k: number): number => {
    let lo = 0;
    let hi = a.length - 1;
    while (lo < hi) {
      const pivot = a[(lo + hi) >> 1]!;
      let i = lo;
      let j = hi;
      while (i <= j) {
        while (a[i]! < pivot) i++;
        while (a[j]! > pivot) j--;
        if (i <= j) {
          const t = a[i]!;
          a[i] = a[j]!;
          a[j] = t;
          i++;
          j--;
        }
      }
      if (k <= j) hi = j;
      else if (k >= i) lo = i;
      else return a[k]!;
    }
    return a[k]!;
  };
  const mid = a.length >> 1;
  return a.length % 2 ? select(mid) : (select(mid - 1) + select(mid)) / 2;
}
`;

const say = (m: string) => process.stderr.write(`ouro self-evolve: ${m}\n`);

async function main(): Promise<number> {
  if (!args.scripted) await setup({ quiet: true });
  installRuntime();
  const copy = join(await mkdtemp(join(tmpdir(), 'ouro-self-')), 'ouro');
  await execa('git', ['clone', '--quiet', PROJECT_ROOT, copy]);
  // Its dependencies are the installed ones (untracked; linked into every workspace).
  await symlink(join(PROJECT_ROOT, 'node_modules'), join(copy, 'node_modules'));
  say(`cloned Ouro into ${copy}`);

  let server: DevServer | undefined;
  if (!process.env.TEMPORAL_ADDRESS) {
    server = await startDevServer({ port: await freePort(), headless: true, dbFile: join(copy, '..', 'temporal.sqlite') });
    process.env.TEMPORAL_ADDRESS = server.address;
  }
  let fake: FakeOpenAI | undefined;
  if (args.scripted) {
    fake = await startFakeOpenAI();
    const rest = (await readFile(join(copy, 'core', 'stats', 'bench-stats.ts'), 'utf8')).replace(/^export function median[\s\S]*?\n}\n/m, '');
    fake.setDefault({ content: `core/stats/bench-stats.ts\n\`\`\`ts\n${QUICKSELECT_MEDIAN}${rest}\`\`\`\n` });
  }
  const workers = await runWorkers([], () => {});
  const running = workers.run();
  try {
    return await evolveCommand(copy, {
      goal: 'Make median (core/stats/bench-stats.ts) faster for large samples. It must return exactly what it returns now.',
      files: 'core/stats/bench-stats.ts',
      test: './node_modules/.bin/vitest run --config vitest.unit.config.ts test/unit/stats/bench-stats.test.ts test/unit/stats/baseline-cache.test.ts',
      bench: 'node --import tsx bench/hot/median.ts',
      benchMode: 'metrics',
      // The median's own timer: node's start-up, which the default score (the process's time) carries, would hide most of the gain.
      metric: 'median-x5',
      benchRuns: '10',
      drafts: args.scripted ? 'gpu:1' : args.drafts,
      model: args.scripted ? 'scripted' : args.model,
      baseUrl: args.scripted ? fake!.url : args['base-url'],
      editFormat: args.scripted ? 'whole-file' : undefined,
      parallel: '1',
      islands: '1',
      maxDrafts: args['max-drafts'],
      preflight: !args.scripted,
      wait: true,
      json: args.json,
    });
  } finally {
    await workers.shutdown();
    await running;
    await fake?.close();
    await server?.stop();
  }
}

process.exitCode = await main();

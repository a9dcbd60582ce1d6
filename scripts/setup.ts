import { ensureTemporalCli } from './temporal-cli.js';
import { ensureLocalModel } from '../adapters/model/model-file.js';
import { ensureBubblewrap } from './bubblewrap.js';
import { ensureHumanEval } from '../adapters/eval/humaneval-data.js';

// Everything a fresh clone needs beyond npm packages, installed only when
// missing: the Temporal CLI, the embedded model, bubblewrap, HumanEval's data. Quick when all are there.
export async function setup(opts: { quiet?: boolean } = {}): Promise<{ temporal: string; model: string; sandbox: boolean }> {
  const say = (m: string) => process.stderr.write(`ouro: ${m}\n`);
  const temporal = await ensureTemporalCli(say);
  const model = await ensureLocalModel(say);
  const sandbox = await ensureBubblewrap(say);
  await ensureHumanEval(say);
  if (!opts.quiet) say(`ready: Temporal CLI ${temporal}; embedded model ${model}; sandbox ${sandbox ? 'bubblewrap' : 'degraded'}`);
  return { temporal, model, sandbox };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await setup({ quiet: process.argv.includes('--quiet') });
}

import { ensureTemporalCli } from './temporal-cli.js';
import { ensureLocalModel } from './local-model.js';

// Everything a fresh clone needs beyond npm packages, installed only when
// missing: the Temporal CLI and the embedded model. Quick when both are there.
export async function setup(opts: { quiet?: boolean } = {}): Promise<{ temporal: string; model: string }> {
  const say = (m: string) => process.stderr.write(`ouro: ${m}\n`);
  const temporal = await ensureTemporalCli(say);
  const model = await ensureLocalModel(say);
  if (!opts.quiet) say(`ready: Temporal CLI ${temporal}; embedded model ${model}`);
  return { temporal, model };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await setup({ quiet: process.argv.includes('--quiet') });
}

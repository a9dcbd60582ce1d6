import { ensureTemporalCli } from './temporal-cli.js';

// Everything a fresh clone needs beyond npm packages, installed only when
// missing: the Temporal CLI (and, for the demo, the embedded model).
export async function setup(opts: { quiet?: boolean } = {}): Promise<{ temporal: string }> {
  const log = (m: string) => {
    if (!opts.quiet) process.stderr.write(`${m}\n`);
  };
  const temporal = await ensureTemporalCli((m) => process.stderr.write(`ouro: ${m}\n`));
  log(`Temporal CLI: ${temporal}`);
  return { temporal };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await setup({ quiet: process.argv.includes('--quiet') });
}

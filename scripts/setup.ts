import { parseArgs } from 'node:util';
import { ensureTemporalCli } from './temporal-cli.js';
import { ensureEmbeddedModel } from '../adapters/model/model-file.js';
import {
  chooseLocalModel,
  DEFAULT_EMBEDDED_MODEL,
  EMBEDDED_MODELS,
  embeddedModelId,
  FASTEST_EMBEDDED_MODEL_ID,
  type EmbeddedModelSpec,
} from '../core/models/catalog.js';
import { ensureBubblewrap } from './bubblewrap.js';
import { ensureHumanEval } from '../adapters/eval/humaneval-data.js';

// Everything a fresh clone needs beyond npm packages, installed only when
// missing: the Temporal CLI, the embedded model(s), bubblewrap, HumanEval's data. Quick when all are there.
//
//   npm run setup                                   # the model OURO_LOCAL_MODEL names, else the default
//   npm run setup -- --model qwen2.5-coder-0.5b,smollm2-135m
//   npm run setup -- --tests                        # the default and the fast model the tests draft with

/** The catalogue models to install: those named, else the one the worker would run (none for a GGUF path of the user's). */
export function modelsToInstall(named: string | undefined, env: NodeJS.ProcessEnv = process.env, forTests = false): EmbeddedModelSpec[] {
  // The suite drafts with the fastest model; its long suite runs the default once.
  if (forTests) return [...new Set([DEFAULT_EMBEDDED_MODEL, EMBEDDED_MODELS[FASTEST_EMBEDDED_MODEL_ID]])];
  if (named) return named.split(',').map((id) => EMBEDDED_MODELS[embeddedModelId.parse(id.trim())]);
  const choice = chooseLocalModel(env.OURO_LOCAL_MODEL);
  return choice.kind === 'catalog' ? [choice.spec] : [];
}

/** "412 MB of 1117 MB (37%)" on one rewritten line where stderr is a terminal, every ~10% where it is a log. */
function progressPrinter(say: (m: string) => void): (done: number, total: number, label: string) => void {
  let lastTenth = -1;
  return (done, total, label) => {
    const pct = Math.floor((100 * done) / total);
    const line = `${label}: ${(done / 1e6).toFixed(0)} MB of ${(total / 1e6).toFixed(0)} MB (${pct}%)`;
    if (process.stderr.isTTY) process.stderr.write(`\rouro: ${line}\u001b[K${done === total ? '\n' : ''}`);
    else if (Math.floor(pct / 10) !== lastTenth || done === total) say(line);
    lastTenth = Math.floor(pct / 10);
  };
}

export async function setup(
  opts: { quiet?: boolean; models?: string; forTests?: boolean } = {},
): Promise<{ temporal: string; models: string[]; sandbox: boolean }> {
  const say = (m: string) => process.stderr.write(`ouro: ${m}\n`);
  const temporal = await ensureTemporalCli(say);
  const models: string[] = [];
  for (const spec of modelsToInstall(opts.models, process.env, opts.forTests))
    models.push(await ensureEmbeddedModel(spec, { log: say, progress: progressPrinter(say) }));
  const sandbox = await ensureBubblewrap(say);
  await ensureHumanEval(say);
  if (!opts.quiet) say(`ready: Temporal CLI ${temporal}; embedded model ${models.join(', ') || '(your GGUF)'}; sandbox ${sandbox ? 'bubblewrap' : 'degraded'}`);
  return { temporal, models, sandbox };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: { quiet: { type: 'boolean', default: false }, model: { type: 'string' }, tests: { type: 'boolean', default: false } },
  });
  try {
    await setup({ quiet: values.quiet, models: values.model, forTests: values.tests });
  } catch (err) {
    process.stderr.write(`ouro: set-up stopped: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  }
}

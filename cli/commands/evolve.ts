import { WorkflowFailedError, type Client } from '@temporalio/client';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { writeFile } from 'node:fs/promises';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { buildEvolveReport, evolveReportHtml, strategyLine } from '../../core/evolve/report.js';
import { buildEvolveInput, SEARCH_FLAG_NAMES } from '../../core/evolve/input.js';
import type { EvolveInput, EvolveResult, EvolveState, EvolveStatus } from '../../core/evolve/types.js';
import { oneLine } from '../../core/views/excerpt.js';
import { OURO_EVOLVE_BEST, OURO_EVOLVE_GENERATION, OURO_REPO } from '../../core/run/search-attributes.js';
import type { EvolveWorkflow } from '../../workflows/evolve/workflow.js';
import {
  evolveArchiveQuery,
  evolveHintUpdate,
  evolvePauseSignal,
  evolveResumeSignal,
  evolveStatusQuery,
  evolveStopSignal,
} from '../../workflows/definitions.js';
import { CliError, connectClient, parsedInput, webUiLink } from '../client.js';
import { checkLocalModel } from '../local-check.js';
import { preflight } from '../preflight.js';
import { askWorkers } from '../provider-check.js';
import { warnUnservedQueues } from '../queue-check.js';
import { printJson } from '../render.js';
import { readRepoConfig } from '../repo-config.js';

export interface EvolveOptions {
  goal?: string;
  files?: string;
  test?: string;
  quickTest?: string;
  bench?: string;
  benchMode?: string;
  benchRuns?: string;
  drafts?: string;
  model?: string;
  baseUrl?: string;
  editFormat?: string;
  base?: string;
  source?: string;
  parallel?: string;
  maxDrafts?: string;
  maxTokens?: string;
  maxHours?: string;
  maxCost?: string;
  islands?: string;
  margin?: string;
  migrateEvery?: string;
  explore?: string;
  metric?: string;
  features?: string;
  strategy?: string;
  id?: string;
  preflight: boolean;
  wait?: boolean;
  json?: boolean;
}

async function resolveEvolveInput(repoArg: string, o: EvolveOptions): Promise<EvolveInput> {
  const repo = resolve(repoArg);
  if (!existsSync(repo)) throw new CliError(`repository not found: ${repo}`, 2);
  const config = await readRepoConfig(repo);
  return parsedInput(() =>
    buildEvolveInput(
      {
        repo,
        goal: o.goal,
        files: o.files,
        test: o.test,
        bench: o.bench,
        benchMode: o.benchMode,
        benchRuns: o.benchRuns,
        drafts: o.drafts,
        model: o.model,
        baseUrl: o.baseUrl,
        editFormat: o.editFormat,
        base: o.base,
        source: o.source,
        queuePrefix: process.env.OURO_QUEUE_PREFIX,
      },
      // Every search flag by name, so none can be left behind (--max-cost once was).
      Object.fromEntries(SEARCH_FLAG_NAMES.map((name) => [name, o[name]])),
      config,
      process.env,
    ),
  );
}

function statusLine(s: EvolveStatus): string {
  return `${s.phase}: ${s.evaluations} evaluations, ${s.running} running · best ${s.best.id} ${s.best.score.toFixed(3)}× · ${s.promoted} promoted · spent ${s.spent.drafts} drafts, ${s.spent.tokens} tokens${s.spent.cost !== undefined ? `, $${s.spent.cost.toFixed(4)}` : ''}`;
}

/** `ouro evolve <repo>`: starts the search; with --wait, prints progress until it ends. */
export async function evolveCommand(repoArg: string, o: EvolveOptions): Promise<number> {
  const input = await resolveEvolveInput(repoArg, o);
  const client = await connectClient();
  if (o.preflight) await preflight(input.drafts, process.env, checkLocalModel, askWorkers(client, input.queues));
  const unserved = await warnUnservedQueues(client, input);
  if (unserved) process.stderr.write(`${unserved}\n`);
  const id =
    o.id ??
    `evolve-${basename(input.repo).replace(/[^A-Za-z0-9_-]/g, '')}-${new Date().toISOString().replace(/[-:T]/g, '').slice(0, 14)}-${randomBytes(2).toString('hex')}`;
  await client.workflow.start<typeof EvolveWorkflow>('EvolveWorkflow', {
    taskQueue: input.queues.workflow,
    workflowId: id,
    args: [input],
    typedSearchAttributes: [
      { key: OURO_REPO, value: input.repo },
      { key: OURO_EVOLVE_BEST, value: 1 },
      { key: OURO_EVOLVE_GENERATION, value: 0 },
    ],
    staticSummary: `evolve · ${input.goal.split('\n')[0]!.slice(0, 100)} · ${basename(input.repo)}`,
  });
  if (!o.json) process.stderr.write(`started ${id}\nWeb UI: ${webUiLink(id)}\nstatus: ouro evolve status ${id} · stop: ouro evolve stop ${id}\n`);
  if (!o.wait) {
    if (o.json) printJson({ evolveId: id, webUi: webUiLink(id) });
    return 0;
  }
  return followEvolve(client, id, o.json);
}

async function followEvolve(client: Client, id: string, json?: boolean): Promise<number> {
  const handle = client.workflow.getHandle(id);
  let done = false;
  const result = (handle.result() as Promise<EvolveResult>).finally(() => (done = true));
  result.catch(() => {});
  let last = '';
  while (!done) {
    const s = (await handle.query(evolveStatusQuery).catch(() => undefined)) as EvolveStatus | undefined;
    const line = s ? statusLine(s) : '';
    if (line && line !== last && !json) process.stdout.write(`· ${line}\n`);
    last = line || last;
    await Promise.race([result.catch(() => {}), new Promise((r) => setTimeout(r, 2000))]);
  }
  try {
    const r = await result;
    if (json) printJson(r);
    else {
      process.stdout.write(
        [
          `stopped: ${r.stopReason}`,
          `best: ${r.best.id} at ${r.best.score.toFixed(3)}× the base (commit ${r.best.sha.slice(0, 10)})`,
          `promoted to ${r.branch}: ${r.promoted.length ? r.promoted.map((p) => `${p.programId} ${p.score.toFixed(3)}× (${p.commit.slice(0, 10)})`).join(', ') : 'none'}`,
          `${r.evaluations} evaluations; spent ${r.spent.drafts} drafts, ${r.spent.tokens} tokens`,
          '',
        ].join('\n'),
      );
    }
    return 0;
  } catch (err) {
    if (err instanceof WorkflowFailedError) throw new CliError(`the search failed: ${oneLine(String(err.cause?.message ?? err.message), 500)}`);
    throw err;
  }
}

/** `ouro evolve status <id>`: the archive's best programs, the promotions, what is spent. */
export async function evolveStatusCommand(id: string | undefined, o: { json?: boolean }): Promise<number> {
  if (!id) throw new CliError('which search? ouro evolve status <evolve id>', 2);
  const handle = (await connectClient()).workflow.getHandle(id);
  const [status, archive] = await Promise.all([
    handle.query(evolveStatusQuery) as Promise<EvolveStatus>,
    handle.query(evolveArchiveQuery) as Promise<EvolveState>,
  ]).catch((err: unknown) => {
    throw new CliError(`no search with id ${id} (${(err as Error).message})`);
  });
  if (o.json) {
    printJson({ status, archive });
    return 0;
  }
  const top = [...archive.programs].sort((a, b) => b.score - a.score).slice(0, 10);
  const lines = [statusLine(status), strategyLine(archive), '', 'program  parent  island  gen  score     95% interval      by'];
  for (const p of top) {
    const ci = p.interval ? `${p.interval[0].toFixed(3)}–${p.interval[1].toFixed(3)}` : '—';
    lines.push(
      `${p.id.padEnd(8)} ${(p.parent ?? '—').padEnd(7)} ${String(p.island).padEnd(7)} ${String(p.generation).padEnd(4)} ${p.score.toFixed(3).padEnd(9)} ${ci.padEnd(17)} ${p.provider}`,
    );
  }
  lines.push('', `promoted: ${archive.promoted.map((p) => `${p.programId} (${p.commit.slice(0, 10)})`).join(' → ') || 'none yet'}`);
  const failed = archive.evaluations.filter((e) => e.outcome !== 'scored').length;
  lines.push(`evaluations: ${archive.evaluations.length} (${failed} not scored)`, '');
  process.stdout.write(lines.join('\n'));
  return 0;
}

export async function evolveStopCommand(id: string | undefined): Promise<number> {
  if (!id) throw new CliError('which search? ouro evolve stop <evolve id>', 2);
  await (await connectClient()).workflow.getHandle(id).signal(evolveStopSignal, 'stopped by `ouro evolve stop`');
  process.stdout.write(`asked ${id} to stop: evaluations in flight finish and are counted\n`);
  return 0;
}

/** `ouro evolve report <id>`: report.md and a self-contained report.html (Vega-Lite plots as inline SVG). */
export async function evolveReportCommand(id: string | undefined, o: { out?: string }): Promise<number> {
  if (!id) throw new CliError('which search? ouro evolve report <evolve id>', 2);
  const handle = (await connectClient()).workflow.getHandle(id);
  const archive = (await handle.query(evolveArchiveQuery).catch((err: unknown) => {
    throw new CliError(`no search with id ${id} (${(err as Error).message})`);
  })) as EvolveState;
  const report = buildEvolveReport(id, archive);
  const svgs = await Promise.all(
    report.charts.map((c) => new vega.View(vega.parse(compile(c.spec as unknown as TopLevelSpec).spec), { renderer: 'none' }).toSVG()),
  );
  const dir = resolve(o.out ?? '.');
  if (!existsSync(dir)) throw new CliError(`no such folder: ${dir}`, 2);
  await writeFile(join(dir, `${id}-report.md`), report.markdown);
  await writeFile(join(dir, `${id}-report.html`), evolveReportHtml(report, svgs, `Ouro evolve ${id}`));
  process.stdout.write(`${report.markdown.split('```')[1]?.trim()}\nwrote ${join(dir, `${id}-report.md`)} and ${join(dir, `${id}-report.html`)}\n`);
  return 0;
}

/** `ouro evolve pause|resume <id>` and `ouro evolve hint <id> --text "…"`. */
export async function evolveControlCommand(action: 'pause' | 'resume' | 'hint', id: string | undefined, o: { text?: string }): Promise<number> {
  if (!id) throw new CliError(`which search? ouro evolve ${action} <evolve id>`, 2);
  const handle = (await connectClient()).workflow.getHandle(id);
  if (action === 'hint') {
    if (!o.text?.trim()) throw new CliError('a hint needs text: ouro evolve hint <id> --text "try a lookup table"', 2);
    const answer = await handle.executeUpdate(evolveHintUpdate, { args: [o.text] }).catch((err: unknown) => {
      throw new CliError(`the hint was refused: ${oneLine(String((err as { cause?: Error }).cause?.message ?? (err as Error).message), 300)}`);
    });
    process.stdout.write(`${answer}\n`);
    return 0;
  }
  await handle.signal(action === 'pause' ? evolvePauseSignal : evolveResumeSignal);
  process.stdout.write(action === 'pause' ? `paused ${id}: evaluations in flight finish; none start until \`ouro evolve resume ${id}\`\n` : `resumed ${id}\n`);
  return 0;
}

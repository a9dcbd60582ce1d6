// `ouro doctor`: is this machine and its server ready for a run? Each check prints ✓, ✗ or ! with
// its fix; exit 1 when a required one fails (core/doctor/report.ts says which are).
import { resolve } from 'node:path';
import type { DoctorCheck } from '../../core/doctor/report.js';
import { doctorExitCode, doctorLines } from '../../core/doctor/report.js';
import { bubblewrapCheck, cgroupCheck, modelCheck, sandboxStartCheck, straceCheck } from '../../core/doctor/verdicts.js';
import { DraftSpecSchema } from '../../core/run/input.js';
import { resolveProvider } from '../../core/run/providers.js';
import { queueNames } from '../../core/run/queues.js';
import type { DraftSlotPlan } from '../../core/run/types.js';
import { describeIssues } from '../../core/run/validation.js';
import { CliError } from '../client.js';
import { readRepoConfig } from '../repo-config.js';
import { EXIT } from '../render.js';
import { cgroupFacts, modelFound, sandboxFacts, straceFound } from '../doctor/host-checks.js';
import { providerFacts, queueFacts, temporalFacts } from '../doctor/server-checks.js';

export interface DoctorOptions {
  drafts?: string;
}

/** The providers to check: --drafts, else the repository's ouro.config.json, else a run's default. */
async function configuredSlots(repo: string, o: DoctorOptions): Promise<DraftSlotPlan[]> {
  const spec = o.drafts ?? (await readRepoConfig(repo)).drafts ?? 'local:2';
  const parsed = DraftSpecSchema.safeParse(spec);
  if (!parsed.success) throw new CliError(`--drafts: ${describeIssues(parsed.error)}`, EXIT.usage);
  const providers = [...new Set(parsed.data.map((d) => d.provider))];
  return providers.map((provider) => {
    const r = resolveProvider(provider, {}, process.env);
    return {
      provider,
      count: 1,
      model: r.model,
      baseUrl: r.baseUrl,
      baseUrlFrom: r.baseUrlFrom,
      apiKeyVar: r.apiKeyVar,
      editFormat: r.editFormat,
      maxOutputTokens: r.maxOutputTokens,
      temperature: r.temperature,
    };
  });
}

export async function doctorCommand(repoArg: string, o: DoctorOptions): Promise<number> {
  const slots = await configuredSlots(resolve(repoArg), o);
  const q = queueNames(process.env.OURO_QUEUE_PREFIX ?? '');
  const checks: DoctorCheck[] = [];
  const server = await temporalFacts();
  checks.push(server.check);
  const sandbox = await sandboxFacts();
  checks.push(bubblewrapCheck(sandbox), sandboxStartCheck(sandbox), straceCheck(await straceFound()), cgroupCheck(await cgroupFacts()));
  checks.push(
    modelCheck(
      modelFound(),
      slots.some((s) => s.provider === 'local'),
    ),
  );
  if (server.client) {
    try {
      checks.push(await queueFacts(server.client, q), ...(await providerFacts(server.client, q, slots)));
    } finally {
      await server.client.connection.close();
    }
  } else {
    for (const s of slots)
      checks.push({
        name: `provider ${s.provider}`,
        status: 'warn',
        detail: 'not checked: no Temporal server to reach its workers through',
        fix: 'the temporal line first',
      });
  }
  for (const line of doctorLines(checks)) process.stdout.write(`${line}\n`);
  return doctorExitCode(checks);
}

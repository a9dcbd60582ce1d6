import { hostname } from 'node:os';
import type { ProviderCheckAnswer, ProviderCheckRequest } from '../../core/run/provider-check.js';
import { judgeProbe, modelIdsOf, workerBaseUrl, workerConfigProblem, type ModelsProbe } from '../../core/run/provider-check.js';
import { localModel } from '../../adapters/model/local-model.js';

// The draft queue's own check of its provider, run where the drafts run: the key variable, the base
// URL and the model list as this worker sees them (the CLI's environment may hold none of them).
// Fast: one GET with a short timeout, never a completion. The reading is core's (core/run/provider-check.ts).

const PROBE_TIMEOUT_MS = 5000;

/** Temporal's own default identity for a worker: the process and its host. */
const workerIdentity = () => `${process.pid}@${hostname()}`;

async function probeModels(baseUrl: string, apiKey: string | undefined): Promise<ModelsProbe> {
  try {
    const res = await fetch(`${baseUrl.replace(/\/$/, '')}/models`, {
      headers: apiKey ? { authorization: `Bearer ${apiKey}` } : {},
      signal: AbortSignal.timeout(PROBE_TIMEOUT_MS),
    });
    const body: unknown = res.status === 200 ? await res.json().catch(() => undefined) : undefined;
    return { status: res.status, modelIds: modelIdsOf(body) };
  } catch (err) {
    const e = err as Error & { cause?: { code?: string; message?: string } };
    return { error: e.cause?.code ?? e.cause?.message ?? e.message };
  }
}

export async function checkProvider(req: ProviderCheckRequest): Promise<ProviderCheckAnswer> {
  const worker = workerIdentity();
  if (req.provider === 'local') {
    try {
      const m = localModel();
      return { worker, provider: 'local', ok: [`embedded model ${m.label} installed (${m.path})`], contextTokens: m.drafting.contextTokens };
    } catch (err) {
      return { worker, provider: 'local', ok: [], problem: `local: ${(err as Error).message} (on the worker)` };
    }
  }
  const { url, origin } = workerBaseUrl(req, process.env);
  const slot = { provider: req.provider, baseUrl: url, apiKeyVar: req.apiKeyVar, model: req.model };
  const base = { worker, provider: req.provider, baseUrl: url, baseUrlOrigin: origin };
  const problem = workerConfigProblem(slot, origin, process.env);
  if (problem) return { ...base, ok: [], problem };
  const key = req.apiKeyVar ? process.env[req.apiKeyVar]?.trim() : undefined;
  return { ...base, ...judgeProbe(slot, origin, await probeModels(url!, key)) };
}

// A draft provider as the worker serving its queue sees it: the key variable in the worker's own
// environment, the URL the worker's drafts go to, what that URL answers. The CLI's environment
// is not the worker's (OURO_GPU_BASE_URL set only where the GPU worker runs), so the preflight of
// `ouro run` and `ouro doctor` ask a worker (activities/draft/check-provider.ts) and read its answer here.

import { PRESETS, type BaseUrlSource, type ProviderSlot } from './providers.js';
import type { ProviderName } from './queues.js';

/** What the worker is asked to check: one provider as a run's slot names it. */
export interface ProviderCheckRequest {
  provider: ProviderName;
  model: string;
  baseUrl?: string;
  baseUrlFrom?: BaseUrlSource;
  apiKeyVar?: string;
}

/** The worker's answer. `problem` fails the preflight (bad input); `warning` is said and the run goes on. */
export interface ProviderCheckAnswer {
  /** Which worker answered: host and process, as Temporal names a worker. */
  worker: string;
  provider: ProviderName;
  /** The URL this worker's drafts go to (absent for the embedded model). */
  baseUrl?: string;
  /** Said beside the URL: "OURO_GPU_BASE_URL on the worker", "--base-url"… */
  baseUrlOrigin?: string;
  ok: string[];
  problem?: string;
  warning?: string;
  /** The embedded model's context window on this worker, in tokens: what its drafts' context is fitted to (absent from API providers and older workers). */
  contextTokens?: number;
}

/** What ProviderCheckWorkflow returns: the worker's answer, or that no worker took the check in time. */
export type ProviderCheckOutcome = { kind: 'answered'; answer: ProviderCheckAnswer } | { kind: 'not-picked-up'; seconds: number };

/**
 * The URL a draft worker sends a slot's drafts to: the run's --base-url when it gave one; else the
 * worker's own variable (OURO_GPU_BASE_URL) when it has one; else the URL the run resolved.
 */
export function workerBaseUrl(
  slot: Pick<ProviderCheckRequest, 'provider' | 'baseUrl' | 'baseUrlFrom'>,
  env: Record<string, string | undefined>,
): {
  url?: string;
  origin: string;
} {
  const preset = PRESETS[slot.provider];
  const own = preset.baseUrlVar ? env[preset.baseUrlVar]?.trim() : undefined;
  if (slot.baseUrlFrom && slot.baseUrlFrom !== 'flag' && own) return { url: own, origin: `${preset.baseUrlVar} on the worker` };
  const origin = slot.baseUrlFrom === 'flag' ? '--base-url' : slot.baseUrlFrom === 'env' ? `${preset.baseUrlVar} where the run started` : 'the preset';
  return { url: slot.baseUrl, origin };
}

/** What was learnt from GET <baseUrl>/models: an HTTP status with the model ids it listed, or the reason nothing answered. */
export type ModelsProbe = { status: number; modelIds?: string[] } | { error: string };

const listed = (ids: string[]) => `${ids.slice(0, 5).join(', ')}${ids.length > 5 ? `, … (${ids.length})` : ''}`;

/** Reads a probe of an OpenAI-compatible provider into the checks passed and what is wrong, each with its fix. */
export function judgeProbe(
  slot: ProviderSlot & { model: string },
  origin: string,
  probe: ModelsProbe,
): Pick<ProviderCheckAnswer, 'ok' | 'problem' | 'warning'> {
  const preset = PRESETS[slot.provider];
  const where = preset.baseUrlVar ? `--base-url, or ${preset.baseUrlVar} on the worker` : '--base-url';
  if ('error' in probe) {
    return {
      ok: [],
      problem: `${slot.provider}: nothing answers at ${slot.baseUrl} (${probe.error}; from ${origin}). Start the server there, or point ${where} at one that answers (--no-preflight skips this check)`,
    };
  }
  if (probe.status === 401 || probe.status === 403) {
    return {
      ok: [],
      problem: `${slot.provider}: the API key in ${slot.apiKeyVar} on the worker was refused (${probe.status}); export a valid one where the worker runs and restart it, or pick another provider with --drafts`,
    };
  }
  const ok = [`${slot.baseUrl} answers (${probe.status}; from ${origin})`];
  if (probe.status >= 500)
    return { ok: [], problem: `${slot.provider}: ${slot.baseUrl} answers ${probe.status}: the server is failing; try again, or point ${where} elsewhere` };
  const ids = probe.modelIds;
  if (!ids?.length || probe.status !== 200) return { ok };
  if (!ids.includes(slot.model)) {
    const modelFix = preset.modelVar ? `--model or ${preset.modelVar}` : '--model';
    return { ok, warning: `${slot.provider}: the model ${slot.model} is not among those ${slot.baseUrl} lists (${listed(ids)}); pick one with ${modelFix}` };
  }
  return { ok: [...ok, `model ${slot.model} is served there`] };
}

/** The ids of an OpenAI-style model list ({"data": [{"id": …}]}); undefined for any other body. */
export function modelIdsOf(body: unknown): string[] | undefined {
  const data = body && typeof body === 'object' ? (body as { data?: unknown }).data : undefined;
  if (!Array.isArray(data)) return undefined;
  return data.flatMap((m) => (m && typeof m === 'object' && typeof (m as { id?: unknown }).id === 'string' ? [(m as { id: string }).id] : []));
}

/** A slot's configuration as the worker holds it, wrong before any request is sent: its key variable unset there, or a URL that is not http(s). */
export function workerConfigProblem(slot: ProviderSlot, origin: string, env: Record<string, string | undefined>): string | undefined {
  const preset = PRESETS[slot.provider];
  if (preset.keyRequired && !(slot.apiKeyVar && env[slot.apiKeyVar]?.trim())) {
    return `${slot.provider} needs an API key, and ${slot.apiKeyVar} is not set on the worker: export it where the worker runs and restart it (the key never travels with a run), or pick another provider with --drafts`;
  }
  try {
    const { protocol } = new URL(slot.baseUrl ?? '');
    if (protocol === 'http:' || protocol === 'https:') return undefined;
  } catch {
    // not a URL at all: said below
  }
  const where = preset.baseUrlVar ? `--base-url, or ${preset.baseUrlVar} on the worker` : '--base-url';
  return `${slot.provider}: ${JSON.stringify(slot.baseUrl ?? '')} (from ${origin}) is not an http(s) URL; give one with ${where} (e.g. ${preset.baseUrl})`;
}

import type { ProviderName } from './queues.js';
import type { EditFormat } from '../edits/formats/index.js';
import { chooseLocalModel, DEFAULT_EMBEDDED_MODEL, draftingOf } from '../models/catalog.js';

// A provider preset says where drafts come from and how to talk to it. The
// key itself never travels through Temporal: only the *name* of the variable
// does, and the draft worker reads it from its own environment.
export interface ProviderPreset {
  name: ProviderName;
  baseUrl?: string; // undefined for the in-process embedded model
  baseUrlVar?: string; // environment variable that overrides baseUrl
  apiKeyVar?: string; // environment variable holding the key
  keyRequired: boolean;
  defaultModel: string;
  modelVar?: string;
  contextTokens: number;
  maxOutputTokens: number;
  editFormat: EditFormat; // small models do better with whole files
  /** Small models need sampling diversity across candidates; large ones less so. */
  temperature: number;
  /** Default worker-side limits for this provider's queue (shared across workers). */
  maxConcurrent: number;
  maxPerSecond?: number;
}

export const PRESETS: Record<ProviderName, ProviderPreset> = {
  openai: {
    name: 'openai',
    baseUrl: 'https://api.openai.com/v1',
    baseUrlVar: 'OPENAI_BASE_URL',
    apiKeyVar: 'OPENAI_API_KEY',
    keyRequired: true,
    defaultModel: 'gpt-4.1-mini',
    modelVar: 'OURO_OPENAI_MODEL',
    contextTokens: 128_000,
    maxOutputTokens: 8192,
    editFormat: 'search-replace',
    temperature: 0.4,
    maxConcurrent: 8,
  },
  cerebras: {
    name: 'cerebras',
    baseUrl: 'https://api.cerebras.ai/v1',
    baseUrlVar: 'CEREBRAS_BASE_URL',
    apiKeyVar: 'CEREBRAS_API_KEY',
    keyRequired: true,
    defaultModel: 'llama-3.3-70b',
    modelVar: 'OURO_CEREBRAS_MODEL',
    contextTokens: 65_536,
    maxOutputTokens: 8192,
    editFormat: 'search-replace',
    temperature: 0.4,
    maxConcurrent: 4,
    // Cerebras' free tier allows roughly 30 requests per minute.
    maxPerSecond: 0.5,
  },
  gpu: {
    name: 'gpu',
    baseUrl: 'http://127.0.0.1:8000/v1',
    baseUrlVar: 'OURO_GPU_BASE_URL',
    apiKeyVar: 'OURO_GPU_API_KEY',
    keyRequired: false,
    defaultModel: 'default',
    modelVar: 'OURO_GPU_MODEL',
    contextTokens: 32_768,
    maxOutputTokens: 4096,
    editFormat: 'search-replace',
    temperature: 0.4,
    maxConcurrent: 16,
  },
  // The embedded model's own settings live in its catalogue entry (core/models/catalog.ts);
  // these are the default model's, and resolveProvider reads the one OURO_LOCAL_MODEL names.
  local: {
    name: 'local',
    keyRequired: false,
    defaultModel: 'embedded',
    contextTokens: DEFAULT_EMBEDDED_MODEL.drafting.contextTokens,
    maxOutputTokens: DEFAULT_EMBEDDED_MODEL.drafting.maxOutputTokens,
    editFormat: 'whole-file',
    temperature: DEFAULT_EMBEDDED_MODEL.drafting.temperature,
    maxConcurrent: 1,
  },
};

export interface ResolvedProvider {
  name: ProviderName;
  baseUrl?: string;
  /** Where baseUrl came from: a flag is the run's own; an environment variable or the preset yields to the draft worker's variable. */
  baseUrlFrom?: BaseUrlSource;
  apiKeyVar?: string;
  model: string;
  editFormat: EditFormat;
  maxOutputTokens: number;
  temperature: number;
}

/** Preset + run overrides + environment (client side, before a run starts). */
export function resolveProvider(
  name: ProviderName,
  overrides: { model?: string; baseUrl?: string; editFormat?: EditFormat },
  env: Record<string, string | undefined>,
): ResolvedProvider {
  const p = PRESETS[name];
  const envUrl = p.baseUrlVar ? env[p.baseUrlVar] : undefined;
  const envModel = p.modelVar ? env[p.modelVar] : undefined;
  // The embedded model is the worker's (OURO_LOCAL_MODEL there); where the CLI shares its environment, its settings are known here too.
  const local = name === 'local' ? draftingOf(chooseLocalModel(env.OURO_LOCAL_MODEL)) : undefined;
  return {
    name,
    baseUrl: overrides.baseUrl ?? envUrl ?? p.baseUrl,
    ...(p.baseUrl ? { baseUrlFrom: overrides.baseUrl ? 'flag' : envUrl ? 'env' : 'preset' } : {}),
    apiKeyVar: p.apiKeyVar,
    model: overrides.model ?? envModel ?? p.defaultModel,
    editFormat: overrides.editFormat ?? p.editFormat,
    maxOutputTokens: local?.maxOutputTokens ?? p.maxOutputTokens,
    temperature: local?.temperature ?? p.temperature,
  };
}

export type BaseUrlSource = 'flag' | 'env' | 'preset';

/** The provider of one draft slot as a run plans it: enough to check its configuration. */
export interface ProviderSlot {
  provider: ProviderName;
  baseUrl?: string;
  apiKeyVar?: string;
}

/**
 * What is wrong with a slot's provider configuration before any request is sent, said with its
 * fix; undefined when nothing is. A missing key or an address that is not an http(s) URL is bad
 * input (exit 2), whatever the network would have answered.
 */
export function providerConfigProblem(slot: ProviderSlot, env: Record<string, string | undefined>): string | undefined {
  const preset = PRESETS[slot.provider];
  if (preset.keyRequired && !(slot.apiKeyVar && env[slot.apiKeyVar]?.trim())) {
    return `${slot.provider} needs an API key: export ${slot.apiKeyVar}=… (here and on the workers serving ${slot.provider}), or pick another provider with --drafts`;
  }
  if (slot.provider !== 'local' && !isHttpUrl(slot.baseUrl)) {
    const where = preset.baseUrlVar ? `--base-url or ${preset.baseUrlVar}` : '--base-url';
    return `${slot.provider}: ${JSON.stringify(slot.baseUrl ?? '')} is not an http(s) URL; give one with ${where} (e.g. ${preset.baseUrl})`;
  }
  return undefined;
}

function isHttpUrl(value: string | undefined): boolean {
  if (!value) return false;
  try {
    const { protocol } = new URL(value);
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
}

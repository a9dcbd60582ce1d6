import { PRESETS } from '../core/run/providers.js';
import type { DraftSlotPlan } from '../core/run/types.js';
import { CliError } from './client.js';

// Before a run starts: a missing key or a URL nobody answers is reported
// now, not as a failed activity minutes later.
export async function preflight(
  slots: DraftSlotPlan[],
  env: Record<string, string | undefined>,
  checkLocal: (slot: DraftSlotPlan) => Promise<void>,
): Promise<void> {
  const seen = new Set<string>();
  for (const slot of slots) {
    const key = `${slot.provider}|${slot.baseUrl ?? ''}`;
    if (seen.has(key)) continue;
    seen.add(key);
    if (slot.provider === 'local') {
      await checkLocal(slot);
      continue;
    }
    const preset = PRESETS[slot.provider];
    const apiKey = slot.apiKeyVar ? env[slot.apiKeyVar] : undefined;
    if (preset.keyRequired && !apiKey) {
      throw new CliError(
        `${slot.provider} needs an API key: export ${slot.apiKeyVar}=… (here and on the workers serving ${slot.provider}), or pick another provider with --drafts`,
      );
    }
    const url = `${slot.baseUrl!.replace(/\/$/, '')}/models`;
    let res: Response;
    try {
      res = await fetch(url, { headers: apiKey ? { authorization: `Bearer ${apiKey}` } : {}, signal: AbortSignal.timeout(5000) });
    } catch (err) {
      throw new CliError(
        `${slot.provider}: nothing answers at ${slot.baseUrl} (${(err as Error).cause ?? (err as Error).message}). Check --base-url or ${preset.baseUrlVar}.`,
      );
    }
    if (res.status === 401 || res.status === 403) {
      throw new CliError(`${slot.provider}: the API key in ${slot.apiKeyVar} was refused (${res.status}).`);
    }
  }
}

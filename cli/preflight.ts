import { PRESETS, providerConfigProblem } from '../core/run/providers.js';
import type { DraftSlotPlan } from '../core/run/types.js';
import { CliError } from './client.js';
import { EXIT } from './render.js';

// Before a run starts: a missing key or a URL nobody answers is reported
// now, not as a failed activity minutes later. Each is a configuration the
// user gave (or did not), so it exits as bad input and says what to change.
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
      await checkLocal(slot).catch((err: unknown) => {
        throw err instanceof CliError ? new CliError(err.message, EXIT.usage) : err;
      });
      continue;
    }
    const problem = providerConfigProblem(slot, env);
    if (problem) throw new CliError(problem, EXIT.usage);
    const preset = PRESETS[slot.provider];
    const apiKey = slot.apiKeyVar ? env[slot.apiKeyVar] : undefined;
    const url = `${slot.baseUrl!.replace(/\/$/, '')}/models`;
    let res: Response;
    try {
      res = await fetch(url, { headers: apiKey ? { authorization: `Bearer ${apiKey}` } : {}, signal: AbortSignal.timeout(5000) });
    } catch (err) {
      throw new CliError(
        `${slot.provider}: nothing answers at ${slot.baseUrl} (${(err as Error).cause ?? (err as Error).message}). Start the server there, or point --base-url or ${preset.baseUrlVar} at one that answers (--no-preflight skips this check).`,
        EXIT.usage,
      );
    }
    if (res.status === 401 || res.status === 403) {
      throw new CliError(
        `${slot.provider}: the API key in ${slot.apiKeyVar} was refused (${res.status}); export a valid one, or pick another provider with --drafts.`,
        EXIT.usage,
      );
    }
  }
}

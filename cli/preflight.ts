import { PRESETS, providerConfigProblem } from '../core/run/providers.js';
import type { DraftSlotPlan } from '../core/run/types.js';
import { CliError } from './client.js';
import { EXIT } from './render.js';
import type { WorkerCheck } from './provider-check.js';
import type { ProviderCheckAnswer } from '../core/run/provider-check.js';

// Before a run starts: a missing key or a URL nobody answers is reported
// now, not as a failed activity minutes later. Each is a configuration the
// user gave (or did not), so it exits as bad input and says what to change.
// The drafts run on the draft queue's worker, with its environment: that
// worker is asked (askWorker, cli/provider-check.ts) and its answer is the
// verdict. Only where no worker serves the queue yet is the provider checked
// in this shell's environment, as the best guess there is.
//
// It answers the slots again, each embedded-model slot with the context window its worker drafts
// with (contextTokens): the git worker that fits the draft context to it may run another model.
export async function preflight(
  slots: DraftSlotPlan[],
  env: Record<string, string | undefined>,
  checkLocal: (slot: DraftSlotPlan) => Promise<void>,
  askWorker?: (slot: DraftSlotPlan) => Promise<WorkerCheck>,
  say: (line: string) => void = (line) => process.stderr.write(`ouro: ${line}\n`),
): Promise<DraftSlotPlan[]> {
  const seen = new Set<string>();
  let localWindow: number | undefined;
  for (const slot of slots) {
    const key = `${slot.provider}|${slot.baseUrl ?? ''}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const answered = askWorker ? await answeredByWorker(slot, askWorker, say) : undefined;
    if (answered) {
      if (answered !== 'not checked' && slot.provider === 'local') localWindow = answered.contextTokens;
      continue;
    }
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
  return localWindow === undefined ? slots : slots.map((s) => (s.provider === 'local' ? { ...s, contextTokens: localWindow } : s));
}

/**
 * The worker's answer where it gave the verdict (a problem is thrown), 'not checked' where no worker took
 * the check in time; undefined where none could be asked, and this shell's check is next.
 */
async function answeredByWorker(
  slot: DraftSlotPlan,
  askWorker: (slot: DraftSlotPlan) => Promise<WorkerCheck>,
  say: (line: string) => void,
): Promise<ProviderCheckAnswer | 'not checked' | undefined> {
  let check: WorkerCheck;
  try {
    check = await askWorker(slot);
  } catch (err) {
    // The server could not run the check (an old worker without it, an outage): today's check stands in.
    say(`${slot.provider}: the workers could not be asked (${(err as Error).message.split('\n')[0]}); checking in this shell's environment instead`);
    return undefined;
  }
  if (check.kind === 'unserved') {
    say(`${slot.provider}: no worker serves ${check.queue} yet; checking in this shell's environment instead`);
    return undefined;
  }
  if (check.kind === 'not-picked-up') {
    say(`${slot.provider}: no worker took the check within ${check.seconds} s (all busy?): not checked`);
    return 'not checked';
  }
  const a = check.answer;
  if (a.problem) throw new CliError(`${a.problem} [checked on worker ${a.worker}]`, EXIT.usage);
  say(`${slot.provider}: checked on worker ${a.worker}: ${a.ok.join('; ')}`);
  if (a.warning) say(`warning: ${a.warning} [worker ${a.worker}]`);
  return a;
}

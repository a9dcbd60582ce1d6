import { describe, expect, it } from 'vitest';
import { CliError } from '../../../cli/client.js';
import { preflight } from '../../../cli/preflight.js';
import type { WorkerCheck } from '../../../cli/provider-check.js';
import { resolveProvider } from '../../../core/run/providers.js';
import type { DraftSlotPlan } from '../../../core/run/types.js';

// The preflight's reading of a worker's answer; the answer itself comes from a real worker in test/e2e/preflight-worker.test.ts.
const gpu: DraftSlotPlan = { ...resolveProvider('gpu', {}, {}), provider: 'gpu', count: 1 };
const openai: DraftSlotPlan = { ...resolveProvider('openai', {}, {}), provider: 'openai', count: 1 };

async function run(slots: DraftSlotPlan[], env: Record<string, string>, check: WorkerCheck | Error) {
  const lines: string[] = [];
  const asked: string[] = [];
  let checked: DraftSlotPlan[] | undefined;
  const err = await preflight(
    slots,
    env,
    async () => {},
    async (slot) => {
      asked.push(slot.provider);
      if (check instanceof Error) throw check;
      return check;
    },
    (l) => lines.push(l),
  ).then(
    (answered) => {
      checked = answered;
      return undefined;
    },
    (e: unknown) => e,
  );
  return { err, lines, asked, checked };
}

describe('preflight with a worker to ask', () => {
  it("the worker's answer is the verdict: this shell's missing key is not looked at", async () => {
    const r = await run(
      [openai],
      {},
      { kind: 'answered', answer: { worker: '7@gpu-box', provider: 'openai', ok: ['https://api.openai.com/v1 answers (200; from the preset)'] } },
    );
    expect(r.err).toBeUndefined();
    expect(r.lines).toEqual(['openai: checked on worker 7@gpu-box: https://api.openai.com/v1 answers (200; from the preset)']);
  });

  it("the worker's problem exits 2 and names the worker", async () => {
    const r = await run([gpu], {}, { kind: 'answered', answer: { worker: '7@gpu-box', provider: 'gpu', ok: [], problem: 'gpu: nothing answers at …' } });
    expect(r.err).toBeInstanceOf(CliError);
    expect((r.err as CliError).exitCode).toBe(2);
    expect((r.err as CliError).message).toBe('gpu: nothing answers at … [checked on worker 7@gpu-box]');
  });

  it('a warning is said and the run goes on', async () => {
    const r = await run([gpu], {}, { kind: 'answered', answer: { worker: 'w', provider: 'gpu', ok: ['up'], warning: 'model not listed' } });
    expect(r.err).toBeUndefined();
    expect(r.lines[1]).toBe('warning: model not listed [worker w]');
  });

  it("no worker serves the queue: this shell's check, as before (a key missing here is refused)", async () => {
    const r = await run([openai], {}, { kind: 'unserved', queue: 'ouro-draft-openai' });
    expect(r.lines).toEqual(["openai: no worker serves ouro-draft-openai yet; checking in this shell's environment instead"]);
    expect((r.err as CliError).message).toMatch(/openai needs an API key: export OPENAI_API_KEY/);
  });

  it('a busy queue is not checked, not refused', async () => {
    const r = await run([gpu], {}, { kind: 'not-picked-up', seconds: 10 });
    expect(r.err).toBeUndefined();
    expect(r.lines).toEqual(['gpu: no worker took the check within 10 s (all busy?): not checked']);
  });

  it("a server that cannot run the check: this shell's check stands in", async () => {
    const r = await run([openai], {}, new Error('14 UNAVAILABLE: no connection\nmore'));
    expect(r.lines[0]).toMatch(/openai: the workers could not be asked \(14 UNAVAILABLE: no connection\); checking in this shell's environment instead/);
    expect(r.err).toBeInstanceOf(CliError);
  });

  it("the embedded model's window travels from the worker that runs it into the run's slots; no answer leaves them as they were", async () => {
    const local: DraftSlotPlan = { ...resolveProvider('local', {}, {}), provider: 'local', count: 2 };
    const answer = { worker: 'w', provider: 'local' as const, ok: ['embedded model smollm2-135m installed (/m.gguf)'], contextTokens: 4096 };
    const r = await run([local, gpu], {}, { kind: 'answered', answer });
    expect(r.checked).toEqual([{ ...local, contextTokens: 4096 }, gpu]);
    expect((await run([local], {}, { kind: 'not-picked-up', seconds: 10 })).checked).toEqual([local]);
    // An older worker says nothing of its window: the git worker's own reading stands.
    expect((await run([local], {}, { kind: 'answered', answer: { ...answer, contextTokens: undefined } })).checked).toEqual([
      { ...local, contextTokens: undefined },
    ]);
  });

  it('each provider and URL is asked once', async () => {
    const r = await run([gpu, { ...gpu, count: 3 }], {}, { kind: 'answered', answer: { worker: 'w', provider: 'gpu', ok: ['up'] } });
    expect(r.asked).toEqual(['gpu']);
  });
});

// What a draft's feedback share cut (core/edits/feedback-cut.ts) reaches the candidate's row, decided
// by the real SelfCodingWorkflow from scripted activities: beside the context's own cuts where there
// is a context report, alone where there is none, and nothing where the draft cut nothing.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { RunResult } from '../../core/run/types.js';
import { happyStubs, oneQueue, runInput, withStubWorker, type Stubs } from './stubbed.js';

const CUT = 'feedback: trimmed to 1200 of 3400 tokens';

async function run(stubs: Stubs): Promise<RunResult> {
  const queues = oneQueue();
  const input = runInput(queues, { drafts: 'gpu:3', rounds: 1 });
  return withStubWorker(queues.workflow, stubs, (env) =>
    env.client.workflow.execute('SelfCodingWorkflow', {
      taskQueue: queues.workflow,
      workflowId: `stub-feedback-cut-${randomBytes(4).toString('hex')}`,
      args: [input],
    }),
  ) as Promise<RunResult>;
}

/** Drafts whose feedback was cut for every candidate but the first. */
function cuttingDrafts(stubs: Stubs): Stubs {
  const draft = stubs.draft;
  stubs.draft = async (req) => {
    const result = await draft(req);
    return req.candidateId.endsWith('c1') ? result : { ...result, feedbackCut: CUT };
  };
  return stubs;
}

describe("the feedback a draft's share cut, on its candidate's row", () => {
  it("follows the context's report where there is one, and leaves a draft that cut nothing as it was", async () => {
    const result = await run(cuttingDrafts(happyStubs()));
    const rows = new Map(result.candidates.map((c) => [c.id.slice(-2), c.context]));
    expect(rows.size).toBe(3);
    expect(rows.get('c1')).toBe('stubbed');
    expect(rows.get('c2')).toBe(`stubbed; ${CUT}`);
    expect(rows.get('c3')).toBe(`stubbed; ${CUT}`);
  }, 30_000);

  it("is the row's whole context line where the run gathered no report", async () => {
    const stubs = happyStubs();
    stubs.gatherContext = async (req) => ({ allowed: req.files, contexts: [] });
    const result = await run(cuttingDrafts(stubs));
    const rows = new Map(result.candidates.map((c) => [c.id.slice(-2), c.context]));
    expect(rows.get('c1')).toBeUndefined();
    expect(rows.get('c2')).toBe(CUT);
    expect(rows.get('c3')).toBe(CUT);
  }, 30_000);
});

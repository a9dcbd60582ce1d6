import { describe, expect, it } from 'vitest';
import { queuesNeeded, unservedWarning } from '../../../core/run/queue-needs.js';
import { queueNames } from '../../../core/run/queues.js';

const q = queueNames('p-');
const slot = (provider: 'local' | 'gpu' | 'openai') => ({ provider }) as never;

describe('the queues a run needs', () => {
  it('lists the workflow, git and sandbox queues, and each draft provider once', () => {
    const needs = queuesNeeded({ queues: q, drafts: [slot('gpu'), slot('local'), slot('gpu')] });
    expect(needs.map((n) => `${n.kind}:${n.queue}`)).toEqual([
      'workflow:p-ouro',
      'activity:p-ouro-git',
      'activity:p-ouro-sandbox',
      'activity:p-ouro-draft-gpu',
      'activity:p-ouro-draft-local',
    ]);
  });

  it('warns nothing when every queue is served', () => {
    expect(unservedWarning([], 600)).toBeUndefined();
  });

  it('says which unserved queues end the run and which only wait, and how to serve them all', () => {
    const needs = queuesNeeded({ queues: q, drafts: [slot('openai')] });
    const text = unservedWarning([needs[2]!, needs[3]!], 120)!;
    expect(text).toMatch(/these task queues/);
    expect(text).toContain('p-ouro-sandbox (tests and benchmarks): the run waits until a worker polls it');
    expect(text).toContain('p-ouro-draft-openai (openai drafts): its drafts wait 120 s, then the run ends no-worker');
    expect(text).toContain('ouro worker --queues p-ouro-sandbox,p-ouro-draft-openai');
  });

  it('without a wait limit (a run from before it), a draft queue only waits', () => {
    const needs = queuesNeeded({ queues: q, drafts: [slot('gpu')] });
    expect(unservedWarning([needs[3]!], undefined)).toContain('p-ouro-draft-gpu (gpu drafts): the run waits until a worker polls it');
  });
});

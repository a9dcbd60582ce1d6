// One judgeBatch activity in a process of its own, request on stdin and result on
// stdout: lets a test run the judge as another user (a worker that is not root).
import { MockActivityEnvironment } from '@temporalio/testing';
import { judgeBatch } from '../../activities/sandbox/judge-batch.js';
import type { JudgeBatchRequest } from '../../core/contracts/eval.js';

let text = '';
for await (const chunk of process.stdin) text += String(chunk);
const env = new MockActivityEnvironment({ heartbeatTimeoutMs: 120_000 });
const result = await env.run(judgeBatch, JSON.parse(text) as JudgeBatchRequest);
process.stdout.write(`${JSON.stringify(result)}\n`);

import { beforeAll, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { join } from 'node:path';
import { freePort } from '../../dev/ports.js';
import { useFakeGpuWorker } from '../helpers/fake-gpu-worker.js';
import { exampleRepo, PROJECT_ROOT, testClient, uniquePrefix, waitFor } from '../helpers/harness.js';

// The preflight of `ouro run` asks the draft queue's worker, a real one on the suite's dev server:
// this process is the worker, its environment the worker's; `ouro run` is a child with another.
const own = useFakeGpuWorker((q) => [q.workflow, q.git, q.sandbox, q.draft.gpu, q.draft.openai]);
let repo: string;

beforeAll(async () => {
  repo = await exampleRepo();
});

/** `ouro run` with exactly the environment given (plus PATH and HOME): the CLI's view. */
function ouroRun(args: string[], env: Record<string, string>, queuePrefix = own.prefix) {
  // The goal, files and tests are the example's ouro.config.json (a --fix run of its vitest suite).
  return execa('node', [join(PROJECT_ROOT, 'bin', 'ouro.js'), 'run', repo, ...args], {
    reject: false,
    extendEnv: false,
    env: { PATH: process.env.PATH!, HOME: process.env.HOME!, TEMPORAL_ADDRESS: own.address, OURO_QUEUE_PREFIX: queuePrefix, ...env },
  });
}

async function terminate(id: string): Promise<void> {
  await (await testClient()).workflow.getHandle(id).terminate('preflight test');
}

describe("preflight: the worker's view", () => {
  it("a base URL set only on the worker passes, where the CLI points at nothing; the answering worker is named, and the run's drafts go there", async () => {
    const dead = `http://127.0.0.1:${await freePort()}/v1`;
    const id = `preflight-${own.prefix}gpu`;
    const r = await ouroRun(['--drafts', 'gpu:1', '--model', 'fake-model', '--id', id], { OURO_GPU_BASE_URL: dead });
    // The draft worker sends the run's drafts where its own variable points, as the preflight checked.
    if (r.exitCode === 0)
      await waitFor(() => (own.fake.requests.length ? true : undefined), 'a draft at the worker-side URL', 60_000).finally(() => terminate(id));
    expect(r.stderr).toContain(
      `ouro: gpu: checked on worker ${own.worker}: ${own.fake.url} answers (200; from OURO_GPU_BASE_URL on the worker); model fake-model is served there`,
    );
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain(`started ${id}`);
  });

  it("a key the CLI has and the worker lacks is refused, naming the worker's variable and the worker", async () => {
    const r = await ouroRun(['--drafts', 'openai:1'], { OPENAI_API_KEY: 'sk-only-in-the-cli', OPENAI_BASE_URL: own.fake.url });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(
      new RegExp(
        `openai needs an API key, and OPENAI_API_KEY is not set on the worker: export it where the worker runs.*\\[checked on worker ${own.worker}\\]`,
      ),
    );
  });

  it("no worker serves the queue: today's check in the CLI's environment, and today's message", async () => {
    const dead = `http://127.0.0.1:${await freePort()}/v1`;
    const nobody = uniquePrefix();
    const r = await ouroRun(['--drafts', 'gpu:1'], { OURO_GPU_BASE_URL: dead }, nobody);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain(`ouro: gpu: no worker serves ${nobody}ouro-draft-gpu yet; checking in this shell's environment instead`);
    expect(r.stderr).toContain(`gpu: nothing answers at ${dead}`);
  });
});

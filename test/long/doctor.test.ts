import { describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { join } from 'node:path';
import { useFakeGpuWorker } from '../helpers/fake-gpu-worker.js';
import { PROJECT_ROOT } from '../helpers/harness.js';

// `ouro doctor` against the suite's dev server, with a real worker (this process) serving the
// workflow queue and two draft queues: the GPU server is set in the worker's environment only,
// the OpenAI key nowhere. The sandbox, strace and cgroup lines are this machine's.
const own = useFakeGpuWorker((q) => [q.workflow, q.draft.gpu, q.draft.openai]);

function doctor(args: string[], env: Record<string, string> = {}) {
  return execa('node', [join(PROJECT_ROOT, 'bin', 'ouro.js'), 'doctor', PROJECT_ROOT, ...args], {
    reject: false,
    extendEnv: false,
    env: {
      PATH: process.env.PATH!,
      HOME: process.env.HOME!,
      TEMPORAL_ADDRESS: own.address,
      OURO_QUEUE_PREFIX: own.prefix,
      OURO_GPU_MODEL: 'fake-model',
      ...env,
    },
  });
}

describe('ouro doctor', () => {
  it("a line per check; a provider is judged by its worker's environment and names it; a required failure exits 1", async () => {
    const r = await doctor(['--drafts', 'gpu:2,openai:1'], { OPENAI_API_KEY: 'sk-only-in-the-cli' });
    expect(r.stdout).toMatch(new RegExp(`^✓ temporal +${own.address.replace(/[.]/g, '\\.')} answers, namespace default$`, 'm'));
    expect(r.stdout).toMatch(/^[✓✗] bubblewrap /m);
    expect(r.stdout).toMatch(/^[✓✗] sandbox /m);
    expect(r.stdout).toMatch(/^[✓!] strace /m);
    expect(r.stdout).toMatch(/^[✓!] cgroups /m);
    expect(r.stdout).toContain(
      `✓ provider gpu     ${own.fake.url} answers (200; from OURO_GPU_BASE_URL on the worker); model fake-model is served there [worker ${own.worker}]`,
    );
    expect(r.stdout).toMatch(
      new RegExp(`^✗ provider openai +openai needs an API key, and OPENAI_API_KEY is not set on the worker.*\\[worker ${own.worker}\\]$`, 'm'),
    );
    // Git and sandbox queues have no worker here: said, with the command that serves them, not a failure.
    expect(r.stdout).toMatch(new RegExp(`^! workers +no worker polls ${own.prefix}ouro-git, ${own.prefix}ouro-sandbox$`, 'm'));
    expect(r.stdout).toContain(`fix: ouro worker --queues ${own.prefix}ouro-git,${own.prefix}ouro-sandbox`);
    expect(r.stdout).toMatch(/required checks? failed/);
    expect(r.exitCode).toBe(1);
  });

  it('every required check passing exits 0; a bad --drafts is bad input', async () => {
    const r = await doctor(['--drafts', 'gpu:1']);
    // Only this host's sandbox lines may fail here (a machine without usable bubblewrap); then the exit says so.
    const failing = r.stdout.split('\n').filter((l) => l.startsWith('✗'));
    expect(failing.filter((l) => !/^✗ (bubblewrap|sandbox) /.test(l))).toEqual([]);
    if (!failing.length) expect(r.stdout).toMatch(/^ready: every required check passed/m);
    expect(r.exitCode).toBe(failing.length ? 1 : 0);
    const bad = await doctor(['--drafts', 'nope:1']);
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toMatch(/--drafts: .*"nope:1": expected provider\[:count\]/);
  });
});

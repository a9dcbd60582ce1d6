// The self-hosting demo (npm run demo:self-evolve) as a user runs it, with the
// scripted model: Ouro clones itself, evolves its own median function under its
// own unit tests, and promotes the faster version onto an evolve branch.
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../helpers/harness.js';

describe('Ouro evolving its own code', () => {
  it('npm run demo:self-evolve -- --scripted: quickselect median, gated by Ouro’s unit tests, promoted', async () => {
    const run = await execa('node', ['--import', 'tsx', 'cli/self-evolve.ts', '--scripted', '--max-drafts', '2', '--json'], {
      cwd: PROJECT_ROOT,
      reject: false,
      env: { TEMPORAL_ADDRESS: '', OURO_QUEUE_PREFIX: `self${process.pid}-` },
      extendEnv: true,
    });
    expect(run.exitCode, run.stderr.slice(-3000)).toBe(0);
    const result = JSON.parse(run.stdout) as { promoted: Array<{ programId: string; score: number }>; best: { score: number }; evaluations: number };
    expect(result.evaluations).toBe(2);
    expect(result.promoted.length).toBeGreaterThanOrEqual(1);
    expect(result.best.score).toBeGreaterThan(2);
  }, 600_000);
});

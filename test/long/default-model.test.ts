// The demo as a newcomer runs it, on the default embedded model itself (not the
// fast stand-in the other tests draft with): a fresh example repository, the real
// coder model on the CPU, the loop through a dev server of its own, a commit.
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../helpers/harness.js';
import { freePort } from '../../dev/ports.js';
import { DEFAULT_EMBEDDED_MODEL } from '../../core/models/catalog.js';

describe('the default embedded model', () => {
  it(`npm run demo on ${DEFAULT_EMBEDDED_MODEL.id}: the largest() bug fixed and committed`, async () => {
    const run = await execa('node', ['--import', 'tsx', 'cli/demo.ts', '--port', String(await freePort()), '--ui-port', String(await freePort())], {
      cwd: PROJECT_ROOT,
      reject: false,
      all: true,
      // Unset: the worker takes the default, as on a fresh clone.
      env: { OURO_LOCAL_MODEL: '', TEMPORAL_ADDRESS: '', OURO_QUEUE_PREFIX: `default${process.pid}-` },
      extendEnv: true,
    });
    const out = String(run.all);
    expect(run.exitCode, out.slice(-3000)).toBe(0);
    expect(out).toMatch(/outcome: committed/);
    expect(out).toContain(`embedded model: ${DEFAULT_EMBEDDED_MODEL.id}`);
  }, 900_000);
});

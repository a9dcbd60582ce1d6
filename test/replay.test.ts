import { describe, expect, it } from 'vitest';
import { Worker } from '@temporalio/worker';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils.js';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { workflowBundlePath } from '../worker/bundle.js';
import { PROJECT_ROOT } from '../adapters/project-root.js';
import { installRuntime } from '../worker/runtime.js';

// Determinism guard: histories recorded from real runs (OURO_RECORD_HISTORIES=1
// npm test rewrites them) must replay against today's workflow code. A change
// that would break running workflows fails here, not in production.
// The *-concurrent histories were recorded (stubbed activities, test/workflows) from the
// workflows before they were split into stage modules, with several activities finishing in
// one workflow task: one extra await on one path reorders the commands, and they fail.
const DIR = join(PROJECT_ROOT, 'test', 'histories');

describe('replay of recorded histories', async () => {
  const files = (await readdir(DIR)).filter((f) => f.endsWith('.json')).sort();

  it('has recorded histories to replay', () => {
    expect(files.length).toBeGreaterThanOrEqual(4);
  });

  it.each(files)('%s replays without nondeterminism', async (file) => {
    installRuntime();
    const { workflowId, ...raw } = JSON.parse(await readFile(join(DIR, file), 'utf8')) as { workflowId?: string };
    const history = historyFromJSON(raw);
    await expect(
      Worker.runReplayHistory({ workflowBundle: { codePath: await workflowBundlePath() } }, history, workflowId ?? `replay-${file}`),
    ).resolves.toBeUndefined();
  });
});

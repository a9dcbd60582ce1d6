// The layers hold by rule: ESLint (eslint.config.js) refuses an import that
// runs up or across them. Each case lints a real file of the tree with one
// import added, as a change under review would.
import { ESLint } from 'eslint';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../adapters/project-root.js';

const eslint = new ESLint({ cwd: PROJECT_ROOT });

async function boundaryErrors(file: string, extra: string): Promise<string[]> {
  const text = `${readFileSync(join(PROJECT_ROOT, file), 'utf8')}\n${extra}\n`;
  const [result] = await eslint.lintText(text, { filePath: join(PROJECT_ROOT, file) });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports' || m.ruleId === 'no-restricted-syntax').map((m) => m.message);
}

describe('layer boundaries', () => {
  it.each([
    ['core/run/duration.ts', "import { git as _g } from '../../adapters/git/git.js';", 'adapters/'],
    ['core/gate/gate.ts', "import { runTests as _r } from '../../activities/sandbox/test.js';", 'activities/'],
    ['adapters/git/git.ts', "import { prepareRun as _p } from '../../activities/git/workspace.js';", 'activities/'],
    ['adapters/sandbox/cgroup.ts', "import { workflowBundlePath as _w } from '../../worker/bundle.js';", 'worker/'],
    ['activities/git/commit.ts', "import { startDevServer as _s } from '../../dev/dev-server.js';", 'dev/'],
    ['activities/draft/draft.ts', "import { program as _p } from '../../cli/main.js';", 'cli/'],
    ['scripts/setup.ts', "import { runWorkers as _r } from '../worker/main.js';", 'worker/'],
    ['worker/main.ts', "import { follow as _f } from '../cli/commands/follow.js';", 'cli/'],
    ['dev/ports.ts', "import { startRun as _s } from '../cli/commands/run.js';", 'cli/'],
    ['bench/train.ts', "import { gitLines as _g } from '../test/helpers/harness.js';", 'test/'],
    ['workflows/activity-options.ts', "import { git as _g } from '../adapters/git/git.js';", 'adapters/'],
  ])('%s may not import %s', async (file, line, layer) => {
    expect((await boundaryErrors(file, line)).join('\n')).toContain(`${layer} is out of reach`);
  });

  it('a workflow takes activities as types only, and no Node API', async () => {
    expect(await boundaryErrors('workflows/definitions.ts', "import type { runTests as _t } from '../activities/sandbox/test.js';")).toEqual([]);
    expect((await boundaryErrors('workflows/definitions.ts', "import { runTests as _r } from '../activities/sandbox/test.js';")).join()).toContain(
      'only as types',
    );
    expect((await boundaryErrors('workflows/definitions.ts', "import { readFileSync as _f } from 'node:fs';")).join()).toContain('no Node APIs');
  });

  it('a dynamic import is held to the same layers, and a workflow has none', async () => {
    const dynamic = (spec: string) => `export const _late = () => import('${spec}');`;
    expect((await boundaryErrors('core/run/duration.ts', dynamic('../../adapters/git/git.js'))).join()).toContain('dynamic import must not run up');
    expect((await boundaryErrors('activities/git/commit.ts', dynamic('../../cli/main.js'))).join()).toContain('dynamic import must not run up');
    expect((await boundaryErrors('bench/train.ts', dynamic('../test/helpers/harness.js'))).join()).toContain('dynamic import must not run up');
    expect((await boundaryErrors('workflows/definitions.ts', dynamic('../core/views/excerpt.js'))).join()).toContain('no dynamic import');
    expect(await boundaryErrors('cli/commands/run.ts', dynamic('../../core/views/excerpt.js'))).toEqual([]);
    expect(await boundaryErrors('adapters/model/local-model.ts', dynamic('node-llama-cpp'))).toEqual([]);
  });

  it("one queue's activities never import another's; activities/index.ts gathers them all", async () => {
    const refused = async (file: string, line: string) => (await boundaryErrors(file, line)).join('\n');
    expect(await refused('activities/sandbox/judge.ts', "import { cleanupRun as _c } from '../git/workspace.js';")).toContain(
      "one queue's activities never import another's",
    );
    expect(await refused('activities/git/commit.ts', "import { runTests as _r } from '../sandbox/test.js';")).toContain('activities/git/ may not reach');
    expect(await refused('activities/git/commit.ts', "import type { draft as _d } from '../draft/draft.js';")).toContain('activities/git/ may not reach');
    expect(await refused('activities/draft/draft.ts', "import { prepareRun as _p } from '../../activities/git/workspace.js';")).toContain(
      'activities/draft/ may not reach',
    );
    expect(await refused('activities/sandbox/test.ts', "export const _late = () => import('../git/workspace.js');")).toContain(
      "one queue's activities never import another's",
    );
    // Within a queue, and from the index, the imports pass; so does an adapter that sits beside a queue's name.
    expect(await boundaryErrors('activities/sandbox/judge-batch.ts', "import { runJudge as _r } from './judge.js';")).toEqual([]);
    expect(await boundaryErrors('activities/git/commit.ts', "import { sandboxMode as _s } from '../../adapters/sandbox/sandbox.js';")).toEqual([]);
    expect(await boundaryErrors('activities/index.ts', "import { runTests as _r } from './sandbox/test.js';")).toEqual([]);
  });

  it('core/ imports no Node API, by either name, statically or dynamically', async () => {
    const refused = async (line: string) => (await boundaryErrors('core/run/duration.ts', line)).join('\n');
    const message = 'core/ is pure logic: no Node APIs';
    expect(await refused("import { createHash as _h } from 'node:crypto';")).toContain(message);
    expect(await refused("import { posix as _p } from 'path';")).toContain(message);
    expect(await refused("import { readFile as _r } from 'fs/promises';")).toContain(message);
    expect(await refused("import type { ChildProcess as _C } from 'child_process';")).toContain(message);
    expect(await refused("export const _late = () => import('node:os');")).toContain(message);
    expect(await refused("export const _late = () => import('fs');")).toContain(message);
    // A package passes, and so does core's own path arithmetic; an adapter may use Node.
    expect(await boundaryErrors('core/run/duration.ts', "import { z as _z } from 'zod';")).toEqual([]);
    expect(await boundaryErrors('core/run/duration.ts', "import { posix as _p } from '../paths/posix.js';")).toEqual([]);
    expect(await boundaryErrors('adapters/git/git.ts', "import { createHash as _h } from 'node:crypto';")).toEqual([]);
  });

  it('the imports that run downwards pass', async () => {
    expect(await boundaryErrors('activities/git/commit.ts', "import { git as _g } from '../../adapters/git/git.js';")).toEqual([]);
    expect(await boundaryErrors('cli/commands/run.ts', "import { startDevServer as _s } from '../../dev/dev-server.js';")).toEqual([]);
  });
});

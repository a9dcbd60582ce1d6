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
    ['workflows/self-coding.ts', "import { git as _g } from '../adapters/git/git.js';", 'adapters/'],
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

  it('the imports that run downwards pass', async () => {
    expect(await boundaryErrors('activities/git/commit.ts', "import { git as _g } from '../../adapters/git/git.js';")).toEqual([]);
    expect(await boundaryErrors('cli/commands/run.ts', "import { startDevServer as _s } from '../../dev/dev-server.js';")).toEqual([]);
  });
});

import { describe, it, expect } from 'vitest';
import { z } from 'zod';
import { buildRunInput, DraftSpecSchema, RepoConfigSchema, type RepoConfig } from '../../../core/run/input.js';
import { formatZodError } from '../../../core/run/validation.js';
import { DEFAULT_PROTECTED } from '../../../core/run/file-rules.js';
import { DEFAULT_EMBEDDED_MODEL } from '../../../core/models/catalog.js';

const REQUIRED = { repo: '/home/dev/csv-lib', goal: 'Make parseCsv faster', files: 'src/parse.ts', test: 'npm test' };

/** Runs buildRunInput and returns formatZodError's text; fails if no ZodError is thrown. */
function errorText(flags: Record<string, unknown>, config: RepoConfig = {}, env: Record<string, string | undefined> = {}): string {
  try {
    buildRunInput(flags, config, env);
  } catch (err) {
    if (err instanceof z.ZodError) return formatZodError(err);
    throw err;
  }
  throw new Error('expected buildRunInput to throw a ZodError');
}

describe('buildRunInput: defaults', () => {
  const input = buildRunInput(REQUIRED, {}, {});

  it('copies the required values', () => {
    expect(input).toMatchObject({ repo: '/home/dev/csv-lib', goal: 'Make parseCsv faster', files: ['src/parse.ts'], testCommand: 'npm test' });
  });

  it('fills every optional setting with its default', () => {
    expect(input).toMatchObject({
      baseRef: 'HEAD',
      protectedPaths: DEFAULT_PROTECTED,
      baselineMayFail: false,
      benchRuns: 30,
      benchMode: 'wall',
      regressionTolerance: 0.02,
      maxRounds: 3,
      linkPaths: ['node_modules'],
      timeouts: { draftSeconds: 600, testSeconds: 300, benchSeconds: 600, heartbeatSeconds: 30 },
      hints: [],
    });
    expect(input.benchCommand).toBeUndefined();
    expect(input.speedupGoal).toBeUndefined();
    expect(input.targetBranch).toBeUndefined();
  });

  it('drafts with two local slots when nothing says otherwise', () => {
    expect(input.drafts).toEqual([
      {
        provider: 'local',
        count: 2,
        model: 'embedded',
        baseUrl: undefined,
        apiKeyVar: undefined,
        editFormat: 'whole-file',
        // The default embedded model's own settings (its catalogue entry).
        maxOutputTokens: DEFAULT_EMBEDDED_MODEL.drafting.maxOutputTokens,
        temperature: DEFAULT_EMBEDDED_MODEL.drafting.temperature,
      },
    ]);
    expect(input.drafts[0]).toMatchObject({ maxOutputTokens: 1024, temperature: 0.2 });
  });

  it('uses the unprefixed queue names', () => {
    expect(input.queues).toEqual({
      workflow: 'ouro',
      git: 'ouro-git',
      sandbox: 'ouro-sandbox',
      draft: { openai: 'ouro-draft-openai', cerebras: 'ouro-draft-cerebras', gpu: 'ouro-draft-gpu', local: 'ouro-draft-local' },
    });
  });

  it('prefixes every queue name with queuePrefix', () => {
    const q = buildRunInput({ ...REQUIRED, queuePrefix: 'ci-7-' }, {}, {}).queues;
    expect(q.workflow).toBe('ci-7-ouro');
    expect(q.git).toBe('ci-7-ouro-git');
    expect(q.sandbox).toBe('ci-7-ouro-sandbox');
    expect(Object.values(q.draft)).toEqual(['ci-7-ouro-draft-openai', 'ci-7-ouro-draft-cerebras', 'ci-7-ouro-draft-gpu', 'ci-7-ouro-draft-local']);
  });
});

describe('buildRunInput: ouro.config.json and flags', () => {
  const config: RepoConfig = RepoConfigSchema.parse({
    goal: 'Make the tokenizer faster',
    files: 'src/tokenizer.ts, src/util.ts',
    test: 'npm test',
    bench: 'node bench/tokenize.js',
    protected: ['test/**', 'bench/**'],
    linkPaths: ['node_modules', '.venv'],
    drafts: 'cerebras:4,local:1',
    rounds: 5,
    benchRuns: 9,
    speedup: 1.2,
    fix: true,
  });

  it('takes the repo config when no flag is given', () => {
    const input = buildRunInput({ repo: '/r' }, config, {});
    expect(input).toMatchObject({
      goal: 'Make the tokenizer faster',
      files: ['src/tokenizer.ts', 'src/util.ts'],
      testCommand: 'npm test',
      benchCommand: 'node bench/tokenize.js',
      protectedPaths: ['test/**', 'bench/**'],
      linkPaths: ['node_modules', '.venv'],
      maxRounds: 5,
      benchRuns: 9,
      speedupGoal: 1.2,
      baselineMayFail: true,
    });
    expect(input.drafts.map((d) => [d.provider, d.count])).toEqual([
      ['cerebras', 4],
      ['local', 1],
    ]);
  });

  it('lets flags (commander strings) win over the config', () => {
    const input = buildRunInput(
      {
        repo: '/r',
        goal: 'Cut memory use',
        files: 'src/pool.ts',
        test: 'npm run test:unit',
        drafts: 'gpu:3',
        rounds: '8',
        benchRuns: '2',
        speedup: '1.5',
        fix: false,
      },
      config,
      {},
    );
    expect(input).toMatchObject({
      goal: 'Cut memory use',
      files: ['src/pool.ts'],
      testCommand: 'npm run test:unit',
      maxRounds: 8,
      benchRuns: 2,
      speedupGoal: 1.5,
      baselineMayFail: false,
    });
    expect(input.drafts.map((d) => [d.provider, d.count])).toEqual([['gpu', 3]]);
    // What no flag overrode still comes from the config.
    expect(input.benchCommand).toBe('node bench/tokenize.js');
  });

  it('refuses a speedup goal (or --require-reliable) without a benchmark, naming the flag to add', () => {
    const base = { repo: '/r', goal: 'g', files: 'src/a.ts', test: 'npm test' };
    expect(() => buildRunInput({ ...base, speedup: '1.5' }, {}, {})).toThrow(/a speedup needs a benchmark to measure it: add --bench/);
    expect(() => buildRunInput({ ...base, requireReliable: true }, {}, {})).toThrow(/add --bench/);
    try {
      buildRunInput({ ...base, speedup: '1.5' }, {}, {});
    } catch (err) {
      expect(formatZodError(err as never)).toMatch(/^--speedup: a speedup needs a benchmark/);
    }
    expect(buildRunInput({ ...base, speedup: '1.5', bench: 'node b.js' }, {}, {}).speedupGoal).toBe(1.5);
  });

  it('does not let undefined flags erase config values', () => {
    const input = buildRunInput({ repo: '/r', goal: undefined, files: undefined, test: undefined, drafts: undefined, rounds: undefined }, config, {});
    expect(input.goal).toBe('Make the tokenizer faster');
    expect(input.maxRounds).toBe(5);
    expect(input.drafts[0]?.provider).toBe('cerebras');
  });

  it('splits and trims comma-separated files, dropping empty entries', () => {
    expect(buildRunInput({ ...REQUIRED, files: ' src/a.ts , ,src/b/*.ts,' }, {}, {}).files).toEqual(['src/a.ts', 'src/b/*.ts']);
  });

  it('passes hints, branch, base and tolerance through', () => {
    const input = buildRunInput({ ...REQUIRED, hints: ['avoid regexes', 'keep the API'], branch: 'ouro/faster-csv', base: 'main', tolerance: '0.1' }, {}, {});
    expect(input).toMatchObject({ hints: ['avoid regexes', 'keep the API'], targetBranch: 'ouro/faster-csv', baseRef: 'main', regressionTolerance: 0.1 });
  });

  it('rejects unknown keys in ouro.config.json', () => {
    expect(RepoConfigSchema.safeParse({ goal: 'x', drafs: 'local:2' }).success).toBe(false);
  });
});

describe('DraftSpecSchema', () => {
  it('parses "cerebras:6,local:2"', () => {
    expect(DraftSpecSchema.parse('cerebras:6,local:2')).toEqual([
      { provider: 'cerebras', count: 6 },
      { provider: 'local', count: 2 },
    ]);
  });

  it('defaults a count to 1 and tolerates spaces', () => {
    expect(DraftSpecSchema.parse(' gpu , openai:3 ')).toEqual([
      { provider: 'gpu', count: 1 },
      { provider: 'openai', count: 3 },
    ]);
  });

  it('accepts the count boundaries 1 and 32', () => {
    expect(DraftSpecSchema.parse('local:1,gpu:32')).toEqual([
      { provider: 'local', count: 1 },
      { provider: 'gpu', count: 32 },
    ]);
  });

  function issue(spec: string): string {
    const r = DraftSpecSchema.safeParse(spec);
    expect(r.success).toBe(false);
    return r.error?.issues.map((i) => i.message).join('\n') ?? '';
  }

  it('rejects an unknown provider, listing the known ones', () => {
    const msg = issue('cerebras:2,anthropic:2');
    expect(msg).toContain('"anthropic:2"');
    expect(msg).toContain('openai, cerebras, gpu, local');
  });

  it.each(['Local:2', 'local:two', 'local:-1', 'local:2:3', 'local 2'])('rejects the malformed part %j', (spec) => {
    expect(issue(spec)).toMatch(/expected provider\[:count\]/);
  });

  it('rejects a count of 0', () => {
    expect(issue('local:0')).toBe('"local:0": count must be between 1 and 32');
  });

  it('rejects a count of 33', () => {
    expect(issue('cerebras:33')).toBe('"cerebras:33": count must be between 1 and 32');
  });

  it.each(['', ' ', ',,'])('rejects an empty spec %j', (spec) => {
    expect(issue(spec)).toBe('no drafts requested');
  });

  it('reports a bad spec from the flags as a --drafts error', () => {
    expect(errorText({ ...REQUIRED, drafts: 'cerebras:6,local:0' })).toBe('--drafts: "local:0": count must be between 1 and 32');
    expect(errorText({ ...REQUIRED, drafts: 'claude:2' })).toMatch(/^--drafts: "claude:2": expected provider/);
  });
});

describe('buildRunInput: errors', () => {
  it('explains each missing required value, naming its flag and config key', () => {
    const text = errorText({ repo: '/r' });
    const lines = text.split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toBe('--goal: a goal is required: --goal "what to achieve" (or "goal" in ouro.config.json)');
    expect(lines[1]).toBe('--files: which files may the model change? --files src/x.ts (or "files" in ouro.config.json)');
    expect(lines[2]).toBe('--test: a test command is required: --test "npm test" (or "test" in ouro.config.json)');
  });

  it('gives the same help for blank values', () => {
    const text = errorText({ repo: '/r', goal: '   ', files: ' , ', test: '' });
    expect(text).toContain('--goal: a goal is required');
    expect(text).toContain('--files: which files may the model change?');
    expect(text).toContain('--test: a test command is required');
  });

  it('reports only what is missing', () => {
    expect(errorText({ repo: '/r', goal: 'g', files: 'a.ts' })).toBe('--test: a test command is required: --test "npm test" (or "test" in ouro.config.json)');
  });

  it('names camelCase settings by their kebab-case CLI flags', () => {
    expect(errorText({ ...REQUIRED, benchRuns: '0' })).toMatch(/^--bench-runs: /);
    expect(errorText({ ...REQUIRED, testTimeout: '0' })).toMatch(/^--test-timeout: /);
    expect(errorText({ ...REQUIRED, baseUrl: 'not a url' })).toMatch(/^--base-url: /);
  });

  it('rejects out-of-range numbers', () => {
    expect(errorText({ ...REQUIRED, rounds: '0' })).toMatch(/^--rounds: /);
    expect(errorText({ ...REQUIRED, rounds: '51' })).toMatch(/^--rounds: /);
    expect(errorText({ ...REQUIRED, temperature: '2.5' })).toMatch(/^--temperature: /);
    expect(errorText({ ...REQUIRED, speedup: '0.9' })).toMatch(/^--speedup: /);
    expect(errorText({ ...REQUIRED, rounds: 'many' })).toMatch(/^--rounds: /);
  });

  it('rejects branch names with spaces or other odd characters', () => {
    expect(errorText({ ...REQUIRED, branch: 'my branch' })).toBe('--branch: branch names may use letters, digits, . _ / -');
    expect(errorText({ ...REQUIRED, branch: 'a;rm -rf' })).toMatch(/^--branch: /);
  });
});

describe('buildRunInput: providers', () => {
  it('resolves cerebras from its preset', () => {
    const [slot] = buildRunInput({ ...REQUIRED, drafts: 'cerebras:6' }, {}, {}).drafts;
    expect(slot).toEqual({
      provider: 'cerebras',
      count: 6,
      model: 'llama-3.3-70b',
      baseUrl: 'https://api.cerebras.ai/v1',
      baseUrlFrom: 'preset',
      apiKeyVar: 'CEREBRAS_API_KEY',
      editFormat: 'search-replace',
      maxOutputTokens: 8192,
      temperature: 0.4,
    });
  });

  it('takes the gpu server URL and model from OURO_GPU_BASE_URL and OURO_GPU_MODEL', () => {
    const env = { OURO_GPU_BASE_URL: 'http://10.0.0.5:8000/v1', OURO_GPU_MODEL: 'Qwen/Qwen2.5-Coder-32B-Instruct' };
    const [slot] = buildRunInput({ ...REQUIRED, drafts: 'gpu:4' }, {}, env).drafts;
    expect(slot).toMatchObject({
      provider: 'gpu',
      baseUrl: 'http://10.0.0.5:8000/v1',
      model: 'Qwen/Qwen2.5-Coder-32B-Instruct',
      apiKeyVar: 'OURO_GPU_API_KEY',
    });
  });

  it('falls back to the gpu preset without the env vars', () => {
    const [slot] = buildRunInput({ ...REQUIRED, drafts: 'gpu' }, {}, {}).drafts;
    expect(slot).toMatchObject({ baseUrl: 'http://127.0.0.1:8000/v1', model: 'default', count: 1 });
  });

  it('lets --model and --base-url win over the env', () => {
    const env = { OURO_GPU_BASE_URL: 'http://10.0.0.5:8000/v1', OURO_GPU_MODEL: 'env-model' };
    const [slot] = buildRunInput({ ...REQUIRED, drafts: 'gpu:2', model: 'flag-model', baseUrl: 'http://gpu-box:9000/v1' }, {}, env).drafts;
    expect(slot).toMatchObject({ model: 'flag-model', baseUrl: 'http://gpu-box:9000/v1' });
  });

  it('applies a provider model variable only to that provider', () => {
    const drafts = buildRunInput({ ...REQUIRED, drafts: 'cerebras:1,gpu:1' }, {}, { OURO_CEREBRAS_MODEL: 'qwen-3-32b' }).drafts;
    expect(drafts.map((d) => d.model)).toEqual(['qwen-3-32b', 'default']);
  });

  it('does not apply --model or --base-url to local slots', () => {
    const drafts = buildRunInput({ ...REQUIRED, drafts: 'cerebras:6,local:2', model: 'gpt-oss-120b', baseUrl: 'https://proxy.example.com/v1' }, {}, {}).drafts;
    expect(drafts[0]).toMatchObject({ provider: 'cerebras', model: 'gpt-oss-120b', baseUrl: 'https://proxy.example.com/v1' });
    expect(drafts[1]).toMatchObject({ provider: 'local', model: 'embedded', baseUrl: undefined });
  });

  it('applies --edit-format and --temperature to every slot', () => {
    const drafts = buildRunInput({ ...REQUIRED, drafts: 'openai:1,local:1', editFormat: 'whole-file', temperature: '0.1' }, {}, {}).drafts;
    expect(drafts.map((d) => d.editFormat)).toEqual(['whole-file', 'whole-file']);
    expect(drafts.map((d) => d.temperature)).toEqual([0.1, 0.1]);
  });

  it('carries only the name of the API key variable, never the key', () => {
    const env = {
      OPENAI_API_KEY: 'sk-proj-THISISASECRETKEY1234567890',
      CEREBRAS_API_KEY: 'csk-anothersecretvalue0987654321',
      OURO_GPU_API_KEY: 'gpu-token-secret-42',
    };
    const input = buildRunInput({ ...REQUIRED, drafts: 'openai:1,cerebras:2,gpu:1,local:1' }, {}, env);
    const json = JSON.stringify(input);
    for (const secret of Object.values(env)) expect(json).not.toContain(secret);
    expect(input.drafts.map((d) => d.apiKeyVar)).toEqual(['OPENAI_API_KEY', 'CEREBRAS_API_KEY', 'OURO_GPU_API_KEY', undefined]);
  });
});

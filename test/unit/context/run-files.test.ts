import { describe, expect, it } from 'vitest';
import { ZodError } from 'zod';
import { buildRunInput } from '../../../core/run/input.js';
import { contextLines, renderStatusMarkdown } from '../../../core/views/status-view.js';
import { windowOf } from '../../../core/context/windows.js';

const flags = { repo: '/r', goal: 'Fix typedkey', test: 'pytest', drafts: 'gpu:1', baseUrl: 'http://127.0.0.1:9/v1' };

describe('--files is optional for ouro run', () => {
  it('left out, or blank, a run chooses its files (an empty list)', () => {
    expect(buildRunInput(flags, {}, {}, { mayChooseFiles: true }).files).toEqual([]);
    expect(buildRunInput({ ...flags, files: ' , ' }, {}, {}, { mayChooseFiles: true }).files).toEqual([]);
    expect(buildRunInput({ ...flags, files: 'src/a.py' }, {}, {}, { mayChooseFiles: true }).files).toEqual(['src/a.py']);
    expect(buildRunInput(flags, { files: ['src/**'] }, {}, { mayChooseFiles: true }).files).toEqual(['src/**']);
  });

  it('searches, evals and trains still need it, with the same message', () => {
    expect(() => buildRunInput(flags, {}, {})).toThrow(ZodError);
    expect(() => buildRunInput(flags, {}, {})).toThrow(/which files may the model change/);
  });

  it('the other checks still hold without it', () => {
    expect(() => buildRunInput({ ...flags, speedup: 2 }, {}, {}, { mayChooseFiles: true })).toThrow(/a speedup needs a benchmark/);
    expect(() => buildRunInput({ ...flags, goal: ' ' }, {}, {}, { mayChooseFiles: true })).toThrow(/a goal is required/);
  });
});

describe('the run shows what drafts saw', () => {
  const report = {
    chosen: [{ path: 'src/keys.py', reasons: ['imported by the failing test tests/test_keys.py'] }],
    windows: [{ contextTokens: 32_768, report: ['tests: 1 file shown', 'map: 3 files shown, 9 omitted'] }],
  };

  it('the chosen files with why, and each window', () => {
    expect(contextLines(report)).toEqual([
      'files chosen to change (no --files): src/keys.py (imported by the failing test tests/test_keys.py)',
      'context for 32768-token models: tests: 1 file shown; map: 3 files shown, 9 omitted',
    ]);
    expect(contextLines(undefined)).toEqual([]);
  });

  it('in the Web UI details', () => {
    const md = renderStatusMarkdown({ phase: 'drafting', round: 1, maxRounds: 3, candidates: [], hints: [], context: report });
    expect(md).toContain('files chosen to change (no --files): src/keys.py');
    expect(md).toContain('map: 3 files shown, 9 omitted');
  });
});

describe('model windows', () => {
  it('an API provider by its preset, the embedded model by the catalogue entry named', () => {
    expect(windowOf({ provider: 'openai', maxOutputTokens: 8192 })).toEqual({ contextTokens: 128_000, maxOutputTokens: 8192 });
    expect(windowOf({ provider: 'local', maxOutputTokens: 1024 })).toEqual({ contextTokens: 8192, maxOutputTokens: 1024 });
    expect(windowOf({ provider: 'local', maxOutputTokens: 768 }, 'smollm2-135m').contextTokens).toBe(4096);
  });

  it("the embedded model's window its draft worker reported wins over the git worker's own OURO_LOCAL_MODEL; an API preset's never moves", () => {
    expect(windowOf({ provider: 'local', maxOutputTokens: 768, contextTokens: 4096 }, 'qwen2.5-coder-1.5b')).toEqual({
      contextTokens: 4096,
      maxOutputTokens: 768,
    });
    expect(windowOf({ provider: 'local', maxOutputTokens: 1024, contextTokens: 8192 }, 'smollm2-135m').contextTokens).toBe(8192);
    expect(windowOf({ provider: 'openai', maxOutputTokens: 8192, contextTokens: 4096 }).contextTokens).toBe(128_000);
  });
});

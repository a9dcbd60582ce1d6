import { describe, expect, it } from 'vitest';
import { judgeProbe, modelIdsOf, workerBaseUrl, workerConfigProblem } from '../../../core/run/provider-check.js';
import { resolveProvider } from '../../../core/run/providers.js';

describe('workerBaseUrl: where a worker sends a slot', () => {
  const gpu = (baseUrlFrom: 'flag' | 'env' | 'preset' | undefined, baseUrl = 'http://127.0.0.1:8000/v1') => ({
    provider: 'gpu' as const,
    baseUrl,
    baseUrlFrom,
  });

  it("the worker's own variable beats the preset and the CLI's variable", () => {
    const env = { OURO_GPU_BASE_URL: 'http://gpu-box:9000/v1' };
    expect(workerBaseUrl(gpu('preset'), env)).toEqual({ url: 'http://gpu-box:9000/v1', origin: 'OURO_GPU_BASE_URL on the worker' });
    expect(workerBaseUrl(gpu('env', 'http://laptop:1/v1'), env).url).toBe('http://gpu-box:9000/v1');
  });

  it("a --base-url is the run's and is kept; so is the slot's URL of a run that predates the field", () => {
    const env = { OURO_GPU_BASE_URL: 'http://gpu-box:9000/v1' };
    expect(workerBaseUrl(gpu('flag', 'http://mine:1/v1'), env)).toEqual({ url: 'http://mine:1/v1', origin: '--base-url' });
    expect(workerBaseUrl(gpu(undefined, 'http://old:1/v1'), env).url).toBe('http://old:1/v1');
  });

  it("without the worker's variable (or a blank one), the run's URL and where it came from", () => {
    expect(workerBaseUrl(gpu('env', 'http://laptop:1/v1'), {})).toEqual({ url: 'http://laptop:1/v1', origin: 'OURO_GPU_BASE_URL where the run started' });
    expect(workerBaseUrl(gpu('preset'), { OURO_GPU_BASE_URL: '  ' })).toEqual({ url: 'http://127.0.0.1:8000/v1', origin: 'the preset' });
  });

  it('resolveProvider says where the URL came from', () => {
    expect(resolveProvider('gpu', {}, {}).baseUrlFrom).toBe('preset');
    expect(resolveProvider('gpu', {}, { OURO_GPU_BASE_URL: 'http://x/v1' }).baseUrlFrom).toBe('env');
    expect(resolveProvider('gpu', { baseUrl: 'http://y/v1' }, { OURO_GPU_BASE_URL: 'http://x/v1' }).baseUrlFrom).toBe('flag');
    expect(resolveProvider('local', {}, {}).baseUrlFrom).toBeUndefined();
  });
});

describe('workerConfigProblem', () => {
  it('a required key unset on the worker names the variable and where to set it', () => {
    const p = workerConfigProblem({ provider: 'openai', baseUrl: 'https://api.openai.com/v1', apiKeyVar: 'OPENAI_API_KEY' }, 'the preset', {
      OPENAI_API_KEY: ' ',
    });
    expect(p).toMatch(/openai needs an API key, and OPENAI_API_KEY is not set on the worker: export it where the worker runs/);
  });

  it.each(['ftp://x/v1', 'not a url', '', 'javascript:alert(1)'])('%j is not an http(s) URL, said with its origin', (url) => {
    expect(workerConfigProblem({ provider: 'gpu', baseUrl: url }, 'OURO_GPU_BASE_URL on the worker', {})).toMatch(
      /is not an http\(s\) URL; give one with --base-url, or OURO_GPU_BASE_URL on the worker/,
    );
  });

  it('nothing wrong: undefined', () => expect(workerConfigProblem({ provider: 'gpu', baseUrl: 'http://a:1/v1' }, 'the preset', {})).toBeUndefined());
});

describe('judgeProbe', () => {
  const slot = { provider: 'gpu' as const, baseUrl: 'http://gpu:8000/v1', apiKeyVar: 'OURO_GPU_API_KEY', model: 'qwen' };

  it('nothing answers: a problem with the fix and the URL origin', () => {
    expect(judgeProbe(slot, 'the preset', { error: 'ECONNREFUSED' }).problem).toMatch(
      /gpu: nothing answers at http:\/\/gpu:8000\/v1 \(ECONNREFUSED; from the preset\)\. Start the server there, or point --base-url, or OURO_GPU_BASE_URL on the worker/,
    );
  });

  it.each([401, 403])('%i: the key on the worker was refused', (status) => {
    expect(judgeProbe(slot, 'x', { status }).problem).toMatch(/the API key in OURO_GPU_API_KEY on the worker was refused/);
  });

  it('5xx: a failing server', () => expect(judgeProbe(slot, 'x', { status: 502 }).problem).toMatch(/answers 502: the server is failing/));

  it('a listed model passes; an unlisted one is a warning naming a few that are', () => {
    expect(judgeProbe(slot, 'x', { status: 200, modelIds: ['qwen'] })).toEqual({
      ok: ['http://gpu:8000/v1 answers (200; from x)', 'model qwen is served there'],
    });
    const other = judgeProbe(slot, 'x', { status: 200, modelIds: ['a', 'b', 'c', 'd', 'e', 'f'] });
    expect(other.problem).toBeUndefined();
    expect(other.warning).toMatch(
      /the model qwen is not among those http:\/\/gpu:8000\/v1 lists \(a, b, c, d, e, … \(6\)\); pick one with --model or OURO_GPU_MODEL/,
    );
  });

  it('a server without a model list (404) or an empty one still answers', () => {
    expect(judgeProbe(slot, 'x', { status: 404 })).toEqual({ ok: ['http://gpu:8000/v1 answers (404; from x)'] });
    expect(judgeProbe(slot, 'x', { status: 200, modelIds: [] }).warning).toBeUndefined();
  });
});

describe('modelIdsOf', () => {
  it.each([
    [{ data: [{ id: 'a' }, { id: 'b' }] }, ['a', 'b']],
    [{ data: [{ id: 1 }, null, 'x', { id: 'c' }] }, ['c']],
    [{ data: 'nope' }, undefined],
    [null, undefined],
    ['[]', undefined],
    [[{ id: 'a' }], undefined],
  ])('%j → %j', (body, ids) => expect(modelIdsOf(body)).toEqual(ids));
});

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CliError } from '../../../cli/client.js';
import { preflight } from '../../../cli/preflight.js';
import { resolveProvider } from '../../../core/run/providers.js';
import type { ProviderName } from '../../../core/run/queues.js';
import type { DraftSlotPlan } from '../../../core/run/types.js';
import { freePort } from '../../../dev/ports.js';

// Every bad provider configuration is bad input: exit 2, and the message names what to change.
const slot = (provider: ProviderName, env: Record<string, string | undefined>, baseUrl?: string): DraftSlotPlan => ({
  ...resolveProvider(provider, { baseUrl }, env),
  provider,
  count: 1,
});

async function refusal(slots: DraftSlotPlan[], env: Record<string, string | undefined>, checkLocal = async () => {}): Promise<CliError> {
  const err = await preflight(slots, env, checkLocal).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(CliError);
  return err as CliError;
}

let refusing: Server;
let refusingUrl: string;
beforeAll(async () => {
  // A server that answers every key with 401, as a provider does with a wrong one.
  refusing = createServer((_req, res) => res.writeHead(401).end());
  await new Promise<void>((r) => refusing.listen(0, '127.0.0.1', r));
  refusingUrl = `http://127.0.0.1:${(refusing.address() as AddressInfo).port}/v1`;
});
afterAll(() => new Promise<void>((r) => refusing.close(() => r())));

describe('preflight', () => {
  it.each([
    ['openai', {}, /openai needs an API key: export OPENAI_API_KEY=/],
    ['cerebras', {}, /cerebras needs an API key: export CEREBRAS_API_KEY=/],
    ['openai', { OPENAI_API_KEY: '' }, /export OPENAI_API_KEY=/],
    ['cerebras', { CEREBRAS_API_KEY: '   ' }, /export CEREBRAS_API_KEY=/],
  ] as const)('%s without a key (%j) exits 2 naming the variable', async (provider, env, message) => {
    const err = await refusal([slot(provider, env)], env);
    expect(err.exitCode).toBe(2);
    expect(err.message).toMatch(message);
    expect(err.message).toMatch(/or pick another provider with --drafts/);
  });

  it.each([
    ['not a url', /"not a url" is not an http\(s\) URL; give one with --base-url or OURO_GPU_BASE_URL/],
    ['ftp://127.0.0.1/v1', /is not an http\(s\) URL/],
    ['file:///etc/passwd', /is not an http\(s\) URL/],
    ['   ', /is not an http\(s\) URL/],
  ])('a base URL from the environment that is not http(s) (%j) exits 2 before any request', async (url, message) => {
    const env = { OURO_GPU_BASE_URL: url };
    const err = await refusal([slot('gpu', env)], env);
    expect(err.exitCode).toBe(2);
    expect(err.message).toMatch(message);
  });

  it('a URL nobody answers exits 2 and says how to fix or skip it', async () => {
    const url = `http://127.0.0.1:${await freePort()}/v1`;
    const err = await refusal([slot('gpu', {}, url)], {});
    expect(err.exitCode).toBe(2);
    expect(err.message).toContain(`gpu: nothing answers at ${url}`);
    expect(err.message).toMatch(/--base-url or OURO_GPU_BASE_URL.*--no-preflight/);
  });

  it('a refused key exits 2 naming its variable', async () => {
    const env = { OPENAI_API_KEY: 'sk-wrong' };
    const err = await refusal([slot('openai', env, refusingUrl)], env);
    expect(err.exitCode).toBe(2);
    expect(err.message).toMatch(/openai: the API key in OPENAI_API_KEY was refused \(401\); export a valid one/);
  });

  it("an embedded model that is not installed is bad input too; the check's other failures pass through as they are", async () => {
    const local = slot('local', {});
    const missing = await refusal([local], {}, async () => {
      throw new CliError('local: the model is not installed: run npm run setup');
    });
    expect([missing.exitCode, missing.message]).toEqual([2, 'local: the model is not installed: run npm run setup']);
    const broken = new Error('disk on fire');
    await expect(
      preflight([local], {}, async () => {
        throw broken;
      }),
    ).rejects.toBe(broken);
  });

  it('checks each provider and URL once, and passes a served configuration', async () => {
    const served = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"data":[]}'));
    await new Promise<void>((r) => served.listen(0, '127.0.0.1', r));
    let requests = 0;
    served.on('request', () => requests++);
    try {
      const url = `http://127.0.0.1:${(served.address() as AddressInfo).port}/v1`;
      await preflight([slot('gpu', {}, url), slot('gpu', {}, url)], {}, async () => {});
      expect(requests).toBe(1);
    } finally {
      await new Promise<void>((r) => served.close(() => r()));
    }
  });
});

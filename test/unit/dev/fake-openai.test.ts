import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import OpenAI from 'openai';
import { startFakeOpenAI, type FakeOpenAI } from '../../../dev/fake-openai.js';

const messages = [{ role: 'user' as const, content: 'hello' }];

function draft(key: string): { headers: Record<string, string> } {
  return { headers: { 'x-ouro-draft': key } };
}

async function catchErr(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error('expected promise to reject');
}

describe('fake OpenAI server', () => {
  let fake: FakeOpenAI;
  let client: OpenAI;

  beforeEach(async () => {
    fake = await startFakeOpenAI();
    client = new OpenAI({ baseURL: fake.url, apiKey: 'x', maxRetries: 0 });
  });

  afterEach(async () => {
    await fake.close();
  });

  it('binds to loopback with a /v1 base URL', () => {
    expect(fake.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
  });

  it('serves GET /v1/models with fake-model', async () => {
    const page = await client.models.list();
    expect(page.data.map((m) => m.id)).toEqual(['fake-model']);
  });

  it('returns a non-streaming completion with scripted usage', async () => {
    fake.script('r1c1', [{ content: 'Hello, world!', usage: { prompt_tokens: 11, completion_tokens: 7 } }]);
    const res = await client.chat.completions.create({ model: 'gpt-test', messages }, draft('r1c1'));
    expect(res.object).toBe('chat.completion');
    expect(res.model).toBe('gpt-test');
    expect(typeof res.id).toBe('string');
    expect(res.choices[0]?.message.role).toBe('assistant');
    expect(res.choices[0]?.message.content).toBe('Hello, world!');
    expect(res.choices[0]?.finish_reason).toBe('stop');
    expect(res.usage).toEqual({ prompt_tokens: 11, completion_tokens: 7, total_tokens: 18 });
  });

  it('estimates usage when none is scripted', async () => {
    fake.script('r1c1', [{ content: 'abcdefgh' }]);
    const res = await client.chat.completions.create({ model: 'm', messages }, draft('r1c1'));
    expect(res.usage?.completion_tokens).toBe(2);
    expect(res.usage?.prompt_tokens).toBeGreaterThan(0);
    expect(res.usage?.total_tokens).toBe((res.usage?.prompt_tokens ?? 0) + 2);
  });

  it('streams content in several chunks with usage when include_usage is set', async () => {
    const content = 'The quick brown fox jumps over the lazy dog.';
    fake.script('r1c1', [{ content, usage: { prompt_tokens: 3, completion_tokens: 9 } }]);
    const stream = await client.chat.completions.create({ model: 'gpt-test', messages, stream: true, stream_options: { include_usage: true } }, draft('r1c1'));
    let text = '';
    let contentChunks = 0;
    let finish: string | null | undefined;
    let usage: OpenAI.CompletionUsage | null | undefined;
    for await (const chunk of stream) {
      expect(chunk.object).toBe('chat.completion.chunk');
      expect(chunk.model).toBe('gpt-test');
      const choice = chunk.choices[0];
      if (choice?.delta.content) {
        text += choice.delta.content;
        contentChunks++;
      }
      if (choice?.finish_reason) finish = choice.finish_reason;
      if (chunk.usage) usage = chunk.usage;
    }
    expect(text).toBe(content);
    expect(contentChunks).toBeGreaterThan(3);
    expect(finish).toBe('stop');
    expect(usage).toEqual({ prompt_tokens: 3, completion_tokens: 9, total_tokens: 12 });
  });

  it('omits the usage chunk when include_usage is not set', async () => {
    fake.script('*', [{ content: 'abc def' }]);
    const stream = await client.chat.completions.create({ model: 'm', messages, stream: true });
    let text = '';
    let sawUsage = false;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      if (chunk.usage) sawUsage = true;
    }
    expect(text).toBe('abc def');
    expect(sawUsage).toBe(false);
  });

  it('surfaces 429 as RateLimitError with a readable retry-after header', async () => {
    fake.script('r1c1', [{ status: 429, headers: { 'retry-after': '1' } }]);
    const err = await catchErr(client.chat.completions.create({ model: 'm', messages }, draft('r1c1')));
    expect(err).toBeInstanceOf(OpenAI.RateLimitError);
    const e = err as InstanceType<typeof OpenAI.RateLimitError>;
    expect(e.status).toBe(429);
    expect(e.headers.get('retry-after')).toBe('1');
    expect(e.code).toBe('rate_limit_exceeded');
  });

  it('surfaces 500 as InternalServerError', async () => {
    fake.script('r1c1', [{ status: 500 }]);
    const err = await catchErr(client.chat.completions.create({ model: 'm', messages }, draft('r1c1')));
    expect(err).toBeInstanceOf(OpenAI.InternalServerError);
    expect((err as InstanceType<typeof OpenAI.InternalServerError>).status).toBe(500);
  });

  it('surfaces 401 as AuthenticationError and 404 as NotFoundError', async () => {
    fake.script('r1c1', [
      { status: 401 },
      { status: 404, body: { error: { message: 'no such model', type: 'invalid_request_error', code: 'model_not_found' } } },
    ]);
    const e401 = await catchErr(client.chat.completions.create({ model: 'm', messages }, draft('r1c1')));
    expect(e401).toBeInstanceOf(OpenAI.AuthenticationError);
    const e404 = await catchErr(client.chat.completions.create({ model: 'm', messages }, draft('r1c1')));
    expect(e404).toBeInstanceOf(OpenAI.NotFoundError);
    expect((e404 as Error).message).toContain('no such model');
  });

  it('hangs so the client timeout yields APIConnectionTimeoutError', async () => {
    fake.script('r1c1', [{ hangMs: 10_000 }]);
    // The error's type says the client gave up: a reply after the hang would be no error at all.
    const err = await catchErr(client.chat.completions.create({ model: 'm', messages }, { ...draft('r1c1'), timeout: 300 }));
    expect(err).toBeInstanceOf(OpenAI.APIConnectionTimeoutError);
    // close() in afterEach must not wait for the 10 s hang.
  });

  it('breaks a stream mid-way so iteration throws after partial content', async () => {
    fake.script('r1c1', [{ breakStreamAfterChars: 10, content: 'abcdefghijklmnopqrstuvwxyz' }]);
    const stream = await client.chat.completions.create({ model: 'm', messages, stream: true }, draft('r1c1'));
    let text = '';
    const err = await catchErr(
      (async () => {
        for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
      })(),
    );
    expect(err).toBeInstanceOf(Error);
    expect(text).toBe('abcdefghij');
  });

  it('breaks a non-streaming request as a connection error', async () => {
    fake.script('r1c1', [{ breakStreamAfterChars: 3, content: 'abcdef' }]);
    const err = await catchErr(client.chat.completions.create({ model: 'm', messages }, draft('r1c1')));
    expect(err).toBeInstanceOf(OpenAI.APIConnectionError);
  });

  it('routes by x-ouro-draft regardless of request order', async () => {
    fake.script('r1c1', [{ content: 'one-a' }, { content: 'one-b' }]);
    fake.script('r1c2', [{ content: 'two', delayMs: 50 }]);
    const second = await client.chat.completions.create({ model: 'm', messages }, draft('r1c2'));
    expect(second.choices[0]?.message.content).toBe('two');
    const [a, b] = await Promise.all([
      client.chat.completions.create({ model: 'm', messages }, draft('r1c1')),
      client.chat.completions.create({ model: 'm', messages }, draft('r1c1')),
    ]);
    expect([a.choices[0]?.message.content, b.choices[0]?.message.content].sort()).toEqual(['one-a', 'one-b']);
  });

  it('falls back from key queue to * queue to default, then fails loudly', async () => {
    fake.script('r2c1', [{ content: 'exact' }]);
    fake.script('*', [{ content: 'wildcard' }]);
    const ask = async (key: string) => (await client.chat.completions.create({ model: 'm', messages }, draft(key))).choices[0]?.message.content;
    expect(await ask('r2c1')).toBe('exact');
    expect(await ask('r2c1')).toBe('wildcard');

    const err = await catchErr(ask('r9c9'));
    expect(err).toBeInstanceOf(OpenAI.InternalServerError);
    expect((err as Error).message).toContain('no scripted reply for key r9c9');

    fake.setDefault(({ key, body }) => ({ content: `default for ${key} (${body.model})` }));
    expect(await ask('r3c2')).toBe('default for r3c2 (m)');
    const noKey = await client.chat.completions.create({ model: 'm2', messages });
    expect(noKey.choices[0]?.message.content).toBe('default for * (m2)');
  });

  it('records requests with key, body, headers and time', async () => {
    fake.setDefault({ content: 'ok' });
    const before = Date.now();
    await client.chat.completions.create({ model: 'm', messages, temperature: 0.5 }, draft('r1c3'));
    await client.chat.completions.create({ model: 'm', messages });
    expect(fake.requests).toHaveLength(2);
    const [first, second] = fake.requests;
    expect(first?.key).toBe('r1c3');
    expect(first?.body.model).toBe('m');
    expect(first?.body.temperature).toBe(0.5);
    expect(first?.body.messages).toEqual(messages);
    expect(first?.headers['x-ouro-draft']).toBe('r1c3');
    expect(first?.headers['authorization']).toBe('Bearer x');
    expect(first?.at).toBeGreaterThanOrEqual(before);
    expect(second?.key).toBe('*');
  });

  it('close() is idempotent and refuses later connections', async () => {
    await fake.close();
    await fake.close();
    const err = await catchErr(client.chat.completions.create({ model: 'm', messages }));
    expect(err).toBeInstanceOf(OpenAI.APIConnectionError);
  });
});

describe('startFakeOpenAI options', () => {
  it('honours an explicit port', async () => {
    const probe = await startFakeOpenAI();
    const port = Number(new URL(probe.url).port);
    await probe.close();
    const fake = await startFakeOpenAI({ port });
    try {
      expect(fake.url).toBe(`http://127.0.0.1:${port}/v1`);
    } finally {
      await fake.close();
    }
  });
});

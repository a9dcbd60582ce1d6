/**
 * A small OpenAI-compatible fake HTTP server for tests.
 *
 * It listens on loopback and answers `POST /v1/chat/completions` (streaming and
 * non-streaming) and `GET /v1/models` with scripted replies. Replies are routed
 * by the request's `x-ouro-draft` header (the "key"; `*` when absent), so tests
 * can give each draft candidate its own behaviour regardless of request order.
 *
 * Resolution order for a request with key K:
 *   1. the queue scripted for K (first entry is consumed),
 *   2. the queue scripted for `*`,
 *   3. the default set with `setDefault`,
 *   4. otherwise a 500 error "no scripted reply for key K", so the test fails loudly.
 */
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type ScriptedReply =
  /** Success: a normal completion with this content, optionally after a delay. */
  | { content: string; delayMs?: number; usage?: { prompt_tokens: number; completion_tokens: number } }
  /** HTTP error; `body` defaults to an OpenAI-shaped error JSON. */
  | { status: number; body?: unknown; headers?: Record<string, string> }
  /** Accept the request, never answer, and destroy the socket after `hangMs`. */
  | { hangMs: number }
  /**
   * stream:true → send the first `breakStreamAfterChars` characters of `content` as SSE
   * chunks, then destroy the socket. stream:false → destroy the socket without answering.
   */
  | { breakStreamAfterChars: number; content: string };

export interface FakeOpenAIRequest {
  key: string;
  body: any;
  headers: Record<string, string | string[] | undefined>;
  at: number;
}

export interface FakeOpenAI {
  /** Base URL to pass as the openai client's `baseURL`, e.g. http://127.0.0.1:PORT/v1 */
  url: string;
  /** Every chat-completions request received, in arrival order. */
  requests: FakeOpenAIRequest[];
  /** Queue replies for a key (appends to any replies already queued for it). */
  script(key: string, replies: ScriptedReply[]): void;
  /** Reply used when both the key's queue and the `*` queue are empty. */
  setDefault(reply: ScriptedReply | ((req: { key: string; body: any }) => ScriptedReply)): void;
  /** Stop listening and destroy every open socket (including hung ones). */
  close(): Promise<void>;
}

type DefaultReply = ScriptedReply | ((req: { key: string; body: any }) => ScriptedReply);

const KEY_HEADER = 'x-ouro-draft';
const WILDCARD = '*';
const STREAM_CHUNK_CHARS = 4;

function errorTypeFor(status: number): { type: string; code: string | null } {
  switch (status) {
    case 400:
      return { type: 'invalid_request_error', code: null };
    case 401:
      return { type: 'invalid_request_error', code: 'invalid_api_key' };
    case 403:
      return { type: 'invalid_request_error', code: 'permission_denied' };
    case 404:
      return { type: 'invalid_request_error', code: 'model_not_found' };
    case 429:
      return { type: 'requests', code: 'rate_limit_exceeded' };
    default:
      return status >= 500 ? { type: 'server_error', code: null } : { type: 'invalid_request_error', code: null };
  }
}

function errorBody(status: number, message: string): unknown {
  const { type, code } = errorTypeFor(status);
  return { error: { message, type, code, param: null } };
}

function estimateTokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}

function splitIntoChunks(text: string, size: number): string[] {
  const chunks: string[] = [];
  const chars = Array.from(text); // don't split surrogate pairs
  for (let i = 0; i < chars.length; i += size) chunks.push(chars.slice(i, i + size).join(''));
  return chunks;
}

function headerKey(headers: http.IncomingHttpHeaders): string {
  const raw = headers[KEY_HEADER];
  const value = Array.isArray(raw) ? raw[0] : raw;
  return value && value.length > 0 ? value : WILDCARD;
}

export async function startFakeOpenAI(opts: { port?: number } = {}): Promise<FakeOpenAI> {
  const queues = new Map<string, ScriptedReply[]>();
  const requests: FakeOpenAIRequest[] = [];
  const sockets = new Set<Socket>();
  const timers = new Map<NodeJS.Timeout, () => void>();
  let defaultReply: DefaultReply | undefined;
  let closed = false;
  let idCounter = 0;

  /** setTimeout that close() cuts short (the sockets are destroyed by then, so writes are no-ops). */
  function wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        timers.delete(t);
        resolve();
      }, ms);
      timers.set(t, resolve);
    });
  }

  function nextReply(key: string, body: any): ScriptedReply | undefined {
    for (const k of key === WILDCARD ? [WILDCARD] : [key, WILDCARD]) {
      const q = queues.get(k);
      if (q && q.length > 0) return q.shift();
    }
    if (defaultReply === undefined) return undefined;
    return typeof defaultReply === 'function' ? defaultReply({ key, body }) : defaultReply;
  }

  function sendJson(res: http.ServerResponse, status: number, payload: unknown, extra: Record<string, string> = {}): void {
    if (res.destroyed || res.writableEnded) return;
    const text = typeof payload === 'string' ? payload : JSON.stringify(payload);
    res.writeHead(status, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(text),
      ...extra,
    });
    res.end(text);
  }

  function readBody(req: http.IncomingMessage): Promise<string> {
    return new Promise((resolve, reject) => {
      const parts: Buffer[] = [];
      req.on('data', (c: Buffer) => parts.push(c));
      req.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
      req.on('error', reject);
    });
  }

  async function handleChat(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const raw = await readBody(req);
    let body: any;
    try {
      body = raw.length > 0 ? JSON.parse(raw) : {};
    } catch {
      sendJson(res, 400, errorBody(400, 'fake-openai: request body is not valid JSON'));
      return;
    }
    const key = headerKey(req.headers);
    requests.push({ key, body, headers: { ...req.headers }, at: Date.now() });

    const reply = nextReply(key, body);
    if (!reply) {
      sendJson(res, 500, errorBody(500, `fake-openai: no scripted reply for key ${key}`));
      return;
    }

    const model: string = typeof body?.model === 'string' ? body.model : 'fake-model';
    const stream = body?.stream === true;
    const includeUsage = stream && body?.stream_options?.include_usage === true;

    if ('hangMs' in reply) {
      await wait(reply.hangMs);
      req.socket.destroy();
      return;
    }

    if ('status' in reply) {
      const payload = reply.body === undefined ? errorBody(reply.status, `fake-openai: scripted HTTP ${reply.status}`) : reply.body;
      sendJson(res, reply.status, payload, reply.headers ?? {});
      return;
    }

    const id = `chatcmpl-fake-${++idCounter}`;
    const created = Math.floor(Date.now() / 1000);

    if ('breakStreamAfterChars' in reply) {
      if (!stream) {
        req.socket.destroy();
        return;
      }
      const partial = Array.from(reply.content).slice(0, Math.max(0, reply.breakStreamAfterChars)).join('');
      startSse(res);
      writeSse(res, chunk(id, created, model, { role: 'assistant', content: '' }, null, includeUsage));
      for (const piece of splitIntoChunks(partial, STREAM_CHUNK_CHARS)) {
        writeSse(res, chunk(id, created, model, { content: piece }, null, includeUsage));
      }
      // Let the partial data reach the client before breaking the connection, so the
      // failure surfaces while iterating the stream rather than when opening it.
      if (!res.destroyed) await new Promise<void>((resolve) => res.write('', () => resolve()));
      await wait(20);
      req.socket.destroy();
      return;
    }

    // Success.
    if (reply.delayMs && reply.delayMs > 0) await wait(reply.delayMs);
    if (res.destroyed || req.socket.destroyed) return;

    const promptTokens = reply.usage?.prompt_tokens ?? estimateTokens(JSON.stringify(body?.messages ?? ''));
    const completionTokens = reply.usage?.completion_tokens ?? estimateTokens(reply.content);
    const usage = {
      prompt_tokens: promptTokens,
      completion_tokens: completionTokens,
      total_tokens: promptTokens + completionTokens,
    };

    if (!stream) {
      sendJson(res, 200, {
        id,
        object: 'chat.completion',
        created,
        model,
        choices: [
          {
            index: 0,
            message: { role: 'assistant', content: reply.content, refusal: null },
            logprobs: null,
            finish_reason: 'stop',
          },
        ],
        usage,
        system_fingerprint: 'fake-openai',
      });
      return;
    }

    startSse(res);
    writeSse(res, chunk(id, created, model, { role: 'assistant', content: '' }, null, includeUsage));
    for (const piece of splitIntoChunks(reply.content, STREAM_CHUNK_CHARS)) {
      writeSse(res, chunk(id, created, model, { content: piece }, null, includeUsage));
    }
    writeSse(res, chunk(id, created, model, {}, 'stop', includeUsage));
    if (includeUsage) {
      writeSse(res, { id, object: 'chat.completion.chunk', created, model, choices: [], usage });
    }
    if (!res.destroyed) res.end('data: [DONE]\n\n');
  }

  function chunk(
    id: string,
    created: number,
    model: string,
    delta: Record<string, unknown>,
    finishReason: string | null,
    includeUsage: boolean,
  ): Record<string, unknown> {
    const c: Record<string, unknown> = {
      id,
      object: 'chat.completion.chunk',
      created,
      model,
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
    };
    if (includeUsage) c.usage = null;
    return c;
  }

  function startSse(res: http.ServerResponse): void {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
    });
    res.flushHeaders();
  }

  function writeSse(res: http.ServerResponse, data: unknown): void {
    if (res.destroyed || res.writableEnded) return;
    res.write(`data: ${JSON.stringify(data)}\n\n`);
  }

  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const run = async (): Promise<void> => {
      if (req.method === 'POST' && path === '/v1/chat/completions') {
        await handleChat(req, res);
      } else if (req.method === 'GET' && path === '/v1/models') {
        sendJson(res, 200, {
          object: 'list',
          data: [{ id: 'fake-model', object: 'model', created: 0, owned_by: 'fake-openai' }],
        });
      } else {
        req.resume();
        sendJson(res, 404, errorBody(404, `fake-openai: no route for ${req.method ?? '?'} ${path}`));
      }
    };
    run().catch((err: unknown) => {
      if (!res.headersSent) {
        sendJson(res, 500, errorBody(500, `fake-openai: internal error: ${String(err)}`));
      } else {
        res.destroy();
      }
    });
  });

  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });

  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    script(key, replies) {
      const q = queues.get(key);
      if (q) q.push(...replies);
      else queues.set(key, [...replies]);
    },
    setDefault(reply) {
      defaultReply = reply;
    },
    async close() {
      if (closed) return;
      closed = true;
      const done = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const s of sockets) s.destroy();
      sockets.clear();
      for (const [t, resolve] of timers) {
        clearTimeout(t);
        resolve();
      }
      timers.clear();
      await done;
    },
  };
}

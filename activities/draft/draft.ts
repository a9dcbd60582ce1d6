import { ApplicationFailure, Context } from '@temporalio/activity';
import OpenAI from 'openai';
import type { DraftRequest, DraftResult } from '../../core/contracts/draft.js';
import { PRESETS } from '../../core/run/providers.js';
import { workerBaseUrl } from '../../core/run/provider-check.js';
import { buildApiPrompt, type ChatMessage } from '../../core/edits/prompt.js';
import { promptChars } from '../../core/context/budget.js';
import { configError } from '../../adapters/errors.js';
import { generateLocal } from '../../adapters/model/local-model.js';

// One draft = one chat completion, streamed so that the activity can
// heartbeat while tokens arrive. Retries belong to Temporal (the client's own
// retries are off), so every failure is classified here: rate limits and
// server errors retry (honouring Retry-After), configuration errors do not.

const FIX_HINTS: Record<number, string> = {
  400: 'the provider rejected the request; check the model name and max tokens for this provider',
  401: 'the API key was refused; set a valid key in the variable named by the provider preset on the draft worker host',
  403: 'the API key may not use this model; check the account or pick another --model',
  404: 'the model or URL does not exist there; check --model and the base URL (it usually ends in /v1)',
  422: 'the provider could not process the request; check the model name and parameters',
};

function retryAfterMs(headers: Headers | undefined): number | undefined {
  const raw = headers?.get('retry-after-ms') ?? undefined;
  if (raw && Number.isFinite(Number(raw))) return Number(raw);
  const after = headers?.get('retry-after') ?? undefined;
  if (!after) return undefined;
  const seconds = Number(after);
  if (Number.isFinite(seconds)) return seconds * 1000;
  const date = Date.parse(after);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

export function classifyProviderError(err: unknown, provider: string): Error {
  if (err instanceof OpenAI.APIError && err.status !== undefined) {
    const status = err.status;
    if (status === 429) {
      const delay = retryAfterMs(err.headers);
      return ApplicationFailure.create({
        message: `${provider} rate limit (429)${delay !== undefined ? `; retrying after ${delay} ms` : ''}`,
        type: 'RateLimited',
        nextRetryDelay: delay,
      });
    }
    if (status >= 500 || status === 408 || status === 409) {
      return ApplicationFailure.create({ message: `${provider} server error ${status}: ${err.message}`, type: 'ProviderUnavailable' });
    }
    const hint = FIX_HINTS[status] ?? 'the provider refused the request';
    return configError(`${provider} answered ${status}: ${err.message}. Fix: ${hint}`);
  }
  if (err instanceof OpenAI.APIConnectionTimeoutError) return ApplicationFailure.create({ message: `${provider} timed out`, type: 'ProviderTimeout' });
  if (err instanceof OpenAI.APIConnectionError)
    return ApplicationFailure.create({ message: `${provider} unreachable: ${err.message}`, type: 'ProviderUnavailable' });
  const message = err instanceof Error ? err.message : String(err);
  return ApplicationFailure.create({ message: `${provider} stream broke: ${message}`, type: 'ProviderStreamError' });
}

function apiKeyFor(req: DraftRequest): string {
  const preset = PRESETS[req.slot.provider];
  const key = req.slot.apiKeyVar ? process.env[req.slot.apiKeyVar] : undefined;
  if (!key && preset.keyRequired) {
    throw configError(`${req.slot.provider} needs an API key: set ${req.slot.apiKeyVar} in the environment of the worker serving this queue`);
  }
  return key || 'not-needed';
}

/** The longest reply kept by default: well under Temporal's 2 MB payload limit, far above any real edit. */
export const DEFAULT_MAX_REPLY_BYTES = 256 * 1024;

async function streamCompletion(req: DraftRequest, messages: ChatMessage[]): Promise<DraftResult> {
  const ctx = Context.current();
  // The URL the preflight checked on this queue's worker: its own variable unless the run gave --base-url.
  const baseURL = workerBaseUrl(req.slot, process.env).url;
  if (!baseURL) throw configError(`${req.slot.provider} has no base URL`);
  const client = new OpenAI({ baseURL, apiKey: apiKeyFor(req), maxRetries: 0, timeout: 120_000 });
  const started = performance.now();
  let firstTokenMs: number | undefined;
  let text = '';
  let usage: { prompt_tokens: number; completion_tokens: number } | undefined;
  let model = req.slot.model;
  let bytes = 0;
  let tooLong = false;
  const limit = req.maxReplyBytes ?? DEFAULT_MAX_REPLY_BYTES;
  // Waiting for the first token can take long on a busy server: heartbeat on a timer too.
  const beat = setInterval(() => ctx.heartbeat({ chars: text.length }), 5000);
  try {
    const stream = await client.chat.completions.create(
      {
        model: req.slot.model,
        messages,
        stream: true,
        stream_options: { include_usage: true },
        max_tokens: req.slot.maxOutputTokens,
        temperature: req.slot.temperature,
      },
      { headers: { 'x-ouro-draft': req.candidateId }, signal: ctx.cancellationSignal },
    );
    for await (const chunk of stream) {
      const delta = chunk.choices[0]?.delta?.content ?? '';
      if (delta && firstTokenMs === undefined) firstTokenMs = performance.now() - started;
      bytes += Buffer.byteLength(delta);
      if (bytes > limit) {
        // Stop reading (the request is aborted with the loop): a runaway reply costs no more tokens.
        tooLong = true;
        stream.controller.abort();
        break;
      }
      text += delta;
      if (chunk.model) model = chunk.model;
      if (chunk.usage) usage = chunk.usage;
    }
  } catch (err) {
    if (ctx.cancellationSignal.aborted) throw err;
    throw classifyProviderError(err, req.slot.provider);
  } finally {
    clearInterval(beat);
  }
  const promptTokens = usage?.prompt_tokens ?? Math.ceil(messages.reduce((n, m) => n + m.content.length, 0) / 4);
  if (tooLong) {
    // Once, not retried: the same prompt would run away again. Its tokens still count.
    const completionTokens = Math.ceil(bytes / 4);
    throw ApplicationFailure.create({
      message: `reply exceeded ${limit} bytes`,
      type: 'ReplyTooLarge',
      nonRetryable: true,
      details: [{ promptTokens, completionTokens }],
    });
  }
  if (!text.trim()) throw ApplicationFailure.create({ message: `${req.slot.provider} returned an empty reply`, type: 'EmptyReply' });
  return {
    text,
    model,
    // Some servers omit usage; estimate (~4 characters a token) rather than report zero.
    promptTokens,
    completionTokens: usage?.completion_tokens ?? Math.ceil(text.length / 4),
    latencyMs: Math.round(performance.now() - started),
    firstTokenMs: firstTokenMs === undefined ? undefined : Math.round(firstTokenMs),
  };
}

export async function draft(req: DraftRequest): Promise<DraftResult> {
  const input = {
    goal: req.goal,
    files: req.files,
    allowed: req.allowed,
    hints: req.hints,
    feedback: req.feedback,
    editFormat: req.slot.editFormat,
    ...(req.context ? { context: req.context } : {}),
  };
  // The embedded model sizes its prompt to its own context and asks in its own style (compact or chat).
  if (req.slot.provider === 'local') return generateLocal(req, input);
  const preset = PRESETS[req.slot.provider];
  const room = promptChars(preset.contextTokens, req.slot.maxOutputTokens);
  const prompt = buildApiPrompt({ ...input, ...room });
  const result = await streamCompletion(req, prompt.messages);
  return prompt.feedbackCut ? { ...result, feedbackCut: prompt.feedbackCut } : result;
}

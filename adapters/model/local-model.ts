import { ApplicationFailure, Context } from '@temporalio/activity';
import { existsSync, statSync } from 'node:fs';
import { cpus } from 'node:os';
import type { Llama, LlamaModel } from 'node-llama-cpp';
import type { DraftRequest, DraftResult } from '../../core/contracts/draft.js';
import type { CompactPrompt } from '../../core/edits/small-model/compact-prompt.js';
import { DEFAULT_EMBEDDED_MODEL } from '../../core/run/embedded-model.js';
import { cachedModelPath } from './model-file.js';
import { configError } from '../errors.js';
import { wholeFile } from '../../core/edits/formats/whole-file.js';

// The embedded model: node-llama-cpp's prebuilt binaries (CPU here; CUDA or
// Vulkan where the host has them) running a GGUF from a registry package.
// Loaded once per worker process; each draft gets a fresh context.

/** OURO_LOCAL_MODEL, or the verified model that `npm run setup` installed. */
export function localModelPath(): string {
  const override = process.env.OURO_LOCAL_MODEL;
  if (override) {
    if (!existsSync(override)) throw configError(`OURO_LOCAL_MODEL points to ${override}, which does not exist`);
    return override;
  }
  const path = cachedModelPath();
  if (!existsSync(path)) throw configError(`the embedded model is not installed (${path}); run \`npm run setup\` or set OURO_LOCAL_MODEL to a GGUF file`);
  const size = statSync(path).size;
  if (size !== DEFAULT_EMBEDDED_MODEL.bytes || !existsSync(`${path}.sha256`)) {
    throw configError(
      `the embedded model at ${path} is corrupt (${size} bytes, expected ${DEFAULT_EMBEDDED_MODEL.bytes}); delete it and run \`npm run setup\``,
    );
  }
  return path;
}

interface Loaded {
  llama: Llama;
  model: LlamaModel;
  path: string;
}
let loading: Promise<Loaded> | undefined;

function gpuSetting(): false | 'auto' | 'cuda' | 'vulkan' | 'metal' {
  const v = (process.env.OURO_LOCAL_GPU ?? 'auto').toLowerCase();
  if (v === 'false' || v === 'cpu' || v === 'off') return false;
  if (v === 'cuda' || v === 'vulkan' || v === 'metal') return v;
  return 'auto';
}

export async function loadLocalModel(path = localModelPath()): Promise<Loaded> {
  if (loading) {
    const current = await loading.catch(() => undefined);
    if (current?.path === path) return current;
  }
  loading = (async () => {
    const { getLlama, LlamaLogLevel } = await import('node-llama-cpp');
    // build: 'never': use the prebuilt binaries from npm, never compile or download.
    const llama = await getLlama({ gpu: gpuSetting(), build: 'never', logLevel: LlamaLogLevel.error });
    try {
      const model = await llama.loadModel({ modelPath: path });
      return { llama, model, path };
    } catch (err) {
      throw configError(`cannot load the GGUF model at ${path}: ${(err as Error).message}. Is it a valid GGUF file? (OURO_LOCAL_MODEL)`);
    }
  })();
  loading.catch(() => (loading = undefined));
  return loading;
}

/** On a 2-core box, one generation thread per spare core: two threads collapse when anything else runs. */
function threads(): number {
  const fromEnv = Number(process.env.OURO_LOCAL_THREADS);
  return fromEnv > 0 ? fromEnv : Math.max(1, cpus().length - 1);
}

export async function generateLocal(req: DraftRequest, prompt: CompactPrompt, contextTokens: number): Promise<DraftResult> {
  const ctx = Context.current();
  const { model, llama } = await loadLocalModel();
  const { LlamaChatSession } = await import('node-llama-cpp');
  const started = performance.now();
  const context = await model.createContext({ contextSize: Math.min(contextTokens, model.trainContextSize), threads: threads() });
  let firstTokenMs: number | undefined;
  let chars = 0;
  try {
    const session = new LlamaChatSession({ contextSequence: context.getSequence(), systemPrompt: prompt.system });
    const result = await session.promptWithMeta(prompt.user, {
      maxTokens: req.slot.maxOutputTokens,
      temperature: req.slot.temperature,
      responsePrefix: prompt.responsePrefix,
      customStopTriggers: prompt.stopAt ? [prompt.stopAt] : undefined,
      signal: ctx.cancellationSignal,
      onTextChunk: (chunk) => {
        if (firstTokenMs === undefined) firstTokenMs = performance.now() - started;
        chars += chunk.length;
        ctx.heartbeat({ chars });
      },
    });
    const meter = session.sequence.tokenMeter;
    const original = req.files.length === 1 ? req.files[0]!.content : undefined;
    const generated = wholeFile.smallModel.assemble(result.responseText, prompt, original);
    if (!result.responseText.trim()) throw ApplicationFailure.create({ message: 'the embedded model returned an empty reply', type: 'EmptyReply' });
    return {
      text: `${prompt.replyPrefix}${generated}`,
      model: `${req.slot.model} (${llama.gpu === false ? 'cpu' : llama.gpu})`,
      promptTokens: meter.usedInputTokens,
      completionTokens: meter.usedOutputTokens,
      latencyMs: Math.round(performance.now() - started),
      firstTokenMs: firstTokenMs === undefined ? undefined : Math.round(firstTokenMs),
    };
  } finally {
    await context.dispose();
  }
}

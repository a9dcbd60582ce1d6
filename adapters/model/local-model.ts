import { ApplicationFailure, Context } from '@temporalio/activity';
import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import { cpus } from 'node:os';
import type { Llama, LlamaModel } from 'node-llama-cpp';
import type { DraftRequest, DraftResult } from '../../core/contracts/draft.js';
import type { PromptInput } from '../../core/edits/prompt.js';
import { buildCompactPrompt } from '../../core/edits/small-model/compact-prompt.js';
import { assembleCompactReply } from '../../core/edits/small-model/compact-reply.js';
import { buildChatPrompt } from '../../core/edits/chat-model/chat-prompt.js';
import { assembleChatReply, replyCutNote } from '../../core/edits/chat-model/chat-reply.js';
import { chatFeedbackCut } from '../../core/edits/chat-feedback-cut.js';
import { promptChars } from '../../core/context/budget.js';
import { chooseLocalModel, draftingOf, draftTemperature, type DraftingSettings, type LocalModelChoice } from '../../core/models/catalog.js';
import { cachedModelPath, modelInstalled } from './model-file.js';
import { configError } from '../errors.js';

// The embedded model: node-llama-cpp's prebuilt binaries (CPU here; CUDA or
// Vulkan where the host has them) running a GGUF from registry packages.
// OURO_LOCAL_MODEL, read by the worker, names a catalogue model or a GGUF path.
// Loaded once per worker process; each draft gets a fresh context.

export interface LocalModel {
  choice: LocalModelChoice;
  /** The name drafts report, e.g. "qwen2.5-coder-1.5b". */
  label: string;
  path: string;
  drafting: DraftingSettings;
}

/** The model this worker drafts with, checked before anything is loaded. */
export function localModel(value = process.env.OURO_LOCAL_MODEL): LocalModel {
  const choice = chooseLocalModel(value);
  if (choice.kind === 'path') {
    if (!existsSync(choice.path)) {
      throw configError(`OURO_LOCAL_MODEL points to ${choice.path}, which does not exist (it takes a GGUF path or one of the model names in \`ouro models\`)`);
    }
    return { choice, label: basename(choice.path), path: choice.path, drafting: choice.drafting };
  }
  const { spec } = choice;
  const path = cachedModelPath(spec);
  if (!modelInstalled(spec)) {
    throw configError(
      existsSync(path)
        ? `the embedded model at ${path} is incomplete or unverified; run \`ouro setup --model ${spec.id}\` (in a clone: \`npm run setup -- --model ${spec.id}\`)`
        : `the embedded model ${spec.id} is not installed (${path}); run \`ouro setup --model ${spec.id}\` (in a clone: \`npm run setup -- --model ${spec.id}\`) or set OURO_LOCAL_MODEL to a GGUF file`,
    );
  }
  return { choice, label: spec.id, path, drafting: draftingOf(choice) };
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

export async function loadLocalModel(path = localModel().path): Promise<Loaded> {
  if (loading) {
    const current = await loading.catch(() => undefined);
    if (current?.path === path) return current;
    await current?.model.dispose();
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

/** What the model is asked, and how its reply becomes an edit, by the model's prompt style; a chat model's file too long for `replyTokens` is asked as search-replace. */
function promptFor(input: PromptInput, drafting: DraftingSettings, original: string | undefined, replyTokens: number) {
  if (drafting.prompt === 'compact') {
    const p = buildCompactPrompt(input);
    return {
      system: p.system,
      user: p.user,
      responsePrefix: p.responsePrefix,
      stopAt: p.stopAt,
      assemble: (text: string, _cutAtCap: boolean) => `${p.replyPrefix}${assembleCompactReply(text, p, original)}`,
      formatNote: undefined,
      feedbackCut: p.feedbackCut,
      editFormat: undefined,
    };
  }
  const p = buildChatPrompt(input, replyTokens);
  return {
    system: p.messages[0]!.content,
    user: p.messages[1]!.content,
    responsePrefix: p.responsePrefix,
    stopAt: undefined,
    assemble: (text: string, cutAtCap: boolean) => assembleChatReply(text, p.onlyFile, p.format, p.responsePrefix, cutAtCap),
    formatNote: p.formatNote,
    feedbackCut: chatFeedbackCut(input.feedback, input.feedbackChars),
    // Told to the apply step: a reply asked for search-replace may not replace a whole existing file (core/edits/formats/asked-format.ts).
    editFormat: p.format,
  };
}

export async function generateLocal(req: DraftRequest, input: Omit<PromptInput, 'maxChars' | 'feedbackChars'>): Promise<DraftResult> {
  const ctx = Context.current();
  const chosen = localModel();
  const { drafting } = chosen;
  const { model, llama } = await loadLocalModel(chosen.path);
  const { LlamaChatSession } = await import('node-llama-cpp');
  const started = performance.now();
  const contextSize = Math.min(drafting.contextTokens, model.trainContextSize);
  const maxTokens = Math.min(req.slot.maxOutputTokens, drafting.maxOutputTokens);
  // ~3 characters a token leaves room for the template's own tokens; the feedback gets the budget's share of this window.
  const room = promptChars(contextSize, maxTokens);
  const prompt = promptFor({ ...input, ...room }, drafting, req.files.length === 1 ? req.files[0]!.content : undefined, maxTokens);
  // The report's line for the draft: the format asked where it is not whole files, then what the feedback's share cut.
  const feedbackCut = [prompt.formatNote, prompt.feedbackCut].filter(Boolean).join('; ') || undefined;
  let chars = 0;
  // No token arrives while the prompt is read (over 30 s for a long prompt on a busy CPU): heartbeat on a timer too, or every attempt times out before its first token.
  const beat = setInterval(() => ctx.heartbeat({ chars }), 5000);
  const context = await model.createContext({ contextSize, threads: threads() }).catch((err: unknown) => {
    clearInterval(beat);
    throw err;
  });
  let firstTokenMs: number | undefined;
  try {
    const session = new LlamaChatSession({ contextSequence: context.getSequence(), systemPrompt: prompt.system });
    const result = await session.promptWithMeta(prompt.user, {
      maxTokens,
      temperature: draftTemperature(drafting, req.slot.temperature, req.candidateId),
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
    if (!result.responseText.trim()) throw ApplicationFailure.create({ message: 'the embedded model returned an empty reply', type: 'EmptyReply' });
    // A reply stopped by the cap, not by the model, is cut: said in the draft's line, and a cut whole file is not closed (so applied as a cut file).
    const cutAtCap = result.stopReason === 'maxTokens';
    const note = [feedbackCut, cutAtCap ? replyCutNote(maxTokens) : undefined].filter(Boolean).join('; ') || undefined;
    return {
      text: prompt.assemble(result.responseText, cutAtCap),
      model: `embedded ${chosen.label} (${llama.gpu === false ? 'cpu' : llama.gpu})`,
      promptTokens: meter.usedInputTokens,
      completionTokens: meter.usedOutputTokens,
      latencyMs: Math.round(performance.now() - started),
      firstTokenMs: firstTokenMs === undefined ? undefined : Math.round(firstTokenMs),
      ...(note ? { feedbackCut: note } : {}),
      ...(prompt.editFormat ? { editFormat: prompt.editFormat } : {}),
    };
  } finally {
    clearInterval(beat);
    await context.dispose();
  }
}

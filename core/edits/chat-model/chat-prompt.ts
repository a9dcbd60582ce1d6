// The prompt for local models that can follow instructions (Qwen2.5-Coder):
// plain chat messages that the model's own chat template formats, no reply
// prefill (a forced indentation put Qwen's first token one column off), the
// rules a code model most often breaks written out, and feedback that keeps
// the failing assertion of each rejected attempt.
import type { FeedbackItem } from '../../contracts/draft-context.js';
import { headTail } from '../../views/excerpt.js';
import type { ChatMessage, PromptInput } from '../prompt.js';
import { languageOf } from '../reply-syntax.js';
import { failureLines } from './failure-lines.js';
import { chooseChatFormat } from './chat-format.js';
import { chatSearchReplaceRules, SEARCH_PREFILL } from './chat-search-replace.js';
import type { EditFormat } from '../formats/index.js';
import { renderMapSection, renderTests } from '../../context/render.js';
import { showFile, showFiles } from '../../context/show-files.js';

const SYSTEM = [
  'You are an expert programmer who edits code to reach a goal.',
  'Keep every function name and signature the goal relies on.',
  'Do not add tests, print statements, example calls or a `__main__` block.',
].join('\n');

/** One rejected attempt as the model reads it: why, the failing lines of its test output, and what it changed. */
function attempt(f: FeedbackItem, maxChars: number): string {
  const [reason = '', rest = ''] = splitOnce(f.message, '\nYour change:\n');
  const [change, output = ''] = splitOnce(rest, '\nTest output:\n');
  const parts = [`Rejected (${f.status}): ${reason.trim()}`];
  // What the reason line and the two labels leave is shared between the failure and the change.
  const room = Math.max(0, maxChars - parts[0]!.length - 40);
  if (output.trim()) parts.push(`What failed:\n${failureLines(output, Math.floor(room * 0.6))}`);
  if (change?.trim()) parts.push(`That attempt changed:\n${headTail(change.trim(), Math.floor(room * 0.4))}`);
  return headTail(parts.join('\n'), maxChars);
}

function splitOnce(text: string, sep: string): [string, string | undefined] {
  const at = text.indexOf(sep);
  return at < 0 ? [text, undefined] : [text.slice(0, at), text.slice(at + sep.length)];
}

const REJECTED = 'Earlier attempts were rejected. Do not repeat them: find the mistake and fix what failed.';
const BASE_FAILS = 'The current code fails its tests:\n';

/**
 * The latest rejected attempts (two at most: older ones restate the same failure), or the base's own
 * failure when none yet, in `maxChars` (the budget's feedback share) shared between the attempts.
 */
export function chatFeedback(items: FeedbackItem[], maxChars: number): string {
  const attempts = items.filter((f) => f.candidate !== 'baseline').slice(-2);
  let text = '';
  if (attempts.length === 0) {
    const base = items.find((f) => f.candidate === 'baseline');
    // The header is part of the share: the failure's lines get what it leaves.
    if (base) text = `${BASE_FAILS}${failureLines(base.message, maxChars - BASE_FAILS.length)}`;
  } else {
    const each = Math.floor((maxChars - REJECTED.length) / attempts.length) - 2;
    text = [REJECTED, ...attempts.map((f) => attempt(f, each))].join('\n\n');
  }
  // A share too small for the labels and a cut's marker says nothing worth its room: none is sent rather than more than the share.
  return text.length <= maxChars ? text : '';
}

export interface ChatPrompt {
  messages: ChatMessage[];
  /** The file a single-file reply is about: its code block (whole-file) or its blocks (search-replace) are read as this path's. */
  onlyFile?: string;
  /** What the reply is asked to be (./chat-format.ts). */
  format: EditFormat;
  /** Why search-replace was asked, for the draft's report; absent for whole files. */
  formatNote?: string;
  /** The start the reply is forced to (search-replace about one file: its first SEARCH marker); the reply read back includes it. */
  responsePrefix?: string;
}

/**
 * The prompt for the embedded chat model. `replyTokens`, the reply's cap, picks search-replace for a
 * file that does not fit it whole; without it the slot's edit format decides alone.
 */
export function buildChatPrompt(p: PromptInput, replyTokens?: number): ChatPrompt {
  const chosen = chooseChatFormat(p.files, p.editFormat, replyTokens);
  const reported = { format: chosen.format, ...(chosen.note ? { formatNote: chosen.note } : {}) };
  const parts: string[] = [p.goal.trim()];
  if (p.hints.length) parts.push(`Guidance:\n${p.hints.map((h) => `- ${h}`).join('\n')}`);
  const feedback = chatFeedback(p.feedback, p.feedbackChars);
  // Search-replace the slot did not ask for was chosen because the files are too long to write whole.
  const tooLong = p.editFormat !== 'search-replace';
  const rules =
    chosen.format === 'search-replace'
      ? chatSearchReplaceRules(
          p.files.map((f) => f.path),
          tooLong,
        )
      : undefined;
  // The whole-file request fits the 600 held back; the search-replace rules and example are longer.
  const room = Math.max(2000, p.maxChars - SYSTEM.length - feedback.length - 600 - (rules?.length ?? 0));
  // Fitted to this model when gathered; the caps guard a worker whose model has a smaller window.
  const tests = renderTests(p.context, Math.floor(room * 0.3));
  const map = renderMapSection(p.context, Math.floor(room * 0.1));
  const budget = Math.max(Math.floor(room * 0.6), room - tests.length - map.length);
  if (map) parts.push(map);
  if (p.files.length === 1) {
    const f = p.files[0]!;
    const lang = languageOf(f.path);
    parts.push(`${f.path}:\n\`\`\`${lang}\n${showFile(f, budget, p.context?.focus).text}${f.content.endsWith('\n') ? '' : '\n'}\`\`\``);
    if (tests) parts.push(tests);
    if (feedback) parts.push(feedback);
    parts.push(rules ?? `Reply with the complete new ${f.path} in one \`\`\`${lang} code block, and nothing after it.`);
    return {
      messages: [
        { role: 'system', content: SYSTEM },
        { role: 'user', content: parts.join('\n\n') },
      ],
      onlyFile: f.path,
      ...reported,
      ...(rules ? { responsePrefix: SEARCH_PREFILL } : {}),
    };
  }
  parts.push(`Files you may change: ${p.allowed.join(', ')}`);
  parts.push(showFiles(p.files, budget, p.context));
  if (tests) parts.push(tests);
  if (feedback) parts.push(feedback);
  parts.push(rules ?? 'For each file you change, write its path on a line of its own, then its complete new content in one code block.');
  return {
    messages: [
      { role: 'system', content: SYSTEM },
      { role: 'user', content: parts.join('\n\n') },
    ],
    ...reported,
  };
}

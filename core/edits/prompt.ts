import { describeFormat, type EditFormat } from './edit-format.js';
import type { FeedbackItem } from '../contracts/draft.js';
import type { FileSnapshot } from '../contracts/git.js';
import { headTail } from '../views/excerpt.js';

export interface PromptInput {
  goal: string;
  files: FileSnapshot[];
  allowed: string[];
  hints: string[];
  feedback: FeedbackItem[];
  editFormat: EditFormat;
  /** Rough character budget for the whole prompt (context size × ~3.5 chars/token). */
  maxChars: number;
}

export interface ChatMessage {
  role: 'system' | 'user';
  content: string;
}

const SYSTEM = [
  'You are a careful software engineer improving a repository.',
  'Change only the files you are allowed to change. Never edit tests, benchmarks or configuration.',
  'Keep the public API unchanged unless the goal says otherwise.',
].join('\n');

function fence(path: string, content: string): string {
  return `${path}\n\`\`\`\n${content}${content.endsWith('\n') ? '' : '\n'}\`\`\``;
}

/** Feedback from earlier rounds in the order it happened, trimmed (head and tail kept) to what fits. */
export function renderFeedback(items: FeedbackItem[], maxChars: number): string {
  if (items.length === 0) return '';
  const lines = ['Earlier attempts and why they were rejected:'];
  for (const f of items) lines.push(`- ${f.candidate} (${f.status}): ${headTail(f.message, 1200)}`);
  return headTail(lines.join('\n'), maxChars);
}

export function buildMessages(p: PromptInput): ChatMessage[] {
  const parts: string[] = [`Goal: ${p.goal}`];
  parts.push(`Files you may change: ${p.allowed.join(', ')}`);
  if (p.hints.length) parts.push(`Guidance from the user:\n${p.hints.map((h) => `- ${h}`).join('\n')}`);
  const budget = Math.max(2000, p.maxChars - SYSTEM.length - 2000);
  const fileText = p.files.map((f) => fence(f.path, f.content)).join('\n\n');
  parts.push(`Current contents:\n\n${headTail(fileText, Math.floor(budget * 0.7))}`);
  const feedback = renderFeedback(p.feedback, Math.floor(budget * 0.3));
  if (feedback) parts.push(feedback);
  parts.push(describeFormat(p.editFormat));
  return [
    { role: 'system', content: SYSTEM },
    { role: 'user', content: parts.join('\n\n') },
  ];
}

/** A prompt for small local models: one short instruction, the code, and a forced reply start. */
export interface CompactPrompt {
  system: string;
  user: string;
  /** Text the model's reply is forced to start with (it continues from there). */
  responsePrefix?: string;
  /** Text put in front of the reply before parsing (e.g. the file's path line). */
  replyPrefix: string;
  /** Stop generating here (and close the reply with it): small models ramble after the code. */
  stopAt?: string;
}

const LANGUAGES: Record<string, string> = { ts: 'ts', tsx: 'tsx', js: 'js', mjs: 'js', py: 'python', go: 'go', rs: 'rust', java: 'java', c: 'c', cpp: 'cpp' };

function languageOf(path: string): string {
  return LANGUAGES[path.split('.').pop() ?? ''] ?? '';
}

/**
 * What a small model can use of earlier feedback: one line about the latest
 * failed attempt. Long test logs made SmolLM2-135M worse in our trials (it
 * copies them), and the baseline's failure restates the goal.
 */
export function compactFeedback(items: FeedbackItem[]): string[] {
  const latest = items.filter((f) => f.candidate !== 'baseline').at(-1);
  if (!latest) return [];
  return [`An earlier attempt was rejected (${latest.status}): ${latest.message.split('\n')[0]!.trim().slice(0, 160)}`];
}

export function buildCompactPrompt(p: PromptInput): CompactPrompt {
  const system = 'You are an expert programmer. You fix bugs and make code faster without changing what it does.';
  const hints = p.hints.length ? `\n${p.hints.join('\n')}` : '';
  const feedback = compactFeedback(p.feedback);
  const notes = feedback.length ? `\n${feedback.join('\n')}` : '';
  const budget = Math.max(1000, p.maxChars - 600);
  if (p.files.length === 1) {
    const f = p.files[0]!;
    const lang = languageOf(f.path);
    const code = headTail(f.content, budget);
    // Prefill the reply with the file's head up to its first opened block: the
    // model then writes the body instead of inventing a different function.
    const lines = f.content.split('\n');
    const opener = lines.findIndex((l) => /[{:]\s*$/.test(l));
    const head = opener >= 0 && opener < 20 ? `${lines.slice(0, opener + 1).join('\n')}\n` : '';
    return {
      system,
      user: `${p.goal}${hints}${notes}\n\n${f.path}:\n\`\`\`${lang}\n${code}${code.endsWith('\n') ? '' : '\n'}\`\`\`\n\nWrite the complete corrected ${f.path} in one code block.`,
      responsePrefix: `\`\`\`${lang}\n${head}`,
      replyPrefix: `${f.path}\n`,
      stopAt: '\n```',
    };
  }
  const files = headTail(p.files.map((f) => fence(f.path, f.content)).join('\n\n'), budget);
  return {
    system,
    user: `${p.goal}${hints}${notes}\n\n${files}\n\nFor each file you change, write its path on one line, then its complete new content in a code block.`,
    replyPrefix: '',
  };
}

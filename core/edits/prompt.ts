import { describeFormat, type EditFormat } from './formats/index.js';
import { fencedFile } from './reply-syntax.js';
import type { DraftContext, FeedbackItem, FileSnapshot } from '../contracts/draft-context.js';
import { headTail } from '../views/excerpt.js';
import { renderMapSection, renderTests } from '../context/render.js';

export interface PromptInput {
  goal: string;
  files: FileSnapshot[];
  allowed: string[];
  hints: string[];
  feedback: FeedbackItem[];
  editFormat: EditFormat;
  /** The tests and map fitted to this model (core/context/); absent: the files alone. */
  context?: DraftContext;
  /** Rough character budget for the whole prompt (what the reply leaves of the context, core/context/budget.ts promptChars). */
  maxChars: number;
  /** The feedback's share of it (promptChars): earlier attempts are fitted to this, never sized by the builder itself. */
  feedbackChars: number;
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
  const feedback = renderFeedback(p.feedback, p.feedbackChars);
  const whole = Math.max(2000, p.maxChars - SYSTEM.length - feedback.length - 2000);
  // The context was fitted to this model when it was gathered; these caps only guard a smaller window.
  const map = renderMapSection(p.context, Math.floor(whole * 0.25));
  const tests = renderTests(p.context, Math.floor(whole * 0.3));
  const budget = Math.max(Math.floor(whole * 0.45), whole - map.length - tests.length);
  if (map) parts.push(map);
  const fileText = p.files.map((f) => fencedFile(f.path, f.content)).join('\n\n');
  parts.push(`Current contents:\n\n${headTail(fileText, budget)}`);
  if (tests) parts.push(tests);
  if (feedback) parts.push(feedback);
  parts.push(describeFormat(p.editFormat));
  return [
    { role: 'system', content: SYSTEM },
    { role: 'user', content: parts.join('\n\n') },
  ];
}

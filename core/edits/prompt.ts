import { describeFormat, type EditFormat } from './formats/index.js';
import type { DraftContext, FeedbackItem, FileSnapshot } from '../contracts/draft-context.js';
import { headTail } from '../views/excerpt.js';
import { renderMapSection, renderTests } from '../context/render.js';
import { showFiles } from '../context/show-files.js';
import { fitRendered, type FittedFeedback } from './feedback-cut.js';

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

/** Feedback from earlier rounds in the order it happened, trimmed (head and tail kept) to what fits, and what that cut. */
export function fitFeedback(items: FeedbackItem[], maxChars: number): FittedFeedback {
  if (items.length === 0) return { text: '', cut: undefined };
  const lines = ['Earlier attempts and why they were rejected:'];
  for (const f of items) lines.push(`- ${f.candidate} (${f.status}): ${headTail(f.message, 1200)}`);
  return fitRendered(lines.join('\n'), (whole) => headTail(whole, maxChars));
}

export function renderFeedback(items: FeedbackItem[], maxChars: number): string {
  return fitFeedback(items, maxChars).text;
}

/** An API model's prompt, and the report's line for what the feedback's share cut from it. */
export interface ApiPrompt {
  messages: ChatMessage[];
  feedbackCut?: string;
}

export function buildMessages(p: PromptInput): ChatMessage[] {
  return buildApiPrompt(p).messages;
}

export function buildApiPrompt(p: PromptInput): ApiPrompt {
  const parts: string[] = [`Goal: ${p.goal}`];
  parts.push(`Files you may change: ${p.allowed.join(', ')}`);
  if (p.hints.length) parts.push(`Guidance from the user:\n${p.hints.map((h) => `- ${h}`).join('\n')}`);
  const fitted = fitFeedback(p.feedback, p.feedbackChars);
  const feedback = fitted.text;
  const whole = Math.max(2000, p.maxChars - SYSTEM.length - feedback.length - 2000);
  // The context was fitted to this model when it was gathered; these caps only guard a smaller window.
  const map = renderMapSection(p.context, Math.floor(whole * 0.25));
  const tests = renderTests(p.context, Math.floor(whole * 0.3));
  const budget = Math.max(Math.floor(whole * 0.45), whole - map.length - tests.length);
  if (map) parts.push(map);
  // A file too long for the budget is shown around what the goal points at, where the context found that.
  parts.push(`Current contents:\n\n${showFiles(p.files, budget, p.context)}`);
  if (tests) parts.push(tests);
  if (feedback) parts.push(feedback);
  parts.push(describeFormat(p.editFormat));
  const messages: ChatMessage[] = [
    { role: 'system', content: SYSTEM },
    { role: 'user', content: parts.join('\n\n') },
  ];
  return fitted.cut ? { messages, feedbackCut: fitted.cut } : { messages };
}

// The message a rejected candidate leaves for the next round's drafts. Its
// sections are read back by name (chat-model/chat-prompt.ts splits on them).
import { headTail } from '../views/excerpt.js';
import { failureExcerpt } from './failure-excerpt.js';

export const CHANGE_HEADING = '\nYour change:\n';
export const OUTPUT_HEADING = '\nTest output:\n';

/** Why, what the candidate changed, and what failed in its test output (the passing tests dropped before anything is cut). */
export function testRejectionMessage(reason: string, diff: string, output: string, runner?: string): string {
  return `${reason}${CHANGE_HEADING}${headTail(diff, 1500)}${OUTPUT_HEADING}${failureExcerpt(output, 2500, runner)}`;
}

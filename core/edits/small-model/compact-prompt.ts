// The embedded model's prompt: SmolLM2-135M cannot follow an edit format's
// rules, so it gets one short instruction, the code, and the start of its
// reply forced; compact-reply.ts turns what it writes into a whole-file reply.
import type { FeedbackItem } from '../../contracts/draft-context.js';
import { showFile, showFiles } from '../../context/show-files.js';
import { fitRendered, type FittedFeedback } from '../feedback-cut.js';
import type { PromptInput } from '../prompt.js';
import { languageOf } from '../reply-syntax.js';

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
  /** The report's line for what the feedback's share cut from its one line; absent where it fit. */
  feedbackCut?: string;
}

/**
 * What a small model can use of earlier feedback: one line about the latest
 * failed attempt. Long test logs made SmolLM2-135M worse in our trials (it
 * copies them), and the baseline's failure restates the goal. Fitted to the share with what that
 * cut; undefined where no attempt failed yet.
 */
function compactFeedback(items: FeedbackItem[], maxChars: number): FittedFeedback | undefined {
  const latest = items.filter((f) => f.candidate !== 'baseline').at(-1);
  if (!latest) return undefined;
  const line = `An earlier attempt was rejected (${latest.status}): ${latest.message.split('\n')[0]!.trim().slice(0, 160)}`;
  return fitRendered(line, (whole) => whole.slice(0, maxChars));
}

export function buildCompactPrompt(p: PromptInput): CompactPrompt {
  const system = 'You are an expert programmer. You fix bugs and make code faster without changing what it does.';
  const hints = p.hints.length ? `\n${p.hints.join('\n')}` : '';
  const fitted = compactFeedback(p.feedback, p.feedbackChars);
  const feedback = fitted ? [fitted.text] : [];
  const reported = fitted?.cut ? { feedbackCut: fitted.cut } : {};
  // A 135M model copies what it reads: of the context it gets the tests' names only, never their code or a map.
  const tested = p.context?.tests.length ? [`Tests that check it (do not change them): ${p.context.tests.map((t) => t.path).join(', ')}`] : [];
  const notes = feedback.length || tested.length ? `\n${[...tested, ...feedback].join('\n')}` : '';
  const budget = Math.max(1000, p.maxChars - 600);
  if (p.files.length === 1) {
    const f = p.files[0]!;
    const lang = languageOf(f.path);
    const code = showFile(f, budget, p.context?.focus).text;
    // Prefill the reply with the file's head up to its first opened block: the
    // model then writes the body instead of inventing a different function.
    // A body marked missing (a stub that raises NotImplementedError) is where
    // the model starts: everything above it, docstring included, is given.
    const lines = f.content.split('\n');
    const stub = lines.findIndex((l) => /^\s+raise NotImplementedError\b/.test(l));
    const opener = lines.findIndex((l) => /[{:]\s*$/.test(l));
    const headLines = stub > 0 ? stub : opener >= 0 && opener < 20 ? opener + 1 : 0;
    // Under a stub the body's indentation is given too: the model's first token is code, not the block's end.
    const indent = stub > 0 ? /^\s*/.exec(lines[stub]!)![0] : '';
    const head = headLines ? `${lines.slice(0, headLines).join('\n')}\n${indent}` : '';
    return {
      system,
      user: `${p.goal}${hints}${notes}\n\n${f.path}:\n\`\`\`${lang}\n${code}${code.endsWith('\n') ? '' : '\n'}\`\`\`\n\nWrite the complete corrected ${f.path} in one code block.`,
      responsePrefix: `\`\`\`${lang}\n${head}`,
      replyPrefix: `${f.path}\n`,
      stopAt: '\n```',
      ...reported,
    };
  }
  const files = showFiles(p.files, budget, p.context);
  return {
    system,
    user: `${p.goal}${hints}${notes}\n\n${files}\n\nFor each file you change, write its path on one line, then its complete new content in a code block.`,
    replyPrefix: '',
    ...reported,
  };
}

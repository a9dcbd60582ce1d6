// One entry of the localisation corpus: a commit that fixed something, the files it changed, and
// the parent it started from. The message is the goal; the changed source files are the answer.

import { z } from 'zod';

export const corpusEntrySchema = z.object({
  repo: z.string(),
  language: z.enum(['typescript', 'javascript', 'python', 'go', 'rust']),
  parent: z.string().regex(/^[0-9a-f]{40}$/),
  fix: z.string().regex(/^[0-9a-f]{40}$/),
  message: z.string(),
  sourceFiles: z.array(z.string()).min(1).max(3),
  testFiles: z.array(z.string()).min(1),
});

export type CorpusEntry = z.infer<typeof corpusEntrySchema>;

export function parseCorpus(jsonl: string): CorpusEntry[] {
  return jsonl
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => corpusEntrySchema.parse(JSON.parse(line)));
}

// A user's own task suite: one JSON object a line, each an ordinary run
// (repository, base, goal, files, test command, optional benchmark) plus,
// optionally, a hidden test command that judges the committed result and that
// the model never sees.
import { z } from 'zod';
import { jsonLines } from './jsonl.js';

const list = z.union([
  z
    .string()
    .min(1)
    .transform((s) => [s]),
  z.array(z.string().min(1)).min(1),
]);

export const UserTaskSchema = z
  .object({
    id: z.string().regex(/^[A-Za-z0-9._/-]{1,80}$/, 'task ids use letters, digits, . _ / - (at most 80)'),
    repo: z.string().startsWith('/', 'the repository must be an absolute path'),
    base: z.string().min(1).default('HEAD'),
    goal: z.string().trim().min(1, 'a task needs a goal'),
    files: list,
    test: z.string().trim().min(1, 'a task needs a test command'),
    bench: z.string().trim().min(1).optional(),
    fix: z.boolean().default(true),
    hidden: z.string().trim().min(1).optional(),
  })
  .strict();
export type UserTask = z.infer<typeof UserTaskSchema>;

export class SuiteError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`${file}: ${problems.length} line(s) are not tasks Ouro can run:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  }
}

/** Every line checked; all the bad ones reported at once, by line number. */
export function parseSuite(text: string, file = 'the suite'): UserTask[] {
  const seen = new Map<string, number>();
  const { items, problems } = jsonLines(text, UserTaskSchema, (task, line) => {
    const earlier = seen.get(task.id);
    if (earlier !== undefined) return `task id ${task.id} is already used on line ${earlier}`;
    seen.set(task.id, line);
    return undefined;
  });
  if (problems.length) throw new SuiteError(file, problems);
  if (!items.length) throw new SuiteError(file, ['no task in the file']);
  return items.map((i) => i.value);
}

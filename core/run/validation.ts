import type { z } from 'zod';

// How a zod failure reads to a user, in one place: a flag's error names the
// flag as typed (--bench-runs), a file's error names the field's path.

/** CLI flags: schema keys are camelCase, the flags kebab-case (benchRuns → --bench-runs); one issue a line. */
export function formatZodError(err: z.ZodError): string {
  const flag = (key: PropertyKey) => `--${String(key).replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
  return err.issues.map((i) => (i.path.length ? `${flag(i.path[0]!)}: ${i.message}` : i.message)).join('\n');
}

/** A file's content: each issue with its field path (`drafts.0.count: …`, `(root)` for the whole), on one line. */
export function describeIssues(err: z.ZodError): string {
  return err.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
}

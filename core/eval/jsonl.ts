import type { z } from 'zod';
import { describeIssues } from '../run/validation.js';

/**
 * A JSONL file read line by line against a schema: every good line with its
 * number, and every bad one said by number (not JSON, a field wrong, or what
 * `check` finds), so that all can be fixed at once. Blank lines and lines
 * starting with // are skipped.
 */
export function jsonLines<T>(
  text: string,
  schema: z.ZodType<T>,
  check: (value: T, line: number) => string | undefined = () => undefined,
): { items: Array<{ value: T; line: number }>; problems: string[] } {
  const items: Array<{ value: T; line: number }> = [];
  const problems: string[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith('//')) return;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch (err) {
      problems.push(`line ${i + 1}: not JSON (${(err as Error).message})`);
      return;
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) return void problems.push(`line ${i + 1}: ${describeIssues(parsed.error)}`);
    const wrong = check(parsed.data, i + 1);
    if (wrong) return void problems.push(`line ${i + 1}: ${wrong}`);
    items.push({ value: parsed.data, line: i + 1 });
  });
  return { items, problems };
}

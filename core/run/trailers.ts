// Commit messages carry git trailers so a commit explains itself (which run,
// which model, what the gates measured) and so a retried commit activity can
// find the commit it already made.
export const RUN_TRAILER = 'Ouro-Run';

const SUBJECT_MAX = 72;

/** One line of at most 72 characters, cut at a word (with "…") when the goal is longer. */
function subjectLine(goal: string): { subject: string; cut: boolean } {
  const flat = goal.replace(/\s+/g, ' ').trim();
  if (!flat) return { subject: 'Ouro change', cut: false };
  if (flat.length <= SUBJECT_MAX) return { subject: flat, cut: false };
  const room = flat.slice(0, SUBJECT_MAX - 1);
  const space = room.lastIndexOf(' ');
  // A word longer than half the line is cut where it must be.
  return { subject: `${(space >= SUBJECT_MAX / 2 ? room.slice(0, space) : room).trimEnd()}…`, cut: true };
}

export function commitMessage(subject: string, body: string, trailers: Record<string, string>): string {
  const line = subjectLine(subject);
  const lines = [line.subject, ''];
  // A goal cut for the subject is kept whole in the body.
  if (line.cut) lines.push(subject.trim(), '');
  if (body.trim()) lines.push(body.trim(), '');
  for (const [k, v] of Object.entries(trailers)) lines.push(`${k}: ${v.replace(/\s+/g, ' ').trim()}`);
  return `${lines.join('\n')}\n`;
}

export function parseTrailers(message: string): Record<string, string> {
  const out: Record<string, string> = {};
  const paragraphs = message.trimEnd().split(/\n\s*\n/);
  const last = paragraphs.at(-1) ?? '';
  for (const line of last.split('\n')) {
    const m = /^([A-Za-z][A-Za-z0-9-]*):\s*(.*)$/.exec(line);
    if (m) out[m[1]!] = m[2]!;
  }
  return out;
}

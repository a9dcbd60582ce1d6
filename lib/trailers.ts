// Commit messages carry git trailers so a commit explains itself (which run,
// which model, what the gates measured) and so a retried commit activity can
// find the commit it already made.
export const RUN_TRAILER = 'Ouro-Run';

export function commitMessage(subject: string, body: string, trailers: Record<string, string>): string {
  const cleanSubject = subject.replace(/\s+/g, ' ').trim().slice(0, 72).trimEnd() || 'Ouro change';
  const lines = [cleanSubject, ''];
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

// Keep the head and the tail of long output: the head shows what started to
// go wrong, the tail carries the runner's summary line.
export function headTail(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  // Never negative: a budget below the marker's size keeps just the marker (negative slice ends
  // would otherwise keep most of the text).
  const half = Math.max(0, Math.floor((maxChars - 40) / 2));
  const dropped = text.length - 2 * half;
  return `${text.slice(0, half)}\n… [${dropped} characters cut] …\n${text.slice(text.length - half)}`;
}

const ANSI = /\u001b\[[0-9;?]*[ -/]*[@-~]/g;
export function stripAnsi(text: string): string {
  return text.replace(ANSI, '');
}

/** Control characters shown as their Unicode pictures (NUL → ␀), so a candidate's output cannot garble a terminal or a table. */
export function visibleControls(text: string): string {
  return text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, (c) => (c === '\u007f' ? '\u2421' : String.fromCharCode(0x2400 + c.charCodeAt(0))));
}

/** A single line, at most `max` characters, for summaries and tables. */
export function oneLine(text: string, max = 160): string {
  const flat = visibleControls(stripAnsi(text)).replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}

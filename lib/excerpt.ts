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

const ANSI = /\u001b\[[0-9;?]*[ -\/]*[@-~]/g;
export function stripAnsi(text: string): string {
  return text.replace(ANSI, '');
}

/** A single line, at most `max` characters, for summaries and tables. */
export function oneLine(text: string, max = 160): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}

// Durations as people type them on a command line: 90s, 30m, 6h, 2d, 1h30m.
const UNIT: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 };

/** Seconds in `text`, or undefined when it is not a duration. A bare number is seconds. */
export function parseDuration(text: string): number | undefined {
  const t = text.trim();
  if (/^\d+$/.test(t)) return Number(t);
  if (!/^(\d+[smhdw])+$/.test(t)) return undefined;
  let total = 0;
  for (const m of t.matchAll(/(\d+)([smhdw])/g)) total += Number(m[1]) * UNIT[m[2]!]!;
  return total;
}

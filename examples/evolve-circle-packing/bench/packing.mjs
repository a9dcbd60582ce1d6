// The verdict on a packing, computed here and never taken from the program:
// exactly 26 circles, each [x, y, r] of finite numbers with r > 0, inside the
// unit square, pairwise disjoint. The sum of the radii is summed here.
export const CIRCLES = 26;
/** Slack for floating-point contact (a circle touching a wall or a neighbour): at most 26e-9 on the sum. */
export const TOLERANCE = 1e-9;

/** { ok: true, sum } or { ok: false, reason } for the text a program printed. */
export function scorePacking(text) {
  let circles;
  try {
    circles = JSON.parse(String(text).trim());
  } catch {
    return { ok: false, reason: `the program did not print one JSON array (it printed ${JSON.stringify(String(text).slice(0, 80))})` };
  }
  if (!Array.isArray(circles) || circles.length !== CIRCLES)
    return { ok: false, reason: `expected ${CIRCLES} circles, got ${Array.isArray(circles) ? circles.length : typeof circles}` };
  for (const [i, c] of circles.entries()) {
    if (!Array.isArray(c) || c.length !== 3 || !c.every((v) => typeof v === 'number' && Number.isFinite(v)))
      return { ok: false, reason: `circle ${i} is not [x, y, r] of finite numbers: ${JSON.stringify(c)}` };
    const [x, y, r] = c;
    if (!(r > 0)) return { ok: false, reason: `circle ${i} has radius ${r}` };
    if (x - r < -TOLERANCE || y - r < -TOLERANCE || x + r > 1 + TOLERANCE || y + r > 1 + TOLERANCE)
      return { ok: false, reason: `circle ${i} (${x}, ${y}, r ${r}) leaves the unit square` };
  }
  for (let i = 0; i < CIRCLES; i++) {
    for (let j = i + 1; j < CIRCLES; j++) {
      const [xi, yi, ri] = circles[i];
      const [xj, yj, rj] = circles[j];
      if (Math.hypot(xi - xj, yi - yj) < ri + rj - TOLERANCE) return { ok: false, reason: `circles ${i} and ${j} overlap` };
    }
  }
  return { ok: true, sum: circles.reduce((s, c) => s + c[2], 0) };
}

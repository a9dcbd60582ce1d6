// Random instances and their exact optimum: uniform points in the unit square
// drawn from a seed, and the shortest closed tour by Held-Karp dynamic
// programming (exact; 12 cities is 12^2 * 2^12 steps).
export const CITIES = 12;

/** mulberry32: the seed's stream of numbers in [0, 1). */
function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function instance(seed, n = CITIES) {
  const next = random(seed);
  return Array.from({ length: n }, () => [next(), next()]);
}

const dist = (a, b) => Math.hypot(a[0] - b[0], a[1] - b[1]);

/** The closed tour's length, or a reason it is not a tour of these points. */
export function tourLength(points, order) {
  if (!Array.isArray(order) || order.length !== points.length) return { ok: false, reason: `a tour visits ${points.length} points, this one lists ${Array.isArray(order) ? order.length : typeof order}` };
  const seen = new Set();
  for (const i of order) {
    if (!Number.isInteger(i) || i < 0 || i >= points.length) return { ok: false, reason: `${JSON.stringify(i)} is not a point index` };
    if (seen.has(i)) return { ok: false, reason: `point ${i} is visited twice` };
    seen.add(i);
  }
  let length = 0;
  for (let k = 0; k < order.length; k++) length += dist(points[order[k]], points[order[(k + 1) % order.length]]);
  return { ok: true, length };
}

/** The exact shortest closed tour's length (Held-Karp). */
export function optimum(points) {
  const n = points.length;
  const full = 1 << n;
  const best = new Float64Array(full * n).fill(Infinity);
  best[1 * n + 0] = 0;
  for (let set = 1; set < full; set += 2) {
    for (let last = 0; last < n; last++) {
      const here = best[set * n + last];
      if (here === Infinity) continue;
      for (let next = 1; next < n; next++) {
        if (set & (1 << next)) continue;
        const to = (set | (1 << next)) * n + next;
        const d = here + dist(points[last], points[next]);
        if (d < best[to]) best[to] = d;
      }
    }
  }
  let shortest = Infinity;
  for (let last = 1; last < n; last++) shortest = Math.min(shortest, best[(full - 1) * n + last] + dist(points[last], points[0]));
  return shortest;
}

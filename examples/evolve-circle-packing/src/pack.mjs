// 26 circles in the unit square, printed as JSON [[x, y, r], ...]:
// a 6 x 5 grid of centres (the first 26 of its 30 cells), each circle as
// large as its walls and its neighbours allow.
const N = 26;

function centres() {
  const cols = 6;
  const rows = 5;
  const out = [];
  for (let i = 0; i < N; i++) {
    const col = i % cols;
    const row = Math.floor(i / cols);
    out.push([(col + 0.5) / cols, (row + 0.5) / rows]);
  }
  return out;
}

/** The largest radii these centres allow: each circle within the walls, then shrunk pairwise until no two overlap. */
function maxRadii(c) {
  const r = c.map(([x, y]) => Math.min(x, y, 1 - x, 1 - y));
  for (let i = 0; i < c.length; i++) {
    for (let j = i + 1; j < c.length; j++) {
      const d = Math.hypot(c[i][0] - c[j][0], c[i][1] - c[j][1]);
      if (r[i] + r[j] > d) {
        const scale = d / (r[i] + r[j]);
        r[i] *= scale;
        r[j] *= scale;
      }
    }
  }
  return r;
}

const c = centres();
const r = maxRadii(c);
console.log(JSON.stringify(c.map(([x, y], i) => [x, y, r[i]])));

// One seeded generator for everything in Ouro that needs reproducible
// randomness: the gate's bootstrap, eval metrics, evolve sampling. It lives on
// its own so that those callers need not import the performance gate for it.

/** mulberry32: a tiny 32-bit PRNG, good enough for bootstrap resampling and test data, and reproducible from a seed. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

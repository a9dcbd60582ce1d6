// Scripted model replies for the bundled example (examples/mathkit).
export const FIXED_SUM = `/** The sum 1 + 2 + … + n (0 for n < 1). */
export function sumTo(n: number): number {
  let total = 0;
  for (let i = 1; i <= n; i++) {
    total += i;
  }
  return total;
}
`;

/** A whole-file reply that fixes the bug. */
export const GOOD_REPLY = `Here is the fix.\n\nsrc/sum.ts\n\`\`\`ts\n${FIXED_SUM}\`\`\`\n`;

/** A well-formed search/replace reply that is still wrong. */
export const WRONG_REPLY = 'src/sum.ts\n<<<<<<< SEARCH\n  for (let i = 1; i < n; i++) {\n=======\n  for (let i = 0; i < n; i++) {\n>>>>>>> REPLACE\n';

/** A faster countPrimesBelow for the bundled example (trial division up to the square root): evolve's scripted improvement. */
export const SQRT_PRIMES = `/** How many primes are strictly below \`limit\`. */
export function countPrimesBelow(limit: number): number {
  let count = 0;
  for (let n = 2; n < limit; n++) {
    let prime = true;
    for (let d = 2; d * d <= n; d++) {
      if (n % d === 0) {
        prime = false;
        break;
      }
    }
    if (prime) count++;
  }
  return count;
}
`;

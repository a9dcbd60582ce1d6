/** How many primes are strictly below `limit`. */
export function countPrimesBelow(limit: number): number {
  let count = 0;
  for (let n = 2; n < limit; n++) {
    let prime = true;
    for (let d = 2; d < n; d++) {
      if (n % d === 0) {
        prime = false;
      }
    }
    if (prime) count++;
  }
  return count;
}

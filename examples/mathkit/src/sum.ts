/** The sum 1 + 2 + … + n (0 for n < 1). */
export function sumTo(n: number): number {
  let total = 0;
  for (let i = 1; i < n; i++) {
    total += i;
  }
  return total;
}

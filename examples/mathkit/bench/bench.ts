// Ouro times this whole process; it also prints the inner time as a JSON metric line.
import { countPrimesBelow } from '../src/primes.js';

const started = performance.now();
let checksum = 0;
for (let i = 0; i < 3; i++) checksum += countPrimesBelow(12_000);
const ms = performance.now() - started;
if (checksum !== 3 * 1438) throw new Error(`wrong result ${checksum}`);
console.log(JSON.stringify({ name: 'countPrimesBelow(12000)x3', value: ms, unit: 'ms', lowerIsBetter: true }));

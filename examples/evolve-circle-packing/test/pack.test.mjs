// The program must print a valid packing: 26 disjoint circles inside the unit square.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { scorePacking } from '../bench/packing.mjs';
import { runProgram } from '../bench/run-program.mjs';

test('src/pack.mjs prints 26 disjoint circles inside the unit square', () => {
  const ran = runProgram(new URL('../src/pack.mjs', import.meta.url).pathname);
  assert.ok(ran.ok, ran.reason);
  const verdict = scorePacking(ran.stdout);
  assert.ok(verdict.ok, verdict.reason);
  assert.ok(verdict.sum > 0);
});

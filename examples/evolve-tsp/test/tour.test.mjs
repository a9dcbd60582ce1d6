// The program must print a closed tour through every point, on instances it has not seen.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { scoreTours } from '../bench/score.mjs';

test('src/tour.mjs prints a valid tour of each instance', () => {
  const verdict = scoreTours(new URL('../src/tour.mjs', import.meta.url).pathname, 424242);
  assert.ok(verdict.ok, verdict.reason);
  assert.ok(verdict.optimality > 0 && verdict.optimality <= 1 + 1e-9);
});

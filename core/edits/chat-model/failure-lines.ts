// What a capable model needs from a rejected attempt is the line that says
// what failed (a pytest `E   assert …`, a `--- FAIL`, a `file:line` of a
// traceback, an `expected … received`), not the runner's passing chatter.
// Runner-agnostic on purpose: the markers below are what pytest, unittest,
// vitest/jest, go test and cargo test print where a test fails.
import { failureExcerpt } from '../../feedback/failure-excerpt.js';
import { detectRunner } from '../../feedback/runner-lines.js';
import { headTail, stripAnsi } from '../../views/excerpt.js';

const FAILURE_MARKERS = [
  /^E\s{2,}/, // pytest's assertion detail
  /^(FAILED|ERROR)\b/, // pytest's short summary
  /^\s*File ".*", line \d+/, // Python traceback frames
  /^\s*\w*(Error|Exception)\b.*:/, // the exception line itself
  /^\s*(AssertionError|assert)\b/,
  /^\s*--- FAIL\b/, // go test
  /^\s*\S+_test\.go:\d+:/, // go test's t.Errorf location
  /^\s*(thread '.*' panicked|panicked at)/, // cargo test
  /^\s*(left|right)\s*:/, // assert_eq! detail
  /^\s*(FAIL|×|✗)\s/, // vitest / jest
  /^\s*(Expected|Received|expected|received)\b/,
  /^\s*at .*:\d+:\d+\)?$/, // a JS stack frame
  /\btimed out\b|\bTimeout\b/,
];

/**
 * The lines of test output that say what failed, in order, at most `maxChars`: a known runner's
 * failures with their context (core/feedback), else the lines that look like a failure, else the
 * head and tail of the output.
 */
export function failureLines(output: string, maxChars: number): string {
  if (detectRunner(output)) return failureExcerpt(output, maxChars);
  const plain = stripAnsi(output);
  const lines = plain.split('\n');
  const kept: string[] = [];
  let size = 0;
  for (const line of lines) {
    if (!FAILURE_MARKERS.some((m) => m.test(line))) continue;
    const cut = line.length > 300 ? `${line.slice(0, 299)}…` : line;
    if (size + cut.length + 1 > maxChars) break;
    kept.push(cut);
    size += cut.length + 1;
  }
  return kept.length ? kept.join('\n') : headTail(plain.trim(), maxChars);
}

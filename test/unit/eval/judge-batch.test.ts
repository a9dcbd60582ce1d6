import { describe, expect, it } from 'vitest';
import { driverStarted, hiddenVerdict, parseDriverFrames } from '../../../core/eval/judge-batch.js';

const NONCE = 'a'.repeat(32);
const frame = (data: object, nonce = NONCE) => `${nonce} ${JSON.stringify(data)}`;

describe('the batch driver’s frames', () => {
  it('takes the first frame per sample carrying the nonce, and nothing else', () => {
    const output = [
      frame({ ready: true }),
      'stray output',
      frame({ i: 0, exit: 0, timedOut: false, output: 'ok' }, 'b'.repeat(32)), // another nonce: a forgery
      frame({ i: 0, exit: 1, timedOut: false, output: 'AssertionError' }),
      frame({ i: 0, exit: 0, timedOut: false, output: 'later, ignored' }),
      `${NONCE} {not json`,
      frame({ i: 7, exit: 0 }), // out of range
      frame({ i: 1.5, exit: 0 }),
      frame({ i: -1, exit: 0 }),
      frame({ i: 1, exit: null, signal: 9, timedOut: true, output: '' }),
      frame({ i: 2, exit: null, notRun: "the previous sample's processes could not be stopped" }),
    ].join('\n');
    const runs = parseDriverFrames(output, NONCE, 3);
    expect([...runs.keys()]).toEqual([0, 1, 2]);
    expect(runs.get(0)).toEqual({ exitCode: 1, timedOut: false, output: 'AssertionError' });
    expect(runs.get(1)).toEqual({ exitCode: null, signal: 9, timedOut: true, output: '' });
    expect(runs.get(2)?.notRun).toMatch(/could not be stopped/);
  });

  it('knows the driver started only by its ready frame with the nonce', () => {
    expect(driverStarted(`${frame({ ready: true })}\n`, NONCE)).toBe(true);
    expect(driverStarted(frame({ ready: true }, 'b'.repeat(32)), NONCE)).toBe(false);
    expect(driverStarted('python3: not found', NONCE)).toBe(false);
  });
});

describe('a judge program’s verdict', () => {
  const token = 'f'.repeat(32);
  it('passes only an exit 0 that printed the token on a line of its own', () => {
    expect(hiddenVerdict({ exitCode: 0, timedOut: false, output: `\n${token}\n` }, token, 30)).toEqual({ passed: true, reason: 'hidden tests passed' });
    expect(hiddenVerdict({ exitCode: 0, timedOut: false, output: `${token}x\n` }, token, 30).reason).toMatch(/exited 0 before the checks were done/);
    expect(hiddenVerdict({ exitCode: 1, timedOut: false, output: `${token}\nAssertionError` }, token, 30).reason).toMatch(/failed \(exit 1\)/);
    expect(hiddenVerdict({ exitCode: null, signal: 9, timedOut: true, output: token }, token, 3).reason).toBe(
      'hidden tests: killed after 3 s (an endless loop?)',
    );
    expect(hiddenVerdict({ exitCode: null, signal: 'SIGKILL', timedOut: false, output: '' }, token, 3).reason).toMatch(/exit SIGKILL/);
    // A user suite's own hidden command has no token: its exit code decides.
    expect(hiddenVerdict({ exitCode: 0, timedOut: false, output: '' }, undefined, 3).passed).toBe(true);
  });
});

import { describe, expect, it } from 'vitest';
import { driverStarted, hiddenVerdict, parseDriverFrames, sampleVerdict } from '../../../core/eval/judge-batch.js';

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

describe('a sample’s verdict', () => {
  it('passes only a checker that said passed and exited 0, within the time', () => {
    expect(sampleVerdict({ exitCode: 0, timedOut: false, output: '', passed: true }, 30)).toEqual({ passed: true, reason: 'hidden tests passed' });
    // The candidate's own output says nothing: a printed verdict is not the checker's.
    expect(sampleVerdict({ exitCode: 0, timedOut: false, output: 'hidden tests passed' }, 30).passed).toBe(false);
    expect(sampleVerdict({ exitCode: 1, timedOut: false, output: '', passed: true }, 30).passed).toBe(false);
    const failed = sampleVerdict({ exitCode: 1, timedOut: false, output: 'debug print', passed: false, reason: 'AssertionError' }, 30);
    expect(failed.reason).toMatch(/failed \(exit 1\): AssertionError\n\(the candidate printed: debug print\)/);
    expect(sampleVerdict({ exitCode: null, signal: 9, timedOut: true, output: '', passed: true }, 3).reason).toBe(
      'hidden tests: killed after 3 s (an endless loop?)',
    );
    expect(sampleVerdict({ exitCode: null, signal: 9, timedOut: false, output: '' }, 3).reason).toMatch(/exit 9\): no verdict/);
  });

  it('a user suite’s own hidden command: its exit code decides', () => {
    expect(hiddenVerdict({ exitCode: 0, timedOut: false, output: '' }, 3).passed).toBe(true);
    expect(hiddenVerdict({ exitCode: 1, timedOut: false, output: 'AssertionError' }, 30).reason).toMatch(/failed \(exit 1\): AssertionError/);
    expect(hiddenVerdict({ exitCode: null, signal: 'SIGKILL', timedOut: false, output: '' }, 3).reason).toMatch(/exit SIGKILL/);
    expect(hiddenVerdict({ exitCode: 0, timedOut: true, output: '' }, 3).passed).toBe(false);
  });
});

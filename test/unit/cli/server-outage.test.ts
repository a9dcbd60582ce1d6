import { describe, expect, it } from 'vitest';
import { isServerUnreachable, reconnectDelayMs, ServerOutage, SERVER_OUTAGE_LIMIT_MS } from '../../../cli/server-outage.js';

/** What handle.result() threw when the dev server was down (seen in test/long/client-outage.test.ts). */
function lostServer(): Error {
  const grpc = Object.assign(new Error('14 UNAVAILABLE: No connection established. Last error: Error: connect ECONNREFUSED 127.0.0.1:42887.'), {
    code: 14,
  });
  return Object.assign(new Error('Failed to get Workflow execution history'), { cause: grpc });
}

describe('a lost Temporal server', () => {
  it('is told from a call the server answered', () => {
    expect(isServerUnreachable(lostServer())).toBe(true);
    expect(isServerUnreachable(Object.assign(new Error('deadline'), { code: 4 }))).toBe(true);
    expect(isServerUnreachable(Object.assign(new Error('x'), { code: 'ECONNREFUSED' }))).toBe(true);
    expect(isServerUnreachable(Object.assign(new Error('5 NOT_FOUND: workflow not found'), { code: 5 }))).toBe(false);
    expect(isServerUnreachable(new Error('Workflow execution failed'))).toBe(false);
    expect(isServerUnreachable(undefined)).toBe(false);
    expect(isServerUnreachable('UNAVAILABLE')).toBe(false);
  });

  it('is retried with a growing, capped pause', () => {
    expect([0, 1, 2, 3, 4, 5, 20].map(reconnectDelayMs)).toEqual([1000, 2000, 4000, 8000, 15_000, 15_000, 15_000]);
  });

  it('is said once per outage, its end too, and given up on only after the stated limit, naming the run and `ouro status`', () => {
    let now = 0;
    const said: string[] = [];
    const outage = new ServerOutage(
      '127.0.0.1:7233',
      (l) => said.push(l),
      SERVER_OUTAGE_LIMIT_MS,
      () => now,
    );
    outage.lost(lostServer());
    now = 5000;
    outage.lost(lostServer());
    expect(said).toHaveLength(1);
    expect(said[0]).toMatch(/^lost the Temporal server at 127\.0\.0\.1:7233 \(Failed to get Workflow execution history\); retrying for up to 10 minutes$/);
    now = 20_000;
    outage.back();
    expect(said[1]).toBe('the Temporal server at 127.0.0.1:7233 is back after 20 s');
    outage.lost(lostServer());
    now += SERVER_OUTAGE_LIMIT_MS - 1;
    expect(outage.exhausted).toBe(false);
    now += 1;
    expect(outage.exhausted).toBe(true);
    expect(outage.givingUp('ouro-x-1')).toMatch(/after 10 minutes .*run ouro-x-1 may still be going .*`ouro status ouro-x-1`/);
  });
});

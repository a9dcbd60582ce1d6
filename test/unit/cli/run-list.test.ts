import { describe, expect, it } from 'vitest';
import { formatDuration, runDuration, runListTable, type RunListRow } from '../../../cli/render.js';

const now = new Date('2026-05-01T12:00:00.000Z');

describe('ouro list', () => {
  it('heads its columns and gives each run its duration: start to close, or how long it has run so far', () => {
    const rows: RunListRow[] = [
      {
        workflowId: 'ouro-run-abc',
        state: 'COMPLETED',
        outcome: 'committed',
        round: 1,
        bestSpeedup: 1.234,
        started: '2026-05-01T11:00:00.000Z',
        closed: '2026-05-01T11:04:07.500Z',
      },
      { workflowId: 'ouro-run-a-much-longer-id', state: 'RUNNING', round: 2, started: '2026-05-01T11:57:00.000Z' },
    ];
    const [header, done, running] = runListTable(rows, now);
    expect(header).toMatch(/^RUN +STATE +OUTCOME +ROUND +BEST +STARTED +DURATION$/);
    expect(done).toMatch(/^ouro-run-abc +COMPLETED +committed +1 +1\.23× +2026-05-01T11:00:00\.000Z +4m 07s$/);
    expect(running).toMatch(/^ouro-run-a-much-longer-id +RUNNING +2 +2026-05-01T11:57:00\.000Z +running 3m 00s$/);
    // Columns line up under their headings.
    for (const heading of ['STATE', 'STARTED', 'DURATION']) {
      expect(done!.indexOf(heading === 'STATE' ? 'COMPLETED' : heading === 'STARTED' ? '2026' : '4m')).toBe(header!.indexOf(heading));
    }
  });

  it('says nothing of a duration it cannot know, and never a negative one', () => {
    expect(runDuration({ state: 'TERMINATED', started: '2026-05-01T11:00:00.000Z' }, now)).toBe('');
    // A clock behind the server's: a run that started "in the future" has run 0s, not -5s.
    expect(runDuration({ state: 'RUNNING', started: '2026-05-01T12:00:05.000Z' }, now)).toBe('running 0s');
  });

  it.each([
    [0, '0s'],
    [59_999, '59s'],
    [60_000, '1m 00s'],
    [3_599_000, '59m 59s'],
    [3_600_000, '1h 00m'],
    [86_399_000, '23h 59m'],
    [90_000_000, '1d 1h'],
    [-1_000, '0s'],
  ])('formats %i ms as %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});

import { beforeAll, it } from 'vitest';
import { startFakeOpenAI } from '../helpers/fake-openai.js';
import { eventTimeMs, exampleRepo, historyOf, queueNames, resultOf, startedActivities, startTestRun, startWorkers, testInput, uniquePrefix, useSuiteServer } from '../helpers/harness.js';
beforeAll(() => { useSuiteServer(); });
for (const [rate, n] of [[2, 10], [2, 10], [2, 10], [2, 10], [1, 10], [1, 10]] as const) {
  it(`rate ${rate} n ${n}`, async () => {
    const fake = await startFakeOpenAI();
    const own = uniquePrefix();
    const workers = await startWorkers(queueNames(own), undefined, { gpu: { perSecond: rate } });
    try {
      const repo = await exampleRepo();
      fake.setDefault({ content: 'nope' });
      const handle = await startTestRun(testInput(repo, own, fake.url, { drafts: `gpu:${n}` }));
      await resultOf(handle);
      const times = startedActivities(await historyOf(handle), 'draft').map((s) => eventTimeMs(s.event)).sort((a, b) => a - b);
      console.log(rate, n, JSON.stringify(times.map((t) => Math.round(t - times[0]!))));
    } finally { await workers.stop(); await fake.close(); }
  });
}

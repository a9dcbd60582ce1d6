// bisect: the release suite failed on the integrated head. Which change made
// it fail? Walk the integrated changes in their integration order (each
// commit holds all before it), drop the first one whose prefix fails, and
// integrate the rest again on top of the prefix that passed.
import { testGate } from '../../core/gate/gate.js';
import { checkpoint, enter, finish, integrationOrder, need, planOf, suiteTest, type Train } from './context.js';
import { integrate, moveTo } from './integration.js';

export async function bisect(train: Train): Promise<void> {
  const { state } = train;
  await checkpoint(train);
  const integrated = integrationOrder(state.rides.filter((r) => r.integrated));
  const shaOf = (i: number) => need(integrated[i]?.integrated, `integrated commit ${i + 1}`);
  const baseSha = planOf(train).baseSha;
  await moveTo(train, baseSha, 'bisect: the base');
  if (!testGate(await suiteTest(train, baseSha, 'bisect: base')).accepted) {
    finish(train, 'verification-failed', `the release suite fails on the base ${baseSha.slice(0, 10)} itself; nothing can be blamed on the changes`);
    enter(train, 'settling');
    return;
  }
  // Invariant: the prefix of `lo` changes passes, the prefix of `hi` fails.
  let lo = 0;
  let hi = integrated.length;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    await moveTo(train, shaOf(mid - 1), `bisect: first ${mid} changes`);
    if (testGate(await suiteTest(train, shaOf(mid - 1), `bisect: ${mid} of ${integrated.length}`)).accepted) lo = mid;
    else hi = mid;
  }
  const culprit = need(integrated[hi - 1], 'culprit');
  const why = `bisect: the release suite passes with the ${hi - 1} change(s) before it and fails with it (${state.verification?.tests ?? 'failed'})`;
  Object.assign(culprit, { result: 'failed', countsAsAttempt: true, reason: why, integrated: undefined });
  (state.bisect ??= []).push({ culprit: culprit.task, why });
  state.head = hi >= 2 ? shaOf(hi - 2) : baseSha;
  await integrate(train, integrated.slice(hi));
  if (state.rides.some((r) => r.integrated)) enter(train, 'verifying');
  else {
    finish(train, 'nothing-to-release', 'every integrated change was rolled back');
    enter(train, 'settling');
  }
}

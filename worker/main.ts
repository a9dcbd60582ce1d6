import { allQueues, queueNames } from '../core/run/queues.js';
import { createWorkers, type WorkerSet } from './workers.js';
import { installRuntime } from './runtime.js';
import { ensureSearchAttributes } from './search-attributes.js';

/** Starts Workers for `queues` (all of Ouro's queues when empty) and runs until SIGINT/SIGTERM. */
export async function runWorkers(queues: string[], log: (m: string) => void = (m) => process.stderr.write(`${m}\n`)): Promise<WorkerSet> {
  installRuntime();
  const prefix = process.env.OURO_QUEUE_PREFIX ?? '';
  const q = queueNames(prefix);
  const list = queues.length ? queues.map((name) => (name.startsWith(prefix) ? name : `${prefix}${name}`)) : allQueues(q);
  if (list.includes(q.workflow)) {
    const missing = await ensureSearchAttributes().catch((err: Error) => [`(could not check: ${err.message})`]);
    if (missing.length)
      log(
        `warning: the namespace lacks Ouro's search attributes ${missing.join(', ')}; runs will stall until they are added (README: "Running workers on other hosts")`,
      );
  }
  const set = await createWorkers(list, q);
  log(`worker polling ${list.join(', ')}`);
  return set;
}

// Entry point for `node --import tsx worker/main.ts [queue,queue]` (tests start workers this way).
if (import.meta.url === `file://${process.argv[1]}`) {
  const queues = (process.argv[2] ?? '').split(',').filter(Boolean);
  const set = await runWorkers(queues);
  const stop = () => void set.shutdown();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  await set.run();
  await set.connection.close();
}

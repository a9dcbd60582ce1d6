import { runWorkers } from '../../worker/main.js';

export async function workerCommand(o: { queues?: string }): Promise<number> {
  const queues = (o.queues ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const set = await runWorkers(queues);
  let stopping = false;
  const stop = () => {
    if (stopping) process.exit(130);
    stopping = true;
    process.stderr.write('stopping worker (Ctrl-C again to force)…\n');
    void set.shutdown();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  await set.run();
  await set.connection.close();
  return 0;
}

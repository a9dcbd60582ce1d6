import { startDevServer } from '../../dev/dev-server.js';
import { runWorkers } from '../../worker/main.js';

/** The embedded default: a local Temporal dev server plus one worker serving every queue. */
export async function devCommand(o: { port: string; uiPort: string; db?: string }): Promise<number> {
  const port = Number(o.port);
  const uiPort = Number(o.uiPort);
  const log = (m: string) => process.stderr.write(`${m}\n`);
  const server = await startDevServer({ port, uiPort, dbFile: o.db, log });
  process.env.TEMPORAL_ADDRESS = server.address;
  log(`Temporal dev server on ${server.address}; Web UI ${server.uiUrl}`);
  const set = await runWorkers([], log);
  log('ready: in another terminal, `ouro run <repo> --goal … --wait`. Ctrl-C stops the worker and the server.');
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    log('stopping worker and server…');
    void set.shutdown();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  // If the server dies under us, stop the worker too.
  void server.process.then(() => {
    if (!stopping) log('the Temporal dev server exited');
    stop();
  });
  await set.run();
  await set.connection.close();
  await server.stop();
  return 0;
}

import { DefaultLogger, Runtime, type LogLevel } from '@temporalio/worker';

let installed = false;

/** Quieter SDK logs by default (OURO_LOG_LEVEL=INFO|DEBUG for more); must run before any connection. */
export function installRuntime(): void {
  if (installed) return;
  installed = true;
  const level = (process.env.OURO_LOG_LEVEL ?? 'WARN').toUpperCase() as LogLevel;
  Runtime.install({ logger: new DefaultLogger(level) });
}

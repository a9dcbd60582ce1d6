import { DefaultLogger, Runtime, type LogEntry, type LogLevel } from '@temporalio/worker';

let installed = false;

// Ouro's single-role workers are normal, so the SDK's "not polling for
// workflow/activity tasks" notices are noise here.
const EXPECTED_NOTICE = /^No (activities|workflows) registered, not polling/;

function print(entry: LogEntry): void {
  if (EXPECTED_NOTICE.test(entry.message)) return;
  const meta = entry.meta && Object.keys(entry.meta).length ? ` ${JSON.stringify(entry.meta)}` : '';
  process.stderr.write(`${new Date(Number(entry.timestampNanos / 1_000_000n)).toISOString()} [${entry.level}] ${entry.message}${meta}\n`);
}

/** Quieter SDK logs by default (OURO_LOG_LEVEL=INFO|DEBUG for more); must run before any connection. */
export function installRuntime(): void {
  if (installed) return;
  installed = true;
  const level = (process.env.OURO_LOG_LEVEL ?? 'WARN').toUpperCase() as LogLevel;
  Runtime.install({ logger: new DefaultLogger(level, print) });
}

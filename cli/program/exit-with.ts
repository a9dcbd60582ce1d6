// Every command's action goes through exitWith, so its number becomes the process's exit code and
// an error prints one `ouro:` line (a CliError with its own exit code, anything else with its stack).
import { CliError } from '../cli-error.js';

type Action<A extends unknown[]> = (...args: A) => Promise<number>;

export function exitWith<A extends unknown[]>(fn: Action<A>): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      process.exitCode = await fn(...args);
    } catch (err) {
      if (err instanceof CliError) {
        process.stderr.write(`ouro: ${err.message}\n`);
        process.exitCode = err.exitCode;
      } else {
        process.stderr.write(`ouro: ${(err as Error).stack ?? String(err)}\n`);
        process.exitCode = 1;
      }
    }
  };
}

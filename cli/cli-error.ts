// Its own module so that `ouro --help` and every command's registration (cli/program/exit-with.ts) can
// know it without loading the Temporal client that cli/client.ts stands on (about a second at start).

/** An error the user can fix: printed without a stack, with its exit code. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

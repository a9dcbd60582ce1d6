// A client that follows a run outlives an outage of the Temporal server: the
// run itself is durable and goes on (or waits) while the server is down, so a
// lost connection says nothing about its outcome. The follower says once on
// stderr that it lost the server, retries with backoff, and reports the run's
// real outcome when the server is back; only after a long, stated limit does
// it give up, naming the run and the command that shows it later.

/** How long a follower waits for a lost server before it gives up. */
export const SERVER_OUTAGE_LIMIT_MS = 10 * 60_000;

/** gRPC codes of a server that cannot be reached (UNAVAILABLE, DEADLINE_EXCEEDED), not of a call it refused. */
const UNREACHABLE_CODES = new Set([14, 4]);
const UNREACHABLE_TEXT = /ECONNREFUSED|ECONNRESET|EHOSTUNREACH|ETIMEDOUT|No connection established|Connection dropped|UNAVAILABLE|failed to connect/i;

/** Whether an error (or one of its causes) says the server could not be reached. */
export function isServerUnreachable(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && typeof e === 'object' && depth < 8; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'number' && UNREACHABLE_CODES.has(code)) return true;
    if (typeof code === 'string' && /^(ECONNREFUSED|ECONNRESET|EHOSTUNREACH|ETIMEDOUT)$/.test(code)) return true;
    if (e instanceof Error && UNREACHABLE_TEXT.test(e.message)) return true;
  }
  return false;
}

/** The wait before retry number `attempt` (0-based): 1 s doubling to 15 s. */
export function reconnectDelayMs(attempt: number): number {
  return Math.min(15_000, 1000 * 2 ** Math.max(0, attempt));
}

/** Tracks one outage: says so once, says when the server is back, and knows when to give up. */
export class ServerOutage {
  private since: number | undefined;
  private attempts = 0;

  constructor(
    private readonly address: string,
    private readonly say: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
    private readonly limitMs = SERVER_OUTAGE_LIMIT_MS,
    private readonly now: () => number = Date.now,
  ) {}

  /** Records a lost connection; the first of an outage is said on stderr. */
  lost(err: unknown): void {
    if (this.since !== undefined) return;
    this.since = this.now();
    this.attempts = 0;
    const why = err instanceof Error ? ` (${err.message.split('\n')[0]!.slice(0, 160)})` : '';
    this.say(`lost the Temporal server at ${this.address}${why}; retrying for up to ${Math.round(this.limitMs / 60_000)} minutes`);
  }

  /** Records a call that reached the server again. */
  back(): void {
    if (this.since === undefined) return;
    this.say(`the Temporal server at ${this.address} is back after ${Math.round((this.now() - this.since) / 1000)} s`);
    this.since = undefined;
  }

  /** Whether the outage has outlasted the limit. */
  get exhausted(): boolean {
    return this.since !== undefined && this.now() - this.since >= this.limitMs;
  }

  /** The pause before the next try of this outage. */
  nextDelayMs(): number {
    return reconnectDelayMs(this.attempts++);
  }

  /** What the follower says when it gives up on the server: the run may well still be going. */
  givingUp(workflowId: string): string {
    return `gave up on the Temporal server at ${this.address} after ${Math.round(this.limitMs / 60_000)} minutes without it; run ${workflowId} may still be going and keeps its result: \`ouro status ${workflowId}\` shows it once the server is back`;
  }
}

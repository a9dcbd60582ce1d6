import { Context } from '@temporalio/activity';
import { heartbeatEvery } from './process.js';

// Git work is short, but a worker can die in the middle of it like anywhere else: with a
// heartbeat, Temporal notices within the heartbeat timeout instead of the start-to-close
// timeout (two minutes), and the retry starts on a live worker.

/** The same activity, heartbeating on a timer for as long as it runs. */
export function heartbeating<A extends unknown[], R>(fn: (...args: A) => Promise<R>): (...args: A) => Promise<R> {
  return async (...args: A) => {
    const ctx = Context.current();
    ctx.heartbeat();
    const timer = setInterval(() => ctx.heartbeat(), heartbeatEvery(ctx));
    try {
      return await fn(...args);
    } finally {
      clearInterval(timer);
    }
  };
}

/** Every activity of a group, heartbeating. */
export function allHeartbeating<T extends Record<string, (...args: never[]) => Promise<unknown>>>(group: T): T {
  return Object.fromEntries(Object.entries(group).map(([name, fn]) => [name, heartbeating(fn as (...args: unknown[]) => Promise<unknown>)])) as unknown as T;
}

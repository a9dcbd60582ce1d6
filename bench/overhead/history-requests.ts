// The requests a workflow sent its activities, read back from its history, and
// a check that another list of requests has the same shape: the same
// activities, in the same order, asked with the same fields and the same
// settings (command, role, label, policy), so that two arms of a bench do the
// same work.
import { defaultPayloadConverter } from '@temporalio/common';
import type { History } from '@temporalio/common/lib/proto-utils.js';

export interface ActivityRequest {
  type: string;
  request: unknown;
}

/** Each scheduled activity's type and first argument, in the order the workflow scheduled them. */
export function requestsOf(history: History): ActivityRequest[] {
  const out: ActivityRequest[] = [];
  for (const event of history.events ?? []) {
    const scheduled = event.activityTaskScheduledEventAttributes;
    if (!scheduled) continue;
    const [payload] = scheduled.input?.payloads ?? [];
    out.push({ type: scheduled.activityType?.name ?? '?', request: payload ? defaultPayloadConverter.fromPayload(payload) : undefined });
  }
  return out;
}

/** Fields whose values are the run's own (ids, paths, shas, times, text a draft or commit made): compared by presence only. */
const RUN_OWN = new Set([
  'repo',
  'runId',
  'source',
  'baseSha',
  'tree',
  'patch',
  'dir',
  'baseDir',
  'reply',
  'message',
  'timestampMs',
  'files',
  'failure',
  'branch',
  'trailers',
]);

/** The fields and settings of a request, with the run's own values left out, as comparable text. */
function shapeOf(value: unknown, runId: string, key = ''): unknown {
  if (RUN_OWN.has(key)) return '<run>';
  // A runner's lookups can name the workspace's own path (vitest looks for `<root>/<absolute test path>`).
  if (typeof value === 'string')
    return value
      .split(runId)
      .join('<run>')
      .replace(/\/sandbox\/[0-9a-f]{12}\//g, '/sandbox/<workspace>/');
  if (Array.isArray(value)) return value.map((v) => shapeOf(v, runId));
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => a.localeCompare(b));
    return Object.fromEntries(entries.map(([k, v]) => [k, shapeOf(v, runId, k)]));
  }
  return value;
}

/** Why `b` is not the same work as `a` (the first difference), or undefined when it is. */
export function sameRequests(a: { runId: string; requests: ActivityRequest[] }, b: { runId: string; requests: ActivityRequest[] }): string | undefined {
  const types = (list: ActivityRequest[]) => list.map((r) => r.type).join(', ');
  if (types(a.requests) !== types(b.requests)) return `activities ${types(a.requests)} vs ${types(b.requests)}`;
  for (let i = 0; i < a.requests.length; i++) {
    const [x, y] = [JSON.stringify(shapeOf(a.requests[i]!.request, a.runId)), JSON.stringify(shapeOf(b.requests[i]!.request, b.runId))];
    if (x === y) continue;
    let at = 0;
    while (x[at] === y[at]) at++;
    const around = (s: string) => s.slice(Math.max(0, at - 200), at + 200);
    return `${a.requests[i]!.type} (#${i + 1}), at character ${at}: …${around(x)}… vs …${around(y)}…`;
  }
  return undefined;
}

/** Where a workflow's wall time went, from its history: activities waiting in their queues, activities running, and the rest. */
export interface HistoryTimes {
  /** Scheduled to started, summed over activities (queue dispatch, and a retry's backoff). */
  queuedMs: number;
  /** Started to closed, summed over activities. */
  runningMs: number;
  /** Workflow tasks scheduled to completed, summed (the workflow's own code, replays, dispatch). */
  workflowTasksMs: number;
  /** The history's first event to its last. */
  wallMs: number;
  /** Activities that had more than one attempt. */
  retried: number;
}

const millis = (t: { seconds?: unknown; nanos?: number | null } | null | undefined) => (t ? Number(t.seconds ?? 0) * 1000 + (t.nanos ?? 0) / 1e6 : 0);

export function historyTimes(history: History): HistoryTimes {
  const events = history.events ?? [];
  const at = new Map<string, number>(events.map((e) => [String(e.eventId), millis(e.eventTime)]));
  const out: HistoryTimes = { queuedMs: 0, runningMs: 0, workflowTasksMs: 0, wallMs: 0, retried: 0 };
  for (const e of events) {
    const started = e.activityTaskStartedEventAttributes;
    if (started) {
      out.queuedMs += millis(e.eventTime) - (at.get(String(started.scheduledEventId)) ?? 0);
      if ((started.attempt ?? 1) > 1) out.retried++;
    }
    const closed = e.activityTaskCompletedEventAttributes ?? e.activityTaskFailedEventAttributes;
    if (closed) out.runningMs += millis(e.eventTime) - (at.get(String(closed.startedEventId)) ?? 0);
    const task = e.workflowTaskCompletedEventAttributes;
    if (task) out.workflowTasksMs += millis(e.eventTime) - (at.get(String(task.scheduledEventId)) ?? 0);
  }
  if (events.length) out.wallMs = millis(events[events.length - 1]!.eventTime) - millis(events[0]!.eventTime);
  return out;
}

/** Each activity's type, summary and running time (started to closed, the last attempt), in the order scheduled. */
export function activityDurations(history: History): Array<{ type: string; summary: string; ms: number }> {
  const events = history.events ?? [];
  const byId = new Map(events.map((e) => [String(e.eventId), e]));
  const out: Array<{ type: string; summary: string; ms: number }> = [];
  for (const e of events) {
    const closed = e.activityTaskCompletedEventAttributes ?? e.activityTaskFailedEventAttributes;
    if (!closed) continue;
    const scheduled = byId.get(String(closed.scheduledEventId));
    const started = byId.get(String(closed.startedEventId));
    const summary = scheduled?.userMetadata?.summary;
    out.push({
      type: scheduled?.activityTaskScheduledEventAttributes?.activityType?.name ?? '?',
      summary: summary ? String(defaultPayloadConverter.fromPayload(summary)) : '',
      ms: millis(e.eventTime) - millis(started?.eventTime),
    });
  }
  return out;
}

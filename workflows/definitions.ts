import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { RunStatus } from '../lib/run-types.js';

// Shared by the workflow (handlers) and the CLI (callers).
export const statusQuery = defineQuery<RunStatus>('status');
/** Extra guidance for the model, used from the next round on. Returns where it will apply. */
export const hintUpdate = defineUpdate<string, [string]>('hint');

import type { DraftSlotPlan } from '../lib/run-types.js';

/** The embedded model must be installed before a run uses it (see scripts/local-model.ts). */
export async function checkLocalModel(_slot: DraftSlotPlan): Promise<void> {}

import { ApplicationFailure } from '@temporalio/common';
import type { DraftSlotPlan } from '../core/run/types.js';
import { localModel } from '../adapters/model/local-model.js';
import { CliError } from './client.js';

/** The embedded model must be installed (and intact) before a run drafts with it. */
export async function checkLocalModel(_slot: DraftSlotPlan): Promise<void> {
  try {
    localModel();
  } catch (err) {
    throw new CliError(`local: ${err instanceof ApplicationFailure ? err.message : String(err)}`);
  }
}

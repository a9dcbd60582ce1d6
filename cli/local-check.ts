import { ApplicationFailure } from '@temporalio/common';
import type { DraftSlotPlan } from '../core/run/types.js';
import { existsSync } from 'node:fs';
import { localModel } from '../adapters/model/local-model.js';
import { EMBEDDED_MODEL_IDS, isEmbeddedModelId } from '../core/models/catalog.js';
import { CliError } from './client.js';

/** The embedded model must be installed (and intact) before a run drafts with it. */
export async function checkLocalModel(_slot: DraftSlotPlan): Promise<void> {
  try {
    localModel();
  } catch (err) {
    throw new CliError(`local: ${err instanceof ApplicationFailure ? err.message : String(err)}`);
  }
}

/** `--local-model <name>` on the commands that run workers: the same values as OURO_LOCAL_MODEL, which it sets for them. */
export function applyLocalModelFlag(value: string | undefined): void {
  if (value === undefined) return;
  if (!isEmbeddedModelId(value) && !existsSync(value)) {
    throw new CliError(`--local-model takes one of ${EMBEDDED_MODEL_IDS.join(', ')} or a path to a GGUF file; got ${value}`, 2);
  }
  process.env.OURO_LOCAL_MODEL = value;
}

// A draft slot's model window: the provider's context size (an API model's
// from its preset, the embedded model's from the catalogue entry the worker
// runs) and the slot's reply limit.
import type { ModelWindow } from '../contracts/context.js';
import type { DraftSlotPlan } from '../contracts/target.js';
import { chooseLocalModel, draftingOf } from '../models/catalog.js';
import { PRESETS } from '../run/providers.js';

/**
 * The embedded model's window is the one its draft worker reported (slot.contextTokens); where none did,
 * the one `localModel` names: OURO_LOCAL_MODEL where the context is gathered (unset: the default model).
 */
export function windowOf(slot: Pick<DraftSlotPlan, 'provider' | 'maxOutputTokens' | 'contextTokens'>, localModel?: string): ModelWindow {
  const contextTokens =
    slot.provider === 'local' ? (slot.contextTokens ?? draftingOf(chooseLocalModel(localModel)).contextTokens) : PRESETS[slot.provider].contextTokens;
  return { contextTokens, maxOutputTokens: Math.min(slot.maxOutputTokens, contextTokens) };
}

import type { DraftResult, DraftRequest } from '../lib/run-types.js';
import type { ChatMessage } from '../lib/prompt.js';
import { configError } from './errors.js';

export async function generateLocal(_req: DraftRequest, _messages: ChatMessage[]): Promise<DraftResult> {
  throw configError('the embedded model is not available in this build');
}

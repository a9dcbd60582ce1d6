import { ApplicationFailure } from '@temporalio/activity';
import { CONFIG_ERROR } from '../core/run/errors.js';

export function configError(message: string): ApplicationFailure {
  return ApplicationFailure.create({ message, type: CONFIG_ERROR, nonRetryable: true });
}

// The failure type for errors that no retry can fix (a wrong path, a missing
// key, a bad base URL, a moved branch). Workflows list it as non-retryable and
// stop the run with its message, which must say what to change.
export const CONFIG_ERROR = 'OuroConfigError';

/**
 * The type's first name, from when only providers raised it. Runs started
 * before the rename, and their recorded histories, carry it: it is still
 * recognised so that they behave as they did.
 */
const EARLIER_CONFIG_ERROR = 'ProviderConfigError';

/** Every type a workflow treats as a configuration error. */
export const CONFIG_ERROR_TYPES = [CONFIG_ERROR, EARLIER_CONFIG_ERROR];

export function isConfigError(type: string | undefined | null): boolean {
  return CONFIG_ERROR_TYPES.includes(type ?? '');
}

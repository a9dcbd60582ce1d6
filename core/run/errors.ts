// The failure type for errors that no retry can fix (a wrong path, a missing
// key, a bad base URL). Workflows list it as non-retryable and stop the run
// with its message, which must say what to change.
export const CONFIG_ERROR = 'ProviderConfigError';

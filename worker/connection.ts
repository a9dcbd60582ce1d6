import { loadClientConnectConfig } from '@temporalio/envconfig';

// Where the Temporal server is: the standard TEMPORAL_ADDRESS /
// TEMPORAL_NAMESPACE / TEMPORAL_API_KEY / TLS variables or a profile file
// (@temporalio/envconfig); the local dev server when nothing is set.
export interface ServerTarget {
  address: string;
  namespace: string;
  apiKey?: string;
  tls?: unknown;
  metadata?: Record<string, string>;
}

export function serverTarget(): ServerTarget {
  const { connectionOptions, namespace } = loadClientConnectConfig();
  return {
    address: connectionOptions.address ?? 'localhost:7233',
    namespace: namespace ?? 'default',
    apiKey: typeof connectionOptions.apiKey === 'string' ? connectionOptions.apiKey : undefined,
    tls: connectionOptions.tls,
    metadata: connectionOptions.metadata as Record<string, string> | undefined,
  };
}

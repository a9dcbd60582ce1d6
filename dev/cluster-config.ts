// The Temporal server's configuration for Ouro's local cluster: every service
// in one process on loopback, PostgreSQL for history and visibility. Pure, so a
// unit test reads exactly what the server is given.

/** Ports from one base: frontend = base, then history, matching, worker, their membership ports, HTTP, PostgreSQL. */
export interface ClusterPorts {
  frontend: number;
  history: number;
  matching: number;
  worker: number;
  membership: { frontend: number; history: number; matching: number; worker: number };
  http: number;
  postgres: number;
}

/** How many consecutive ports a cluster takes from its base. */
/** The cluster's first port when none is given (`ouro cluster up --port`). */
export const DEFAULT_CLUSTER_BASE_PORT = 7333;
export const CLUSTER_PORT_SPAN = 10;

/** The server stores membership ports as SQL smallint: every port of the span must be at most 32767. */
export const MAX_CLUSTER_BASE_PORT = 32_767 - CLUSTER_PORT_SPAN + 1;

export function clusterPorts(base: number): ClusterPorts {
  if (!Number.isInteger(base) || base < 1025 || base > MAX_CLUSTER_BASE_PORT) {
    throw new RangeError(`a cluster's base port must be from 1025 to ${MAX_CLUSTER_BASE_PORT} (Temporal keeps membership ports as SQL smallint), got ${base}`);
  }
  return {
    frontend: base,
    history: base + 1,
    matching: base + 2,
    worker: base + 3,
    membership: { frontend: base + 4, history: base + 5, matching: base + 6, worker: base + 7 },
    http: base + 8,
    postgres: base + 9,
  };
}

export interface ClusterDatabase {
  user: string;
  password: string;
  port: number;
}

export const HISTORY_DB = 'temporal';
export const VISIBILITY_DB = 'temporal_visibility';

const q = (s: string) => JSON.stringify(s);

function datastore(db: ClusterDatabase, name: string, maxConns: number): string {
  return [
    `      sql:`,
    `        pluginName: "postgres12"`,
    `        databaseName: ${q(name)}`,
    `        connectAddr: "127.0.0.1:${db.port}"`,
    `        connectProtocol: "tcp"`,
    `        user: ${q(db.user)}`,
    `        password: ${q(db.password)}`,
    `        maxConns: ${maxConns}`,
    `        maxIdleConns: ${maxConns}`,
    `        maxConnLifetime: "1h"`,
  ].join('\n');
}

function service(name: string, grpc: number, membership: number, extra = ''): string {
  return [`  ${name}:`, `    rpc:`, `      grpcPort: ${grpc}`, `      membershipPort: ${membership}`, `      bindOnLocalHost: true`, extra]
    .filter(Boolean)
    .join('\n');
}

/** The server's YAML (the shape of the module's config/development-postgres12.yaml, without metrics, pprof or archival). */
export function renderClusterConfig(ports: ClusterPorts, db: ClusterDatabase, dynamicConfigFile: string): string {
  return `log:
  stdout: true
  level: warn

persistence:
  defaultStore: postgres-default
  visibilityStore: postgres-visibility
  numHistoryShards: 4
  datastores:
    postgres-default:
${datastore(db, HISTORY_DB, 20)}
    postgres-visibility:
${datastore(db, VISIBILITY_DB, 10)}

global:
  membership:
    maxJoinDuration: 30s
    broadcastAddress: "127.0.0.1"

services:
${service('frontend', ports.frontend, ports.membership.frontend, `      httpPort: ${ports.http}`)}
${service('history', ports.history, ports.membership.history)}
${service('matching', ports.matching, ports.membership.matching)}
${service('worker', ports.worker, ports.membership.worker)}

clusterMetadata:
  enableGlobalNamespace: false
  failoverVersionIncrement: 10
  masterClusterName: "active"
  currentClusterName: "active"
  clusterInformation:
    active:
      enabled: true
      initialFailoverVersion: 1
      rpcName: "frontend"
      rpcAddress: "127.0.0.1:${ports.frontend}"

dcRedirectionPolicy:
  policy: "noop"

dynamicConfigClient:
  filepath: ${q(dynamicConfigFile)}
  pollInterval: "10s"
`;
}

/**
 * Dynamic configuration: what Ouro uses that a plain server may leave off (workflow updates: hints and
 * train approvals), search attributes readable as soon as they are registered, and one partition per
 * task queue as on the dev server (a single host gains nothing from four).
 */
export function renderDynamicConfig(): string {
  const entries: Record<string, boolean | number> = {
    'frontend.enableUpdateWorkflowExecution': true,
    'frontend.enableUpdateWorkflowExecutionAsyncAccepted': true,
    'system.forceSearchAttributesCacheRefreshOnRead': true,
    'matching.numTaskqueueReadPartitions': 1,
    'matching.numTaskqueueWritePartitions': 1,
  };
  return Object.entries(entries)
    .map(([key, value]) => `${key}:\n  - value: ${value}\n    constraints: {}\n`)
    .join('');
}

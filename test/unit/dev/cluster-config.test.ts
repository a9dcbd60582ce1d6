import { describe, expect, it } from 'vitest';
import { CLUSTER_PORT_SPAN, clusterPorts, renderClusterConfig, renderDynamicConfig } from '../../../dev/cluster-config.js';

describe("the local cluster's server configuration", () => {
  const ports = clusterPorts(30_000);

  it('takes ten distinct consecutive ports from its base, the frontend first', () => {
    const all = [ports.frontend, ports.history, ports.matching, ports.worker, ...Object.values(ports.membership), ports.http, ports.postgres];
    expect(new Set(all).size).toBe(CLUSTER_PORT_SPAN);
    expect(Math.min(...all)).toBe(30_000);
    expect(Math.max(...all)).toBe(30_000 + CLUSTER_PORT_SPAN - 1);
  });

  it('points history and visibility at PostgreSQL on loopback, and every service at its own port', () => {
    const yaml = renderClusterConfig(ports, { user: 'ouro', password: 'p"w', port: ports.postgres }, '/x/dyn.yaml');
    expect(yaml.match(/pluginName: "postgres12"/g)).toHaveLength(2);
    expect(yaml).toContain('databaseName: "temporal"');
    expect(yaml).toContain('databaseName: "temporal_visibility"');
    expect(yaml.match(/connectAddr: "127\.0\.0\.1:30009"/g)).toHaveLength(2);
    // A password is quoted whatever it holds.
    expect(yaml).toContain('password: "p\\"w"');
    for (const [svc, grpc, member] of [
      ['frontend', 30_000, 30_004],
      ['history', 30_001, 30_005],
      ['matching', 30_002, 30_006],
      ['worker', 30_003, 30_007],
    ] as const) {
      expect(yaml).toMatch(new RegExp(`  ${svc}:\\n    rpc:\\n      grpcPort: ${grpc}\\n      membershipPort: ${member}\\n      bindOnLocalHost: true`));
    }
    expect(yaml).toContain('rpcAddress: "127.0.0.1:30000"');
    expect(yaml).toContain('filepath: "/x/dyn.yaml"');
    expect(yaml).not.toMatch(/archival|prometheus|pprof/);
  });

  it('turns on workflow updates (hints, approvals) and one partition per queue', () => {
    const dyn = renderDynamicConfig();
    expect(dyn).toContain('frontend.enableUpdateWorkflowExecution:\n  - value: true');
    expect(dyn).toContain('matching.numTaskqueueReadPartitions:\n  - value: 1');
  });
});

describe("the cluster's base port", () => {
  it('is refused where a membership port would not fit SQL smallint, or below 1025', () => {
    expect(() => clusterPorts(32_759)).toThrow(/1025 to 32758/);
    expect(() => clusterPorts(1024)).toThrow(RangeError);
    expect(() => clusterPorts(7333.5)).toThrow(RangeError);
    expect(clusterPorts(32_758).postgres).toBe(32_767);
  });
});

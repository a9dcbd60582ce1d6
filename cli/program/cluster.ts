// `ouro cluster up | down | status`: the PostgreSQL-backed Temporal cluster, a group of its own.
import type { Command } from 'commander';
import { DEFAULT_CLUSTER_BASE_PORT } from '../../dev/cluster-config.js';
import { lazy } from './lazy.js';
import { exitWith } from './exit-with.js';
import { jsonOption } from './options.js';

const clusterModule = () => import('../commands/cluster.js');
const clusterDownCommand = lazy(clusterModule, 'clusterDownCommand');
const clusterStatusCommand = lazy(clusterModule, 'clusterStatusCommand');
const clusterUpCommand = lazy(clusterModule, 'clusterUpCommand');

export function registerCluster(program: Command): void {
  const cluster = program
    .command('cluster')
    .description('a PostgreSQL-backed Temporal cluster on loopback (the server built from its Go module), for what the dev server cannot show');
  cluster
    .command('up')
    .description('start PostgreSQL and the Temporal server (built once into its data folder; minutes), set up schemas, namespace and search attributes')
    .option('--port <port>', `first of ten ports: frontend, history, matching, worker, membership, HTTP, PostgreSQL (default ${DEFAULT_CLUSTER_BASE_PORT})`)
    .addOption(jsonOption())
    .action(exitWith((o) => clusterUpCommand(o)));
  cluster
    .command('down')
    .description('stop the Temporal server and PostgreSQL')
    .option('--purge', 'also delete the cluster data (<data folder>/cluster)')
    .action(exitWith((o) => clusterDownCommand(o)));
  cluster
    .command('status')
    .description('whether the cluster server runs, and its address')
    .addOption(jsonOption())
    .action(exitWith((o) => clusterStatusCommand(o)));
}

// The reference graph and its personalised PageRank, after Aider's repo map: file A points at file B
// for each identifier A uses that B defines. Rank flows from the files the focus seeds to the files
// they lean on, so a module that the named and failing-test files call ranks above one merely big.

import type { FileSymbols } from '../contracts/repo-map.js';

export interface Edge {
  to: number;
  weight: number;
  /** The identifier that carries the most weight on this edge: what a reason names. */
  via: string;
}

export interface ReferenceGraph {
  /** Outgoing edges per file index. */
  edges: Edge[][];
  /** identifier -> indices of the files that define it. */
  definers: Map<string, number[]>;
}

/** An identifier defined in many files (`get`, `new`, `String`) says little about which one a file means. */
const CROWDED_DEFINERS = 5;

export function buildReferenceGraph(files: readonly FileSymbols[], emphasised: ReadonlySet<string>): ReferenceGraph {
  const definers = new Map<string, number[]>();
  files.forEach((file, i) => {
    for (const name of new Set(file.definitions.map((d) => d.name))) {
      const list = definers.get(name);
      if (list) list.push(i);
      else definers.set(name, [i]);
    }
  });
  const edges = files.map((file, from) => {
    const byTarget = new Map<number, Edge>();
    for (const ref of file.references) {
      const targets = definers.get(ref);
      if (!targets) continue;
      const weight = identifierWeight(ref, targets.length, emphasised);
      for (const to of targets) {
        if (to === from) continue;
        const edge = byTarget.get(to);
        if (!edge) byTarget.set(to, { to, weight, via: ref });
        else {
          if (weight > edge.weight) edge.via = ref;
          edge.weight += weight;
        }
      }
    }
    return [...byTarget.values()];
  });
  return { edges, definers };
}

function identifierWeight(name: string, definerCount: number, emphasised: ReadonlySet<string>): number {
  let weight = emphasised.has(name) ? 10 : 1;
  if (name.startsWith('_')) weight *= 0.1;
  if (definerCount > CROWDED_DEFINERS) weight *= 0.1;
  // Several files defining one name share what a reference to it is worth.
  return weight / definerCount;
}

/**
 * Personalised PageRank by power iteration: `personal` (non-negative, any scale) is where a random
 * walk restarts, and where rank from files with no outgoing edge goes. Uniform when all zero.
 */
export function personalisedPageRank(graph: ReferenceGraph, personal: readonly number[], damping = 0.85, iterations = 40): number[] {
  const n = personal.length;
  if (n === 0) return [];
  const total = personal.reduce((a, b) => a + b, 0);
  const restart = total > 0 ? personal.map((p) => p / total) : personal.map(() => 1 / n);
  const outWeight = graph.edges.map((es) => es.reduce((a, e) => a + e.weight, 0));
  let rank = [...restart];
  for (let it = 0; it < iterations; it++) {
    const next = restart.map((r) => (1 - damping) * r);
    let dangling = 0;
    for (let i = 0; i < n; i++) {
      const mass = rank[i]!;
      const out = outWeight[i]!;
      if (out === 0) {
        dangling += mass;
        continue;
      }
      for (const e of graph.edges[i]!) next[e.to]! += (damping * mass * e.weight) / out;
    }
    for (let i = 0; i < n; i++) next[i]! += damping * dangling * restart[i]!;
    rank = next;
  }
  return rank;
}

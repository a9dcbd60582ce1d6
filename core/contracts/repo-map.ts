// What a model is shown of the repository beyond the files it may change: a
// map of the other files' signatures, ranked by relevance to the goal, and the
// choice of files to change when the user named none. Shapes only: the parser
// lives in adapters/repo-map/, the ranking and rendering in core/repo-map/.

export type MapLanguage = 'typescript' | 'javascript' | 'python' | 'go' | 'rust';

/** One definition a parser found: a function, class, method, type, interface, struct, trait... */
export interface MapDefinition {
  name: string;
  kind: string;
  /** 1-based line of the definition's start. */
  line: number;
  /** The declaration's first line(s), body elided: what the map prints. */
  signature: string;
}

export interface FileSymbols {
  path: string;
  language: MapLanguage;
  definitions: MapDefinition[];
  /** Identifiers this file uses (calls, types, imports): the edges of the reference graph. */
  references: string[];
  /** Whether the file is a test file (by name or location), which the ranking and the prompt treat apart. */
  isTest: boolean;
}

export interface RepoMap {
  /** The commit the map was built from: the cache key. */
  commit: string;
  files: FileSymbols[];
}

/** What the ranking is steered by. */
export interface MapFocus {
  goal: string;
  /** Files already named (by --files or chosen): ranked first, never listed in the map. */
  files: string[];
  /** Failing test identifiers from the base's run (with --fix): names, file:line, messages. */
  failingTests: string[];
}

export interface RankedFile {
  path: string;
  score: number;
  /** Why it ranks where it does, in a few words each ("defines parse_version named in the goal"). */
  reasons: string[];
}

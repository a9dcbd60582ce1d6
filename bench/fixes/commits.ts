// Which commits the fixes bench replays, and how each repository's own tests are run.

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { PROJECT_ROOT } from '../../adapters/project-root.js';
import { parseCorpus, type CorpusEntry } from '../localise/corpus.js';

const CORPORA = ['localise-corpus.jsonl', 'localise-holdout.jsonl'].map((f) => join(PROJECT_ROOT, 'bench', 'data', f));
export const SELECTION_FILE = join(PROJECT_ROOT, 'bench', 'data', 'fixes-selection.json');

/**
 * The repositories whose tests need no network at a fix commit: pure Python with pytest in a venv
 * of its own, or Go's standard library. `{venvs}` is --venvs (bench/real-repos.json's root).
 */
const TEST_COMMANDS: Record<string, string> = {
  'tkem/cachetools': 'PYTHONPATH=src {venvs}/venv-cachetools/bin/python -m pytest -q -p no:cacheprovider',
  'Masterminds/semver': 'go test ./...',
  // Its older trees trip the newer toolchain's vet (a non-constant format string): vet is not its tests.
  'hashicorp/go-version': 'go test -vet=off ./...',
  'BurntSushi/toml': 'go test ./...',
};

const selectionSchema = z.object({
  /** Why these commits, in words, for whoever reads the file. */
  note: z.string(),
  commits: z.array(z.object({ repo: z.string(), fix: z.string().regex(/^[0-9a-f]{40}$/) })).min(1),
});

export interface FixCase extends CorpusEntry {
  mirror: string;
}

/** The mirror's git directory for owner/name. */
export const mirrorOf = (repo: string, mirrors: string) => join(mirrors, repo.replace('/', '+'), 'repo');

export function testCommandOf(repo: string, venvs: string, goModule: boolean): string | undefined {
  const command = TEST_COMMANDS[repo]?.replaceAll('{venvs}', venvs);
  // A Go tree from before modules builds in GOPATH mode: its packages import only the standard library.
  return command && command.startsWith('go ') && !goModule ? `GO111MODULE=off ${command}` : command;
}

export const knownRepos = () => Object.keys(TEST_COMMANDS);

/** The selection's commits, in its order, each with its corpus entry. */
export async function loadCases(mirrors: string, file = SELECTION_FILE): Promise<FixCase[]> {
  const selection = selectionSchema.parse(JSON.parse(await readFile(file, 'utf8')));
  const entries = new Map<string, CorpusEntry>();
  for (const corpus of CORPORA) for (const e of parseCorpus(await readFile(corpus, 'utf8'))) entries.set(e.fix, e);
  return selection.commits.map(({ repo, fix }) => {
    const entry = entries.get(fix);
    if (!entry || entry.repo !== repo) throw new Error(`${repo} ${fix} is in no localisation corpus`);
    if (!TEST_COMMANDS[repo]) throw new Error(`${repo} has no test command here (known: ${knownRepos().join(', ')})`);
    return { ...entry, mirror: mirrorOf(repo, mirrors) };
  });
}

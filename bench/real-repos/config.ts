// The repositories bench/real-repos.ts measures: where each checkout is, the
// command its own tests run with, and the one trivial edit the scripted model
// makes (a comment above a line that occurs once in one source file).
import { readFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { z } from 'zod';

const RepoSchema = z.object({
  /** owner/name, as fetched. */
  name: z.string().min(1),
  language: z.string().min(1),
  /** The checkout, relative to the root (or absolute). */
  dir: z.string().min(1),
  /** The repository's own test command; `{root}` stands for the root (a venv beside the checkouts). */
  test: z.string().min(1),
  /** The source file the scripted reply edits, and the line (occurring once) the comment goes above. */
  edit: z.string().min(1),
  anchor: z.string().min(1),
  /** How a line comment starts in that file. */
  comment: z.string().min(1),
});

const ConfigSchema = z.object({ root: z.string().min(1), repos: z.array(RepoSchema).min(1) });

export type RealRepo = z.infer<typeof RepoSchema>;

/**
 * The repositories to measure, with `{root}` and dirs resolved: `root` replaces the file's root,
 * `dirs` (name or dir → path) replaces single checkouts, `only` (names or dirs) picks some.
 */
export async function loadRealRepos(file: string, opts: { root?: string; dirs?: Map<string, string>; only?: string[] } = {}): Promise<RealRepo[]> {
  const config = ConfigSchema.parse(JSON.parse(await readFile(file, 'utf8')));
  const root = opts.root ?? config.root;
  const picked = opts.only?.length ? config.repos.filter((r) => opts.only!.includes(r.name) || opts.only!.includes(r.dir)) : config.repos;
  if (!picked.length) throw new Error(`none of ${opts.only!.join(', ')} is in ${file}`);
  return picked.map((r) => {
    const override = opts.dirs?.get(r.name) ?? opts.dirs?.get(r.dir);
    return { ...r, dir: override ?? (isAbsolute(r.dir) ? r.dir : join(root, r.dir)), test: r.test.split('{root}').join(root) };
  });
}

/** The scripted model's reply for a repository: a search/replace block that adds a comment above the anchor line. */
export function commentReply(repo: RealRepo): string {
  const comment = `${repo.comment} Checked by Ouro's real-repository bench.`;
  return `${repo.edit}\n<<<<<<< SEARCH\n${repo.anchor}\n=======\n${comment}\n${repo.anchor}\n>>>>>>> REPLACE\n`;
}

import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CONFIG_FILE, RepoConfigSchema, type RepoConfig } from '../core/run/input.js';
import { describeIssues } from '../core/run/validation.js';
import { CliError } from './client.js';

export { CONFIG_FILE };

export async function readRepoConfig(repo: string): Promise<RepoConfig> {
  const path = join(repo, CONFIG_FILE);
  if (!existsSync(path)) return {};
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(path, 'utf8'));
  } catch (err) {
    throw new CliError(`${path} is not valid JSON: ${(err as Error).message}`, 2);
  }
  const parsed = RepoConfigSchema.safeParse(raw);
  if (!parsed.success) throw new CliError(`${path}: ${describeIssues(parsed.error)}`, 2);
  return parsed.data;
}

import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { RepoConfigSchema, type RepoConfig } from '../core/run/input.js';
import { CliError } from './client.js';

export const CONFIG_FILE = 'ouro.config.json';

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
  if (!parsed.success) throw new CliError(`${path}: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`, 2);
  return parsed.data;
}

// Plain JavaScript on purpose: it runs before any dependency is installed.
// Installs npm dependencies when they are missing or older than the lockfile,
// and does nothing (in milliseconds) when they are current.
import { execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const marker = join(root, 'node_modules', '.package-lock.json');
const lock = join(root, 'package-lock.json');

const stale = !existsSync(marker) || statSync(marker).mtimeMs < statSync(lock).mtimeMs;
if (stale) {
  process.stderr.write('ouro: installing npm dependencies (npm install)…\n');
  // `npm install`, not `npm ci`: this machine's npm (omit-lockfile-registry-resolved)
  // writes lockfiles without other platforms' optional packages, which `npm ci`
  // then reports as missing. `npm install` honours the lockfile all the same.
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: root, stdio: 'inherit' });
}

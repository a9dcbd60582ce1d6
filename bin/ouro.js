#!/usr/bin/env node
// An installed package runs the JavaScript that `npm run build` compiled into dist/. A clone runs its
// TypeScript through tsx unless dist/ is there and newer than every source, so working on Ouro needs no
// build step to remember, and a forgotten rebuild never runs old code.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const compiled = new URL('../dist/cli/main.js', import.meta.url);
const SOURCES = ['core', 'adapters', 'activities', 'workflows', 'worker', 'dev', 'cli', 'scripts'];

/** The newest modification time of a TypeScript source, or 0 in an installed package (which ships none). */
function newestSource() {
  let newest = 0;
  for (const dir of SOURCES) {
    let names;
    try {
      names = readdirSync(`${root}${dir}`, { recursive: true });
    } catch {
      continue;
    }
    for (const name of names) if (name.endsWith('.ts')) newest = Math.max(newest, statSync(`${root}${dir}/${name}`).mtimeMs);
  }
  return newest;
}

function useCompiled() {
  if (!existsSync(compiled)) return false;
  if (!existsSync(`${root}cli/main.ts`)) return true;
  return statSync(compiled).mtimeMs >= newestSource();
}

if (useCompiled()) await import(compiled.href);
else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../cli/main.ts');
}

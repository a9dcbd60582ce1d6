#!/usr/bin/env node
// An installed package runs the JavaScript that `npm run build` compiled into dist/. A clone runs its
// TypeScript through tsx unless dist/ holds a build of exactly today's sources (its build stamp:
// bin/build-stamp.js), so working on Ouro needs no build step to remember, and a forgotten rebuild
// never runs old code.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { stampIsCurrent } from './build-stamp.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const compiled = new URL('../dist/cli/main.js', import.meta.url);

function useCompiled() {
  if (!existsSync(compiled)) return false;
  // An installed package ships no sources: nothing to compare.
  if (!existsSync(`${root}cli/main.ts`)) return true;
  return stampIsCurrent(root);
}

if (useCompiled()) await import(compiled.href);
else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../cli/main.ts');
}

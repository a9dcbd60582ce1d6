import { commitCandidate } from './activities/commit.js';
const [repo, dir, baseSha] = process.argv.slice(2);
try { console.log(await commitCandidate({ repo: repo!, dir: dir!, baseSha: baseSha!, changed: ['src/sum.ts'], branch: 'ouro/x', message: 'msg\n\nOuro-Run: x\n', trailers: { 'Ouro-Run': 'x' }, timestampMs: Date.now() } as any)); } catch (e) { console.log('ERR', (e as Error).message); }

// How readable is the house? The figures issue 23 asked for, from the code itself, so a
// before/after is one command each: the length of every workflow function and the longest
// function under workflows/, the files over 400 lines, the import circles (type-only imports
// included: a circle of types still means no file can be read first), and the README's length.
// Run: npm run bench:structure [-- --rev <commit>]   (default: the working tree)
import { execa } from 'execa';
import { readFile } from 'node:fs/promises';
import { dirname, join, normalize } from 'node:path';
import ts from 'typescript';
import { PROJECT_ROOT } from '../adapters/project-root.js';

const revIndex = process.argv.indexOf('--rev');
const rev = revIndex > 0 ? process.argv[revIndex + 1] : undefined;
const SOURCE_ROOTS = ['core', 'adapters', 'activities', 'workflows', 'worker', 'dev', 'cli', 'scripts', 'bench'];

async function listFiles(): Promise<string[]> {
  const args = rev ? ['ls-tree', '-r', '--name-only', rev] : ['ls-files', '--cached', '--others', '--exclude-standard'];
  return (await execa('git', args, { cwd: PROJECT_ROOT })).stdout.split('\n').filter(Boolean);
}

async function read(path: string): Promise<string> {
  if (rev) return (await execa('git', ['show', `${rev}:${path}`], { cwd: PROJECT_ROOT })).stdout;
  return readFile(join(PROJECT_ROOT, path), 'utf8').catch(() => '');
}

const lineCount = (text: string) => text.split('\n').length - (text.endsWith('\n') ? 1 : 0);

interface FunctionSpan {
  file: string;
  name: string;
  lines: number;
}

/** Every named function of a file (declarations, and arrows or function expressions bound to a name), with its line span. */
function functionsOf(file: string, text: string): FunctionSpan[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const spans: FunctionSpan[] = [];
  const span = (node: ts.Node) =>
    source.getLineAndCharacterOfPosition(node.getEnd()).line - source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
  const visit = (node: ts.Node) => {
    if ((ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node)) && node.name && node.body) {
      spans.push({ file, name: node.name.getText(source), lines: span(node) });
    } else if (ts.isVariableDeclaration(node) && node.initializer && (ts.isArrowFunction(node.initializer) || ts.isFunctionExpression(node.initializer))) {
      spans.push({ file, name: node.name.getText(source), lines: span(node) });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return spans;
}

/** Relative imports (type-only included) of a file, resolved to repository paths. */
function importsOf(file: string, text: string, known: Set<string>): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false);
  const targets: string[] = [];
  for (const statement of source.statements) {
    const specifier =
      (ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement)) && statement.moduleSpecifier && ts.isStringLiteral(statement.moduleSpecifier)
        ? statement.moduleSpecifier.text
        : undefined;
    if (!specifier?.startsWith('.')) continue;
    const resolved = normalize(join(dirname(file), specifier)).replace(/\.js$/, '.ts');
    if (known.has(resolved)) targets.push(resolved);
  }
  return targets;
}

/** Strongly connected components of more than one file (Tarjan). */
function circles(graph: Map<string, string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const connect = (node: string) => {
    index.set(node, next);
    low.set(node, next++);
    stack.push(node);
    onStack.add(node);
    for (const target of graph.get(node) ?? []) {
      if (!index.has(target)) {
        connect(target);
        low.set(node, Math.min(low.get(node)!, low.get(target)!));
      } else if (onStack.has(target)) low.set(node, Math.min(low.get(node)!, index.get(target)!));
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const node of graph.keys()) if (!index.has(node)) connect(node);
  return found;
}

const files = (await listFiles()).filter((f) => f.endsWith('.ts') && SOURCE_ROOTS.includes(f.split('/')[0]!) && !f.startsWith('bench/fixtures/'));
const texts = new Map(await Promise.all(files.map(async (f) => [f, await read(f)] as const)));
const known = new Set(files);

const workflowFunctions = files.filter((f) => f.startsWith('workflows/')).flatMap((f) => functionsOf(f, texts.get(f)!));
const entryPoints = workflowFunctions.filter((f) => /Workflow$/.test(f.name));
const longest = [...workflowFunctions].sort((a, b) => b.lines - a.lines).slice(0, 5);
const overLimit = files.map((f) => ({ file: f, lines: lineCount(texts.get(f)!) })).filter((f) => f.lines > 400);
const graph = new Map(files.map((f) => [f, importsOf(f, texts.get(f)!, known)]));
const found = circles(graph);
const readme = lineCount(await read('README.md'));

console.log(`structure of ${rev ?? 'the working tree'}`);
console.log('\nworkflow functions (lines):');
for (const f of entryPoints) console.log(`  ${f.name.padEnd(24)} ${String(f.lines).padStart(4)}  ${f.file}`);
console.log('\nlongest functions under workflows/:');
for (const f of longest) console.log(`  ${f.name.padEnd(24)} ${String(f.lines).padStart(4)}  ${f.file}`);
console.log(`\nsource files over 400 lines: ${overLimit.length}`);
for (const f of overLimit.sort((a, b) => b.lines - a.lines)) console.log(`  ${String(f.lines).padStart(4)}  ${f.file}`);
console.log(`\nimport circles (type-only imports included): ${found.length}`);
for (const c of found) console.log(`  ${c.length} files: ${c.join(', ')}`);
console.log(`\nREADME.md: ${readme} lines`);

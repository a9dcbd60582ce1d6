// The modules a JavaScript/TypeScript source imports, read from its syntax tree (TypeScript's
// parser), never from its text: an import written inside a string, a comment or a template is
// no import. Pure.

import ts from 'typescript';

export interface JsImports {
  /** Every module specifier it loads at run time: static, side-effect, re-export, `import x = require`, dynamic import(), require(). */
  specifiers: string[];
  /** It reads `import.meta.vitest` (vitest's in-source tests hand the framework to source code that way). */
  inSourceVitest: boolean;
  /** Runner internals it names as globals (`__vitest_worker__`…): the runner's state, reached without an import. */
  runnerGlobals: string[];
}

/** Globals through which vitest and jest keep their runner's state in the test process. */
const RUNNER_GLOBALS = /^__(?:vitest|VITEST|jest|JEST)\w*__?$|^__VITEST_\w+$/;

function scriptKind(path: string): ts.ScriptKind {
  if (/\.[cm]?jsx?$/.test(path)) return path.endsWith('x') ? ts.ScriptKind.JSX : ts.ScriptKind.JS;
  return path.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS;
}

/** A string the expression always evaluates to: a literal, a template without holes, or such strings joined with +. */
function constantString(e: ts.Expression): string | undefined {
  if (ts.isStringLiteralLike(e)) return e.text;
  if (ts.isParenthesizedExpression(e)) return constantString(e.expression);
  if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.PlusToken) {
    const [l, r] = [constantString(e.left), constantString(e.right)];
    return l !== undefined && r !== undefined ? l + r : undefined;
  }
  return undefined;
}

const isImportMeta = (e: ts.Expression) => ts.isMetaProperty(e) && e.keywordToken === ts.SyntaxKind.ImportKeyword && e.name.text === 'meta';

export function jsImports(source: string, path = 'source.ts'): JsImports {
  const file = ts.createSourceFile(path, source, ts.ScriptTarget.Latest, false, scriptKind(path));
  const specifiers: string[] = [];
  const runnerGlobals = new Set<string>();
  let inSourceVitest = false;
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && !node.importClause?.isTypeOnly) {
      const s = constantString(node.moduleSpecifier);
      if (s !== undefined) specifiers.push(s);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && !node.isTypeOnly) {
      const s = constantString(node.moduleSpecifier);
      if (s !== undefined) specifiers.push(s);
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference) && !node.isTypeOnly) {
      const s = constantString(node.moduleReference.expression);
      if (s !== undefined) specifiers.push(s);
    } else if (ts.isCallExpression(node)) {
      const callee = node.expression;
      const loads = callee.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(callee) && callee.text === 'require');
      const s = loads && node.arguments[0] ? constantString(node.arguments[0]) : undefined;
      if (s !== undefined) specifiers.push(s);
    } else if (ts.isPropertyAccessExpression(node) && isImportMeta(node.expression) && node.name.text === 'vitest') {
      inSourceVitest = true;
    } else if (ts.isElementAccessExpression(node) && isImportMeta(node.expression) && constantString(node.argumentExpression) === 'vitest') {
      inSourceVitest = true;
    }
    // As a name (globalThis.__vitest_worker__, a bare global) or a constant key (globalThis['__vitest_worker__']).
    const named = ts.isIdentifier(node) ? node.text : ts.isElementAccessExpression(node) ? constantString(node.argumentExpression) : undefined;
    if (named !== undefined && RUNNER_GLOBALS.test(named)) runnerGlobals.add(named);
    ts.forEachChild(node, visit);
  };
  visit(file);
  return { specifiers, inSourceVitest, runnerGlobals: [...runnerGlobals] };
}

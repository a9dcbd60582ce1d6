// The modules a Python source imports, read from its tokens: strings (every prefix, triple
// quotes, f-strings with strings nested in their fields) and comments are skipped whole, so an
// import written inside one is no import. Statements: `import a.b as c, d`, `from a.b import x`
// (relative ones are the project's own), the loaders `__import__('m')` and
// `import_module('m')` with a constant name, and `sys.modules['m']`. Pure; no Python needed.

type Token = { kind: 'name' | 'string' | 'op' | 'end'; text: string };

const STRING_PREFIX = /^(?:[rubft]|br|rb|fr|rf|tr|rt)$/i;

/** The index past the string whose quote starts at `at`; `fstring` strings have {fields} that may hold strings of their own. */
function skipString(src: string, at: number, fstring: boolean): number {
  const q = src[at]!;
  const triple = src.startsWith(q.repeat(3), at);
  const close = triple ? q.repeat(3) : q;
  let i = at + close.length;
  while (i < src.length) {
    const c = src[i]!;
    if (c === '\\') {
      i += 2;
      continue;
    }
    if (!triple && c === '\n') return i;
    if (src.startsWith(close, i)) return i + close.length;
    if (fstring && c === '{') {
      if (src[i + 1] === '{') {
        i += 2;
        continue;
      }
      i = skipField(src, i + 1);
      continue;
    }
    i++;
  }
  return i;
}

/** Past the `}` that closes an f-string field opened just before `from`; strings inside it are skipped whole. */
function skipField(src: string, from: number): number {
  let depth = 1;
  let i = from;
  while (i < src.length && depth > 0) {
    const c = src[i]!;
    const prefix = /^[A-Za-z]{1,2}(?=['"])/.exec(src.slice(i, i + 3))?.[0];
    if (c === "'" || c === '"') {
      i = skipString(src, i, false);
      continue;
    }
    if (prefix && STRING_PREFIX.test(prefix) && !/[\w]/.test(src[i - 1] ?? '')) {
      i = skipString(src, i + prefix.length, /[ft]/i.test(prefix));
      continue;
    }
    if (c === '{' || c === '[' || c === '(') depth++;
    else if (c === '}' || c === ']' || c === ')') depth--;
    i++;
  }
  return i;
}

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let depth = 0;
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (c === '#') {
      while (i < src.length && src[i] !== '\n') i++;
      continue;
    }
    if (c === '\\' && src[i + 1] === '\n') {
      i += 2; // a line continued
      continue;
    }
    if (c === '\n' || c === ';') {
      if (depth === 0) out.push({ kind: 'end', text: c });
      i++;
      continue;
    }
    const word = /^[A-Za-z_\u0080-\uffff][\w\u0080-\uffff]*/.exec(src.slice(i, i + 200))?.[0];
    if (word) {
      const q = src[i + word.length];
      if ((q === "'" || q === '"') && STRING_PREFIX.test(word)) {
        const start = i + word.length;
        const end = skipString(src, start, /[ft]/i.test(word));
        out.push({ kind: 'string', text: /[ft]/i.test(word) ? '\0' : src.slice(start, end).replace(/^('''|"""|'|")|('''|"""|'|")$/g, '') });
        i = end;
        continue;
      }
      out.push({ kind: 'name', text: word });
      i += word.length;
      continue;
    }
    if (c === "'" || c === '"') {
      const end = skipString(src, i, false);
      out.push({ kind: 'string', text: src.slice(i, end).replace(/^('''|"""|'|")|('''|"""|'|")$/g, '') });
      i = end;
      continue;
    }
    if ('([{'.includes(c)) depth++;
    else if (')]}'.includes(c)) depth = Math.max(0, depth - 1);
    // A colon at depth 0 ends a compound statement's header: `if x: import m` imports.
    if (c === ':' && depth === 0) out.push({ kind: 'end', text: c });
    else if (!/\s/.test(c)) out.push({ kind: 'op', text: c });
    i++;
  }
  return out;
}

/** A dotted name starting at `i` (`a.b.c`), and the index past it. */
function dotted(t: Token[], i: number): [string, number] | undefined {
  if (t[i]?.kind !== 'name') return undefined;
  let name = t[i]!.text;
  let j = i + 1;
  while (t[j]?.text === '.' && t[j + 1]?.kind === 'name') {
    name += `.${t[j + 1]!.text}`;
    j += 2;
  }
  return [name, j];
}

/** The absolute module names a Python source imports (`a.b` for `import a.b` and `from a.b import c`). */
export function pythonImports(source: string): string[] {
  const t = tokenize(source);
  const found: string[] = [];
  for (let i = 0; i < t.length; i++) {
    const atStart = i === 0 || t[i - 1]!.kind === 'end';
    const tok = t[i]!;
    if (atStart && tok.kind === 'name' && tok.text === 'import') {
      let j = i + 1;
      for (;;) {
        const d = dotted(t, j);
        if (!d) break;
        found.push(d[0]);
        j = d[1];
        if (t[j]?.text === 'as') j += 2;
        if (t[j]?.text !== ',') break;
        j++;
      }
    } else if (atStart && tok.kind === 'name' && tok.text === 'from' && t[i + 1]?.text !== '.') {
      const d = dotted(t, i + 1);
      if (d && t[d[1]]?.text === 'import') found.push(d[0]);
    } else if (tok.text === 'modules' && t[i - 1]?.text === '.' && t[i - 2]?.text === 'sys') {
      // sys.modules['m'] and sys.modules.get('m') reach a loaded module without importing it.
      const key = t[i + 1]?.text === '[' ? t[i + 2] : t[i + 1]?.text === '.' && t[i + 2]?.text === 'get' && t[i + 3]?.text === '(' ? t[i + 4] : undefined;
      if (key?.kind === 'string' && key.text !== '\0') found.push(key.text);
    } else if (tok.kind === 'name' && (tok.text === '__import__' || tok.text === 'import_module') && t[i + 1]?.text === '(' && t[i + 2]?.kind === 'string') {
      const next = t[i + 3]?.text;
      if ((next === ')' || next === ',') && t[i + 2]!.text !== '\0') found.push(t[i + 2]!.text);
    }
  }
  return found;
}

// Small models often write a function's body at column 0 after the prefilled
// head ("export function largest(xs: number[]): number {"): the tests pass and
// the commit would carry code whose indentation is lost. When the body's first
// statement sits at column 0 and the block is a braced one, every line of the
// body is indented again by brace depth with the file's own indentation unit. Pure.
// Python-like bodies (a ':' opener) are left alone: their depth cannot be
// recovered from the text.

/** The file's indentation unit: the first indented line's leading whitespace, or two spaces. */
export function indentUnit(source: string): string {
  const m = /^([ \t]+)\S/m.exec(source);
  return m?.[1] ?? '  ';
}

/** Net braces of a line, outside strings and line comments. */
function braceDelta(line: string): { leadingCloses: number; net: number } {
  let net = 0;
  let leadingCloses = 0;
  let seenCode = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === '/' && line[i + 1] === '/') break;
    if (c === '"' || c === "'" || c === '`') {
      i++;
      while (i < line.length && line[i] !== c) i += line[i] === '\\' ? 2 : 1;
      seenCode = true;
      continue;
    }
    if (c === '}' && !seenCode) leadingCloses++;
    if (c === '{') net++;
    else if (c === '}') net--;
    if (!/\s/.test(c) && c !== '}') seenCode = true;
  }
  return { leadingCloses, net };
}

/**
 * `head` is the prefilled text (ending with the opener line), `body` what the model wrote after it.
 * Returns the body re-indented when it lost its indentation, else unchanged.
 */
export function reindentBody(head: string, body: string, original: string): string {
  const opener = head.trimEnd().split('\n').at(-1) ?? '';
  if (!/\{\s*$/.test(opener)) return body;
  const lines = body.split('\n');
  const code = lines.filter((l) => l.trim());
  // Lost when the body's first statement sits at column 0 (inner lines may still carry some indentation).
  if (code.length < 2 || /^\s/.test(code[0]!)) return body;
  const unit = indentUnit(original);
  const base = /^(\s*)/.exec(opener)?.[1] ?? '';
  let depth = 1;
  return lines
    .map((line) => {
      if (!line.trim()) return line;
      const text = line.trimStart();
      const { leadingCloses, net } = braceDelta(text);
      const here = Math.max(0, depth - leadingCloses);
      depth = Math.max(0, depth + net);
      return `${base}${unit.repeat(here)}${text}`;
    })
    .join('\n');
}

// Small models often stop one closing brace short (they close the code fence
// right after the last statement). Counting braces outside strings and
// comments and appending the missing ones turns such a near-miss into code
// that the tests can judge; a reply that was wrong stays wrong.
export function closeOpenBlocks(code: string): string {
  let depth = 0;
  let i = 0;
  while (i < code.length) {
    const c = code[i]!;
    const next = code[i + 1];
    if (c === '/' && next === '/') {
      const end = code.indexOf('\n', i);
      i = end === -1 ? code.length : end;
      continue;
    }
    if (c === '/' && next === '*') {
      const end = code.indexOf('*/', i + 2);
      i = end === -1 ? code.length : end + 2;
      continue;
    }
    if (c === '"' || c === "'" || c === '`') {
      i++;
      while (i < code.length && code[i] !== c) i += code[i] === '\\' ? 2 : 1;
      i++;
      continue;
    }
    if (c === '{') depth++;
    else if (c === '}') depth--;
    i++;
  }
  if (depth <= 0) return code;
  const body = code.endsWith('\n') ? code : `${code}\n`;
  return body + '}\n'.repeat(depth);
}

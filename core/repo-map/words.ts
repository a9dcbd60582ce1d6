// Words shared by a goal written in prose and the identifiers and paths of code: `parseVersion`,
// `parse_version` and `parse-version.ts` all say "parse" and "version".

/** Words too common in goals and code to say anything about where a change belongs. */
const STOP_WORDS = new Set(
  (
    'a an and are as at be by can do does for from has have if in into is it its not of on or so ' +
    'than that the their then there these this to too was were when where which while with ' +
    'add adds added fix fixes fixed fixing bug bugs issue issues closes close closed resolve resolves resolved ' +
    'make makes use uses used using should would could now new also more some all any no only ' +
    'get set test tests testing case cases src lib index main mod init py ts js go rs tsx jsx mjs cjs'
  ).split(' '),
);

/** The lower-case words of one identifier or path: camelCase, PascalCase, snake_case, kebab-case, dotted. */
export function identifierWords(identifier: string): string[] {
  return identifier
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .map((w) => w.toLowerCase())
    .filter((w) => w.length > 1 && !/^\d+$/.test(w));
}

/** The words of a text worth matching against code: identifiers split, stop words and very short words dropped. */
export function meaningfulWords(text: string): string[] {
  const words = new Set<string>();
  for (const m of text.matchAll(/(`?)([A-Za-z_][A-Za-z0-9_]*)(`?)/g)) {
    // A short word in backticks (`ar`, `ne`) is a name, not filler.
    const minLength = m[1] === '`' && m[3] === '`' ? 2 : 3;
    for (const w of identifierWords(m[2]!)) if (w.length >= minLength && !STOP_WORDS.has(w)) words.add(w);
  }
  return [...words];
}

/**
 * The identifiers a text names as written: `parse_version`, parseVersion, TTLCache, `get`, foo() or
 * obj.method. A plain word ("plugin", "Version" opening a sentence) is prose, matched by its words
 * instead: taking it for a name would make every file defining `plugin` a named file.
 */
export function namedIdentifiers(text: string): string[] {
  const names = new Set<string>();
  for (const m of text.matchAll(/(`?)([A-Za-z_$][A-Za-z0-9_$]*)(`?)(\(?)/g)) {
    const [, open, token, close, call] = m;
    const before = text[m.index - 1];
    const quoted = open === '`' && close === '`';
    // A short name in backticks (`ar`, `fs`) is still a name: often a file's, as a locale's or a module's.
    if (!token || token.length < (quoted ? 2 : 3)) continue;
    if (STOP_WORDS.has(token.toLowerCase()) && !quoted) continue;
    const codeShaped = /[a-z][A-Z]|[A-Z]{2}[a-z]|_|\d|\$/.test(token);
    const marked = quoted || call === '(' || before === '.' || text[m.index + m[0].length] === '.';
    if (codeShaped || marked) names.add(token);
  }
  return [...names];
}

/** A crude stem so that "caches", "cached" and "caching" meet "cache": enough for matching, not linguistics. */
export function stem(word: string): string {
  for (const suffix of ['ing', 'ed', 'es', 's']) {
    if (word.length - suffix.length >= 4 && word.endsWith(suffix)) return word.slice(0, -suffix.length);
  }
  return word;
}

import { describe, expect, it } from 'vitest';
import { redirectedImports } from '../../../core/edits/import-redirects.js';

const TSCONFIG = `{
  // comments and trailing commas, as tsconfig allows
  "compilerOptions": { "strict": false, "baseUrl": ".", "paths": { "@app/*": ["./src/*"] }, },
}
`;

const changed = (path: string, before: string | undefined, after: string) => redirectedImports([{ path, before, after }]);
const REDIRECT = /changes what decides where imports resolve/;

describe('redirectedImports: a candidate that may edit a resolver config still may not move imports', () => {
  it.each([
    ['tsconfig.json', TSCONFIG, TSCONFIG.replace('./src/*', './fake/*')],
    ['tsconfig.json', TSCONFIG, TSCONFIG.replace('"baseUrl": "."', '"baseUrl": "fake"')],
    ['tsconfig.json', TSCONFIG, TSCONFIG.replace('"strict": false', '"jsxImportSource": "./fake"')],
    ['tsconfig.json', TSCONFIG, `{ "extends": "./fake.json", ${TSCONFIG.slice(1)}`],
    ['packages/web/tsconfig.build.json', TSCONFIG, TSCONFIG.replace('"strict": false', '"rootDirs": ["src", "fake"]')],
    ['jsconfig.json', '{}', '{ "compilerOptions": { "paths": { "#sum": ["./fake.js"] } } }'],
    ['src/tsconfig.json', undefined, '{ "compilerOptions": { "paths": { "@app/*": ["./fake/*"] } } }'], // a new one that redirects
    ['package.json', '{ "name": "m", "version": "1.0.0" }', '{ "name": "m", "version": "1.0.0", "imports": { "#sum": "./fake.js" } }'],
    ['package.json', '{ "name": "m", "exports": "./src/index.js" }', '{ "name": "m", "exports": "./fake/index.js" }'],
    ['package.json', '{ "scripts": { "test": "vitest run" } }', '{ "scripts": { "test": "true" } }'],
    ['package.json', '{ "jest": {} }', '{ "jest": { "moduleNameMapper": { "sum": "<rootDir>/fake" } } }'],
    ['go.mod', 'module m\n\ngo 1.21\n', 'module m\n\ngo 1.21\n\nreplace example.com/sum => ./fake\n'],
    ['go.mod', 'module m\n\nreplace (\n  a => ./a\n)\n', 'module m\n\nreplace (\n  a => ./fake\n)\n'],
    ['Cargo.toml', '[package]\nname = "s"\n', '[package]\nname = "s"\n\n[patch.crates-io]\nsums = { path = "fake" }\n'],
    ['Cargo.toml', '[dependencies]\nsums = { path = "sums" }\n', '[dependencies]\nsums = { path = "fake" }\n'],
    ['Cargo.toml', '[lib]\npath = "src/lib.rs"\n', '[lib]\npath = "fake/lib.rs"\n'],
    ['pytest.ini', '[pytest]\naddopts = -q\n', '[pytest]\naddopts = -q\npythonpath = fake\n'],
    ['setup.cfg', '[tool:pytest]\ntestpaths = tests\n', '[tool:pytest]\ntestpaths = checks\n'],
    ['tox.ini', '[tox]\nenvlist = py3\n', '[tox]\nenvlist = py3\n[pytest]\naddopts = -p fake_plugin\n'],
    ['pyproject.toml', '[project]\nname = "m"\n', '[project]\nname = "m"\n\n[tool.pytest.ini_options]\npythonpath = ["fake"]\n'],
  ])('%s: a redirect → refused', (path, before, after) => {
    const [msg, ...rest] = changed(path, before, after);
    expect(rest).toEqual([]);
    expect(msg).toMatch(new RegExp(`^${path.replace(/[.*]/g, '\\$&')}: `));
    expect(msg).toMatch(REDIRECT);
  });

  it.each([
    ['tsconfig.json', TSCONFIG, TSCONFIG.replace('"strict": false', '"strict": true')],
    ['tsconfig.json', TSCONFIG, TSCONFIG.replace('// comments', '// other comments')],
    ['tsconfig.json', undefined, '{ "compilerOptions": { "strict": true } }'],
    ['package.json', '{ "name": "m", "version": "1.0.0" }', '{ "name": "m", "version": "1.1.0", "description": "faster" }'],
    ['go.mod', 'module m\n\ngo 1.21\n', 'module m\n\ngo 1.21\n// a comment\n'],
    ['Cargo.toml', '[package]\nname = "s"\ndescription = "a"\n', '[package]\nname = "s"\ndescription = "b"\n'],
    [
      'pyproject.toml',
      '[project]\nname = "m"\n[tool.pytest.ini_options]\naddopts = "-q"\n',
      '[project]\nname = "m"\nversion = "2"\n[tool.pytest.ini_options]\naddopts = "-q"  # same\n',
    ],
    ['setup.cfg', '[metadata]\nname = m\n', '[metadata]\nname = m2\n'],
    // code named like a config is code
    ['src/tsconfig.ts', undefined, 'export const paths = {};\n'],
    ['src/package.json.ts', undefined, 'export {};\n'],
  ])('%s: no redirect → applied', (path, before, after) => {
    expect(changed(path, before, after)).toEqual([]);
  });

  it.each([
    'vitest.config.ts',
    'packages/web/vite.config.mjs',
    'jest.config.js',
    'babel.config.cjs',
    '.babelrc',
    '.swcrc',
    'conftest.py',
    'src/pkg/conftest.py',
  ])('%s is code (or transforms every module): any change → refused', (path) => {
    expect(changed(path, 'export default {};\n', 'export default { };\n')).toEqual([
      `${path}: configures how the tests load code, and Ouro cannot read what a change to it redirects; it may not be changed by a candidate`,
    ]);
  });

  it('an unreadable resolver config → refused, saying why', () => {
    expect(changed('package.json', '{}', '{ "imports": ')).toEqual([expect.stringMatching(/^package\.json: could not be read \(.+\); a config that decides/)]);
    expect(changed('tsconfig.json', '{}', '{ "compilerOptions": ')).toEqual([expect.stringMatching(/^tsconfig\.json: could not be read/)]);
  });
});

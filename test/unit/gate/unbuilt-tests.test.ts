import { describe, expect, it } from 'vitest';
import { recogniseUnbuiltTests } from '../../../core/gate/unbuilt-tests.js';
import { DEFAULT_PROTECTED } from '../../../core/run/file-rules.js';

const GO_ROOT = `# github.com/BurntSushi/toml [github.com/BurntSushi/toml.test]
./decode_test.go:1275:7: d.MaxDepth undefined (type *Decoder has no field or method MaxDepth)
FAIL\tgithub.com/BurntSushi/toml [build failed]
FAIL
`;

const PY = `==================================== ERRORS ====================================
______________________ ERROR collecting tests/test_new.py ______________________
ImportError while importing test module '/w/tests/test_new.py'.
Traceback:
tests/test_new.py:1: in <module>
    from mod import b
E   ImportError: cannot import name 'b' from 'mod' (/w/mod.py)
=========================== short test summary info ============================
ERROR tests/test_new.py
!!!!!!!!!!!!!!!!!!!! Interrupted: 1 error during collection !!!!!!!!!!!!!!!!!!!!
1 error in 0.12s
`;

const recognise = (output: string, globs = DEFAULT_PROTECTED) => recogniseUnbuiltTests(output, globs);

describe('recogniseUnbuiltTests: a red base whose only failure is protected test files that do not build yet', () => {
  it('go: the root package, its file and what it uses', () => {
    expect(recognise(GO_ROOT)).toEqual({
      unbuilt: {
        runner: 'go',
        files: ['decode_test.go'],
        packages: [{ dir: '', importPath: 'github.com/BurntSushi/toml' }],
        causes: ['decode_test.go uses d.MaxDepth'],
      },
    });
  });

  it('go: several packages, each by its folder; "undefined: X" too', () => {
    const out = `${GO_ROOT}# example.com/x/sub [example.com/x/sub.test]\nsub/s_test.go:3:34: undefined: Missing\nFAIL\texample.com/x/sub [build failed]\n`;
    const r = recognise(out);
    expect(r && 'unbuilt' in r && r.unbuilt.packages).toEqual([
      { dir: '', importPath: 'github.com/BurntSushi/toml' },
      { dir: 'sub', importPath: 'example.com/x/sub' },
    ]);
    expect(r && 'unbuilt' in r && r.unbuilt.causes).toContain('sub/s_test.go uses Missing');
  });

  it('go: an external test package (x_test) counts as its package', () => {
    const out = '# example.com/x_test [example.com/x.test]\n./x_test.go:4:2: undefined: x.New\nFAIL\texample.com/x [build failed]\n';
    expect(recognise(out)).toMatchObject({ unbuilt: { packages: [{ dir: '', importPath: 'example.com/x' }] } });
  });

  it('CRLF and colour codes read the same', () => {
    expect(recognise(GO_ROOT.replace(/\n/g, '\r\n'))).toEqual(recognise(GO_ROOT));
    expect(recognise(`\u001b[31m${PY.replace(/\n/g, '\r\n')}\u001b[0m`)).toEqual(recognise(PY));
  });

  it('a path with spaces', () => {
    const out = GO_ROOT.replace('./decode_test.go', './my tests/a b_test.go')
      .replace('toml [github.com/BurntSushi/toml.test]', 'toml/my [github.com/BurntSushi/toml/my.test]')
      .replace('toml [build failed]', 'toml/my [build failed]');
    expect(recognise(out)).toMatchObject({
      unbuilt: { files: ['my tests/a b_test.go'], packages: [{ dir: 'my tests', importPath: 'github.com/BurntSushi/toml/my' }] },
    });
    const py = PY.replace(/tests\/test_new\.py/g, 'tests/test new.py');
    expect(recognise(py)).toMatchObject({ unbuilt: { files: ['tests/test new.py'] } });
  });

  it('pytest: the file that failed to collect and the name it imports', () => {
    expect(recognise(PY)).toEqual({
      unbuilt: { runner: 'pytest', files: ['tests/test_new.py'], causes: ['tests/test_new.py imports b from mod, which the code does not define'] },
    });
  });

  it('no build or collection failure: not this case', () => {
    expect(recognise('--- FAIL: TestX (0.00s)\nFAIL\nFAIL\texample.com/x\t0.01s\n')).toBeUndefined();
    expect(recognise('pwd\n/w\n')).toBeUndefined();
    expect(recognise('')).toBeUndefined();
  });
});

describe('recogniseUnbuiltTests: hostile or malformed bases stay broken, with the reason', () => {
  it('a non-test file fails to build (the code itself)', () => {
    const out = '# example.com/x\n./decode.go:10:2: syntax error: unexpected }\nFAIL\texample.com/x [build failed]\n';
    expect(recognise(out)).toEqual({ refused: expect.stringMatching(/decode\.go, which is not a test file/) });
  });

  it('a test file and a source file together', () => {
    const out = `${GO_ROOT.replace('FAIL\tgithub', './decode.go:3:1: syntax error\nFAIL\tgithub')}`;
    expect(recognise(out)).toEqual({ refused: expect.stringMatching(/decode\.go, which is not a test file/) });
  });

  it('a test file the run does not protect', () => {
    expect(recognise(GO_ROOT, ['src/**'])).toEqual({ refused: expect.stringMatching(/decode_test\.go, which the run's protected paths do not cover/) });
    expect(recognise(PY, [])).toEqual({ refused: expect.stringMatching(/protected paths do not cover/) });
  });

  it('a package that failed with no file named (a missing module, setup failed)', () => {
    expect(recognise('FAIL\texample.com/x [setup failed]\n')).toEqual({ refused: expect.stringMatching(/named no file/) });
  });

  it('a failed package other than the test files’ (a dependency that does not build)', () => {
    const out = `${GO_ROOT}FAIL\texample.com/other [build failed]\n`;
    expect(recognise(out)).toEqual({ refused: expect.stringMatching(/example\.com\/other and named no test file/) });
  });

  it('an error outside the workspace', () => {
    const out = '# example.com/x [example.com/x.test]\n/root/go/pkg/mod/dep/d_test.go:1:1: undefined: Y\nFAIL\texample.com/x [build failed]\n';
    expect(recognise(out)).toEqual({ refused: expect.stringMatching(/outside the workspace/) });
    expect(recognise(PY.replace(/tests\/test_new\.py _/, '../escape/test_new.py _'))).toEqual({ refused: expect.stringMatching(/outside the workspace/) });
  });

  it('pytest: a syntax error, a missing module, a crash at import are not tests written first', () => {
    for (const e of [
      'SyntaxError: invalid syntax',
      "ModuleNotFoundError: No module named 'requests'",
      'RuntimeError: boom',
      'ImportError: libfoo.so: cannot open',
    ])
      expect(recognise(PY.replace(/E {3}ImportError: .*/, `E   ${e}`))).toEqual({ refused: expect.stringMatching(/only a test that imports or reads a name/) });
    expect(recognise(PY.replace(/E {3}ImportError: .*\n/, ''))).toEqual({ refused: expect.stringMatching(/no error line/) });
  });

  it("hostile: a name imported from the standard library or an installed package is not the workspace's code", () => {
    const from = (file: string) => PY.replace('(/w/mod.py)', `(${file})`);
    expect(recogniseUnbuiltTests(from('/w/mod.py'), DEFAULT_PROTECTED, ['/w'])).toHaveProperty('unbuilt');
    expect(recogniseUnbuiltTests(from('/w/src/pkg/__init__.py'), DEFAULT_PROTECTED, ['/w'])).toHaveProperty('unbuilt');
    for (const file of ['/usr/lib/python3.11/json/__init__.py', '/w/.venv/lib/python3.11/site-packages/mod.py', '/wx/mod.py'])
      expect(recogniseUnbuiltTests(from(file), DEFAULT_PROTECTED, ['/w'])).toEqual({ refused: expect.stringMatching(/outside the workspace's own code/) });
    // No file named (a namespace package), or no roots given: not decided by this.
    expect(recogniseUnbuiltTests(from('unknown location'), DEFAULT_PROTECTED, ['/w'])).toHaveProperty('unbuilt');
    expect(recognise(from('/usr/lib/python3.11/json/__init__.py'))).toHaveProperty('unbuilt');
  });

  it('pytest: a name the test module reads at its top level (cachetools 1a015dc6: a class attribute) is a test written first', () => {
    const read = PY.replace('from mod import b', 'key = mod.missing').replace(
      /E {3}ImportError: .*/,
      "E   AttributeError: module 'mod' has no attribute 'missing'",
    );
    expect(recognise(read)).toEqual({
      unbuilt: { runner: 'pytest', files: ['tests/test_new.py'], causes: ['tests/test_new.py uses mod.missing, which the code does not define'] },
    });
    // Python 3.10+ suggests a near name; anything else after the message is not this case.
    const suggested = read.replace("has no attribute 'missing'", "has no attribute 'missing'. Did you mean: 'missed'?");
    expect(recognise(suggested)).toEqual(recognise(read));
    const trailing = read.replace("has no attribute 'missing'", "has no attribute 'missing' (and more)");
    expect(recognise(trailing)).toEqual({ refused: expect.stringMatching(/only a test that imports or reads a name/) });
  });

  it('hostile: an AttributeError raised in the code it imports, or not about a module, or with no frame, is not', () => {
    const inCode = PY.replace(
      /E {3}ImportError: .*/,
      "mod.py:3: in <module>\n    helper = other.gone\nE   AttributeError: module 'other' has no attribute 'gone'",
    );
    const onObject = PY.replace(/E {3}ImportError: .*/, "E   AttributeError: 'NoneType' object has no attribute 'x'");
    const noFrame = PY.replace('tests/test_new.py:1: in <module>\n', '').replace(
      /E {3}ImportError: .*/,
      "E   AttributeError: module 'mod' has no attribute 'missing'",
    );
    for (const out of [inCode, onObject, noFrame])
      expect(recognise(out)).toEqual({ refused: expect.stringMatching(/only a test that imports or reads a name/) });
  });

  it('pytest: a .py file that is not a test (conftest collects as a test file would; a plain module does not)', () => {
    expect(recognise(PY.replace(/tests\/test_new\.py/g, 'mod.txt'), ['**'])).toEqual({ refused: expect.stringMatching(/not a test file/) });
  });
});

describe('recogniseUnbuiltTests: go vet is not a build failure', () => {
  it('hostile: a vet finding in a protected test file (the code compiles) stays baseline-broken', () => {
    const vet =
      '# example.com/x\n# [example.com/x]\n./a_test.go:9:14: fmt.Printf format %d has arg "s" of wrong type string\nFAIL\texample.com/x [build failed]\nFAIL\n';
    expect(recognise(vet)).toEqual({ refused: expect.stringMatching(/go vet failed \(example\.com\/x\)/) });
    const typecheck = '# example.com/x\nvet: ./a_test.go:6:14: undefined: Y\nFAIL\texample.com/x [build failed]\n';
    expect(recognise(typecheck)).toEqual({ refused: expect.stringMatching(/go vet failed \(\.\/a_test\.go:6:14: undefined: Y\)/) });
  });
});

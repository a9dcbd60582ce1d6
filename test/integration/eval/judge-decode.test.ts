// The checker's reading of what the candidate's process sends (core/eval/judge-checker.ts), run by a
// real Python: plain data comes back with its exact type and value; anything else, malformed or not
// plain, is refused, never built. The candidate writes these bytes, so each case is one it could send.
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { CHECKER_PROGRAM } from '../../../core/eval/judge-checker.js';

/** Each value through the checker's decode(): `["ok", repr, type name]` or `["refused", exception name]`. */
async function decodeAll(values: unknown[]): Promise<Array<[string, string, string?]>> {
  const script = `
import json, sys
scope = {"__name__": "ouro_checker"}
exec(json.loads(sys.stdin.readline()), scope)
out = []
for v in json.loads(sys.stdin.readline()):
    try:
        d = scope["decode"](v)
        out.append(["ok", repr(d), type(d).__name__])
    except Exception as e:
        out.append(["refused", type(e).__name__])
print(json.dumps(out))
`;
  const r = await execa('python3', ['-S', '-c', script], { input: `${JSON.stringify(CHECKER_PROGRAM)}\n${JSON.stringify(values)}\n` });
  return JSON.parse(r.stdout) as Array<[string, string, string?]>;
}

/** What the checker's stand-in for an object of the candidate's does under each use: "refused" or what it gave. */
async function usesOfRemote(): Promise<Record<string, string>> {
  const script = `
import json, sys
scope = {"__name__": "ouro_checker"}
exec(json.loads(sys.stdin.readline()), scope)
r = scope["Remote"]("root", None)
uses = {"bool": lambda: bool(r), "eq": lambda: r == 4, "reflected eq": lambda: 4 == r, "ne": lambda: r != 4, "lt": lambda: r < 1,
        "len": lambda: len(r), "iter": lambda: list(r), "in": lambda: 1 in r, "attribute": lambda: r.left, "setattr": lambda: setattr(r, "left", 1)}
out = {}
for name, use in uses.items():
    try:
        out[name] = repr(use())
    except Exception as e:
        out[name] = "refused" if type(e).__name__ in ("NotPlainData", "AttributeError") else type(e).__name__
print(json.dumps(out))
`;
  const r = await execa('python3', ['-S', '-c', script], { input: `${JSON.stringify(CHECKER_PROGRAM)}\n` });
  return JSON.parse(r.stdout) as Record<string, string>;
}

describe("the checker's decoding of the candidate's answers", () => {
  it('builds plain data with its exact types, floats to the bit, nested', async () => {
    const got = await decodeAll([
      ['none'],
      ['bool', true],
      ['int', '-123456789012345678901234567890'],
      ['float', '0x1.999999999999ap-4'],
      ['float', 'nan'],
      ['float', '-inf'],
      ['complex', ['0x1.0p+0', '-0x1.0p+1']],
      ['str', 'é\n'],
      ['bytes', '00ff'],
      [
        'tuple',
        [
          ['list', [['int', '1']]],
          ['frozenset', [['str', 'a']]],
        ],
      ],
      [
        'set',
        [
          ['int', '16'],
          ['int', '12'],
        ],
      ],
      ['dict', [[['tuple', [['int', '1']]], ['none']]]],
      [
        'Counter',
        [
          [
            ['str', 'a'],
            ['int', '2'],
          ],
        ],
      ],
      ['builtin', 'int'],
    ]);
    expect(got).toEqual([
      ['ok', 'None', 'NoneType'],
      ['ok', 'True', 'bool'],
      ['ok', '-123456789012345678901234567890', 'int'],
      ['ok', '0.1', 'float'],
      ['ok', 'nan', 'float'],
      ['ok', '-inf', 'float'],
      ['ok', '(1-2j)', 'complex'],
      ['ok', "'é\\n'", 'str'],
      ['ok', "b'\\x00\\xff'", 'bytes'],
      ['ok', "([1], frozenset({'a'}))", 'tuple'],
      ['ok', '{16, 12}', 'set'],
      ['ok', '{(1,): None}', 'dict'],
      ['ok', "Counter({'a': 2})", 'Counter'],
      ['ok', "<class 'int'>", 'type'],
    ]);
  });

  it('refuses everything else: malformed tags and bodies, wrong JSON types, unhashable keys, names that are not types, references it did not make', async () => {
    const hostile: unknown[] = [
      null,
      true,
      4,
      'int',
      {},
      [],
      ['int'],
      ['int', 4], // a JSON number, not the tagged string
      ['int', '4.0'],
      ['int', '1e3'],
      ['int', ' 4'],
      ['int', '9'.repeat(5000)], // past what int() takes
      ['bool', 1],
      ['bool', 'True'],
      ['str', ['a']],
      ['float', '0.1'], // only float.hex()'s form
      ['float', 'infinity'],
      ['float', 1.5],
      ['complex', ['0x1.0p+0']],
      ['bytes', 'zz'],
      ['bytes', 'abc'],
      ['list', 'abc'],
      ['list', [['int', 4]]],
      ['set', [['list', []]]], // unhashable member
      ['dict', [[['list', []], ['none']]]], // unhashable key
      ['dict', [[['int', '1']]]],
      ['dict', { a: 1 }],
      ['builtin', 'exec'], // a function, not a type
      ['builtin', '__import__'],
      ['builtin', 'open'],
      ['ref', 'f'], // a reference is made by the checker only
      ['made', '#0'],
      ['object', 'os.system'],
      ['none', 'extra'],
      ['dict', [], 'extra'],
      ['tuple', [['tuple', [['tuple', [['str', 'deep']]]]]]], // fine when shallow …
    ];
    let deep: unknown = ['none'];
    for (let i = 0; i < 150; i++) deep = ['list', [deep]]; // … refused when nested past 100
    hostile.push(deep);
    const got = await decodeAll(hostile);
    const refused = got.map((g, i) => [i, g[0]]).filter(([, what]) => what !== 'refused');
    // The one well-formed shallow value is the only one built.
    expect(refused).toEqual([[hostile.length - 2, 'ok']]);
    for (const g of got.filter((x) => x[0] === 'refused')) expect(g[1]).toBe('NotPlainData');
  });

  it("an object of the candidate's (MBPP's set-up trees, a Pair) can only be handed back: no truth, comparison, length, iteration or attribute", async () => {
    const uses = await usesOfRemote();
    expect(Object.entries(uses).filter(([, v]) => v !== 'refused')).toEqual([]);
    expect(Object.keys(uses)).toHaveLength(10);
  });
});

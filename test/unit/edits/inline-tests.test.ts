import { describe, expect, it } from 'vitest';
import { changedInlineTests, inlineTestRegions } from '../../../core/edits/inline-tests.js';

const RUST = `/// 1 + 2 + ... + n; see the #[test] below.
pub fn sum_to(n: u64) -> u64 {
    (1..n).sum()
}

pub fn label<'a>(s: &'a str) -> &'a str { if s.is_empty() { "{" } else { s } }

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn ten() { assert_eq!(sum_to(10), 55); }
    #[test]
    fn one() { assert_eq!(sum_to(1), 1); let _c = '}'; let _s = "}}"; }
}

#[test]
fn outside() { assert_eq!(label("x"), "x"); }
`;
const FIXED = RUST.replace('(1..n).sum()', '(1..=n).sum()');

const TS = `export function sumTo(n: number): number {
  let t = 0;
  for (let i = 1; i < n; i++) t += i;
  return t;
}

if (import.meta.vitest) {
  const { it, expect } = import.meta.vitest;
  it('sums to ten', () => expect(sumTo(10)).toBe(55));
  it('braces in strings', () => expect('}{').toBe('}{'));
}
`;

describe('inline tests: what counts as a test region of the base', () => {
  it("Rust: a #[cfg(test)] module whole (braces in chars and strings, lifetimes), a #[test] fn outside it; not a comment's mention", () => {
    const regions = inlineTestRegions('src/lib.rs', RUST);
    expect(regions.map((r) => [r.label, r.line])).toEqual([
      ['#[cfg(test)] mod tests', 8],
      ['#[test] fn outside', 17],
    ]);
    expect(regions[0]!.text.endsWith('let _s = "}}"; }\n}')).toBe(true);
  });

  it('TypeScript: an in-source vitest block', () => {
    const [region] = inlineTestRegions('src/sum.ts', TS);
    expect(region).toMatchObject({ label: 'if (import.meta.vitest) { … }', line: 7 });
    expect(region!.text.trim().endsWith("expect('}{').toBe('}{'));\n}")).toBe(true);
  });

  it('other files have none', () => {
    expect(inlineTestRegions('src/x.py', '>>> 1 + 1\n2\n')).toEqual([]);
    expect(inlineTestRegions('README.md', '#[test]\nfn a() {}')).toEqual([]);
  });
});

describe('changedInlineTests: a candidate keeps the base’s inline tests verbatim', () => {
  it('the fix (code changed, tests untouched) passes; so does a test added beside them', () => {
    expect(changedInlineTests([{ path: 'src/lib.rs', before: RUST, after: FIXED }])).toEqual([]);
    const added = `${FIXED}\n#[test]\nfn extra() { assert_eq!(sum_to(3), 6); }\n`;
    expect(changedInlineTests([{ path: 'src/lib.rs', before: RUST, after: added }])).toEqual([]);
    expect(changedInlineTests([{ path: 'src/sum.ts', before: TS, after: TS.replace('i < n', 'i <= n') }])).toEqual([]);
  });

  it.each([
    [
      'an assert rewritten to match the wrong code',
      RUST.replace('assert_eq!(sum_to(10), 55)', 'assert_eq!(sum_to(10), 45)'),
      /#\[cfg\(test\)\] mod tests at line 8/,
    ],
    ['the test module removed', RUST.replace(/#\[cfg\(test\)\][\s\S]*?\n}\n/, ''), /mod tests at line 8/],
    ['a test marked #[ignore]', RUST.replace('#[test]\n    fn ten', '#[test]\n    #[ignore]\n    fn ten'), /mod tests/],
    ['the outside #[test] fn emptied', RUST.replace('{ assert_eq!(label("x"), "x"); }', '{}'), /#\[test\] fn outside at line 17/],
  ])('Rust: %s → refused, naming the region', (_what, after, reason) => {
    const [message, ...rest] = changedInlineTests([{ path: 'src/lib.rs', before: RUST, after }]);
    expect(rest).toEqual([]);
    expect(message).toMatch(/^src\/lib\.rs: changes the tests inside it/);
    expect(message).toMatch(reason);
  });

  it('TypeScript: an in-source expectation changed → refused', () => {
    const [message] = changedInlineTests([{ path: 'src/sum.ts', before: TS, after: TS.replace('toBe(55)', 'toBe(45)') }]);
    expect(message).toMatch(/src\/sum\.ts: changes the tests inside it \(if \(import\.meta\.vitest\) \{ … \} at line 7\)/);
  });

  it('a new file has no base tests to keep; two identical regions must both stay', () => {
    expect(changedInlineTests([{ path: 'src/new.rs', after: '#[test]\nfn a() {}\n' }])).toEqual([]);
    const twice = '#[test]\nfn a() { assert!(true); }\n\n#[test]\nfn a() { assert!(true); }\n';
    expect(changedInlineTests([{ path: 'src/t.rs', before: twice, after: '#[test]\nfn a() { assert!(true); }\n' }])).toHaveLength(1);
  });
});

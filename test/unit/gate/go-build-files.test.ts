import { describe, expect, it } from 'vitest';
import { goBuildsTestFile, goodOsArchName, goTargetOf } from '../../../core/gate/go-build-files.js';

const HERE = { goos: 'linux', goarch: 'amd64' };
const PLAIN = 'package x\n\nimport "testing"\n\nfunc TestX(t *testing.T) {}\n';
const withConstraint = (line: string) => `// Copyright the authors.\n\n${line}\n\n${PLAIN}`;

describe('which _test.go files go test builds on this host', () => {
  it("go's names for Node's host", () => {
    expect(goTargetOf('linux', 'x64')).toEqual(HERE);
    expect(goTargetOf('win32', 'arm64')).toEqual({ goos: 'windows', goarch: 'arm64' });
    expect(goTargetOf('haiku', 'x64')).toBeUndefined();
  });

  it('a file name with no suffix, or one that names this host, is built', () => {
    for (const name of ['x_test.go', 'sub/x_linux_test.go', 'x_amd64_test.go', 'x_linux_amd64_test.go', 'windows_test.go', 'linux_test.go'])
      expect(goBuildsTestFile(name, PLAIN, HERE), name).toBe(true);
  });

  it('hostile: names go never builds here are not listed (a test no candidate could run)', () => {
    for (const name of [
      '_x_test.go',
      '.x_test.go',
      'x_windows_test.go',
      'x_arm64_test.go',
      'x_linux_arm64_test.go',
      'x_darwin_amd64_test.go',
      'linux_arm64_test.go',
      'x.go',
      'x_test.go.orig',
    ])
      expect(goBuildsTestFile(name, PLAIN, HERE), name).toBe(false);
    expect(goodOsArchName('x_test.go', HERE)).toBe(true);
  });

  it('a build constraint plainly true here is built', () => {
    for (const line of [
      '//go:build linux',
      '//go:build linux && amd64',
      '//go:build unix',
      '//go:build !windows',
      '//go:build (linux || darwin) && !arm64',
      '// +build linux,amd64 darwin',
    ])
      expect(goBuildsTestFile('x_test.go', withConstraint(line), HERE), line).toBe(true);
  });

  it('hostile: any other constraint (false here, a tag the command may set, a Go version, malformed) leaves the file out', () => {
    for (const line of [
      '//go:build windows',
      '//go:build integration',
      '//go:build linux && integration',
      '//go:build go1.99',
      '//go:build cgo',
      '//go:build linux &&',
      '//go:build (linux',
      '//go:build ignore',
      '// +build ignore',
      '// +build !linux',
    ])
      expect(goBuildsTestFile('x_test.go', withConstraint(line), HERE), line).toBe(false);
  });

  it('a constraint-like line after the package clause, or in a comment block, is no constraint', () => {
    expect(goBuildsTestFile('x_test.go', `${PLAIN}//go:build windows\n`, HERE)).toBe(true);
    expect(goBuildsTestFile('x_test.go', `/*\n//go:build windows\n*/\n${PLAIN}`, HERE)).toBe(true);
    expect(goBuildsTestFile('x_test.go', withConstraint('//go:build windows').replace(/\n/g, '\r\n'), HERE)).toBe(false);
  });
});

// The flags that point a CLI run at the fake provider (dev/fake-openai.ts): what the end-to-end
// tests and the real-repository bench pass to `ouro run`, `ouro create` and `ouro evolve`.

/** One GPU draft queue served by the fake at `fakeUrl`, under the model name the fake answers to. */
export function fakeModelFlags(fakeUrl: string): string[] {
  return ['--drafts', 'gpu:1', '--base-url', fakeUrl, '--model', 'fake-model'];
}

/** A one-round run drafted by the fake: the scripted replies answer round 1 (`r1c1`, …); `extra` follows. */
export function scriptedRunArgs(fakeUrl: string, extra: string[] = []): string[] {
  return [...fakeModelFlags(fakeUrl), '--rounds', '1', ...extra];
}

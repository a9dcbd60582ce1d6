// Release versions: tags `<prefix>X.Y.Z`, the next one by a configured bump.
export const BUMPS = ['major', 'minor', 'patch'] as const;
export type Bump = (typeof BUMPS)[number];

export interface Version {
  major: number;
  minor: number;
  patch: number;
}

export function parseTag(tag: string, prefix = 'v'): Version | undefined {
  if (!tag.startsWith(prefix)) return undefined;
  const m = /^(\d+)\.(\d+)\.(\d+)$/.exec(tag.slice(prefix.length));
  return m ? { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]) } : undefined;
}

export function compareVersions(a: Version, b: Version): number {
  return a.major - b.major || a.minor - b.minor || a.patch - b.patch;
}

/** The highest release tag among `tags` (others, like `nightly`, are ignored). */
export function latestTag(tags: readonly string[], prefix = 'v'): string | undefined {
  let best: { tag: string; v: Version } | undefined;
  for (const tag of tags) {
    const v = parseTag(tag, prefix);
    if (v && (!best || compareVersions(v, best.v) > 0)) best = { tag, v };
  }
  return best?.tag;
}

/** The tag after `previous` (0.1.0 / 1.0.0 for a first release, by bump). */
export function nextTag(previous: string | undefined, bump: Bump, prefix = 'v'): string {
  const v = previous ? parseTag(previous, prefix) : undefined;
  if (!v) return `${prefix}${bump === 'major' ? '1.0.0' : '0.1.0'}`;
  if (bump === 'major') return `${prefix}${v.major + 1}.0.0`;
  if (bump === 'minor') return `${prefix}${v.major}.${v.minor + 1}.0`;
  return `${prefix}${v.major}.${v.minor}.${v.patch + 1}`;
}

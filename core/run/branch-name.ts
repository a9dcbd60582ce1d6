// Branch names derived from workflow ids (pure: the workflow uses it).
/** A workflow id made fit for a git branch name (schedules put ':' in theirs; git refuses it). */
export function branchSafe(id: string): string {
  return (
    id
      .replace(/[^A-Za-z0-9._/-]+/g, '-')
      .replace(/\.{2,}/g, '.')
      .replace(/^[-./]+|[-./]+$/g, '')
      .replace(/\.lock$/, '-lock') || 'run'
  );
}

/** Ansible's tag selection: --tags / --skip-tags with all, tagged, untagged, always, never. */
export function tagsAllow(taskTags: readonly string[], only: readonly string[] | undefined, skip: readonly string[] | undefined): boolean {
  const want = only && only.length ? only : ['all'];
  const skipList = skip ?? [];
  const has = (t: string): boolean => taskTags.includes(t);
  if (skipList.some(has)) return false;
  if (skipList.includes('tagged') && taskTags.length) return false;
  if (skipList.includes('untagged') && !taskTags.length) return false;
  if (has('always') && !skipList.includes('always')) return true;
  if (want.some((t) => t !== 'all' && t !== 'tagged' && t !== 'untagged' && has(t))) return true;
  if (has('never')) return false;
  if (want.includes('all')) return true;
  if (want.includes('tagged') && taskTags.length) return true;
  if (want.includes('untagged') && !taskTags.length) return true;
  return false;
}

/**
 * Arguments Ansible's own modules take, so kelpie can tell a typo (a name in neither spec:
 * refused before any host is touched) from an Ansible argument kelpie has not implemented
 * (the playbook loads, --syntax-check warns, and only that task fails when it runs).
 */
import { argNameSet, type ArgSpec } from './argspec.js';
import { ANSIBLE_MODULE_ARGS } from './ansibleArgs.generated.js';

export function isAnsibleArgument(action: string, name: string): boolean {
  return ANSIBLE_MODULE_ARGS[action]?.includes(name) ?? false;
}

export function notImplementedMessage(action: string, name: string): string {
  return `argument '${name}' of Ansible's ${action} module is not implemented by kelpie`;
}

/** The first argument given that the kelpie module lacks and Ansible's has, if any. */
export function unimplementedArgument(action: string, spec: ArgSpec, given: Iterable<string>): string | undefined {
  const known = argNameSet(spec);
  for (const k of given) if (!known.has(k) && k !== '_raw_params' && isAnsibleArgument(action, k)) return k;
  return undefined;
}

// The k=v words Ansible's parser pulls out of command/shell free-form text (parsing/splitter.py).
const RAW_KV = new Set(['creates', 'removes', 'chdir', 'executable', 'warn', 'stdin', 'stdin_add_newline', 'strip_empty_ends']);

/** Words Ansible takes out of this module's free-form text as arguments, beyond kelpie's own. */
export function ansibleFreeFormKeys(action: string): string[] {
  return (ANSIBLE_MODULE_ARGS[action] ?? []).filter((n) => RAW_KV.has(n));
}

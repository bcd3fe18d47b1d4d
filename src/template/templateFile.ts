/**
 * What the template module adds around a template file, as Ansible's template action
 * does: the `template_*` variables and `ansible_managed` (Ansible's default text,
 * "Ansible managed"), and the directories `{% include %}`/`{% import %}` search.
 */
import { statSync } from 'node:fs';
import { hostname, userInfo } from 'node:os';
import { dirname, join, resolve } from 'node:path';

export const ANSIBLE_MANAGED = 'Ansible managed';

export interface TemplateFileInfo {
  /** The `src` argument as the task wrote it. */
  src: string;
  /** Where the source was found on the controller. */
  fullpath: string;
  dest?: string;
}

function ownerName(uid: number): string {
  const me = userInfo();
  return me.uid === uid ? me.username : String(uid);
}

export function templateFileVars(info: TemplateFileInfo): Record<string, unknown> {
  const st = statSync(info.fullpath);
  return {
    template_host: hostname(),
    template_path: info.src,
    template_fullpath: resolve(info.fullpath),
    template_mtime: st.mtime.toISOString(),
    template_uid: ownerName(st.uid),
    template_run_date: new Date().toISOString(),
    template_destpath: info.dest ?? null,
    ansible_managed: ANSIBLE_MANAGED,
  };
}

/** Ansible's order: each search directory's templates/ then itself, the template's own directory last. */
export function templateIncludeDirs(fullpath: string, searchDirs: readonly string[]): string[] {
  const dirs = [...searchDirs, dirname(fullpath)].flatMap((d) => [join(d, 'templates'), d]);
  return [...new Set(dirs)];
}

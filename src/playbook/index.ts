/** Playbook loading: YAML with positions → validated plays (see model.ts for the shapes). */
export { loadPlaybook, loadTaskFile, loadRole, type RoleFrom } from './loader.js';
export type { LoadOptions } from './context.js';
export { loadPlaybookCached, type LoadCache } from './loadCache.js';
export { PlaybookErrors, type LoadWarning } from './problems.js';
export { parseFreeForm, splitWords, type FreeForm } from './freeform.js';
export { parseYaml } from './source.js';
export * from './model.js';

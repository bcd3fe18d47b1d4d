/** One play mapping → Play. */
import { dirname } from 'node:path';
import type { SourceLocation } from '../errors.js';
import { suggest } from './diagnose.js';
import { isTemplate } from '../template/index.js';
import { toBool } from '../modules/argspec.js';
import { flattenTasks, scopeOf, type LoadContext } from './context.js';
import { applyShared, asList, checkBoolean, PLAY_KEYWORDS } from './keywords.js';
import type { Node, Play } from './model.js';
import { dropDuplicateImports } from './importDuplicates.js';
import { expandRoles } from './roles.js';
import type { Entry, SourceFile } from './source.js';
import { parseTaskList } from './tasks.js';
import { checkTemplateNames } from './templateNames.js';

export const STRATEGIES = ['linear', 'free'];
const SECTIONS = new Set(['pre_tasks', 'roles', 'tasks', 'post_tasks', 'handlers']);
// Accepted because facts gathering may read them, but not part of the model.
const FACT_OPTIONS = new Set(['gather_subset', 'gather_timeout', 'fact_path']);

function hostsOf(v: unknown): string | undefined {
  if (typeof v === 'string' && v.trim()) return v.trim();
  if (Array.isArray(v) && v.length && v.every((h) => typeof h === 'string')) return v.join(',');
  return undefined;
}

export async function parsePlay(ctx: LoadContext, src: SourceFile, entries: Entry[], loc: SourceLocation): Promise<Play | undefined> {
  const p = ctx.problems;
  ctx.roleHandlers = [];
  ctx.handlerFilesSeen = new Set();
  ctx.rolesSeen = new Set();
  ctx.importedRoles = new Map();
  const scope = scopeOf(src);
  const play: Play = {
    name: '',
    hosts: '',
    gatherFacts: true,
    varsFiles: [],
    strategy: 'linear',
    forceHandlers: false,
    preTasks: [],
    tasks: [],
    postTasks: [],
    handlers: [],
    loc,
    file: src.file,
    dir: dirname(src.file),
  };
  let name: string | undefined;
  const sections = new Map<string, Entry>();
  for (const e of entries) {
    const v = src.js(e.value);
    if (SECTIONS.has(e.key)) {
      sections.set(e.key, e);
      continue;
    }
    switch (e.key) {
      case 'hosts': {
        const h = hostsOf(v);
        if (h === undefined) p.error(`'hosts' must be a host pattern`, e.valueLoc, 'e.g. hosts: all, or hosts: web:&prod');
        else play.hosts = h;
        break;
      }
      case 'name':
        if (v !== null && v !== undefined) name = String(v);
        break;
      case 'gather_facts':
        if (checkBoolean(e.key, v, e.valueLoc, p)) play.gatherFacts = v;
        break;
      case 'vars_files':
        play.varsFiles = asList(v);
        break;
      case 'vars_prompt':
        p.warn('vars_prompt is not supported; pass the values with --extra-vars', e.keyLoc);
        break;
      case 'serial':
        play.serial = v;
        break;
      case 'max_fail_percentage': {
        const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v.replace(/%$/, '')) : NaN;
        if (Number.isNaN(n) || n < 0 || n > 100) p.error(`'max_fail_percentage' must be a number from 0 to 100`, e.valueLoc);
        else play.maxFailPercentage = n;
        break;
      }
      case 'strategy':
        if (typeof v === 'string' && isTemplate(v)) play.strategy = v; // rendered with the play's vars when it runs
        else if (typeof v !== 'string' || !STRATEGIES.includes(v)) {
          p.error(`unknown strategy '${String(v)}'`, e.valueLoc, suggest(String(v), STRATEGIES) ?? `kelpie has ${STRATEGIES.join(' and ')}`);
        } else play.strategy = v;
        break;
      case 'force_handlers': {
        const b = toBool(v);
        if (b !== undefined) play.forceHandlers = b;
        else if (v !== null && checkBoolean(e.key, v, e.valueLoc, p)) p.error(`'force_handlers' must be true or false here, not a template`, e.valueLoc);
        break;
      }
      case 'when':
        p.error(`a play cannot have 'when'`, e.keyLoc, 'put the condition on a block or the tasks, or on import_playbook');
        break;
      default:
        if (FACT_OPTIONS.has(e.key)) break;
        if (!PLAY_KEYWORDS.has(e.key) || !applyShared(play, e.key, v, e.valueLoc, p)) {
          p.error(`unknown play keyword '${e.key}'`, e.keyLoc, suggest(e.key, PLAY_KEYWORDS));
        }
    }
  }
  if (!play.hosts && !entries.some((e) => e.key === 'hosts')) {
    p.error(`play${name ? ` '${name}'` : ''} has no 'hosts'`, loc, 'add `hosts: all` or a group/host pattern');
  }
  play.name = name ?? play.hosts;
  checkTemplateNames(src, entries, p, { prefix: name ? `play '${name}': ` : '', skip: SECTIONS });

  const list = async (key: string): Promise<Node[]> => {
    const e = sections.get(key);
    return e ? parseTaskList(ctx, scope, e.value, key, e.keyLoc) : [];
  };
  ctx.playVars = play.vars ?? {};
  play.preTasks = await list('pre_tasks');
  const roles = sections.get('roles');
  const roleNodes = roles ? await expandRoles(ctx, src, roles.value, roles.keyLoc) : [];
  play.tasks = [...roleNodes, ...(await list('tasks'))];
  play.postTasks = await list('post_tasks');
  const h = sections.get('handlers');
  const handlers = h ? flattenTasks(await parseTaskList(ctx, { ...scope, handlers: true }, h.value, 'handlers', h.keyLoc)) : [];
  play.handlers = [...handlers, ...ctx.roleHandlers];
  dropDuplicateImports(ctx);
  return play;
}

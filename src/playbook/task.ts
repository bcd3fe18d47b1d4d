/** One task mapping → TaskNode: find its module key, its arguments and its keywords. */
import { isMap, isScalar } from 'yaml';
import type { SourceLocation } from '../errors.js';
import { actionNames, REMOVED, resolveAction, type ActionInfo } from './actions.js';
import { argsFromNode, argsFromText, checkKeys, type Args } from './args.js';
import { nextId, type LoadContext, type Scope } from './context.js';
import { suggest, unknownTaskKey } from './diagnose.js';
import { BACKGROUND_ACTIONS, NO_ASYNC_ACTIONS, fireAndForgetRefused, applyShared, conditions, isLoopKey, isRecord, LOOP_KINDS, nameList, TASK_KEYWORDS } from './keywords.js';
import { parseLoop, parseLoopControl } from './loop.js';
import type { Keywords, Node, TaskNode } from './model.js';
import type { Entry } from './source.js';
import { expandImport } from './imports.js';
import { checkLiteralArgs } from './literalArgs.js';
import { checkTemplateFile, checkTemplateNames } from './templateNames.js';
import { unboxed } from '../template/index.js';

const META = ['flush_handlers', 'refresh_inventory', 'noop', 'clear_facts', 'clear_host_errors', 'end_play', 'end_host', 'end_batch', 'reset_connection', 'role_complete'];

interface Found {
  entry: Entry;
  info: ActionInfo;
  as: string;
  /** `action:`/`local_action:` text after the module name. */
  text?: string;
}

/** `action: copy src=a dest=b` or `action: {module: copy, src: a}`. */
function legacyAction(scope: Scope, e: Entry, ctx: LoadContext): Found | undefined {
  const { src } = scope;
  const n = src.resolve(e.value);
  let name: unknown;
  let text: string | undefined;
  if (isScalar(n) && typeof n.value === 'string') {
    const m = /^\s*(\S+)\s*([\s\S]*)$/.exec(n.value);
    name = m?.[1];
    text = m?.[2] ?? '';
  } else if (isMap(n)) {
    name = src.entries(n).find((x) => x.key === 'module')?.value;
    name = isScalar(name) ? name.value : undefined;
  }
  if (typeof name !== 'string' || !name) {
    ctx.problems.error(`'${e.key}' needs a module name`, e.valueLoc, `e.g. ${e.key}: command echo hi`);
    return undefined;
  }
  const info = resolveAction(name);
  if (!info) {
    ctx.problems.error(`unknown module '${name}'`, e.valueLoc, suggest(name, actionNames()));
    return undefined;
  }
  return { entry: e, info, as: name, ...(text !== undefined ? { text } : {}) };
}

function argsOf(scope: Scope, f: Found, label: string, ctx: LoadContext): Args {
  const { src } = scope;
  if (f.text !== undefined) return argsFromText(src, null, f.text, f.info, f.entry.valueLoc, ctx.problems, label);
  if (f.entry.key === 'action' || f.entry.key === 'local_action') {
    const n = src.resolve(f.entry.value);
    const a = isMap(n) ? argsFromNode(src, n, f.info, f.entry.valueLoc, ctx.problems, label) : { args: {}, argLocs: {} };
    delete a.args.module;
    delete a.argLocs.module;
    return a;
  }
  return argsFromNode(src, f.entry.value, f.info, f.entry.valueLoc, ctx.problems, label);
}

export async function parseTask(ctx: LoadContext, scope: Scope, entries: Entry[], loc: SourceLocation): Promise<Node[]> {
  const { src } = scope;
  const p = ctx.problems;
  const errorsBefore = p.errors.length;
  const nameEntry = entries.find((e) => e.key === 'name');
  const rawName = nameEntry ? src.js(nameEntry.value) : undefined;
  const name = rawName === undefined || rawName === null ? undefined : String(unboxed(rawName));
  const prefix = name ? `task '${name}': ` : '';

  const found: Found[] = [];
  const unknown: Entry[] = [];
  const keywords: Entry[] = [];
  let reported = false;
  for (const e of entries) {
    if (e.key === 'action' || e.key === 'local_action') {
      const f = legacyAction(scope, e, ctx);
      if (f) found.push(f);
      keywords.push(e);
    } else if (TASK_KEYWORDS.has(e.key) || isLoopKey(e.key)) keywords.push(e);
    else if (e.key === 'rescue' || e.key === 'always') p.error(`'${e.key}' needs a 'block' in the same mapping`, e.keyLoc);
    else if (REMOVED[e.key]) {
      p.error(`${prefix}${REMOVED[e.key]}`, e.keyLoc);
      reported = true;
    }
    else {
      const info = resolveAction(e.key);
      if (info) found.push({ entry: e, info, as: e.key });
      else unknown.push(e);
    }
  }
  const main = found[0];
  for (const extra of found.slice(1)) {
    p.error(`${prefix}a task has one module, this one has '${main!.as}' and '${extra.as}'`, extra.entry.keyLoc, 'split it into two tasks');
  }
  for (const e of unknown) unknownTaskKey(e.key, e.keyLoc, main, prefix, p);
  if (!main) {
    if (!unknown.length && !reported) p.error(`${prefix}task has no module`, loc, 'add a module such as `command: echo hi` or `debug: msg=hi`');
    return [];
  }

  const label = name ? `task '${name}'` : `task '${main.as}'`;
  const task: TaskNode = {
    kind: 'task',
    id: nextId(ctx, loc),
    action: main.info.action,
    actionAs: main.as,
    args: {},
    loc,
    argLocs: {},
    keyLocs: { [main.as]: main.entry.keyLoc },
    file: scope.file,
    ...(name !== undefined ? { name } : {}),
    ...(scope.role ? { role: scope.role } : {}),
  };
  const a = argsOf(scope, main, label, ctx);
  let loopControl: Entry | undefined;
  for (const e of keywords) {
    const v = src.js(e.value);
    task.keyLocs[e.key] = e.keyLoc;
    if (isLoopKey(e.key) || e.key === 'loop') {
      if (task.loop) p.error(`${label}: a task has one loop, this one has '${task.loop.kind}' and '${e.key}'`, e.keyLoc);
      else if (e.key !== 'loop' && !LOOP_KINDS.includes(e.key.slice(5))) {
        p.error(`${label}: unknown loop '${e.key}'`, e.keyLoc, suggest(e.key, LOOP_KINDS.map((k) => `with_${k}`)));
      } else task.loop = parseLoop(e.key, v);
      continue;
    }
    switch (e.key) {
      case 'name':
      case 'action':
        break;
      case 'local_action':
        task.delegateTo = 'localhost';
        break;
      case 'loop_control':
        loopControl = e;
        break;
      case 'args':
        if (!isRecord(v)) p.error(`${label}: 'args' must be a mapping`, e.valueLoc);
        else {
          const n = src.resolve(e.value);
          const locs = isMap(n) ? Object.fromEntries(src.entries(n).map((x) => [x.key, x.keyLoc])) : {};
          for (const [k, val] of Object.entries(v)) {
            if (k in a.args) continue; // inline arguments win, as in Ansible
            a.args[k] = val;
            a.argLocs[k] = locs[k] ?? e.keyLoc;
          }
        }
        break;
      case 'register':
        if (typeof v !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(v)) p.error(`${label}: 'register' needs a variable name`, e.valueLoc);
        else task.register = v;
        break;
      case 'changed_when':
        task.changedWhen = conditions(v, e.key, e.valueLoc, p);
        break;
      case 'failed_when':
        task.failedWhen = conditions(v, e.key, e.valueLoc, p);
        break;
      case 'until':
        task.until = conditions(v, e.key, e.valueLoc, p);
        break;
      case 'retries':
        task.retries = v;
        break;
      case 'delay':
        task.delay = v;
        break;
      case 'async':
      case 'poll':
        if (v !== null && !(typeof v === 'string' && v.includes('{{')) && !/^\s*\d+\s*$/.test(String(v))) {
          p.error(`${label}: '${e.key}' must be a whole number of seconds, got ${JSON.stringify(v)}`, e.valueLoc);
        } else task[e.key] = v;
        break;
      case 'notify':
        task.notify = nameList(v, e.key, e.valueLoc, p);
        break;
      case 'listen':
        task.listen = nameList(v, e.key, e.valueLoc, p);
        break;
      default:
        applyShared(task, e.key, v, e.valueLoc, p);
    }
  }
  if (loopControl) {
    if (!task.loop) p.error(`${label}: 'loop_control' without a loop`, loopControl.keyLoc, "add 'loop:' or remove 'loop_control'");
    else parseLoopControl(task.loop, src, loopControl, label, p);
  }
  const neverBackground = !BACKGROUND_ACTIONS.has(task.action) && !NO_ASYNC_ACTIONS.has(task.action);
  if (neverBackground && task.async !== undefined && Number(task.async) > 0 && task.poll !== undefined && String(task.poll).trim() === '0') {
    p.error(`${label}: ${fireAndForgetRefused(task.action)}`, task.keyLocs.poll ?? loc, 'give poll a number of seconds, or run the work from a shell task');
  }
  checkKeys(a, main.info, main.entry.keyLoc, p, label);
  // a task already wrong in its shape (a mis-indented argument) would only add noise here
  if (p.errors.length === errorsBefore) checkLiteralArgs(main.info.action, a.args, a.argLocs, main.entry.keyLoc, p, label);
  checkTemplateNames(src, entries, p, { prefix: `${label}: `, module: { key: main.entry.key, action: main.info.action } });
  task.args = a.args;
  task.argLocs = a.argLocs;
  return finishAction(ctx, scope, task, label);
}

async function finishAction(ctx: LoadContext, scope: Scope, task: TaskNode, label: string): Promise<Node[]> {
  const p = ctx.problems;
  const keyLoc = task.keyLocs[task.actionAs] ?? task.loc;
  switch (task.action) {
    case 'import_tasks':
    case 'import_role':
      return expandImport(ctx, scope, task, label);
    case 'include_tasks':
      if (typeof task.args.file !== 'string' || !task.args.file) p.error(`${label}: include_tasks needs a file name`, keyLoc, 'include_tasks: other.yaml');
      applyKeywords(ctx, task, label);
      break;
    case 'include_role':
      if (typeof task.args.name !== 'string' || !task.args.name) p.error(`${label}: include_role needs a role name`, keyLoc, 'include_role: { name: myrole }');
      applyKeywords(ctx, task, label);
      break;
    case 'template':
      await checkTemplateFile(task, ctx.playDir, p, `${label}: `);
      break;
    case 'meta': {
      const what = task.args._raw_params;
      if (typeof what !== 'string' || !META.includes(what)) {
        p.error(`${label}: unknown meta action '${String(what ?? '')}'`, task.argLocs._raw_params ?? keyLoc, suggest(String(what ?? ''), META) ?? `one of ${META.join(', ')}`);
      }
      break;
    }
  }
  return [task];
}

/** `apply:` of an include: block keywords (become, tags, environment, vars…) for every task it includes. */
function applyKeywords(ctx: LoadContext, task: TaskNode, label: string): void {
  const apply = task.args.apply;
  if (apply === undefined) return;
  const loc = task.argLocs.apply ?? task.loc;
  if (!isRecord(apply)) {
    ctx.problems.error(`${label}: 'apply' must be a mapping of keywords`, loc, 'apply: { become: true }');
    return;
  }
  const kw: Keywords = {};
  for (const [k, v] of Object.entries(apply)) {
    if (!applyShared(kw, k, v, loc, ctx.problems)) ctx.problems.error(`${label}: '${k}' cannot be applied to included tasks`, loc, suggest(k, TASK_KEYWORDS) ?? 'apply takes block keywords: become, tags, environment, vars, …');
  }
  task.apply = kw;
}

/** Runs a captured-from-Ansible fixture through a module's check/plan/apply on a temp file. */
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { validateArgs } from '../../../src/modules/argspec.js';
import type { AnyModule, Applied, Plan } from '../../../src/modules/types.js';
import { planInMode } from '../../../src/executor/modePlan.js';
import type { Fixture } from '../../fixtures/modules/capture.js';
import { makeLocalContext, makeTempDir } from '../../helpers/localContext.js';

export interface FixtureOutcome {
  changed: boolean;
  failed: boolean;
  msg: string;
  output: string | null;
  backup: string | undefined;
  plan: Plan | undefined;
  applied: Applied | undefined;
  result: Record<string, unknown>;
}

function substitute(v: unknown, file: string): unknown {
  if (typeof v === 'string') return v.replaceAll('@FILE@', file);
  if (Array.isArray(v)) return v.map((x) => substitute(x, file));
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, substitute(x, file)]));
  return v;
}

export async function runFixture(mod: AnyModule, fx: Pick<Fixture, 'args' | 'input'>, opts: { checkMode?: boolean } = {}): Promise<FixtureOutcome> {
  const dir = await makeTempDir();
  const file = join(dir, 'target.txt');
  try {
    if (fx.input !== null) await fs.writeFile(file, fx.input);
    const ctx = makeLocalContext({ diffMode: true });
    const { args, problems } = validateArgs(mod.args, substitute(fx.args, file) as Record<string, unknown>);
    if (problems.length) throw new Error(problems.map((p) => p.message).join('; '));
    const bad = mod.check?.(args);
    const read = async (): Promise<string | null> => (await ctx.readFile(file))?.toString('utf8') ?? null;
    if (bad) return { changed: false, failed: true, msg: bad.replaceAll(file, '@FILE@'), output: await read(), backup: undefined, plan: undefined, applied: undefined, result: {} };
    const checkMode = opts.checkMode ?? false;
    const plan = await planInMode(mod, ctx, args, checkMode);
    let applied: Applied | undefined;
    if ((plan.kind === 'change' || plan.kind === 'unknown') && !checkMode && mod.apply) applied = await mod.apply(ctx, args, plan.data, plan);
    const result = { ...(plan.kind !== 'skip' ? plan.result : {}), ...applied?.result };
    const failed = plan.kind === 'fail' || applied?.failed === true;
    const msg = applied?.msg ?? (plan.kind === 'fail' ? plan.msg : String(result.msg ?? (plan.kind === 'ok' || plan.kind === 'change' ? plan.msg ?? '' : '')));
    const backupVal = result.backup_file ?? result.backup;
    return {
      changed: plan.kind === 'change' && (applied ? applied.changed !== false && !failed : true),
      failed,
      msg: msg.replaceAll(file, '@FILE@'),
      output: await read(),
      backup: typeof backupVal === 'string' && backupVal !== '' ? backupVal : undefined,
      plan,
      applied,
      result,
    };
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

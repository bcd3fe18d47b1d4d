/** package: the generic module; picks apt, yum or dnf from the host's pkg_mgr fact. */
import { defineModule, type Plan } from '../types.js';
import { argumentFailure, validateArgs } from '../argspec.js';
import { hostFlavor } from '../_lib/hostFlavor.js';
import apt from './apt.js';
import { dnf, yum } from './yum.js';

const args = {
  name: { type: 'list', elements: 'str', required: true },
  state: { type: 'str', default: 'present', choices: ['present', 'absent', 'latest', 'installed', 'removed'] },
  use: { type: 'str', default: 'auto', choices: ['auto', 'apt', 'yum', 'dnf'] },
} as const;

export interface PackagePlanData {
  via: 'apt' | 'yum' | 'dnf';
  args: Record<string, unknown>;
  inner: unknown;
}

const backends = { apt, yum, dnf } as const;

function innerArgs(via: PackagePlanData['via'], name: string[], state: string): Record<string, unknown> {
  if (via === 'apt') return { name, state: state === 'installed' ? 'present' : state === 'removed' ? 'absent' : state };
  return { name, state };
}

export default defineModule<typeof args, PackagePlanData>({
  name: 'package',
  aliases: ['ansible.builtin.package'],
  args,
  async plan(ctx, a): Promise<Plan<PackagePlanData>> {
    const via = a.use !== 'auto' ? a.use : (await hostFlavor(ctx)).pkgMgr;
    if (via === 'unknown') return { kind: 'fail', msg: 'could not detect the package manager (pkg_mgr); set use: apt|yum|dnf' };
    const mod = backends[via];
    const { args: inner, problems } = validateArgs(mod.args, innerArgs(via, a.name, a.state));
    const failure = argumentFailure(problems);
    if (failure !== undefined) return { kind: 'fail', msg: failure };
    const p = await (mod.plan as (c: typeof ctx, x: typeof inner) => Promise<Plan<unknown>>)(ctx, inner);
    if (p.kind === 'change' || p.kind === 'unknown') return { ...p, data: { via, args: inner as Record<string, unknown>, inner: p.data } };
    return p;
  },
  async apply(ctx, _a, data, plan) {
    const mod = backends[data.via];
    const inner = { ...plan, data: data.inner } as Plan<unknown>;
    return (mod.apply as NonNullable<typeof apt.apply> as unknown as (c: typeof ctx, x: unknown, d: unknown, p: Plan<unknown>) => ReturnType<NonNullable<typeof apt.apply>>)(ctx, data.args, data.inner, inner);
  },
});

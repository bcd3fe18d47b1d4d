/** `npm run bench -- …` options: parsed here, without touching the machine (tested). */

export type Tool = 'kelpie' | 'ansible';
export type RunKind = 'apply' | 'rerun' | 'check';

export interface BenchOptions {
  hosts: number[];
  tools: Tool[];
  reps: number;
  json: string | undefined;
  /** Simulated host counts for the controller-only scale run; empty = lab benchmark. */
  scale: number[];
  labName: string;
  /** Only the latency measurements (one fresh 1-host lab), no tool comparison. */
  latencyOnly: boolean;
  /** How many timed starts of `kelpie playbook playbooks/site.yaml --syntax-check` (0: none). */
  startupRuns: number;
  /** Only the startup measurement: no lab, no root needed. */
  startupOnly: boolean;
}

export const MAX_LAB_HOSTS = 50;

function positiveInts(v: string, flag: string): number[] {
  const out = v.split(',').map((s) => s.trim()).filter(Boolean).map(Number);
  if (!out.length || out.some((n) => !Number.isInteger(n) || n < 1)) {
    throw new Error(`${flag} wants a comma-separated list of positive integers, got '${v}'`);
  }
  return out;
}

export function parseBenchArgs(argv: readonly string[]): BenchOptions {
  const o: BenchOptions = { hosts: [1, 10, 50], tools: ['kelpie', 'ansible'], reps: 3, json: undefined, scale: [], labName: 'bench', latencyOnly: false, startupRuns: 15, startupOnly: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const eq = a.indexOf('=');
    const flag = a.startsWith('--') && eq > 0 ? a.slice(0, eq) : a;
    const value = (): string => {
      const v = a.startsWith('--') && eq > 0 ? a.slice(eq + 1) : argv[++i];
      if (v === undefined) throw new Error(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--hosts':
        o.hosts = positiveInts(value(), flag);
        break;
      case '--tools': {
        const ts = value().split(',').map((s) => s.trim()).filter(Boolean);
        for (const t of ts) if (t !== 'kelpie' && t !== 'ansible') throw new Error(`unknown tool '${t}' (kelpie, ansible)`);
        if (!ts.length) throw new Error('--tools needs at least one tool');
        o.tools = [...new Set(ts)] as Tool[];
        break;
      }
      case '--reps':
        o.reps = positiveInts(value(), flag)[0]!;
        break;
      case '--json':
        o.json = value();
        break;
      case '--scale':
        o.scale = positiveInts(value(), flag);
        break;
      case '--lab':
        o.labName = value();
        break;
      case '--latency-only':
        o.latencyOnly = true;
        break;
      case '--startup-runs': {
        const v = value();
        o.startupRuns = v === '0' ? 0 : positiveInts(v, flag)[0]!;
        break;
      }
      case '--startup-only':
        o.startupOnly = true;
        break;
      default:
        throw new Error(`unknown option '${a}' (--hosts, --tools, --reps, --json, --scale, --lab, --latency-only, --startup-runs, --startup-only)`);
    }
  }
  const big = o.hosts.find((n) => n > MAX_LAB_HOSTS);
  if (big !== undefined) throw new Error(`--hosts ${big}: lab runs stop at ${MAX_LAB_HOSTS} hosts; use --scale for more`);
  return o;
}

/** The benchmark's CPU accounting and marginal-latency playbooks: the pure parts. */
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { cpuUse, machineBusyTicks, statTicks, type CpuSnapshot } from '../../bench/lib/cpu.js';
import { marginalPlaybook } from '../../bench/lib/marginal.js';
import { parseBenchArgs } from '../../bench/lib/options.js';
import { renderCpuTable, summarize, type Measurement } from '../../bench/lib/stats.js';

describe('bench CPU accounting', () => {
  it('reads utime+stime and cutime+cstime from /proc/PID/stat, also when comm holds spaces and parentheses', () => {
    const stat = '42 (we (ird) name) S 1 42 42 0 -1 4194560 100 0 0 0 250 50 7 3 20 0 1 0 100 1000 10';
    assert.deepEqual(statTicks(stat), { self: 300, children: 10 });
    assert.equal(statTicks('garbage'), undefined);
  });

  it('counts busy ticks of /proc/stat without idle and iowait', () => {
    assert.equal(machineBusyTicks('cpu  100 5 50 1000 30 1 2 0 0 0\ncpu0 1 2 3\n'), 158);
  });

  it('splits a run into controller, hosts and the rest of the machine', () => {
    const a: CpuSnapshot = { reapedTicks: 1000, extraTicks: 10, hostTicks: 500, machineTicks: 10_000, at: 0 };
    const b: CpuSnapshot = { reapedTicks: 1300, extraTicks: 30, hostTicks: 900, machineTicks: 10_900, at: 5000 };
    const u = cpuUse(a, b, 2);
    assert.equal(u.wall_s, 5);
    assert.equal(u.controller_cpu_s, 3.2);
    assert.equal(u.hosts_cpu_s, 4);
    assert.ok(Math.abs(u.other_cpu_s - 1.8) < 1e-9);
    assert.equal(u.machine_capacity_s, 10);
  });

  it('prints the CPU table from the medians, and nothing when no run was accounted', () => {
    const m = (c: number): Measurement => ({ tool: 'kelpie', hosts: 50, run: 'apply', wall_s: 10, peak_rss_mb: 80, task_host_per_s: 100, controller_cpu_s: c, hosts_cpu_s: 12, other_cpu_s: 2 });
    const t = renderCpuTable(summarize([m(1), m(3), m(2)]), 2);
    assert.match(t, /50\s+kelpie\s+apply\s+10\.00\s+2\.00\s+12\.00\s+2\.00\s+80%/);
    assert.equal(renderCpuTable(summarize([{ tool: 'kelpie', hosts: 1, run: 'apply', wall_s: 1, peak_rss_mb: 1, task_host_per_s: 1 }]), 2), '');
  });
});

describe('bench marginal latency', () => {
  it('writes plays of exactly N tasks, each mix task on a path of its own', () => {
    const mix = parse(marginalPlaybook('mix', 20)) as { tasks: Record<string, unknown>[]; gather_facts: boolean }[];
    assert.equal(mix[0]!.tasks.length, 20);
    assert.equal(mix[0]!.gather_facts, false);
    const modules = mix[0]!.tasks.slice(0, 5).map((t) => Object.keys(t).find((k) => k !== 'name' && k !== 'changed_when'));
    assert.deepEqual(modules, ['file', 'copy', 'lineinfile', 'command', 'stat']);
    // copy and lineinfile must not touch the same file, or every rerun would change both
    const paths = mix[0]!.tasks.slice(0, 5).map((t) => JSON.stringify(t));
    assert.match(paths[1]!, /\/0\/conf"/);
    assert.match(paths[2]!, /\/0\/lines"/);
    assert.equal(parse(marginalPlaybook('cheap', 7))[0].tasks.length, 7);
  });

  it('takes --latency-only', () => {
    assert.equal(parseBenchArgs(['--latency-only']).latencyOnly, true);
    assert.equal(parseBenchArgs([]).latencyOnly, false);
  });
});

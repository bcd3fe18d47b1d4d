/**
 * The marginal cost of one task on one host, measured the honest way: the same playbook
 * shape with a few and with many tasks, rerun (so every task is a no-change check, the common
 * case), timed end to end through the CLI; the difference of the medians divided by the
 * difference in task count is what each additional task-host costs. Process start, connecting
 * and the rest of the fixed cost cancel out.
 *
 * Two shapes: a realistic mix (lineinfile, copy with content, file, command with
 * changed_when: false, stat, each on its own path) and the cheapest task there is (command true).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Lab } from '../../src/lab/index.js';
import { measure } from './measure.js';
import { parseRecap, median } from './stats.js';
import { kelpieCommand } from './tools.js';

export type Shape = 'mix' | 'cheap';

/** One unit of the realistic mix: 5 tasks, all on paths of their own (index i). */
function mixUnit(i: number): string {
  const d = `/var/tmp/kelpie-marginal/${i}`;
  return `
    - name: dir ${i}
      file: { path: ${d}, state: directory, mode: '0755' }
    - name: content ${i}
      copy: { dest: ${d}/conf, content: "setting=${i}\\nother=1\\n", mode: '0644' }
    - name: line ${i}
      lineinfile: { path: ${d}/lines, regexp: '^mode=', line: 'mode=${i}', create: true }
    - name: probe ${i}
      command: cat ${d}/conf
      changed_when: false
    - name: stat ${i}
      stat: { path: ${d}/conf }
`;
}

const cheapTask = (i: number): string => `
    - name: true ${i}
      command: "true"
      changed_when: false
`;

/** A play with `tasks` tasks of one shape (a multiple of 5 for the mix). */
export function marginalPlaybook(shape: Shape, tasks: number): string {
  const body: string[] = [];
  if (shape === 'mix') for (let i = 0; i < tasks / 5; i++) body.push(mixUnit(i));
  else for (let i = 0; i < tasks; i++) body.push(cheapTask(i));
  return `- hosts: all\n  gather_facts: false\n  tasks:${body.join('')}`;
}

export interface Marginal {
  shape: Shape;
  small_tasks: number;
  large_tasks: number;
  small_wall_ms: number[];
  large_wall_ms: number[];
  /** (median large − median small) / (large − small tasks): one more task-host on one host. */
  per_task_ms: number;
}

export interface MarginalOptions {
  small: number;
  large: number;
  reps: number;
  workDir: string;
  log: (s: string) => void;
}

export async function measureMarginal(lab: Lab, shape: Shape, o: MarginalOptions): Promise<Marginal> {
  const host = lab.hosts[0]!.name;
  await mkdir(o.workDir, { recursive: true });
  const books = { small: join(o.workDir, `${shape}-${o.small}.yaml`), large: join(o.workDir, `${shape}-${o.large}.yaml`) };
  await writeFile(books.small, marginalPlaybook(shape, o.small));
  await writeFile(books.large, marginalPlaybook(shape, o.large));
  const once = async (book: string, tasks: number, rerun = true): Promise<number> => {
    const m = await measure(...kelpieCommand(['playbook', book, '-i', lab.inventoryFile, '--limit', host]), {
      cwd: o.workDir,
      env: { ...process.env, CI: 'true' },
    });
    const r = parseRecap(m.stdout);
    // a rerun that changes something would measure writes, not the no-change check
    if (m.rc !== 0 || r.hosts !== 1 || r.results !== tasks || r.failed || (rerun && r.changed)) {
      throw new Error(`marginal ${shape} ${tasks}: rc=${m.rc} results=${r.results} changed=${r.changed}\n${(m.stdout + m.stderr).split('\n').slice(-15).join('\n')}`);
    }
    return m.wall_s * 1000;
  };
  // the first run of each makes its changes; every measured run after it is a rerun
  await once(books.large, o.large, false);
  await once(books.small, o.small);
  const small: number[] = [];
  const large: number[] = [];
  for (let r = 0; r < o.reps; r++) {
    // interleaved, so a burst of load from the other jobs hits both sizes alike
    small.push(await once(books.small, o.small));
    large.push(await once(books.large, o.large));
  }
  const per = (median(large) - median(small)) / (o.large - o.small);
  o.log(`marginal ${shape}: ${o.small} tasks ${median(small).toFixed(0)} ms, ${o.large} tasks ${median(large).toFixed(0)} ms → ${per.toFixed(2)} ms/task`);
  return { shape, small_tasks: o.small, large_tasks: o.large, small_wall_ms: small, large_wall_ms: large, per_task_ms: per };
}

/**
 * Two parity areas built from playbook cases: `modules` (every module kelpie shares with
 * Ansible) and `language` (loops, blocks, handlers, conditionals, precedence …). Each area
 * runs all its cases in one run per mode; goldens are test/parity/golden/<area>/<file>.json.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parityRoot, type CaseOutcome, type ParityArea } from '../area.js';
import { judge, knownGap } from '../verdict.js';
import { ensureAnsible, runAnsible } from './ansible.js';
import { LOCAL_HOST_VARS, planRuns, writeBatch, type Batch, type HostVars } from './batch.js';
import { caseFiles, loadCases, type Mode, type PlaybookCase } from './cases.js';
import { runKelpie } from './kelpie.js';
import { normalize, type Json } from './normalize.js';
import { shareOf, type RunOutcome } from './outcome.js';

type CaseGolden = Partial<Record<Mode, RunOutcome>>;
type FileGolden = Record<string, CaseGolden>;

const goldenDir = (area: string): string => join(parityRoot, 'golden', area);

function corpus(area: string, only?: RegExp): { file: string; c: PlaybookCase }[] {
  const all = caseFiles(area).flatMap((file) => loadCases(area, file).map((c) => ({ file, c })));
  const ids = new Set<string>();
  for (const { c } of all) {
    // case ids are host names in the shared run
    if (ids.has(c.id)) throw new Error(`${c.origin}: case id '${c.id}' is used twice in area ${area}`);
    ids.add(c.id);
  }
  return all.filter(({ file, c }) => !only || only.test(`${file}/${c.id}`));
}

/** Runs every case in every mode it asks for; returns case id → mode → normalized outcome. */
async function runAll(cases: PlaybookCase[], target: Target, run: (b: Batch, m: Mode) => Promise<RunOutcome> | RunOutcome): Promise<Map<string, CaseGolden>> {
  const got = new Map<string, CaseGolden>(cases.map((c) => [c.id, {}]));
  const runGroup = async (group: PlaybookCase[], mode: Mode): Promise<void> => {
    const batch = writeBatch(group, target.hostVars(mode));
    try {
      const outcome = normalize((await run(batch, mode)) as unknown as Json, batch.root) as unknown as RunOutcome;
      // one case the tool refuses at load time must not take the others down: run them alone
      if (outcome.load_error && group.length > 1) {
        for (const c of group) await runGroup([c], mode);
        return;
      }
      for (const c of group) got.get(c.id)![mode] = shareOf(outcome, batch.hostsOf.get(c.id)!);
      // ansible-playbook ends the whole run when every host of a play failed, which with one
      // host per case is any unrescued failure: the cases after it run again, in a new run
      const unrun = group.filter((c) => Object.keys(got.get(c.id)![mode]!.hosts).length === 0);
      if (unrun.length && unrun.length < group.length) await runGroup(unrun, mode);
      // nothing ran at all (a case stops the whole run before any result): each case alone
      else if (unrun.length === group.length && group.length > 1) for (const c of group) await runGroup([c], mode);
    } finally {
      if (!process.env.KELPIE_PARITY_KEEP) rmSync(batch.root, { recursive: true, force: true });
      else console.log(`kept ${batch.root}`);
    }
  };
  for (const mode of ['normal', 'check', 'diff', 'checkdiff'] as Mode[]) {
    for (const group of planRuns(cases.filter((c) => c.modes.includes(mode)))) await runGroup(group, mode);
  }
  return got;
}

function readGolden(area: string, file: string): FileGolden {
  const path = join(goldenDir(area), `${file}.json`);
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as FileGolden) : {};
}

/**
 * Where an area's cases run: how each case's inventory host is reached in each mode. The
 * default is the controller itself (ansible_connection: local, a fresh temp dir per run).
 */
export interface Target {
  hostVars(mode: Mode): HostVars;
}

const localTarget: Target = { hostVars: () => LOCAL_HOST_VARS };

export function playbookArea(name: string, target: Target = localTarget): ParityArea {
  return {
    name,
    async run({ only } = {}): Promise<CaseOutcome[]> {
      const entries = corpus(name, only);
      const got = await runAll(entries.map((e) => e.c), target, async (b, m) => {
        const r = await runKelpie(b, m);
        if (process.env.KELPIE_PARITY_LOG) console.log(r.log);
        return r;
      });
      const goldens = new Map<string, FileGolden>();
      return entries.map(({ file, c }) => {
        if (!goldens.has(file)) goldens.set(file, readGolden(name, file));
        const golden = goldens.get(file)![c.id];
        if (!golden) return { id: c.id, verdict: 'different', detail: `no golden for ${c.origin}: run npm run parity:record -- ${name} --only '${file}/${c.id}$'` };
        // normalizing again lets a new normalization rule apply without re-recording
        const renormalized = Object.fromEntries(Object.entries(golden).map(([mode, o]) => [mode, normalize(o as unknown as Json, '\0')]));
        return judge(c.id, renormalized, got.get(c.id), { ...c, gap: c.gap ?? knownGap(name, c.id) });
      });
    },
    async record({ only } = {}): Promise<void> {
      ensureAnsible();
      const entries = corpus(name, only);
      const got = await runAll(entries.map((e) => e.c), target, runAnsible);
      mkdirSync(goldenDir(name), { recursive: true });
      for (const file of new Set(entries.map((e) => e.file))) {
        const golden = readGolden(name, file);
        for (const { c } of entries.filter((e) => e.file === file)) golden[c.id] = got.get(c.id)!;
        const order = loadCases(name, file).map((c) => c.id);
        const sorted = Object.fromEntries(order.filter((id) => golden[id]).map((id) => [id, golden[id]]));
        writeFileSync(join(goldenDir(name), `${file}.json`), JSON.stringify(sorted, null, 1) + '\n');
      }
      console.log(`parity:record: ${name}: ${entries.length} cases recorded`);
    },
  };
}

export const areas: ParityArea[] = [playbookArea('modules'), playbookArea('language')];

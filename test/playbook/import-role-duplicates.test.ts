import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadPlaybook, type Node } from '../../src/playbook/index.js';
import { problemsOf, withStandInModules } from './helpers.js';

// Ansible 2.14's answers: test/parity/golden/language/roles-duplicates.json
describe('import_role allow_duplicates (as Ansible 2.14)', () => {
  before(withStandInModules);
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kelpie-dup-'));
    await mkdir(join(dir, 'roles', 'r', 'tasks'), { recursive: true });
    await writeFile(join(dir, 'roles', 'r', 'tasks', 'main.yml'), '- debug: {msg: in r}\n');
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  /** Loads a one-play playbook and returns how many tasks each top-level block (roles, imports) holds. */
  async function taskCounts(play: string, meta?: string): Promise<number[]> {
    if (meta !== undefined) {
      await mkdir(join(dir, 'roles', 'r', 'meta'), { recursive: true });
      await writeFile(join(dir, 'roles', 'r', 'meta', 'main.yml'), meta);
    }
    await writeFile(join(dir, 'site.yml'), `- hosts: all\n  gather_facts: false\n${play}`);
    const nodes: Node[] = (await loadPlaybook(join(dir, 'site.yml'))).plays[0]!.tasks;
    return nodes.map((n) => (n.kind === 'block' ? n.block.length : -1));
  }

  it('false: the second import of the same role runs nothing', async () => {
    assert.deepEqual(await taskCounts('  tasks:\n    - import_role: {name: r, allow_duplicates: false}\n    - import_role: {name: r, allow_duplicates: false}\n'), [1, 0]);
  });

  it('left out: true, even when meta/main.yml says false', async () => {
    assert.deepEqual(await taskCounts('  tasks:\n    - import_role: {name: r}\n    - import_role: {name: r}\n', 'allow_duplicates: false\n'), [1, 1]);
  });

  it("the import's false wins over meta/main.yml's true", async () => {
    assert.deepEqual(await taskCounts('  tasks:\n    - import_role: {name: r, allow_duplicates: false}\n    - import_role: {name: r, allow_duplicates: false}\n', 'allow_duplicates: true\n'), [1, 0]);
  });

  it("the play's last import decides for every import of the role", async () => {
    assert.deepEqual(await taskCounts('  tasks:\n    - import_role: {name: r, allow_duplicates: true}\n    - import_role: {name: r, allow_duplicates: false}\n'), [1, 0]);
    assert.deepEqual(await taskCounts('  tasks:\n    - import_role: {name: r, allow_duplicates: false}\n    - import_role: {name: r, allow_duplicates: true}\n'), [1, 1]);
  });

  it("a roles: entry is not shared with an import, nor are imports with other vars", async () => {
    assert.deepEqual(await taskCounts('  roles: [r]\n  tasks:\n    - import_role: {name: r, allow_duplicates: false}\n'), [1, 1]);
    assert.deepEqual(await taskCounts('  tasks:\n    - import_role: {name: r, allow_duplicates: false}\n      vars: {v: 1}\n    - import_role: {name: r, allow_duplicates: false}\n      vars: {v: 2}\n'), [1, 1]);
  });

  it("a template is rendered with the play's vars while loading", async () => {
    assert.deepEqual(await taskCounts('  vars: {dup: false}\n  tasks:\n    - import_role: {name: r, allow_duplicates: "{{ dup }}"}\n    - import_role: {name: r, allow_duplicates: "{{ dup }}"}\n'), [1, 0]);
  });

  it('a template naming a variable the play does not have is a located error (host vars do not exist yet)', async () => {
    await writeFile(join(dir, 'site.yml'), '- hosts: all\n  tasks:\n    - import_role: {name: r, allow_duplicates: "{{ hv }}"}\n');
    const problems = await problemsOf(loadPlaybook(join(dir, 'site.yml')));
    assert.equal(problems.length, 1);
    assert.match(problems[0]!, /site\.yml:3:30: .*allow_duplicates '\{\{ hv \}\}': .*hv/);
  });

  it('a value that is not a boolean is a located error', async () => {
    await writeFile(join(dir, 'site.yml'), '- hosts: all\n  tasks:\n    - import_role: {name: r, allow_duplicates: maybe}\n');
    const problems = await problemsOf(loadPlaybook(join(dir, 'site.yml')));
    assert.equal(problems.length, 1);
    assert.match(problems[0]!, /site\.yml:3:30: .*allow_duplicates must be true or false, not "maybe"/);
  });
});

/** The live view's `task N/M`: what a play will start, counted from its structure before it runs. */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { countPlayTasks } from '../../src/executor/taskCount.js';
import { loadPlaybook } from '../../src/playbook/index.js';

async function playOf(yaml: string, files: Record<string, string> = {}): Promise<Parameters<typeof countPlayTasks>[0]> {
  const dir = mkdtempSync(join(tmpdir(), 'kelpie-count-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  writeFileSync(join(dir, 'pb.yml'), yaml);
  return (await loadPlaybook(join(dir, 'pb.yml'))).plays[0]!;
}

describe('task count of a play', () => {
  it('counts tasks, blocks and their always, static imports; not meta, not rescue', async () => {
    const play = await playOf(
      `- hosts: all
  pre_tasks:
    - debug: {msg: pre}
  tasks:
    - command: "true"
    - block:
        - command: "true"
        - command: "true"
      rescue:
        - debug: {msg: only when something failed}
      always:
        - debug: {msg: always}
    - meta: flush_handlers
    - import_tasks: two.yml
  post_tasks:
    - debug: {msg: post}
`,
      { 'two.yml': '- command: "true"\n- command: "true"\n' },
    );
    assert.deepEqual(countPlayTasks(play, { gathers: true }), { total: 1 + 1 + 1 + 2 + 1 + 2 + 1 });
    assert.deepEqual(countPlayTasks(play, { gathers: false }), { total: 8 });
  });

  it('follows --tags and --skip-tags, with the play tags inherited', async () => {
    const play = await playOf(`- hosts: all
  tags: [web]
  tasks:
    - {command: "true", tags: [pkg]}
    - {command: "true", tags: [conf]}
    - {command: "true", tags: [always]}
    - {command: "true", tags: [never, debug]}
`);
    assert.equal(countPlayTasks(play, { gathers: false, tags: ['pkg'] }).total, 2);
    // the play's tag selects all four, the never-tagged one too (the executor's rule, tags.ts)
    assert.equal(countPlayTasks(play, { gathers: false, tags: ['web'] }).total, 4);
    assert.equal(countPlayTasks(play, { gathers: false }).total, 3);
    assert.equal(countPlayTasks(play, { gathers: false, skipTags: ['conf'] }).total, 2);
  });

  it('is approximate, and says why, with dynamic includes or --start-at-task', async () => {
    const play = await playOf(
      `- hosts: all
  tasks:
    - command: "true"
    - include_tasks: more.yml
    - name: here
      command: "true"
    - command: "true"
`,
      { 'more.yml': '- command: "true"\n' },
    );
    assert.deepEqual(countPlayTasks(play, { gathers: false }), { total: 3, approximate: 'includes' });
    assert.deepEqual(countPlayTasks(play, { gathers: false, startAtTask: 'here' }), { total: 2, approximate: 'includes, --start-at-task' });
  });
});

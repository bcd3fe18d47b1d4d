import assert from 'node:assert/strict';
import { loadPlaybook, loadTaskFile, type BlockNode, type TaskNode } from '../../src/playbook/index.js';
import { fixture, problemsOf, withStandInModules } from './helpers.js';

describe('import_tasks, include_tasks and import_playbook', () => {
  before(withStandInModules);

  it('expands import_tasks into a block carrying the import keywords, positions in the imported file', async () => {
    const play = (await loadPlaybook(fixture('imports', 'main.yaml'))).plays[0]!;
    const imp = play.tasks[0] as BlockNode;
    assert.equal(imp.kind, 'block');
    assert.equal(imp.name, 'static');
    assert.deepEqual(imp.when, ['ready']);
    assert.deepEqual(imp.tags, ['setup']);
    assert.deepEqual(imp.vars, { x: 1 });
    assert.deepEqual(imp.loc, { file: fixture('imports', 'main.yaml'), line: 3, col: 7 });
    const inner = imp.block[0] as TaskNode;
    assert.equal(inner.name, 'inner');
    assert.deepEqual(inner.loc, { file: fixture('imports', 'tasks', 'setup.yaml'), line: 1, col: 3 });
    assert.equal(inner.file, fixture('imports', 'tasks', 'setup.yaml'));
    // nested import resolved relative to the importing file's directory
    const nested = (imp.block[1] as BlockNode).block[0] as TaskNode;
    assert.deepEqual(nested.loc, { file: fixture('imports', 'tasks', 'nested.yaml'), line: 2, col: 3 });
    assert.deepEqual(nested.args, { msg: 'nested' });
  });

  it('keeps include_tasks as a dynamic task with its file argument', async () => {
    const play = (await loadPlaybook(fixture('imports', 'main.yaml'))).plays[0]!;
    const inc = play.tasks[1] as TaskNode;
    assert.equal(inc.kind, 'task');
    assert.equal(inc.action, 'include_tasks');
    assert.deepEqual(inc.args, { file: 'tasks/setup.yaml' });
    assert.deepEqual((play.tasks[2] as TaskNode).args, { file: '{{ which }}.yaml' });
  });

  it('loadTaskFile loads an included file and folds the include keywords into it', async () => {
    const nodes = await loadTaskFile(fixture('imports', 'tasks', 'setup.yaml'), { inherited: { when: ['go'], tags: ['t'] } });
    assert.equal(nodes.length, 2);
    assert.deepEqual(nodes[0]!.when, ['go']);
    assert.deepEqual(nodes[0]!.tags, ['t']);
    assert.equal((nodes[0] as TaskNode).action, 'command');
  });

  it('reports problems inside imported files at their own positions, and missing files', async () => {
    assert.deepEqual(await problemsOf(loadPlaybook(fixture('imports', 'bad_import.yaml'))), [
      "imports/bad_import.yaml:4:21: task 'import_tasks': file 'tasks/absent.yaml' not found (looked in imports/tasks/absent.yaml)",
      "imports/bad_import.yaml:5:7: unknown module 'lineinfle' (did you mean 'lineinfile'?)",
      "imports/tasks/typo.yaml:2:3: unknown keyword 'whn' (did you mean 'when'?)",
    ]);
  });

  it('detects recursive imports', async () => {
    const [line, ...more] = await problemsOf(loadPlaybook(fixture('imports', 'recursive.yaml')));
    assert.equal(more.length, 0);
    assert.match(line!, /^imports\/tasks\/loop_b\.yaml:2:17: .*recursive import of '.*loop_a\.yaml'/);
  });

  it('expands import_playbook in place, applying its when, tags and vars', async () => {
    const pb = await loadPlaybook(fixture('imports', 'site.yaml'));
    assert.deepEqual(pb.plays.map((p) => p.name), ['first', 'second']);
    const second = pb.plays[1]!;
    assert.deepEqual(second.when, ['do_it']);
    assert.deepEqual(second.tags, ['x']);
    assert.deepEqual(second.vars, { a: 1, b: 2 });
    assert.equal(second.file, fixture('imports', 'other.yaml'));
    assert.equal((second.tasks[0] as TaskNode).loc.file, fixture('imports', 'other.yaml'));
  });
});

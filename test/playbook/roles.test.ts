import assert from 'node:assert/strict';
import { loadPlaybook, loadRole, type BlockNode, type Node, type TaskNode } from '../../src/playbook/index.js';
import { fixture, problemsOf, withStandInModules } from './helpers.js';

function names(nodes: Node[]): string[] {
  return nodes.flatMap((n) => (n.kind === 'task' ? [n.name ?? n.action] : [`[${n.role?.name ?? 'block'}]`, ...names(n.block)]));
}

describe('roles', () => {
  before(withStandInModules);

  it('puts role tasks (dependencies first, deduplicated) after pre_tasks and before the play tasks', async () => {
    const play = (await loadPlaybook(fixture('roles', 'site.yaml'))).plays[0]!;
    assert.deepEqual(names(play.preTasks), ['debug']);
    assert.deepEqual(names(play.tasks), [
      '[web]', '[common]', 'common task', '[ssl]', 'ssl task', 'web task',
      // `- role: common` again with the same parameters: skipped, as in Ansible
      '[ssl]', 'ssl task', // different parameters: runs again
      'debug',
      '[common]', 'common extra', // import_role with tasks_from
    ]);
  });

  it('loads defaults, vars and parameters into the RoleRef set on every node', async () => {
    const play = (await loadPlaybook(fixture('roles', 'site.yaml'))).plays[0]!;
    const web = play.tasks[0] as BlockNode;
    assert.equal(web.role?.name, 'web');
    assert.deepEqual(web.role?.defaults, { port: 80, enabled: true });
    assert.deepEqual(web.role?.vars, { user: 'www' });
    const webTask = web.block[2] as TaskNode;
    assert.equal(webTask.role?.name, 'web');
    assert.equal(webTask.file, fixture('roles', 'roles', 'web', 'tasks', 'main.yml'));
    const sslDep = web.block[1] as BlockNode;
    assert.deepEqual(sslDep.role?.params, { cert: 'a' });
    assert.deepEqual(sslDep.role?.defaults, { cert: 'none' });
    const ssl = play.tasks[1] as BlockNode;
    assert.deepEqual(ssl.role?.params, { cert: 'b' });
    assert.deepEqual(ssl.when, ['use_ssl']);
    assert.deepEqual(ssl.tags, ['tls']);
    const imported = play.tasks[3] as BlockNode;
    assert.deepEqual(imported.when, ['again']);
    assert.equal(imported.role?.name, 'common');
  });

  it('appends role handlers after the play handlers, blocks flattened', async () => {
    const play = (await loadPlaybook(fixture('roles', 'site.yaml'))).plays[0]!;
    assert.deepEqual(play.handlers.map((h) => h.name), ['play handler', 'restart web', 'reload web']);
    assert.equal(play.handlers[1]!.role?.name, 'web');
    assert.deepEqual(play.handlers[2]!.when, ['can_reload']);
  });

  it('gives a role task expanded twice a distinct id', async () => {
    const play = (await loadPlaybook(fixture('roles', 'site.yaml'))).plays[0]!;
    const a = ((play.tasks[0] as BlockNode).block[1] as BlockNode).block[0]!;
    const b = (play.tasks[1] as BlockNode).block[0]!;
    assert.equal(a.loc.line, b.loc.line);
    assert.notEqual(a.id, b.id);
  });

  it('reports a missing role with did-you-mean and the searched paths; finds roles on rolesPath', async () => {
    const [line, ...rest] = await problemsOf(loadPlaybook(fixture('roles', 'missing.yaml')));
    assert.equal(rest.length, 1); // `extra` is only on rolesPath
    assert.match(line!, /^roles\/missing\.yaml:3:7: role 'wbe' not found \(did you mean 'web'\? searched .*roles\/roles, /);
    await assert.rejects(loadPlaybook(fixture('roles', 'missing.yaml'), { rolesPath: [fixture('roles', 'extra_roles')] }), (e: Error) => {
      assert.doesNotMatch((e as unknown as { format(): string }).format(), /'extra'/);
      return true;
    });
  });

  it('reports a dependency cycle', async () => {
    const lines = await problemsOf(loadPlaybook(fixture('roles', 'cycle.yaml')));
    assert.equal(lines.length, 1);
    assert.match(lines[0]!, /role 'loopy' depends on itself/);
  });

  it('loadRole loads a role for include_role, with tasks_from', async () => {
    const r = await loadRole('web', fixture('roles'));
    assert.equal(r.role.name, 'web');
    assert.deepEqual(names(r.tasks), ['[common]', 'common task', '[ssl]', 'ssl task', 'web task']);
    assert.deepEqual(r.handlers.map((h) => h.name), ['restart web', 'reload web']);
    const extra = await loadRole('common', fixture('roles'), {}, { tasksFrom: 'extra' });
    assert.deepEqual(names(extra.tasks), ['common extra']);
  });
});

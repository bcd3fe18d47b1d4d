import assert from 'node:assert/strict';
import { loadPlaybook, type BlockNode, type Node, type TaskNode } from '../../src/playbook/index.js';
import { fixture, problemsOf, withStandInModules } from './helpers.js';

function task(n: Node | undefined): TaskNode {
  assert.equal(n?.kind, 'task');
  return n as TaskNode;
}

describe('loadPlaybook: a valid playbook', () => {
  before(withStandInModules);

  it('reads play keywords and YAML 1.1 values the way Ansible does', async () => {
    const pb = await loadPlaybook(fixture('basic.yaml'));
    const play = pb.plays[0]!;
    assert.equal(play.name, 'basic play');
    assert.equal(play.hosts, 'web');
    assert.equal(play.become, true); // yes
    assert.equal(play.gatherFacts, false); // no
    assert.deepEqual(play.vars, { flag: true, plain_n: 'n', mode: 0o644, day: '2024-01-02' });
    assert.equal(play.loc.line, 1);
    assert.equal(play.loc.col, 3);
  });

  it('splits free-form command text and keeps positions of every key', async () => {
    const t = task((await loadPlaybook(fixture('basic.yaml'))).plays[0]!.tasks[0]);
    assert.equal(t.action, 'command');
    assert.deepEqual(t.args, { _raw_params: 'ls -l', chdir: '/tmp' });
    assert.deepEqual(t.loc, { file: fixture('basic.yaml'), line: 11, col: 7 });
    assert.deepEqual(t.argLocs.chdir, { file: fixture('basic.yaml'), line: 12, col: 22 });
    assert.equal(t.keyLocs.name?.line, 11);
  });

  it('parses k=v arguments with quotes, and mapping arguments with keywords', async () => {
    const tasks = (await loadPlaybook(fixture('basic.yaml'))).plays[0]!.tasks;
    assert.deepEqual(task(tasks[1]).args, { src: 'a.txt', dest: '/etc/b c.txt' });
    const t = task(tasks[2]);
    assert.deepEqual(t.args, { path: '/etc/hosts', line: '127.0.0.1 x' });
    assert.deepEqual(t.argLocs.line, { file: fixture('basic.yaml'), line: 18, col: 9 });
    assert.deepEqual(t.when, ['flag']);
    assert.deepEqual(t.tags, ['a', 'b']);
    assert.deepEqual(t.notify, ['restart']);
    assert.equal(t.register, 'out');
  });

  it('turns with_items and loop_control into a LoopSpec', async () => {
    const t = task((await loadPlaybook(fixture('basic.yaml'))).plays[0]!.tasks[3]);
    assert.deepEqual(t.loop, { kind: 'with_items', value: [1, 2], loopVar: 'it', indexVar: 'i', label: '{{ it }}' });
    assert.deepEqual(t.args, { msg: '{{ item }}' });
  });

  it('supports action: and local_action:', async () => {
    const tasks = (await loadPlaybook(fixture('basic.yaml'))).plays[0]!.tasks;
    const legacy = task(tasks[4]);
    assert.equal(legacy.action, 'copy');
    assert.deepEqual(legacy.args, { src: 'x', dest: 'y' });
    const local = task(tasks[5]);
    assert.equal(local.action, 'command');
    assert.equal(local.delegateTo, 'localhost');
    assert.deepEqual(local.args, { _raw_params: 'echo hi' });
  });

  it('keeps block keywords on the BlockNode and parses rescue/always', async () => {
    const b = (await loadPlaybook(fixture('basic.yaml'))).plays[0]!.tasks[6] as BlockNode;
    assert.equal(b.kind, 'block');
    assert.equal(b.name, 'a block');
    assert.deepEqual(b.when, ['a', 'b']);
    assert.equal(b.becomeUser, 'root');
    assert.deepEqual(task(b.block[0]).args, { var: 'x' });
    assert.deepEqual(task(b.rescue[0]).args, { _raw_params: 'flush_handlers' });
    const sh = task(b.always[0]);
    // the text keeps its final newline, as Ansible's join_args does
    assert.deepEqual(sh.args, { _raw_params: 'echo a=b\necho done\n', chdir: '/srv' });
  });

  it('resolves ansible.builtin names, merges args: under inline arguments, reads loop:', async () => {
    const t = task((await loadPlaybook(fixture('basic.yaml'))).plays[0]!.tasks[7]);
    assert.equal(t.action, 'copy');
    assert.equal(t.actionAs, 'ansible.builtin.copy');
    assert.deepEqual(t.args, { content: 'hi', dest: '/tmp/x', mode: '0600' });
    assert.deepEqual(t.loop, { kind: 'loop', value: '{{ files }}', loopVar: 'item' });
  });

  it('reads handlers with listen', async () => {
    const h = (await loadPlaybook(fixture('basic.yaml'))).plays[0]!.handlers;
    assert.equal(h.length, 1);
    assert.equal(h[0]!.name, 'restart');
    assert.deepEqual(h[0]!.listen, ['web restart']);
  });

  it('gives every node a unique id', async () => {
    const ids: string[] = [];
    const walk = (ns: Node[]): void => {
      for (const n of ns) {
        ids.push(n.id);
        if (n.kind === 'block') walk([...n.block, ...n.rescue, ...n.always]);
      }
    };
    const play = (await loadPlaybook(fixture('basic.yaml'))).plays[0]!;
    walk([...play.tasks, ...play.handlers]);
    assert.equal(new Set(ids).size, ids.length);
  });
});

describe('loadPlaybook: problems, each at its file:line:col', () => {
  before(withStandInModules);

  it('reports every mistake of a playbook at once, sorted by position', async () => {
    assert.deepEqual(await problemsOf(loadPlaybook(fixture('errors.yaml'))), [
      "errors.yaml:4:7: task 'typo module': unknown module 'lineinfle' (did you mean 'lineinfile'?)",
      "errors.yaml:8:9: task 'typo arg': unknown argument 'dset' (did you mean 'dest'?)",
      "errors.yaml:11:7: task 'typo keyword': unknown keyword 'whn' (did you mean 'when'?)",
      "errors.yaml:14:7: task 'two modules': a task has one module, this one has 'copy' and 'file' (split it into two tasks)",
      "errors.yaml:16:19: task 'free form typo': unknown argument 'dset' (did you mean 'dest'?)",
      "errors.yaml:17:7: unknown keyword 'regster' (did you mean 'register'?)",
      "errors.yaml:22:7: task 'loop control typo': unknown keyword 'loop_contol' (did you mean 'loop_control'?)",
      // Ansible's "couldn't resolve module/action 'pamd'", not a keyword two letters from 'name'
      "errors.yaml:24:7: task 'a module only a collection has': unknown module 'pamd'",
      "errors.yaml:25:3: play 'no hosts here' has no 'hosts' (add `hosts: all` or a group/host pattern)",
      "errors.yaml:26:3: unknown play keyword 'taks' (did you mean 'tasks'?)",
    ]);
  });

  it('points a YAML syntax error at the unclosed quote', async () => {
    assert.deepEqual(await problemsOf(loadPlaybook(fixture('syntax.yaml'))), [
      'syntax.yaml:4:14: YAML syntax error: Missing closing "quote (the quoted string starting here is never closed)',
    ]);
  });

  it('reports bad indentation as a syntax error at its line', async () => {
    const [line] = await problemsOf(loadPlaybook(fixture('indent.yaml')));
    assert.match(line!, /^indent\.yaml:5:1: YAML syntax error: /);
  });

  it('flags duplicate keys', async () => {
    assert.deepEqual(await problemsOf(loadPlaybook(fixture('duplicate.yaml'))), [
      "duplicate.yaml:4:7: duplicate key 'name' (each key may appear once per mapping)",
    ]);
  });

  it('explains mis-indented arguments, blocks that loop, static imports that loop, play-level when', async () => {
    assert.deepEqual(await problemsOf(loadPlaybook(fixture('misc.yaml'))), [
      "misc.yaml:2:3: a play cannot have 'when' (put the condition on a block or the tasks, or on import_playbook)",
      "misc.yaml:3:13: unknown strategy 'lineer' (did you mean 'linear'?)",
      "misc.yaml:9:7: task 'mis-indented': 'dest' is not a task keyword (it is an argument of 'copy': indent it under 'copy:')",
      "misc.yaml:10:7: a task must be a mapping of keywords, got 'just a string' (e.g. `- name: say hi` followed by `debug: msg=hi`)",
      "misc.yaml:14:7: a block cannot loop ('loop') (move the tasks to a file and loop over include_tasks)",
      "misc.yaml:17:7: task 'import loop': 'loop' cannot be used with import_tasks (import_tasks is static; use include_tasks instead)",
      "misc.yaml:19:13: task 'bad meta': unknown meta action 'flush' (one of flush_handlers, refresh_inventory, noop, clear_facts, clear_host_errors, end_play, end_host, end_batch, reset_connection, role_complete)",
      "misc.yaml:21:13: task 'free text on copy': 'copy' takes key=value arguments, got 'hello there' (write the arguments as a mapping, or as key=value pairs)",
      "misc.yaml:23:7: task 'old include': 'include' was removed from Ansible; use include_tasks (dynamic) or import_tasks (static)",
      "misc.yaml:27:9: 'when' must be an expression or a list of expressions, got a mapping (did you mean to quote it? a `key: value` inside a condition makes YAML read a mapping)",
    ]);
  });

  it('reports a missing playbook file as a ConfigError', async () => {
    const [line] = await problemsOf(loadPlaybook(fixture('nope.yaml')));
    assert.match(line!, /nope\.yaml: file not found/);
  });
});

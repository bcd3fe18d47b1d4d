# Records every task result per host as the playbook sees it when registered (the strategy
# registers the raw result minus _ansible_* keys and invocation), plus the recap.
# Callbacks only receive TaskResult.clean_copy(), which drops `failed`/`skipped`, so the
# recorder keeps a reference to the raw result when the copy is made.
# Written for kelpie's parity suite: the JSON lands in $KELPIE_PARITY_OUT when the run ends.
from __future__ import annotations

import copy
import json
import os

from ansible.executor.task_result import TaskResult
from ansible.plugins.callback import CallbackBase
from ansible.vars.clean import module_response_deepcopy, strip_internal_keys

_clean_copy = TaskResult.clean_copy


def _clean_copy_keeping_raw(self):
    clean = _clean_copy(self)
    clean._parity_raw = module_response_deepcopy(self._result)
    return clean


TaskResult.clean_copy = _clean_copy_keeping_raw

DOCUMENTATION = '''
    name: parity_recorder
    type: aggregate
    short_description: writes per-host task results and the recap as JSON for kelpie's parity suite
    description: see test/parity/README.md in kelpie
    requirements: [KELPIE_PARITY_OUT set to the output file]
'''


def _drop_invocation(value):
    # registered results have none at top level, loop items keep theirs: kelpie reproduces
    # neither (docs/deviations.md: invocation)
    if isinstance(value, dict):
        value.pop('invocation', None)
        for v in value.values():
            _drop_invocation(v)
    elif isinstance(value, list):
        for v in value:
            _drop_invocation(v)


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = 'aggregate'
    CALLBACK_NAME = 'parity_recorder'
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self):
        super().__init__()
        self.hosts = {}

    def _plain(self, value):
        # AnsibleUnsafeText and friends become plain JSON values
        return json.loads(json.dumps(value, default=str))

    def _add(self, result, status, ignored=False):
        raw = getattr(result, '_parity_raw', None)
        if raw is None or 'censored' in result._result:
            raw = result._result  # no_log: what Ansible shows is the censored copy
        res = strip_internal_keys(copy.deepcopy(raw))
        _drop_invocation(res)
        event = {'task': result._task.get_name(), 'status': status, 'result': self._plain(res)}
        if ignored:
            event['ignored'] = True
        self.hosts.setdefault(result._host.get_name(), []).append(event)

    def v2_runner_on_ok(self, result):
        self._add(result, 'changed' if result._result.get('changed') else 'ok')

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._add(result, 'failed', ignored=ignore_errors)

    def v2_runner_on_skipped(self, result):
        self._add(result, 'skipped')

    def v2_runner_on_unreachable(self, result):
        self._add(result, 'unreachable')

    def v2_playbook_on_stats(self, stats):
        recap = {}
        for host in sorted(stats.processed.keys()):
            s = stats.summarize(host)
            recap[host] = {
                'ok': s['ok'], 'changed': s['changed'], 'unreachable': s['unreachable'],
                'failed': s['failures'], 'skipped': s['skipped'], 'rescued': s['rescued'], 'ignored': s['ignored'],
            }
        with open(os.environ['KELPIE_PARITY_OUT'], 'w') as f:
            json.dump({'hosts': self.hosts, 'recap': recap}, f, indent=1, sort_keys=True)

"""A stdout callback for recording goldens: every task's result per host, as one JSON document.

ansible-core 2.14 ships no json callback (that is in ansible.posix), so the recorders use this.
"""
import json

from ansible.plugins.callback import CallbackBase


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = 'stdout'
    CALLBACK_NAME = 'golden'

    def __init__(self):
        super().__init__()
        self.tasks = []

    def _task(self, task):
        if not self.tasks or self.tasks[-1]['_uuid'] != task._uuid:
            self.tasks.append({'_uuid': task._uuid, 'name': task.get_name(), 'named': bool(task.name), 'hosts': {}})
        return self.tasks[-1]

    def _record(self, result, status):
        self._task(result._task)['hosts'][result._host.get_name()] = dict(result._result, status=status)

    def v2_runner_on_ok(self, result):
        self._record(result, 'ok')

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._record(result, 'failed')

    def v2_runner_on_skipped(self, result):
        self._record(result, 'skipped')

    def v2_runner_on_unreachable(self, result):
        self._record(result, 'unreachable')

    def v2_playbook_on_stats(self, stats):
        for t in self.tasks:
            del t['_uuid']
        print(json.dumps({'tasks': self.tasks}, default=str, ensure_ascii=False))

# Recorder for kelpie's Jinja parity corpus (test/parity/jinja/record.ts loads it).
# For every task named after a case it keeps what Ansible produced: the templated value
# with its Python type, the rendered file of a template task, or the failure message.
# Written to the JSON file named by KELPIE_RECORD_OUT when the playbook ends.
import json
import math
import os
from collections.abc import Mapping

from ansible.plugins.callback import CallbackBase


def py_type(v):
    if v is None:
        return 'NoneType'
    for t in (bool, int, float, str, tuple, list):
        if isinstance(v, t):
            return t.__name__
    if isinstance(v, Mapping):
        return 'dict'
    return type(v).__name__


def plain(v):
    """JSON-safe copy: tuples become lists, keys become str, non-finite floats strings."""
    if isinstance(v, Mapping):
        return {str(k): plain(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [plain(x) for x in v]
    if isinstance(v, float) and not math.isfinite(v):
        return repr(v)
    if isinstance(v, (bool, int, float, str)) or v is None:
        return v
    return str(v)


def exception_message(traceback):
    """The final exception's `Class: message`, all its lines (PyYAML's span four), without the frames."""
    lines = traceback.strip().splitlines()
    starts = [i for i, line in enumerate(lines) if line.startswith('Traceback (most recent call last)')]
    if starts:
        # frames are indented; the message starts at the first line that is not
        for i in range(starts[-1] + 1, len(lines)):
            if not lines[i].startswith(' '):
                return '\n'.join(lines[i:])
    return lines[-1]


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = 'aggregate'
    CALLBACK_NAME = 'kelpie_record'
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self):
        super(CallbackModule, self).__init__()
        self.results = {}

    def v2_runner_on_ok(self, result):
        name = result._task.get_name()
        r = result._result
        if name.startswith('file:'):
            with open(r['dest'], encoding='utf-8') as f:
                self.results[name] = {'value': f.read(), 'type': 'str'}
            return
        msg = r.get('msg')
        if name.startswith('expr:'):
            value, jtype = msg[0], msg[1]
            self.results[name] = {'value': plain(value), 'type': py_type(value), 'jtype': jtype}
        else:
            self.results[name] = {'value': plain(msg), 'type': py_type(msg)}

    def v2_runner_on_failed(self, result, ignore_errors=False):
        r = result._result
        out = {'error': str(r.get('msg', ''))}
        exc = r.get('exception')
        if exc:
            out['exception'] = exception_message(str(exc))
        self.results[result._task.get_name()] = out

    def v2_playbook_on_stats(self, stats):
        with open(os.environ['KELPIE_RECORD_OUT'], 'w', encoding='utf-8') as f:
            json.dump(self.results, f, ensure_ascii=False)

#!/usr/bin/env python3
"""Stand-in for Xen's `xl` and `xm` on lab hosts (no hypervisor here); see README-xen.md.

Installed as /usr/local/sbin/xl and /usr/local/sbin/xm, dispatches on its name. Replays the
column layouts of `xl list` / `xm list` / `xl uptime` (the same layouts as the fixtures in
test/fixtures/facts/xen), keeps domains in a JSON state file, supports `vcpu-set`, and
appends every changing call (vcpu-set) to the stand-ins' shared calls.log (one JSON
array a line); reads write nothing, so check mode leaves a replayed host unchanged.
"""
import json, os, sys

D = os.environ.get('KELPIE_STANDIN_DIR', '/var/lib/kelpie-standin')
STATE = os.path.join(D, 'xen.json')
CALLS = os.path.join(D, 'calls.log')
# Chosen so the accounting gives Domain-0 7.70%, demo 0.06%, lenny32 2.07%, unstable 0.30%
# of one CPU (cpu seconds / uptime seconds), the numbers of the seed's sample output.
INITIAL = [
    {'name': 'Domain-0', 'id': 0, 'mem': 2048, 'vcpus': 4, 'max': 8, 'state': 'r-----', 'cpu': 7503.3, 'uptime': 97445},
    {'name': 'demo', 'id': 1, 'mem': 256, 'vcpus': 1, 'max': 4, 'state': '-b----', 'cpu': 622.1, 'uptime': 1036800},
    {'name': 'lenny32', 'id': 3, 'mem': 512, 'vcpus': 1, 'max': 4, 'state': '-b----', 'cpu': 21463.0, 'uptime': 1036862},
    {'name': 'unstable', 'id': 4, 'mem': 512, 'vcpus': 1, 'max': 4, 'state': '-b----', 'cpu': 2592.0, 'uptime': 864000},
]


def load():
    try:
        with open(STATE) as f:
            return json.load(f)
    except FileNotFoundError:
        return [dict(d) for d in INITIAL]


def store(doms):
    os.makedirs(D, exist_ok=True)
    with open(STATE + '.tmp', 'w') as f:
        json.dump(doms, f)
    os.replace(STATE + '.tmp', STATE)


def uptime(secs):
    days, rest = divmod(int(secs), 86400)
    h, rest = divmod(rest, 3600)
    m, s = divmod(rest, 60)
    clock = '%2d:%02d:%02d' % (h, m, s)
    return ('%2d day%s, %s' % (days, '' if days == 1 else 's', clock)) if days else clock


def pick(doms, names, tool):
    if not names:
        return doms
    out = []
    for n in names:
        d = next((x for x in doms if x['name'] == n or str(x['id']) == n), None)
        if d is None:
            sys.stderr.write("Error: Domain '%s' does not exist.\n" % n if tool == 'xm' else "%s is an invalid domain identifier (rc=-6)\n" % n)
            sys.exit(1)
        out.append(d)
    return out


def record(tool, argv):
    os.makedirs(D, exist_ok=True)
    with open(CALLS, 'a') as f:
        f.write(json.dumps([tool] + argv) + '\n')


def main(tool, argv):
    doms = load()
    cmd = argv[0] if argv else 'help'
    if cmd == 'list':
        sel = pick(doms, [a for a in argv[1:] if not a.startswith('-')], tool)
        if tool == 'xl':
            print('Name                                        ID   Mem VCPUs\tState\tTime(s)')
            for d in sel:
                print('%-40s %5d %5d %5d     %s  %8.1f' % (d['name'], d['id'], d['mem'], d['vcpus'], d['state'], d['cpu']))
        else:
            print('Name                                        ID   Mem VCPUs      State   Time(s)')
            for d in sel:
                print('%-40s %5d %5d %5d %10s %8.1f' % (d['name'], d['id'], d['mem'], d['vcpus'], d['state'], d['cpu']))
    elif cmd == 'uptime':
        sel = pick(doms, argv[1:], tool)
        print('Name                                ID Uptime')
        for d in sel:
            print('%-33s %4d %s' % (d['name'], d['id'], uptime(d['uptime'])))
    elif cmd == 'vcpu-set':
        if len(argv) != 3 or not argv[2].isdigit():
            sys.stderr.write("'%s vcpu-set' requires 2 arguments.\n" % tool)
            return 2
        d = pick(doms, [argv[1]], tool)[0]
        n = int(argv[2])
        if n < 1 or n > d['max']:
            sys.stderr.write('You cannot set vcpus greater than max vcpus on running domain: %d > %d\n' % (n, d['max']))
            return 1
        d['vcpus'] = n
        record(tool, argv)
        store(doms)
    else:
        sys.stderr.write('stand-in %s: unsupported command %r\n' % (tool, cmd))
        return 2
    return 0


if __name__ == '__main__':
    sys.exit(main(os.path.basename(sys.argv[0]), sys.argv[1:]))

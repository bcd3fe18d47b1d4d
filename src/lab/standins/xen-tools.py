#!/usr/bin/env python3
"""Stand-in for Xen's `xl` and `xm` on lab hosts (no hypervisor here); see README-xen.md.

Installed as /usr/local/sbin/xl and /usr/local/sbin/xm, dispatches on its name. Replays the
column layouts of `xl list` / `xm list` / `xl uptime` / `vcpu-list` (the same layouts as
the fixtures in test/fixtures/facts/xen), keeps domains in a JSON state file, supports
`vcpu-set` (refused above the domain's VCPU slots with real Xen's words), `shutdown` and
`create` (a restart from the config file), and appends every changing call to the
stand-ins' shared calls.log (one JSON array a line); reads write nothing, so check mode
leaves a replayed host unchanged. The first domains come from /etc/kelpie-standin/
xen-domains.json when a lab layout wrote one, else from INITIAL.
"""
import json, os, re, sys

D = os.environ.get('KELPIE_STANDIN_DIR', '/var/lib/kelpie-standin')
STATE = os.path.join(D, 'xen.json')
CALLS = os.path.join(D, 'calls.log')
LAYOUT = '/etc/kelpie-standin/xen-domains.json'
# Chosen so the accounting gives Domain-0 7.70%, demo 0.06%, lenny32 2.07%, unstable 0.30%
# of one CPU (cpu seconds / uptime seconds), the numbers of the seed's sample output.
INITIAL = [
    {'name': 'Domain-0', 'id': 0, 'mem': 2048, 'vcpus': 4, 'max': 8, 'state': 'r-----', 'cpu': 7503.3, 'uptime': 97445},
    {'name': 'demo', 'id': 1, 'mem': 256, 'vcpus': 1, 'max': 4, 'state': '-b----', 'cpu': 622.1, 'uptime': 1036800},
    {'name': 'lenny32', 'id': 3, 'mem': 512, 'vcpus': 1, 'max': 4, 'state': '-b----', 'cpu': 21463.0, 'uptime': 1036862},
    {'name': 'unstable', 'id': 4, 'mem': 512, 'vcpus': 1, 'max': 4, 'state': '-b----', 'cpu': 2592.0, 'uptime': 864000},
]


def load():
    for path in (STATE, LAYOUT):
        try:
            with open(path) as f:
                return json.load(f)
        except FileNotFoundError:
            pass
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
    elif cmd == 'vcpu-list':
        # One row per VCPU slot (maxvcpus of the domain); offline slots show CPU '-' and state --p.
        sel = pick(doms, argv[1:], tool)
        print('%-32s %5s %5s %5s %5s %9s %s' % ('Name', 'ID', 'VCPU', 'CPU', 'State', 'Time(s)', 'Affinity (Hard / Soft)' if tool == 'xl' else 'CPU Affinity'))
        for d in sel:
            for v in range(d['max']):
                online = v < d['vcpus']
                print('%-32s %5d %5d %5s %5s %9.1f  %s' % (d['name'], d['id'], v, str(v % 4) if online else '-', '-b-' if online else '--p', d['cpu'] / d['vcpus'] if online else 0.0, 'all / all' if tool == 'xl' else 'any cpu'))
    elif cmd == 'vcpu-set':
        if len(argv) != 3 or not argv[2].isdigit():
            sys.stderr.write("'%s vcpu-set' requires 2 arguments.\n" % tool)
            return 2
        d = pick(doms, [argv[1]], tool)[0]
        n = int(argv[2])
        if n > d['max']:
            # Real Xen's refusal, word for word: libxl (xl) and xend (xm).
            if tool == 'xl':
                sys.stderr.write('libxl: error: libxl_domain.c:1869:libxl_set_vcpuonline: Domain %d:Requested %d VCPUs, however maxcpus is %d!: Function not implemented\n' % (d['id'], n, d['max']))
                sys.stderr.write('libxl_set_vcpuonline failed domid=%d max_vcpus=%d, rc: -3\n' % (d['id'], n))
            else:
                sys.stderr.write('Error: Cannot set vcpus greater than max vcpus on running domain\nUsage: xm vcpu-set <Domain> <vCPUs>\n\nSet the number of active VCPUs for allowed for the domain.\n')
            return 1
        if n < 1:
            sys.stderr.write('stand-in %s: %d VCPUs refused\n' % (tool, n))
            return 1
        d['vcpus'] = n
        record(tool, argv)
        store(doms)
    elif cmd == 'shutdown':
        names = [a for a in argv[1:] if not a.startswith('-')]
        d = pick(doms, names[:1], tool)[0]
        doms.remove(d)
        record(tool, argv)
        store(doms)
    elif cmd == 'create':
        # Not replayed output: the stand-in's own minimal reading of vcpus/maxvcpus/memory/name.
        with open(argv[-1]) as f:
            cfg = f.read()
        num = lambda k, dflt: int((re.search(r'^\s*%s\s*=\s*["\']?(\d+)' % k, cfg, re.M) or [None, dflt])[1])
        name = re.search(r'^\s*name\s*=\s*["\']([^"\']+)', cfg, re.M).group(1)
        if any(x['name'] == name for x in doms):
            sys.stderr.write('stand-in %s: domain %s is already running\n' % (tool, name))
            return 1
        vcpus = num('vcpus', 1)
        doms.append({'name': name, 'id': max(x['id'] for x in doms) + 1, 'mem': num('memory', 128), 'vcpus': vcpus,
                     'max': max(vcpus, num('maxvcpus', vcpus)), 'state': '-b----', 'cpu': 0.0, 'uptime': 0})
        record(tool, argv)
        store(doms)
    else:
        sys.stderr.write('stand-in %s: unsupported command %r\n' % (tool, cmd))
        return 2
    return 0


if __name__ == '__main__':
    sys.exit(main(os.path.basename(sys.argv[0]), sys.argv[1:]))

#!/usr/bin/env python3
"""Stand-in for rpm, yum, dnf, chkconfig, systemctl and timedatectl on lab hosts (see README.md).

Dispatches on the name it is called by. Replays the output formats of the real tools,
keeps state in /var/lib/kelpie-standin/state.json, and appends every call to calls.log.
"""
import json, os, re, sys

D = os.environ.get('KELPIE_STANDIN_DIR', '/var/lib/kelpie-standin')
STATE = os.path.join(D, 'state.json')
# Test-only: a prefix for the /etc paths the stand-ins write (a scratch dir on the controller).
ROOT = os.environ.get('KELPIE_STANDIN_ROOT', '')
# Where the recorded package payloads and replayed programs live (rpm_payload.py): on a lab
# host /usr/local/share/kelpie-standin, in the repository this script's own directory.
SHARE = os.environ.get('KELPIE_STANDIN_SHARE') or next(
    (d for d in ('/usr/local/share/kelpie-standin',) if os.path.isdir(d)), os.path.dirname(os.path.realpath(__file__)))
# Packages a CentOS 5 repository offered (name: version, release, arch, requires, init scripts).
CATALOG = {
    'spamass-milter': ['0.3.1', '2.el5', 'x86_64', ['sendmail-milter', 'spamassassin'], ['spamass-milter']],
    'sendmail-milter': ['8.13.8', '8.el5', 'x86_64', [], []],
    'spamassassin': ['3.2.5', '1.el5', 'x86_64', [], ['spamassassin']],
    'postfix': ['2.3.3', '2.1.el5_2', 'x86_64', [], ['postfix']],
    'ipvsadm': ['1.24', '10', 'x86_64', [], ['ipvsadm']],
}
INIT = '''#!/bin/sh
# kelpie stand-in init script: records its state like a real one would report it
S=%(dir)s/svc-%(name)s
case "$1" in
  start) touch "$S"; echo "Starting %(name)s: [  OK  ]";;
  stop) rm -f "$S"; echo "Stopping %(name)s: [  OK  ]";;
  restart|reload) touch "$S"; echo "Restarting %(name)s: [  OK  ]";;
  status) if [ -f "$S" ]; then echo "%(name)s is running..."; exit 0; else echo "%(name)s is stopped"; exit 3; fi;;
  *) echo "Usage: $0 {start|stop|status|restart|reload}"; exit 2;;
esac
'''


def load():
    try:
        with open(STATE) as f:
            return json.load(f)
    except FileNotFoundError:
        return {'rpmdb': {}, 'chkconfig': {}, 'units': {}}


def save(st):
    os.makedirs(D, exist_ok=True)
    tmp = STATE + '.tmp'
    with open(tmp, 'w') as f:
        json.dump(st, f, indent=1, sort_keys=True)
    os.replace(tmp, STATE)


def qf(fmt, name, p):
    v = {'NAME': name, 'VERSION': p[0], 'RELEASE': p[1], 'ARCH': p[2]}
    out = re.sub(r'%\{(\w+)\}', lambda m: v.get(m.group(1), '(none)'), fmt)
    return out.replace('\\t', '\t').replace('\\n', '\n')


def rpm(args, st):
    fmt, names, qa = '%{NAME}-%{VERSION}-%{RELEASE}.%{ARCH}\\n', [], False
    i = 0
    while i < len(args):
        a = args[i]
        if a == '--qf' or a == '--queryformat':
            fmt = args[i + 1]; i += 1
        elif a in ('-qa', '-aq'):
            qa = True
        elif not a.startswith('-'):
            names.append(a)
        i += 1
    db = st['rpmdb']
    if qa:
        for n in sorted(db):
            sys.stdout.write(qf(fmt, n, db[n]))
        return 0
    rc = 0
    for n in names:
        hit = [k for k in db if k == n or qf('%{NAME}-%{VERSION}', k, db[k]) == n or qf('%{NAME}-%{VERSION}-%{RELEASE}', k, db[k]) == n]
        if hit:
            sys.stdout.write(qf(fmt, hit[0], db[hit[0]]))
        else:
            print('package %s is not installed' % n); rc = 1
    return rc


def resolve(names, db):
    todo, seen = list(names), []
    while todo:
        n = todo.pop(0)
        if n in db or n in seen:
            continue
        if n not in CATALOG:
            return None, n
        seen.append(n); todo.extend(CATALOG[n][3])
    return seen, None


def yum(tool, args, st):
    words = [a for a in args if not a.startswith('-')]
    verb, pkgs = (words[0] if words else ''), words[1:]
    db = st['rpmdb']
    if tool == 'yum':
        print('Loaded plugins: fastestmirror')
    if verb in ('makecache',):
        print('Metadata Cache Created'); return 0
    if verb == 'check-update':
        return 0
    if verb in ('list',) and pkgs[:1] == ['installed']:
        print('Installed Packages')
        for n in sorted(db):
            print('%-40s %-25s %s' % (n + '.' + db[n][2], db[n][0] + '-' + db[n][1], 'installed'))
        return 0
    if verb == 'install':
        new, bad = resolve(pkgs, db)
        if bad:
            print('No package %s available.' % bad); print('Error: Nothing to do'); return 1
        if not new:
            print('Nothing to do'); return 0
        print('Setting up Install Process\nResolving Dependencies\n--> Running transaction check')
        for n in new:
            p = CATALOG[n]
            print('---> Package %s.%s 0:%s-%s set to be updated' % (n, p[2], p[0], p[1]))
        print('--> Finished Dependency Resolution\n\nDependencies Resolved\n')
        payload = payloads()
        for n in new:
            db[n] = CATALOG[n][:3]
            if payload and payload.has_payload(n):
                st['files'][n] = payload.install(n, ROOT, lambda svc: chk_add(st, svc))
                continue
            for s in CATALOG[n][4]:
                path = ROOT + '/etc/rc.d/init.d/' + s
                os.makedirs(ROOT + '/etc/rc.d/init.d', exist_ok=True)
                with open(path, 'w') as f:
                    f.write(INIT % {'dir': D, 'name': s})
                os.chmod(path, 0o755)
                if not os.path.lexists(ROOT + '/etc/init.d/' + s) and os.path.isdir(ROOT + '/etc/init.d'):
                    os.symlink(path, ROOT + '/etc/init.d/' + s)
        nevra = lambda n: '%s.%s 0:%s-%s' % (n, CATALOG[n][2], CATALOG[n][0], CATALOG[n][1])
        print('Installed:\n  ' + '  '.join(nevra(n) for n in new if n in pkgs))
        if [n for n in new if n not in pkgs]:
            print('\nDependency Installed:\n  ' + '  '.join(nevra(n) for n in new if n not in pkgs))
        print('\nComplete!'); return 0
    if verb in ('remove', 'erase'):
        gone = [n for n in pkgs if n in db]
        if not gone:
            print('No Packages marked for removal'); return 0
        payload = payloads()
        for n in gone:
            db.pop(n)
            if payload and n in st['files']:
                payload.remove(n, st['files'].pop(n), ROOT, lambda svc: st['chkconfig'].pop(svc, None))
        print('Removed:\n  ' + '  '.join(gone) + '\n\nComplete!'); return 0
    if verb in ('update', 'upgrade'):
        print('No Packages marked for Update'); return 0
    print('No such command: %s' % verb, file=sys.stderr); return 1


def payloads():
    """rpm_payload (recorded package files), or None where it is not installed."""
    if not os.path.isfile(os.path.join(SHARE, 'rpm_payload.py')):
        return None
    sys.path.insert(0, SHARE)
    import rpm_payload
    return rpm_payload


def chk_add(st, name):
    """`chkconfig --add`: the runlevels of the script's `# chkconfig: 2345 80 30` header ('-': none)."""
    levels = ''
    try:
        with open(ROOT + '/etc/rc.d/init.d/' + name) as f:
            m = re.search(r'^#\s*chkconfig:\s*(\S+)', f.read(), re.M)
        levels = m.group(1) if m and m.group(1) != '-' else ''
    except OSError:
        pass
    st['chkconfig'].setdefault(name, levels)


def chkconfig(args, st):
    cc = st['chkconfig']
    def line(n):
        on = cc[n]
        return '%-15s\t' % n + '\t'.join('%d:%s' % (i, 'on' if str(i) in on else 'off') for i in range(7))
    if args[:1] == ['--list']:
        names = args[1:] or sorted(cc)
        for n in names:
            if n not in cc:
                if os.path.exists(ROOT + '/etc/rc.d/init.d/' + n):
                    print("service %s supports chkconfig, but is not referenced in any runlevel (run 'chkconfig --add %s')" % (n, n), file=sys.stderr)
                else:
                    print('error reading information on service %s: No such file or directory' % n, file=sys.stderr)
                return 1
            print(line(n))
        return 0
    if args[:1] == ['--add']:
        chk_add(st, args[1]); return 0
    if len(args) == 2 and args[1] in ('on', 'off'):
        if not os.path.exists(ROOT + '/etc/rc.d/init.d/' + args[0]):
            print('error reading information on service %s: No such file or directory' % args[0], file=sys.stderr); return 1
        cc[args[0]] = '2345' if args[1] == 'on' else ''; return 0
    return 1


def systemctl(args, st):
    args = [a for a in args if a not in ('--no-pager', '--quiet', '-q', '--no-block')]
    props = [a.split('=', 1)[1] for a in args if a.startswith('--property=')]
    args = [a for a in args if not a.startswith('--property=')]
    verb, names = (args[0] if args else 'list-units'), args[1:]
    units = st['units']
    def unit(n):
        n = n if '.' in n else n + '.service'
        known = n in units or any(os.path.exists(ROOT + d + n) for d in ('/etc/systemd/system/', '/lib/systemd/system/', '/usr/lib/systemd/system/'))
        return n, (units.setdefault(n, {'active': False, 'enabled': False, 'masked': False}) if known else None)
    if verb == 'daemon-reload':
        return 0
    rc = 0
    for raw in names:
        n, u = unit(raw)
        if verb == 'show':
            v = {'Id': n, 'LoadState': 'not-found' if u is None else ('masked' if u['masked'] else 'loaded'),
                 'ActiveState': 'active' if u and u['active'] else 'inactive', 'SubState': 'running' if u and u['active'] else 'dead',
                 'UnitFileState': '' if u is None else ('masked' if u['masked'] else 'enabled' if u['enabled'] else 'disabled'),
                 'MainPID': '4242' if u and u['active'] else '0'}
            for k in (props or list(v)):
                for kk in k.split(','):
                    if kk in v:
                        print('%s=%s' % (kk, v[kk]))
            continue
        if verb == 'mask':
            units.setdefault(n, {'active': False, 'enabled': False, 'masked': False})['masked'] = True
            print('Created symlink /etc/systemd/system/%s → /dev/null.' % n, file=sys.stderr); continue
        if u is None:
            if verb == 'is-enabled':
                print('Failed to get unit file state for %s: No such file or directory' % n, file=sys.stderr); rc = 1; continue
            if verb == 'is-active':
                print('inactive'); rc = 3; continue
            print('Failed to %s %s: Unit %s not found.' % (verb, n, n), file=sys.stderr); return 5
        if verb == 'is-active':
            print('active' if u['active'] else 'inactive'); rc = rc or (0 if u['active'] else 3)
        elif verb == 'is-enabled':
            w = 'masked' if u['masked'] else 'enabled' if u['enabled'] else 'disabled'
            print(w); rc = rc or (0 if w == 'enabled' else 1)
        elif verb in ('start', 'restart', 'reload', 'try-restart', 'reload-or-restart'):
            if u['masked']:
                print('Failed to %s %s: Unit %s is masked.' % (verb, n, n), file=sys.stderr); return 1
            u['active'] = True
        elif verb == 'stop':
            u['active'] = False
        elif verb == 'enable':
            if not u['enabled']:
                print('Created symlink /etc/systemd/system/multi-user.target.wants/%s → /lib/systemd/system/%s.' % (n, n), file=sys.stderr)
            u['enabled'] = True
        elif verb == 'disable':
            if u['enabled']:
                print('Removed "/etc/systemd/system/multi-user.target.wants/%s".' % n, file=sys.stderr)
            u['enabled'] = False
        elif verb == 'unmask':
            u['masked'] = False
        else:
            print('Unknown command verb %s.' % verb, file=sys.stderr); return 1
    return rc


# Verbs that only read. Their calls are neither logged nor saved, so a check-mode run that
# only queries leaves the host byte-for-byte unchanged (the lab contract reads the upper dir).
READ_ONLY = {
    'rpm': None,  # every rpm call here is a query
    'yum': {'check-update', 'list', 'info'},
    'dnf': {'check-update', 'list', 'info'},
    'chkconfig': {'--list'},
    'systemctl': {'show', 'is-active', 'is-enabled', 'status', 'list-units', 'list-unit-files', 'cat'},
    'timedatectl': {'show', 'status', 'list-timezones', ''},
}


def first_word(args):
    words = [a for a in args if not a.startswith('-') or a == '--list']
    return words[0] if words else ''


def mutating(tool, args):
    ro = READ_ONLY.get(tool, set())
    return ro is not None and first_word(args) not in ro


def timedatectl(args, st):
    args = [a for a in args if a not in ('--no-pager', '--no-ask-password')]
    value_only = '--value' in args
    args = [a for a in args if a != '--value']
    props = [a.split('=', 1)[1] for a in args if a.startswith('--property=') or a.startswith('-p=')]
    args = [a for a in args if not a.startswith('--property=')]
    verb = args[0] if args else 'status'
    try:
        link = os.readlink(ROOT + '/etc/localtime')
        zone = link.split('zoneinfo/', 1)[1] if 'zoneinfo/' in link else 'n/a'
    except OSError:
        zone = 'n/a'
    if verb == 'show':
        for k in (props or ['Timezone']):
            print(zone if value_only else 'Timezone=%s' % zone)
        return 0
    if verb == 'status':
        print('                Time zone: %s' % zone); return 0
    if verb == 'set-timezone' and len(args) == 2:
        z = args[1]
        if not os.path.isfile(ROOT + '/usr/share/zoneinfo/' + z):
            print('Failed to set time zone: Invalid or unknown time zone', file=sys.stderr); return 1
        tmp = ROOT + '/etc/.localtime.standin'
        if os.path.lexists(tmp):
            os.unlink(tmp)
        os.symlink('../usr/share/zoneinfo/' + z, tmp)
        os.replace(tmp, ROOT + '/etc/localtime')
        # Debian's timedated also keeps /etc/timezone in step.
        if os.path.exists(ROOT + '/etc/timezone'):
            with open(ROOT + '/etc/timezone', 'w') as f:
                f.write(z + '\n')
        return 0
    print('Unknown command verb %s.' % verb, file=sys.stderr); return 1


def main():
    tool = os.path.basename(sys.argv[0])
    args = sys.argv[1:]
    changes = mutating(tool, args)
    if changes:
        os.makedirs(D, exist_ok=True)
        with open(os.path.join(D, 'calls.log'), 'a') as f:
            f.write(json.dumps([tool] + args) + '\n')
    st = load()
    for k in ('rpmdb', 'chkconfig', 'units', 'files'):
        st.setdefault(k, {})
    if tool == 'rpm':
        rc = rpm(args, st)
    elif tool in ('yum', 'dnf'):
        rc = yum(tool, args, st)
    elif tool == 'chkconfig':
        rc = chkconfig(args, st)
    elif tool == 'systemctl':
        rc = systemctl(args, st)
    elif tool == 'timedatectl':
        rc = timedatectl(args, st)
    else:
        print('kelpie-standin: unknown tool name %s' % tool, file=sys.stderr); rc = 2
    if changes:
        save(st)
    sys.exit(rc)


main()

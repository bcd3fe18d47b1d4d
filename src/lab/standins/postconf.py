#!/usr/bin/python3
"""Replayed `postconf` of CentOS 5's postfix package (see payloads/README.md).

The state is the configuration itself: it reads and edits /etc/postfix/main.cf and
master.cf (or -c DIR) the way postconf does, keeping comments and layout. Supported:
`postconf [-n|-d|-h] [NAME...]`, `-e NAME=VALUE...`, `-X NAME...`, `-M [SVC/TYPE...]`,
`-Me SVC/TYPE=FIELDS...`, `-MX SVC/TYPE...`. (Postfix 2.3 itself had no -X or -M:
they came with 2.9/2.10; the stand-in offers them because kelpie's postconf module
uses them.) Edits are appended to calls.log like every other stand-in's changing call.
"""
import json, os, socket, sys

D = os.environ.get('KELPIE_STANDIN_DIR', '/var/lib/kelpie-standin')
ROOT = os.environ.get('KELPIE_STANDIN_ROOT', '')
HOST = socket.gethostname()
DOMAIN = HOST.split('.', 1)[1] if '.' in HOST else 'localdomain'
# The built-in defaults a CentOS 5 host would show for the parameters people ask about.
DEFAULTS = {
    'alias_database': 'hash:/etc/aliases', 'alias_maps': 'hash:/etc/aliases, nis:mail.aliases',
    'command_directory': '/usr/sbin', 'config_directory': '/etc/postfix', 'daemon_directory': '/usr/libexec/postfix',
    'inet_interfaces': 'all', 'mail_name': 'Postfix', 'mail_owner': 'postfix', 'mail_version': '2.3.3',
    'milter_default_action': 'tempfail', 'milter_protocol': '2', 'mydestination': '$myhostname, localhost.$mydomain, localhost',
    'mydomain': DOMAIN, 'myhostname': HOST if '.' in HOST else HOST + '.' + DOMAIN, 'mynetworks_style': 'subnet',
    'myorigin': '$myhostname', 'non_smtpd_milters': '', 'queue_directory': '/var/spool/postfix', 'relayhost': '',
    'smtpd_banner': '$myhostname ESMTP $mail_name', 'smtpd_milters': '', 'unknown_local_recipient_reject_code': '550',
}


def fail(msg, rc=1):
    print('postconf: fatal: ' + msg, file=sys.stderr)
    sys.exit(rc)


def read(path):
    try:
        with open(path) as f:
            text = f.read()
        return text.split('\n')[:-1] if text.endswith('\n') else text.split('\n')
    except OSError as e:
        fail('open %s: %s' % (path, e.strerror))


def write(path, lines):
    tmp = path + '.tmp'
    with open(tmp, 'w') as f:
        f.write(''.join(l + '\n' for l in lines))
    os.chmod(tmp, os.stat(path).st_mode & 0o7777)
    os.replace(tmp, path)


def entries(lines):
    """[(first, last, text)]: each logical line (continuations joined), comments and blanks skipped."""
    out, i = [], 0
    while i < len(lines):
        l = lines[i]
        if not l.strip() or l.lstrip().startswith('#') or l[0] in ' \t':
            i += 1; continue
        j, text = i + 1, l.strip()
        while j < len(lines) and lines[j][:1] in (' ', '\t') and lines[j].strip() and not lines[j].lstrip().startswith('#'):
            text += ' ' + lines[j].strip(); j += 1
        out.append((i, j, text)); i = j
    return out


def params(lines):
    got = {}
    for a, b, t in entries(lines):
        if '=' in t:
            k, v = t.split('=', 1)
            got[k.strip()] = (a, b, v.strip())
    return got


def master_key(t):
    w = t.split()
    return '%s/%s' % (w[0], w[1]) if len(w) >= 2 else None


def main():
    args, conf, flags = sys.argv[1:], ROOT + '/etc/postfix', ''
    words = []
    i = 0
    while i < len(args):
        a = args[i]
        if a == '-c':
            conf = args[i + 1]; i += 2; continue
        if a.startswith('-') and len(a) > 1:
            flags += a[1:]
        else:
            words.append(a)
        i += 1
    for ch in flags:
        if ch not in 'nhdeXM':
            print("postconf: invalid option -- '%s'" % ch, file=sys.stderr); return 1
    main_cf, master_cf = conf + '/main.cf', conf + '/master.cf'
    changing = ('e' in flags or 'X' in flags) and words
    if changing:
        os.makedirs(D, exist_ok=True)
        with open(os.path.join(D, 'calls.log'), 'a') as f:
            f.write(json.dumps(['postconf'] + args) + '\n')
    if 'M' in flags:
        lines = read(master_cf)
        ents = entries(lines)
        if 'e' in flags or 'X' in flags:
            for w in words:
                key, _, fields = w.partition('=')
                hit = [e for e in ents if master_key(e[2]) == key]
                if 'X' in flags:
                    if hit:
                        del lines[hit[0][0]:hit[0][1]]
                else:
                    new = fields
                    if hit:
                        lines[hit[0][0]:hit[0][1]] = [new]
                    else:
                        lines.append(new)
                ents = entries(lines)
            write(master_cf, lines)
            return 0
        for a, b, t in ents:
            if not words or master_key(t) in words:
                print(t)
        return 0
    lines = read(main_cf)
    got = params(lines)
    if 'e' in flags:
        for w in words:
            if '=' not in w:
                fail('%s: missing "="' % w)
            k, v = (x.strip() for x in w.split('=', 1))
            line = '%s = %s' % (k, v)
            if k in got:
                a, b, _ = got[k]
                lines[a:b] = [line]
            else:
                lines.append(line)
            got = params(lines)
        write(main_cf, lines)
        return 0
    if 'X' in flags:
        for k in words:
            if k in got:
                a, b, _ = got[k]
                del lines[a:b]
                got = params(lines)
        write(main_cf, lines)
        return 0
    only_h = 'h' in flags
    if 'n' in flags and not words:
        names = sorted(got)
    elif 'd' in flags and not words:
        names = sorted(DEFAULTS)
    else:
        names = words or sorted(set(DEFAULTS) | set(got))
    for k in names:
        if 'd' in flags:
            v = DEFAULTS.get(k)
        elif 'n' in flags:
            v = got[k][2] if k in got else None
        else:
            v = got[k][2] if k in got else DEFAULTS.get(k)
        if v is None:
            if k not in DEFAULTS and k not in got:
                print('postconf: warning: %s: unknown parameter' % k, file=sys.stderr)
            continue
        print(v if only_h else ('%s = %s' % (k, v)).rstrip())
    return 0


sys.exit(main())

#!/usr/bin/python3
"""Replayed daemon for a CentOS 5 lab host (see payloads/README.md): stands for
/usr/sbin/spamass-milter, /usr/bin/spamd and /usr/libexec/postfix/master.

It does what the init scripts and the playbook can observe of the real daemons and
nothing else: checks the account it is told to run as, binds the milter's unix socket
(-p), writes a pid file (spamd -r, milter -P), forks into the background (-f, -d) with
every descriptor on /dev/null (so the caller's session is not held open), drops to the
account (spamd -u/-g) and then sleeps. It never reads mail.
"""
import grp, os, pwd, socket, sys, time

name = os.path.basename(sys.argv[0])
args = sys.argv[1:]


def opt(flag):
    for i, a in enumerate(args):
        if a == flag and i + 1 < len(args):
            return args[i + 1]
        if a.startswith(flag) and len(a) > len(flag) and not a.startswith('--'):
            return a[len(flag):]
    return None


def die(msg):
    print('%s: %s' % (name, msg), file=sys.stderr)
    sys.exit(1)


user = group = sock_path = pidfile = None
background = True
if name == 'spamd':
    user, group, pidfile = opt('-u'), opt('-g'), opt('-r')
    background = '-d' in args or '--daemonize' in args
elif name == 'spamass-milter':
    sock_path, pidfile = opt('-p'), opt('-P')
    background = '-f' in args
    if not sock_path:
        die('no socket path given (-p)')
uid = gid = None
if user:
    try:
        pw = pwd.getpwnam(user)
    except KeyError:
        die('fatal error: setuid to %s failed (no such user)' % user)
    uid, gid = pw.pw_uid, pw.pw_gid
if group:
    try:
        gid = grp.getgrnam(group).gr_gid
    except KeyError:
        die('fatal error: setgid to %s failed (no such group)' % group)

srv = None
if sock_path:
    try:
        os.unlink(sock_path)
    except FileNotFoundError:
        pass
    except OSError as e:
        die('unable to remove old socket %s: %s' % (sock_path, e.strerror))
    srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        srv.bind(sock_path)
    except OSError as e:
        die('unable to bind %s: %s' % (sock_path, e.strerror))
    srv.listen(5)

if background:
    pid = os.fork()
    if pid:
        if pidfile:
            with open(pidfile, 'w') as f:
                f.write('%d\n' % pid)
        os._exit(0)
    os.setsid()
elif pidfile:
    with open(pidfile, 'w') as f:
        f.write('%d\n' % os.getpid())
os.chdir('/')
null = os.open(os.devnull, os.O_RDWR)
for fd in (0, 1, 2):
    os.dup2(null, fd)
if gid is not None:
    os.setgid(gid)
if uid is not None:
    os.setuid(uid)
while True:
    time.sleep(3600)

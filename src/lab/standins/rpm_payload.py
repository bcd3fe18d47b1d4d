"""The recorded payloads of CentOS 5 packages, for the yum stand-in (payloads/README.md).

install() lays down a package's files the way rpm would: data files from
payloads/centos5/<package>/ (modes kept; an existing, different %config file under /etc
is left alone and the package's version goes to FILE.rpmnew), the replayed programs of
PROGRAMS, the accounts its %pre creates, and `chkconfig --add` of its init scripts
(%post). remove() undoes it: a %config file the admin changed is kept as FILE.rpmsave.
"""
import hashlib, os, shutil, subprocess, sys

HERE = os.path.dirname(os.path.realpath(__file__))
PAYLOADS = os.path.join(HERE, 'payloads', 'centos5')
# Programs are replayed, not recorded: destination -> script beside this file.
PROGRAMS = {
    'spamass-milter': {'/usr/sbin/spamass-milter': 'fake-daemon.py'},
    'spamassassin': {'/usr/bin/spamd': 'fake-daemon.py'},
    'postfix': {'/usr/sbin/postconf': 'postconf.py', '/usr/libexec/postfix/master': 'fake-daemon.py'},
}
# %pre: the accounts a package creates (postfix's; spamassassin and spamass-milter create none).
ACCOUNTS = {
    'postfix': [
        ['groupadd', '-r', 'postfix'], ['groupadd', '-r', 'postdrop'],
        ['useradd', '-r', '-g', 'postfix', '-d', '/var/spool/postfix', '-s', '/sbin/nologin', '-c', 'Postfix mail system', 'postfix'],
    ],
}
DIRS = {'postfix': ['/var/spool/postfix', '/var/spool/postfix/pid']}


def has_payload(name):
    return os.path.isdir(os.path.join(PAYLOADS, name))


def _digest(path):
    with open(path, 'rb') as f:
        return hashlib.md5(f.read()).hexdigest()


def _files(name):
    base = os.path.join(PAYLOADS, name)
    for d, _, fs in os.walk(base):
        for f in sorted(fs):
            src = os.path.join(d, f)
            yield src, '/' + os.path.relpath(src, base)


def _put(src, dest):
    os.makedirs(os.path.dirname(dest), exist_ok=True)
    tmp = dest + ';kelpie'
    shutil.copyfile(src, tmp)
    shutil.copymode(src, tmp)
    os.replace(tmp, dest)


def install(name, root, chk_add):
    """Lays down `name`; returns its file list for the rpmdb. chk_add(service) registers an init script."""
    if not root:
        for cmd in ACCOUNTS.get(name, []):
            # an account that already exists is fine (groupadd/useradd exit 9)
            subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    # CentOS's filesystem package owns /var/lock/subsys (init scripts mark running services
    # there); the Debian rootfs has none. Made here, inside the host, as /var/lock is a symlink.
    for d in ['/var/lock/subsys'] + DIRS.get(name, []):
        os.makedirs(root + d, exist_ok=True)
    files = []
    for src, path in _files(name):
        dest = root + path
        config = path.startswith('/etc/') and '/init.d/' not in path
        if config and os.path.exists(dest) and _digest(dest) != _digest(src):
            _put(src, dest + '.rpmnew')
            print('warning: %s created as %s.rpmnew' % (path, path))
        else:
            _put(src, dest)
        files.append({'path': path, 'config': config, 'md5': _digest(src)})
        if path.startswith('/etc/rc.d/init.d/'):
            svc = os.path.basename(path)
            link = root + '/etc/init.d/' + svc
            if os.path.isdir(root + '/etc/init.d') and not os.path.lexists(link):
                os.symlink(path, link)
            chk_add(svc)
    for path, script in PROGRAMS.get(name, {}).items():
        _put(os.path.join(HERE, script), root + path)
        files.append({'path': path, 'config': False, 'md5': ''})
    return files


def remove(name, files, root, chk_del):
    for f in files:
        dest = root + f['path']
        if not os.path.exists(dest):
            continue
        if f['config'] and _digest(dest) != f['md5']:
            os.replace(dest, dest + '.rpmsave')
            print('warning: %s saved as %s.rpmsave' % (f['path'], f['path']))
            continue
        os.unlink(dest)
        if f['path'].startswith('/etc/rc.d/init.d/'):
            svc = os.path.basename(f['path'])
            chk_del(svc)
            link = root + '/etc/init.d/' + svc
            if os.path.islink(link):
                os.unlink(link)

import { spawn } from 'node:child_process';
import { openSync, closeSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { processStart, type HostRecord } from './state.js';

/**
 * Runs as PID 1 of the host's fresh PID namespace, in its own mount and UTS namespaces,
 * inside its netns. Every mount made here lives only in the host's mount namespace, so it
 * disappears with the host's last process: nothing can be left mounted on the machine.
 * Env: LOWER UPPER WORK MERGED HOSTKEY DEVT HOSTNAME_ ADDR ADDR2 (eth1's, or empty) INIT.
 */
const HOST_SCRIPT = `
printf 'link set lo up\\naddr add %s dev eth0\\nlink set eth0 up\\n' "$ADDR" | ip -batch -
if [ -n "$ADDR2" ]; then printf 'addr add %s dev eth1\\nlink set eth1 up\\n' "$ADDR2" | ip -batch -; fi
echo "$HOSTNAME_" >/proc/sys/kernel/hostname
M=$MERGED
mount -t overlay overlay -o "lowerdir=$LOWER,upperdir=$UPPER,workdir=$WORK" "$M"
mount -t proc proc "$M/proc"
mount -t sysfs -o ro,nosuid,nodev,noexec sysfs "$M/sys"
mount -t tmpfs -o mode=0755,size=1m,nosuid tmpfs "$M/dev"
cp -a "$DEVT/." "$M/dev/"
mount -t devpts -o newinstance,ptmxmode=0666,mode=0620,gid=5 devpts "$M/dev/pts"
mount -t tmpfs -o mode=1777,nosuid,nodev tmpfs "$M/dev/shm"
mount -t tmpfs -o mode=0755,nosuid,nodev,size=64m tmpfs "$M/run"
mount -t tmpfs -o mode=1777,nosuid,nodev tmpfs "$M/tmp"
mount --bind "$HOSTKEY" "$M/etc/ssh/ssh_host_ed25519_key"
mount --bind "$HOSTKEY.pub" "$M/etc/ssh/ssh_host_ed25519_key.pub"
printf '%s' "$INIT" >"$M/run/kelpie-lab-init"
exec chroot "$M" /usr/bin/env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 /bin/sh /run/kelpie-lab-init
`;

/** A host's /dev, made once per lab and copied into each host's /dev tmpfs. Env: DEVT. */
export const DEV_TEMPLATE_SCRIPT = `
rm -rf "$DEVT"; mkdir -p "$DEVT/pts" "$DEVT/shm"; cd "$DEVT"
mknod -m 666 null c 1 3; mknod -m 666 zero c 1 5; mknod -m 666 full c 1 7
mknod -m 666 random c 1 8; mknod -m 666 urandom c 1 9; mknod -m 666 tty c 5 0
ln -s pts/ptmx ptmx; ln -s /proc/self/fd fd
ln -s /proc/self/fd/0 stdin; ln -s /proc/self/fd/1 stdout; ln -s /proc/self/fd/2 stderr
`;

/**
 * The host's init (PID 1 after chroot). dash's \`wait\` reaps every child, including daemons
 * that packages start and that get reparented here; sshd is restarted if it ever exits.
 */
const INIT_SCRIPT = `
mkdir -p /run/sshd /run/lock
chmod 0755 /run/sshd
cd /
while :; do
  /usr/sbin/sshd -D -e </dev/null &
  wait
  sleep 1
done
`;

export interface StartOptions {
  lowerDir: string;
  devTemplate: string;
  logFile: string;
  prefixLen: number;
}

/** Launch one host detached (it outlives the calling process); returns its PIDs. */
export async function startHost(h: HostRecord, opts: StartOptions): Promise<Required<Pick<HostRecord, 'launcherPid' | 'launcherStart' | 'pid' | 'pidStart'>>> {
  const log = openSync(opts.logFile, 'a');
  const child = spawn(
    'ip',
    ['netns', 'exec', h.netns, 'unshare', '--mount', '--uts', '--pid', '--fork', '--kill-child', '--propagation', 'private', '/bin/sh', '-euc', HOST_SCRIPT],
    {
      detached: true,
      stdio: ['ignore', log, log],
      env: {
        PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
        LOWER: opts.lowerDir,
        UPPER: h.upperDir,
        WORK: h.workDir,
        MERGED: h.mergedDir,
        HOSTKEY: h.hostKeyFile,
        DEVT: opts.devTemplate,
        HOSTNAME_: h.name,
        ADDR: `${h.address}/${opts.prefixLen}`,
        ADDR2: h.backAddress ? `${h.backAddress}/${opts.prefixLen}` : '',
        INIT: INIT_SCRIPT,
      },
    },
  );
  closeSync(log);
  child.unref();
  const launcherPid = child.pid;
  if (launcherPid === undefined) throw new Error(`could not start host ${h.name}`);
  const launcherStart = (await processStart(launcherPid)) ?? '';
  // `ip netns exec` execs unshare in place; unshare's only child is the host's PID 1.
  for (let i = 0; i < 500; i++) {
    const kids = await readFile(`/proc/${launcherPid}/task/${launcherPid}/children`, 'utf8').catch(() => null);
    const pid = Number(kids?.trim().split(/\s+/)[0]);
    if (pid > 0) return { launcherPid, launcherStart, pid, pidStart: (await processStart(pid)) ?? '' };
    if (kids === null) throw new Error(`host ${h.name} exited at start; see ${opts.logFile}`);
    await sleep(5);
  }
  throw new Error(`host ${h.name}: PID 1 did not appear; see ${opts.logFile}`);
}

function sshBanner(address: string, port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = connect({ host: address, port, timeout: timeoutMs });
    const done = (ok: boolean) => {
      sock.destroy();
      resolve(ok);
    };
    sock.once('data', (b: Buffer) => done(b.toString('latin1').startsWith('SSH-')));
    sock.once('error', () => done(false));
    sock.once('timeout', () => done(false));
    sock.once('close', () => done(false));
  });
}

/** Whether something listens on the port inside the host's netns (read via its PID 1). */
async function listening(pid: number, port: number): Promise<boolean> {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  for (const f of ['tcp', 'tcp6']) {
    const text = await readFile(`/proc/${pid}/net/${f}`, 'utf8').catch(() => '');
    if (text.split('\n').some((l) => l.trim().split(/\s+/)[1]?.endsWith(`:${hexPort}`) && l.trim().split(/\s+/)[3] === '0A')) return true;
  }
  return false;
}

/**
 * Wait until the host's sshd sends its banner over TCP. Connecting only once sshd listens
 * matters: a SYN sent before the host's address exists costs a 1 s retransmission.
 */
export async function waitForSsh(h: HostRecord, logFile: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (h.pid !== undefined && (await processStart(h.pid)) === undefined) break;
    if (h.pid === undefined || (await listening(h.pid, h.port))) {
      // a host behind a bastion cannot be reached from here: listening is all we can see
      if (h.via !== undefined || (await sshBanner(h.address, h.port, 5000))) return;
    }
    await sleep(10);
  }
  const log = await readFile(logFile, 'utf8').catch(() => '');
  throw new Error(`host ${h.name}: sshd not reachable at ${h.address}:${h.port}\n${log.trim().split('\n').slice(-10).join('\n')}`);
}

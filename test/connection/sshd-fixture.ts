/**
 * A real OpenSSH sshd for tests: own config, host key and authorized key in a temp dir,
 * listening on 127.0.0.1 at a random high port. Needs root (sshd drops privileges).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SshConnection } from '../../src/connection/ssh.js';
import type { ConnectionOptions } from '../../src/connection/types.js';

export const SSHD = '/usr/sbin/sshd';

export interface Sshd {
  port: number;
  dir: string;
  clientKey: string; // private key file
  hostKeyLine: string; // "ssh-ed25519 AAAA…"
  knownHosts: string; // a known_hosts file that trusts this sshd
  stop(): Promise<void>;
}

/** Why sshd tests cannot run here, or undefined when they can. */
export function sshdUnavailable(): string | undefined {
  if (!existsSync(SSHD)) return `${SSHD} not found (apt-get install openssh-server)`;
  if (process.getuid?.() !== 0) return 'sshd tests need root';
  return undefined;
}

function keygen(file: string, type = 'ed25519'): void {
  const r = spawnSync('ssh-keygen', ['-q', '-t', type, '-N', '', '-f', file], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`ssh-keygen failed: ${r.stderr}`);
}

export async function startSshd(extraConfig = ''): Promise<Sshd> {
  const dir = mkdtempSync(join(tmpdir(), 'kelpie-sshd-'));
  keygen(join(dir, 'host_ed25519'));
  keygen(join(dir, 'client'));
  writeFileSync(join(dir, 'authorized_keys'), readFileSync(join(dir, 'client.pub')));
  mkdirSync('/run/sshd', { recursive: true });
  const hostPub = readFileSync(join(dir, 'host_ed25519.pub'), 'utf8').trim().split(/\s+/).slice(0, 2).join(' ');

  for (let attempt = 0; attempt < 5; attempt++) {
    const port = 20000 + Math.floor(Math.random() * 40000);
    const cfg = join(dir, 'sshd_config');
    writeFileSync(
      cfg,
      [
        `ListenAddress 127.0.0.1:${port}`,
        `HostKey ${join(dir, 'host_ed25519')}`,
        `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
        `PidFile ${join(dir, 'sshd.pid')}`,
        'PermitRootLogin yes',
        'PasswordAuthentication no',
        'KbdInteractiveAuthentication no',
        'UsePAM no',
        'StrictModes no',
        'LogLevel ERROR',
        'Subsystem sftp internal-sftp',
        extraConfig,
      ].join('\n') + '\n',
    );
    const proc = spawn(SSHD, ['-D', '-e', '-f', cfg], { stdio: ['ignore', 'ignore', 'pipe'] });
    const ok = await waitListening(port, proc);
    if (!ok) continue;
    const knownHosts = join(dir, 'known_hosts');
    writeFileSync(knownHosts, `[127.0.0.1]:${port} ${hostPub}\n`);
    return {
      port,
      dir,
      clientKey: join(dir, 'client'),
      hostKeyLine: hostPub,
      knownHosts,
      stop: async () => {
        proc.kill('SIGTERM');
        await new Promise((r) => (proc.exitCode !== null ? r(null) : proc.once('exit', r)));
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  throw new Error('could not start sshd on a free port');
}

async function waitListening(port: number, proc: ChildProcess): Promise<boolean> {
  const { connect } = await import('node:net');
  for (let i = 0; i < 100; i++) {
    if (proc.exitCode !== null) return false;
    const up = await new Promise<boolean>((resolve) => {
      const s = connect(port, '127.0.0.1');
      s.once('connect', () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });
    if (up) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  proc.kill();
  return false;
}

export function requireSshd(ctx: Mocha.Context): void {
  const why = sshdUnavailable();
  if (!why) return;
  if (process.env['CI'] === 'true') throw new Error(`sshd tests cannot run under CI: ${why}`);
  console.warn(`\n  !!! SKIPPING real-sshd connection tests: ${why}\n`);
  ctx.skip();
}

export function connTo(d: Sshd, extra: Partial<ConnectionOptions> = {}): SshConnection {
  return new SshConnection(optionsFor(d, extra));
}

/** Options that reach the test sshd as root with its client key and known_hosts. */
export function optionsFor(d: Sshd, extra: Partial<ConnectionOptions> = {}): ConnectionOptions {
  return {
    host: 'sshd-test',
    address: '127.0.0.1',
    port: d.port,
    user: 'root',
    privateKeyFile: d.clientKey,
    knownHostsFile: d.knownHosts,
    hostKeyChecking: true,
    acceptNewHostKeys: false,
    // also the time a session's shell has to start: root's login shell on a developer
    // machine may source a slow ~/.bashrc (pyenv: seconds), and a test that opens 8
    // sessions at once on a busy machine waited longer than 10 s for the last of them
    connectTimeoutMs: 60_000,
    commandTimeoutMs: 30000,
    maxChannels: 8,
    ...extra,
  };
}


/**
 * Protocol edge cases with ssh2's in-process Server: channel opens the server refuses
 * (MaxSessions reached) are retried with backoff, never reported as unreachable. The
 * server runs each exec request with a real local /bin/sh.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import ssh2 from 'ssh2';
import { SshConnection } from '../../src/connection/ssh.js';
import { sh } from '../../src/shell/quote.js';

interface TestServer {
  port: number;
  refused: number;
  open: number;
  close(): Promise<void>;
}

async function startServer(shouldRefuse: (s: TestServer) => boolean): Promise<TestServer> {
  const hostKey = ssh2.utils.generateKeyPairSync('ed25519').private;
  const state: TestServer = { port: 0, refused: 0, open: 0, close: async () => undefined };
  const server = new ssh2.Server({ hostKeys: [hostKey] }, (client) => {
    client.on('authentication', (ctx) => (ctx.method === 'password' && ctx.password === 'pw' ? ctx.accept() : ctx.reject(['password'])));
    client.on('error', () => undefined);
    client.on('session', (accept, reject) => {
      if (shouldRefuse(state)) {
        state.refused++;
        return reject();
      }
      state.open++;
      const session = accept();
      session.on('close', () => state.open--);
      session.on('exec', (acceptExec, _rejectExec, info) => {
        const stream = acceptExec();
        const child = spawn('/bin/sh', ['-c', info.command], { detached: true });
        child.stdout.pipe(stream);
        child.stderr.pipe(stream.stderr);
        stream.pipe(child.stdin);
        child.stdin.on('error', () => undefined);
        child.on('close', (code) => {
          stream.exit(code ?? 255);
          stream.end();
        });
        stream.on('close', () => child.kill('SIGKILL'));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.port = (server.address() as AddressInfo).port;
  state.close = () => new Promise((resolve) => server.close(() => resolve()));
  return state;
}

function connect(port: number): SshConnection {
  return new SshConnection({
    host: 'refusing',
    address: '127.0.0.1',
    port,
    user: 'tester',
    password: 'pw',
    hostKeyChecking: false,
    acceptNewHostKeys: false,
    connectTimeoutMs: 5000,
    commandTimeoutMs: 10000,
    maxChannels: 8,
  });
}

describe('channel open refusals (ssh2 in-process server)', () => {
  it('retries a refused channel open with backoff instead of failing', async () => {
    const server = await startServer((s) => s.refused < 3);
    const c = connect(server.port);
    try {
      const r = await c.exec(sh`echo ${'hello'}`);
      assert.deepEqual(r, { rc: 0, stdout: 'hello\n', stderr: '' });
      assert.equal(server.refused, 3);
    } finally {
      await c.close();
      await server.close();
    }
  });

  it('adapts to a server that allows fewer channels than assumed', async () => {
    const server = await startServer((s) => s.open >= 2);
    const c = connect(server.port);
    try {
      const results = await Promise.all(Array.from({ length: 12 }, (_, i) => c.exec(sh`sleep 0.1; echo ${i}`)));
      results.forEach((r, i) => assert.equal(r.stdout, `${i}\n`));
      assert.ok(server.refused > 0, 'the server should have refused some opens');
      assert.ok(c.channelStats().cap <= 2, `cap lowered to ${c.channelStats().cap}`);
    } finally {
      await c.close();
      await server.close();
    }
  });
});

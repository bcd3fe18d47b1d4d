/**
 * Simulated hosts: one ssh2 Server on 127.0.0.1 (one port, any number of connections), run
 * as its own process so its memory and CPU are not billed to the controller. Every
 * connection is one "host"; every exec channel is a persistent shell answered by
 * protocol.ts, with no process spawned. Prints one JSON line {port, publicKey} when ready.
 */
import ssh2 from 'ssh2';
import type { AddressInfo } from 'node:net';
import { LineAnswerer, readyReply } from './protocol.js';

const hostKey = ssh2.utils.generateKeyPairSync('ed25519').private;
const parsed = ssh2.utils.parseKey(hostKey);
if (parsed instanceof Error) throw parsed;
const publicKey = `ssh-ed25519 ${parsed.getPublicSSH().subarray(0).toString('base64')}`;

const server = new ssh2.Server({ hostKeys: [hostKey] }, (client) => {
  client.on('authentication', (ctx) => ctx.accept()); // the bench measures the controller, not auth
  client.on('error', () => undefined);
  client.on('session', (accept) => {
    const session = accept();
    session.on('exec', (acceptExec, _reject, info) => {
      const stream = acceptExec();
      const ready = readyReply(info.command);
      if (!ready) {
        stream.exit(127);
        stream.end();
        return;
      }
      stream.write(ready);
      const answerer = new LineAnswerer();
      stream.on('data', (c: Buffer) => {
        for (const r of answerer.push(c.toString('utf8'))) {
          stream.stderr.write(r.stderr);
          stream.write(r.stdout);
        }
      });
      stream.on('error', () => undefined);
    });
    session.on('sftp', (_accept, reject) => reject());
  });
});

server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  process.stdout.write(JSON.stringify({ port, publicKey }) + '\n');
});
process.on('SIGTERM', () => process.exit(0));

/** Connection factory; resolve.ts maps Ansible's connection variables and ssh_config to options. */
import { LocalConnection } from './local.js';
import type { ResolvedConnectionOptions } from './resolve.js';
import { SshConnection } from './ssh.js';
import type { Connection } from './types.js';

export { connectionOptionsFromVars, type ConnectionDefaults, type ConnectionKind, type ResolvedConnectionOptions } from './resolve.js';

export { SshConnection } from './ssh.js';
export { LocalConnection } from './local.js';
export { BecomeError, SessionClosedError } from './session.js';
export { setHandshakeConcurrency } from './limiter.js';
export type * from './types.js';

export function createConnection(opts: ResolvedConnectionOptions): Connection {
  if (opts.connection === 'local') return new LocalConnection({ host: opts.host, commandTimeoutMs: opts.commandTimeoutMs });
  return new SshConnection(opts);
}

/** Host key policy for one handshake: ssh2's hostVerifier backed by known_hosts. */
import { homedir } from 'node:os';
import { join } from 'node:path';
import { ConnectError } from '../errors.js';
import {
  appendKnownHost,
  fingerprint,
  hostLookupName,
  keyBlobType,
  knownKeyTypes,
  preferredHostKeyAlgorithms,
  readKnownHosts,
  verifyHostKey,
} from './known-hosts.js';
import type { ConnectionOptions } from './types.js';

export interface HostKeyCheck {
  verifier: (key: Buffer) => boolean;
  /** Host key algorithms with known types first, so a host known by its RSA key is asked for RSA. */
  algorithms: string[] | undefined;
  /** Why the last verification refused the key (ssh2 only reports "verification failed"). */
  failure(): ConnectError | undefined;
}

export function defaultKnownHostsFile(): string {
  return join(homedir(), '.ssh', 'known_hosts');
}

export function hostKeyVerifier(o: ConnectionOptions, where = `${o.host} (${o.address}:${o.port})`): HostKeyCheck {
  if (!o.hostKeyChecking) return { verifier: () => true, algorithms: undefined, failure: () => undefined };
  const file = o.knownHostsFile ?? defaultKnownHostsFile();
  const name = hostLookupName(o.address, o.port);
  const entries = readKnownHosts(file);
  const types = knownKeyTypes(entries, name);
  let failure: ConnectError | undefined;

  const verifier = (blob: Buffer): boolean => {
    const v = verifyHostKey(entries, name, blob);
    const fp = `${keyBlobType(blob)} ${fingerprint(blob)}`;
    switch (v.kind) {
      case 'match':
        return true;
      case 'unknown':
        if (o.acceptNewHostKeys) {
          appendKnownHost(file, name, blob);
          return true;
        }
        failure = new ConnectError(`${where}: host key is not known (${fp}); refusing to connect`, {
          hint: `verify it, then run with --ssh-accept-new or add it to ${file} (ssh-keyscan -p ${o.port} ${o.address})`,
        });
        return false;
      case 'changed':
        failure = new ConnectError(
          `${where}: REMOTE HOST IDENTIFICATION HAS CHANGED: the server offered ${fp}, which differs from the ${v.keyType} key in ${file}:${v.line}; ` +
            'someone could be eavesdropping (man-in-the-middle), or the host key was just changed',
          { hint: `if the change is expected, remove the old key: ssh-keygen -f ${file} -R '${name}'` },
        );
        return false;
      case 'revoked':
        failure = new ConnectError(`${where}: host key ${fp} is marked @revoked in ${file}:${v.line}`);
        return false;
    }
  };
  return {
    verifier,
    algorithms: types.length > 0 ? preferredHostKeyAlgorithms(types) : undefined,
    failure: () => failure,
  };
}

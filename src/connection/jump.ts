/**
 * Connections to ProxyJump hosts, shared by every target behind them: the first target
 * behind a bastion opens the one connection to it, each target holds a reference while its
 * own connection lives, and the last one to let go closes it. A jump host behind another
 * jump host is reached the same way, so a chain costs one connection per hop.
 */
import { ConnectError } from '../errors.js';
import { handshakeLimiter } from './limiter.js';
import { dial, forwardThrough, whereOf, type SshClient } from './ssh-dial.js';
import type { ConnectionOptions } from './types.js';

export interface JumpLease {
  client: SshClient;
  where: string;
  /** Gives the reference back (idempotent); the last one closes the connection. */
  release(): void;
}

interface SharedJump {
  ready: Promise<Dialled>;
  refs: number;
}

interface Dialled {
  client: SshClient;
  /** Lets go of the hop before this one (idempotent). */
  releaseVia: () => void;
}

const open = new Map<string, SharedJump>();

/** Same hop, same way of reaching and trusting it: the same connection. */
function identity(o: ConnectionOptions): string {
  return JSON.stringify([o.user, o.address, o.port, o.privateKeyFile ?? '', o.knownHostsFile ?? '', o.hostKeyChecking, o.jump ? identity(o.jump) : '']);
}

/** How many jump connections are open now (tests assert the sharing). */
export function openJumpCount(): number {
  return open.size;
}

async function connectJump(o: ConnectionOptions): Promise<Dialled> {
  const where = whereOf(o, 'jump');
  const via = o.jump ? await acquireJump(o.jump) : undefined;
  let client: SshClient;
  try {
    // the jump's own jump is held above, outside the limiter, so a full limiter cannot deadlock
    client = await handshakeLimiter.run(async () => dial(o, where, via ? await forwardThrough(via.client, via.where, o) : undefined));
  } catch (e) {
    via?.release();
    throw e;
  }
  const releaseVia = (): void => via?.release();
  client.once('close', releaseVia);
  return { client, releaseVia };
}

/**
 * A reference to the connection to jump host `o`, opened on first use. A failure to reach
 * it is given to every target waiting on it, then forgotten (a later target tries again).
 */
export async function acquireJump(o: ConnectionOptions): Promise<JumpLease> {
  const key = identity(o);
  let entry = open.get(key);
  if (!entry) {
    const forget = (): void => {
      if (open.get(key) === created) open.delete(key);
    };
    // a jump connection that failed or dropped is forgotten: the next target opens a new one
    const ready = connectJump(o).then((d) => {
      d.client.once('close', forget);
      return d;
    });
    const created: SharedJump = { ready, refs: 0 };
    entry = created;
    open.set(key, created);
    ready.catch(forget);
  }
  entry.refs++;
  const held = entry;
  let dialled: Dialled;
  try {
    dialled = await held.ready;
  } catch (e) {
    held.refs--;
    throw e instanceof ConnectError ? e : new ConnectError(`${whereOf(o, 'jump')}: ${(e as Error).message}`, { cause: e });
  }
  let released = false;
  const { client, releaseVia } = dialled;
  return {
    client,
    where: whereOf(o, 'jump'),
    release: () => {
      if (released) return;
      released = true;
      if (--held.refs > 0) return;
      if (open.get(key) === held) open.delete(key);
      client.end();
      releaseVia();
    },
  };
}

/**
 * What the bin's shell launcher (src/cli/kelpie.sh) changed in the environment for Node's start,
 * put back before anything reads the environment: commands kelpie starts, and the environment
 * it reports, see the user's values.
 *
 * NODE_EXTRA_CA_CERTS makes Node read and parse that file of CA certificates at start, before
 * any JavaScript runs: with Debian's bundle (~140 certificates) that is 400 M instructions, more
 * than half of what a kelpie start costs on top of Node's own (bench/README.md). kelpie opens no
 * TLS connection in its own process (ssh2 is not TLS; everything else runs on hosts or in child
 * processes), so the launcher passes the variable as KELPIE_NODE_EXTRA_CA_CERTS and it is
 * restored here. (If kelpie ever speaks TLS itself, the launcher must stop doing this: Node
 * reads the file only at start.)
 *
 * GLIBC_TUNABLES: the launcher sets glibc's malloc to huge pages for Node's start (half of its
 * page faults are reading the snapshot blob) and keeps the user's value in
 * KELPIE_GLIBC_TUNABLES, "=VALUE" when it was set and "" when it was not. glibc read it when the
 * process started; what kelpie's children inherit is the user's.
 */
export function restoreDeferredEnv(env: NodeJS.ProcessEnv = process.env): void {
  const aside = env.KELPIE_NODE_EXTRA_CA_CERTS;
  if (aside !== undefined) {
    env.NODE_EXTRA_CA_CERTS = aside;
    delete env.KELPIE_NODE_EXTRA_CA_CERTS;
  }
  const tunables = env.KELPIE_GLIBC_TUNABLES;
  if (tunables !== undefined) {
    if (tunables.startsWith('=')) env.GLIBC_TUNABLES = tunables.slice(1);
    else delete env.GLIBC_TUNABLES;
    delete env.KELPIE_GLIBC_TUNABLES;
  }
}

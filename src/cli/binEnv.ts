/**
 * What the bin's shell launcher (src/cli/kelpie.sh) moved aside, put back before anything reads
 * the environment.
 *
 * NODE_EXTRA_CA_CERTS makes Node read and parse that file of CA certificates at start, before
 * any JavaScript runs: with Debian's bundle (~140 certificates) that is 400 M instructions, more
 * than half of what a kelpie start costs on top of Node's own (bench/README.md). kelpie opens no
 * TLS connection in its own process (ssh2 is not TLS; everything else runs on hosts or in child
 * processes), so the launcher passes the variable as KELPIE_NODE_EXTRA_CA_CERTS and it is
 * restored here: commands kelpie starts, and the environment it reports, see it unchanged.
 * (If kelpie ever speaks TLS itself, the launcher must stop doing this: Node reads the file only
 * at start.)
 */
export function restoreDeferredEnv(env: NodeJS.ProcessEnv = process.env): void {
  const aside = env.KELPIE_NODE_EXTRA_CA_CERTS;
  if (aside === undefined) return;
  env.NODE_EXTRA_CA_CERTS = aside;
  delete env.KELPIE_NODE_EXTRA_CA_CERTS;
}

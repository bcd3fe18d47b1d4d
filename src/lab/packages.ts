/**
 * The one list of packages served by the lab's local apt repository. Their dependencies that
 * the image lacks are resolved and fetched with them (no Recommends). Changing this list
 * rebuilds the repository (and only the cheap top image layer), never the debootstrap base.
 */
export const LAB_REPO_PACKAGES: readonly string[] = [
  'spamc',
  'spamassassin',
  'spamass-milter',
  // Debian 12 ships spamd (daemon, /etc/default/spamd, init script) apart from spamassassin;
  // rsyslog satisfies its `systemd | rsyslog | system-log-daemon` without pulling in systemd.
  'spamd',
  'rsyslog',
  'postfix',
  'ipvsadm',
  // The IPVS lab test restarts hosts from their files the way Debian boots them
  // (ifup -a from /etc/network/interfaces) and watches ARP from a client (arping).
  'ifupdown',
  'iputils-arping',
  'policycoreutils',
  'semodule-utils',
  'selinux-policy-default',
  'tzdata',
  'cowsay',
  'sl',
  'hello',
  // Ansible's apt module needs python3-apt (a stock Debian server has it, the minbase image
  // not): the parity area `host` installs it on its hosts before either tool runs.
  'python3-apt',
  // A Debian 12 host that boots with SysV init has it (sysvinit-core recommends it): it adds
  // the init scripts packages such as rsyslog no longer ship (/etc/init.d/rsyslog). The
  // parity area `host` installs it with python3-apt.
  'orphan-sysvinit-scripts',
];

/** Packages debootstrap puts into the base image (besides minbase itself). */
export const LAB_IMAGE_PACKAGES: readonly string[] = [
  'openssh-server',
  'sudo',
  'iproute2',
  'procps',
  'python3',
  'init-system-helpers',
  // Resolves the host's own name, so sudo does not warn "unable to resolve host".
  'libnss-myhostname',
];

/**
 * The repository's packages plus `KELPIE_LAB_EXTRA_PACKAGES` (space- or comma-separated), for
 * runs that need more than the tests do, such as trying a third-party role on lab hosts. The
 * extras change the repository's recipe hash, so they get their own repository and image
 * layer; the tests' lab is untouched.
 */
export function labRepoPackages(env: NodeJS.ProcessEnv = process.env): readonly string[] {
  const extra = (env['KELPIE_LAB_EXTRA_PACKAGES'] ?? '').split(/[\s,]+/).filter((p) => p !== '');
  return [...LAB_REPO_PACKAGES, ...extra.filter((p) => !LAB_REPO_PACKAGES.includes(p))];
}

/**
 * Which SELinux policy modules an installed package's application needs, named as in
 * Debian's selinux-policy-default (/usr/share/selinux/default/NAME.pp.bz2). Red Hat names
 * are the same modules of the targeted policy. This is what Debian's policy package does
 * by itself at install time ("determine what applications are installed and automatically
 * load policy packages to match"); selinux_auto makes it a repeatable task.
 */
export const PACKAGE_MODULES: Readonly<Record<string, readonly string[]>> = {
  postfix: ['postfix'],
  'openssh-server': ['ssh'],
  'openssh-client': ['ssh'],
  'xserver-xorg': ['xserver'],
  'xserver-xorg-core': ['xserver'],
  'cyrus-imapd': ['cyrus'],
  'cyrus-common': ['cyrus'],
  inn: ['inn'],
  inn2: ['inn'],
  distcc: ['distcc'],
  bind9: ['bind'],
  apache2: ['apache'],
  httpd: ['apache'],
  spamassassin: ['spamassassin'],
  spamc: ['spamassassin'],
  'spamass-milter': ['milter'],
  cron: ['cron'],
  cronie: ['cron'],
  'dovecot-core': ['dovecot'],
  dovecot: ['dovecot'],
  'mysql-server': ['mysql'],
  'mariadb-server': ['mysql'],
  ntp: ['ntp'],
  ntpsec: ['ntp'],
  chrony: ['chronyd'],
  samba: ['samba'],
  squid: ['squid'],
  exim4: ['exim'],
  'exim4-daemon-light': ['exim'],
  sendmail: ['sendmail'],
  'postgresql': ['postgresql'],
  'isc-dhcp-server': ['dhcp'],
  dnsmasq: ['dnsmasq'],
  'openvpn': ['openvpn'],
  'clamav-daemon': ['clamav'],
  amavisd: ['amavis'],
  'amavisd-new': ['amavis'],
  procmail: ['procmail'],
  logrotate: ['logrotate'],
  rsync: ['rsync'],
  'nfs-common': ['rpc'],
  rpcbind: ['rpcbind'],
  'snmpd': ['snmp'],
  'cups': ['cups'],
  'avahi-daemon': ['avahi'],
  'ipvsadm': [],
  'xen-utils-common': ['xen'],
  'xen-tools': ['xen'],
  'sudo': ['sudo'],
  'policycoreutils': [],
  'apt': ['apt'],
  'kerberos': [],
  'krb5-kdc': ['kerberos'],
  'slapd': ['ldap'],
  'openssl': [],
  'memcached': ['memcached'],
  'redis-server': ['redis'],
  'fail2ban': ['fail2ban'],
  'tor': ['tor'],
  'munin': ['munin'],
  'munin-node': ['munin'],
  'nagios4': ['nagios'],
  'tftpd-hpa': ['tftp'],
  'vsftpd': ['ftp'],
  'proftpd-basic': ['ftp'],
  'courier-imap': ['courier'],
  'mailman': ['mailman'],
  'smartmontools': ['smartmon'],
  'lvm2': ['lvm'],
  'mdadm': ['raid'],
  'iptables': ['iptables'],
  'ppp': ['ppp'],
  'screen': ['screen'],
  'gpm': ['gpm'],
  'acct': ['acct'],
  'sysstat': ['sysstat'],
  // web applications whose modules use apache's types and booleans: while one of them is
  // loaded apache's module cannot go (selinuxDeps.ts), so they are mapped to go first
  awstats: ['awstats'],
  collectd: ['collectd'],
  'collectd-core': ['collectd'],
  man2html: ['man2html'],
  mediawiki: ['mediawiki'],
};

/**
 * Modules selinux_auto never removes: the base policy and the core modules the policy
 * is built around (unconfined domains, login/admin roles, ...), whatever is installed.
 */
export const CORE_MODULES: ReadonlySet<string> = new Set([
  'base', 'unconfined', 'unprivuser', 'staff', 'sysadm', 'secadm', 'auditadm', 'logadm', 'dbadm', 'webadm',
  'userdomain', 'init', 'systemd', 'dbus', 'hostname', 'getty', 'su', 'sudo', 'mta', 'application', 'authlogin',
  'kernel', 'files', 'libraries', 'locallogin', 'logging', 'miscfiles', 'modutils', 'mount', 'selinuxutil',
  'setrans', 'storage', 'sysnetwork', 'udev', 'usermanage', 'xdg', 'guest', 'xguest', 'shutdown', 'loadkeys',
]);

/** Modules wanted for a set of installed package names, sorted and unique. */
export function modulesForPackages(installed: Iterable<string>, map: Readonly<Record<string, readonly string[]>> = PACKAGE_MODULES): string[] {
  const out = new Set<string>();
  for (const p of installed) for (const m of map[p] ?? []) out.add(m);
  return [...out].sort();
}

/** Every module some mapped package would bring: the ones selinux_auto may remove when their package is gone. */
export function mappedModules(map: Readonly<Record<string, readonly string[]>> = PACKAGE_MODULES): Set<string> {
  return new Set(Object.values(map).flat());
}

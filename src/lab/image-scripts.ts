/**
 * Constant shell scripts used to build the lab image. Values reach them only through
 * environment variables; changing any text here changes the recipe hash and rebuilds.
 */

/** Runs inside `unshare --mount` so nothing stays mounted if the build dies. Env: ROOT, SUITE, MIRROR, INCLUDE. */
export const DEBOOTSTRAP_SCRIPT = `
debootstrap --variant=minbase --include="$INCLUDE" "$SUITE" "$ROOT" "$MIRROR" >"$ROOT.debootstrap.log" 2>&1 || {
  tail -n 30 "$ROOT.debootstrap.log" >&2; exit 1; }
mount --rbind /dev "$ROOT/dev"
mount -t proc proc "$ROOT/proc"
chroot "$ROOT" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin /bin/sh -euc "$CUSTOMIZE"
`;

/** Runs chrooted in the fresh debootstrap tree. */
export const CUSTOMIZE_SCRIPT = `
useradd -m -s /bin/bash deploy
useradd -m -s /bin/bash pwuser
echo 'pwuser:kelpie' | chpasswd
cat >/etc/sudoers.d/kelpie-lab <<'X'
# No lecture file: a first sudo with a password must not write /var/lib/sudo.
Defaults lecture=never
deploy ALL=(ALL:ALL) NOPASSWD: ALL
pwuser ALL=(ALL:ALL) ALL
X
chmod 0440 /etc/sudoers.d/kelpie-lab
# Host keys are per host, bind-mounted at start; the image must not carry shared ones.
rm -f /etc/ssh/ssh_host_*
cat >/etc/ssh/sshd_config.d/kelpie-lab.conf <<'X'
HostKey /etc/ssh/ssh_host_ed25519_key
MaxStartups 200:30:400
UseDNS no
PermitRootLogin prohibit-password
PasswordAuthentication yes
X
echo kelpie-lab >/etc/hostname
printf '127.0.0.1\\tlocalhost\\n::1\\tlocalhost ip6-localhost ip6-loopback\\n' >/etc/hosts
: >/etc/resolv.conf
# Hosts have no DNS: names come from /etc/hosts and the host's own name only.
sed -i 's/^hosts:.*/hosts:          files myhostname/' /etc/nsswitch.conf
apt-get clean
rm -rf /var/lib/apt/lists/* /var/log/apt/* /var/log/*.log /var/cache/debconf/*-old
mkdir -p /srv/repo
`;

/**
 * Builds the top layer: an overlay upper over the base, holding the local repository, the
 * apt source pointing at it, its package lists and the lab's authorized keys.
 * Env: BASE, TOP (becomes the upper dir), WORK, MERGED, REPO, PUBKEY.
 */
export const TOP_LAYER_SCRIPT = `
mkdir -p "$TOP/srv" "$WORK" "$MERGED"
cp -al "$REPO" "$TOP/srv/repo"
mount -t overlay overlay -o "lowerdir=$BASE,upperdir=$TOP,workdir=$WORK" "$MERGED"
mount --rbind /dev "$MERGED/dev"
mount -t proc proc "$MERGED/proc"
printf 'deb [trusted=yes] file:/srv/repo ./\\n' >"$MERGED/etc/apt/sources.list"
rm -f "$MERGED"/etc/apt/sources.list.d/*
# Stand-ins so maintainer scripts start the daemons they install, as on a booted Debian
# host: invoke-rc.d needs a runlevel and, without /sbin/init, an allowing policy-rc.d.
# The daemons stay inside the host's PID namespace and die with it.
printf '#!/bin/sh\n# kelpie lab stand-in: hosts run as in runlevel 2\necho "N 2"\n' >"$MERGED/sbin/runlevel"
printf '#!/bin/sh\n# kelpie lab: allow maintainer scripts to start services\nexit 0\n' >"$MERGED/usr/sbin/policy-rc.d"
chmod 0755 "$MERGED/sbin/runlevel" "$MERGED/usr/sbin/policy-rc.d"
# Mount points for each host's own host key (bind-mounted at start, never written).
install -m 0600 /dev/null "$MERGED/etc/ssh/ssh_host_ed25519_key"
install -m 0644 /dev/null "$MERGED/etc/ssh/ssh_host_ed25519_key.pub"
for u in root deploy pwuser; do
  home=$(chroot "$MERGED" getent passwd "$u" | cut -d: -f6)
  install -d -m 0700 "$MERGED$home/.ssh"
  printf '%s\\n' "$PUBKEY" >"$MERGED$home/.ssh/authorized_keys"
  chmod 0600 "$MERGED$home/.ssh/authorized_keys"
  chroot "$MERGED" chown -R "$u:$u" "$home/.ssh"
done
chroot "$MERGED" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin apt-get update -qq
rm -rf "$MERGED"/var/log/apt/* "$MERGED"/var/cache/apt/archives/partial
`;

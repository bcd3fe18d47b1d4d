#!/usr/bin/env bash
# Installs the Debian packages `kelpie lab` needs on a fresh machine (run as root).
# Idempotent and quiet: does nothing when everything is already installed.
set -euo pipefail

# debootstrap builds the image; dpkg-dev indexes the local apt repository; ssh-keygen and
# the ssh client serve the lab key and the tests; iproute2 makes netns, veths and bridges;
# util-linux gives unshare, nsenter and mount.
packages=(debootstrap dpkg-dev openssh-client iproute2 util-linux coreutils)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$'; then
    missing+=("$p")
  fi
done

if ((${#missing[@]})); then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The lab also resolves packages against the machine's apt lists: make sure they exist.
if ! compgen -G '/var/lib/apt/lists/*_Packages*' >/dev/null; then
  apt-get update -qq
fi

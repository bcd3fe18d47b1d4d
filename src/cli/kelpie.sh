#!/bin/sh
# The `kelpie` bin (scripts/bundle.mjs copies it to dist/kelpie). It starts Node from kelpie's
# startup snapshot, dist/kelpie.blob: the CLI already loaded and compiled, so a start skips
# reading, compiling and running the 1 MB bundle (src/cli/snapshot.ts, bench/README.md).
# Node takes a snapshot only as a command-line flag, which is why the bin is a shell script.
#
# Node refuses, or crashes on, a snapshot made by another Node binary or under other V8 flags,
# so the snapshot is used only when the `node` found on PATH has the modification time of the
# one that built it (the build copies it to dist/kelpie.blob-node) and NODE_OPTIONS is empty.
# Otherwise this runs dist/kelpie.mjs, the same bundle loaded with V8's code cache, as before.
# Everything here is builtins and parameter expansion: no process is started before Node.
#
# NODE_EXTRA_CA_CERTS is passed as KELPIE_NODE_EXTRA_CA_CERTS, and kelpie puts it back first
# thing (src/cli/binEnv.ts): Node would parse that certificate file at start, which costs more
# than the rest of a start, for TLS connections kelpie never opens in its own process.
# GLIBC_TUNABLES is set for Node's malloc and put back the same way (below).

self=$0
# npm links the bin (node_modules/.bin/kelpie -> ../kelpie/dist/kelpie): follow the links to
# the directory the blob and the bundle are in
while [ -L "$self" ]; do
  link=$(readlink "$self") || break
  case $link in
    /*) self=$link ;;
    *) self=${self%/*}/$link ;;
  esac
done
case $self in
  */*) here=${self%/*} ;;
  *) here=. ;;
esac
# absolute: kelpie finds its bundle (and ssh2 beside it) from the blob's path, after a chdir too
case $here in
  /*) ;;
  *) here=$PWD/$here ;;
esac

if [ -n "${NODE_EXTRA_CA_CERTS+set}" ]; then
  KELPIE_NODE_EXTRA_CA_CERTS=$NODE_EXTRA_CA_CERTS
  export KELPIE_NODE_EXTRA_CA_CERTS
  unset NODE_EXTRA_CA_CERTS
fi

# Half of a start's page faults are Node reading the blob into malloc'd memory (7 MB, read and
# then copied), 4 KB at a time, and a page fault is dear on a VM. glibc's malloc asks for
# transparent huge pages (hugetlb=1, where the kernel allows it on request) and grows its heap
# 16 MB at a time (top_pad): ~8,800 page faults become ~4,400 (bench/README.md). The user's own
# GLIBC_TUNABLES come after (the last setting wins) and are put back, like NODE_EXTRA_CA_CERTS,
# with KELPIE_GLIBC_TUNABLES: "=VALUE" when it was set, empty when it was not. Other C libraries
# ignore the variable.
if [ -n "${GLIBC_TUNABLES+set}" ]; then
  KELPIE_GLIBC_TUNABLES="=$GLIBC_TUNABLES"
else
  KELPIE_GLIBC_TUNABLES=
fi
GLIBC_TUNABLES=glibc.malloc.hugetlb=1:glibc.malloc.top_pad=16777216${GLIBC_TUNABLES:+:$GLIBC_TUNABLES}
export KELPIE_GLIBC_TUNABLES GLIBC_TUNABLES

if [ -z "${NODE_OPTIONS-}" ] && [ -f "$here/kelpie.blob" ] && [ -f "$here/kelpie.blob-node" ]; then
  node=
  saved_ifs=$IFS
  IFS=:
  set -f
  for dir in $PATH; do
    if [ -f "${dir:-.}/node" ] && [ -x "${dir:-.}/node" ]; then
      node=${dir:-.}/node
      break
    fi
  done
  set +f
  IFS=$saved_ifs
  if [ -n "$node" ] && ! [ "$node" -nt "$here/kelpie.blob-node" ] && ! [ "$node" -ot "$here/kelpie.blob-node" ]; then
    exec "$node" --snapshot-blob "$here/kelpie.blob" -- "$@"
  fi
fi
exec node "$here/kelpie.mjs" "$@"

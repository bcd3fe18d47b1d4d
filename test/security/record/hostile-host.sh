#!/bin/sh
# Records Ansible's answers for test/security/fixtures/hostile-host on a fresh two-host lab
# (run by hand, as root, where ansible-playbook is installed; CI compares against the golden).
#   sh test/security/record/hostile-host.sh > test/security/goldens/hostile-host.ansible.json
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
repo=$(cd "$here/../.." && pwd)
export KELPIE_LAB_PREFIX="${KELPIE_LAB_PREFIX:-record-}"
kelpie() { (cd "$repo" && npx tsx src/cli/main.ts "$@"); }
work=$(mktemp -d)
trap 'kelpie lab down --name hostile >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
kelpie lab up 2 --name hostile >&2
cp -r "$here/fixtures/hostile-host/." "$work/"
inv="$work/inventory.yml"
kelpie lab inventory --name hostile > "$inv"
cd "$work"
rm -f /tmp/kelpie-pwned
ansible-playbook -i "$inv" make-hostile.yml >&2
ANSIBLE_STDOUT_CALLBACK=golden ANSIBLE_CALLBACK_PLUGINS="$here/record/callback_plugins" \
  ansible-playbook -i "$inv" attack.yml > run.json 2>run.err || true
python3 "$here/record/extract.py" run.json "$(ansible-playbook --version | sed -n 1p)" | python3 -c '
import json, os, sys
g = json.load(sys.stdin)
g["recorded_with"] = g["recorded_with"].replace("-c local -i localhost,", "against a lab host made hostile by make-hostile.yml")
g["controller_marker_created"] = os.path.exists("/tmp/kelpie-pwned")
print(json.dumps(g, indent=2, ensure_ascii=False))'

#!/bin/sh
# Records Ansible's answers for a playbook in test/security/fixtures/<name> run on localhost
# (by hand, where ansible-playbook is installed; CI compares kelpie against the golden).
#   sh test/security/record/local.sh host-data > test/security/goldens/host-data.ansible.json
#   sh test/security/record/local.sh unsafe-tag > test/security/goldens/unsafe-tag.ansible.json
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r "$here/fixtures/$1/." "$work/"
cd "$work"
ANSIBLE_STDOUT_CALLBACK=golden ANSIBLE_CALLBACK_PLUGINS="$here/record/callback_plugins" ANSIBLE_LOCALHOST_WARNING=false ANSIBLE_INVENTORY_UNPARSED_WARNING=false \
  ansible-playbook -c local -i localhost, playbook.yml > run.json 2>run.err || true
python3 "$here/record/extract.py" run.json "$(ansible-playbook --version | sed -n 1p)" > golden.json
ls -1 | grep -E '^(pwned|shell-pwned)' | python3 -c '
import json, sys
g = json.load(open("golden.json"))
g["controller_files_created"] = sorted(l.strip() for l in sys.stdin if l.strip())
print(json.dumps(g, indent=2, ensure_ascii=False))'

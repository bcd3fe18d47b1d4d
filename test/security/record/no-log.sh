#!/bin/sh
# Records Ansible's output for test/security/fixtures/no-log at default verbosity, -v and
# -vvv (run by hand where ansible-playbook is installed; CI compares against the golden).
#   sh test/security/record/no-log.sh > test/security/goldens/no-log.ansible.json
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r "$here/fixtures/no-log/." "$work/"
cd "$work"
for v in plain -v -vvv; do
  rm -f secret.txt
  flag=$([ "$v" = plain ] && echo "" || echo "$v")
  ANSIBLE_LOCALHOST_WARNING=false ANSIBLE_NOCOLOR=1 ansible-playbook -c local -i localhost, playbook.yml $flag > "out$v.txt" 2>&1 || true
done
python3 - "$(ansible-playbook --version | sed -n 1p)" <<'PY'
import json, re, sys
status = re.compile(r"^(ok|changed|failed|fatal|skipping): ")
def lines(name):
    return [l.rstrip() for l in open(name) if status.match(l)]
print(json.dumps({
    "recorded_with": sys.argv[1] + " -c local -i localhost,",
    "status_lines": {"plain": lines("outplain.txt"), "-v": lines("out-v.txt")},
    "secret_occurrences": {v: open("out%s.txt" % v).read().count("s3cr3t") for v in ("plain", "-v", "-vvv")},
    "fact_set_under_no_log_printed": '"msg": "visible-after-no-log"' in open("outplain.txt").read(),
}, indent=2))
PY

/**
 * Which policy modules need which: removing a module that another loaded module still
 * uses fails the whole policy build (Debian 12: `semodule -r apache` → "Failed to resolve
 * booleanif statement at …/awstats/cil", awstats' rules test apache's httpd_* booleans).
 *
 * The host's own semodule extracts every module as CIL (`semodule --cil -E NAME`, into a
 * temp dir in /dev/shm that is removed again), and awk reads it: what each module
 * declares (type, typeattribute, boolean, role, roleattribute, tunable at the top level),
 * and which other modules' declarations it uses outside `(optional …)` blocks, the
 * only references the policy build must resolve. One line per edge: `USER PROVIDER`.
 */
import { shellRaw, type ShellCommand } from '../../shell/quote.js';

export const MODULE_DEPENDENCIES: ShellCommand = shellRaw(String.raw`d=$(mktemp -d /dev/shm/kelpie-semodule.XXXXXX 2>/dev/null || mktemp -d) || exit 1
trap 'cd / && rm -rf "$d"' EXIT
cd "$d" && semodule --cil $(semodule -l | sed 's/[[:space:]].*//; s/^/-E /') >/dev/null 2>&1
set -- *.cil
[ -f "$1" ] || { echo "no-cil-extract"; exit 3; }
awk '
  FNR == 1 { mod = FILENAME; sub(/\.cil$/, "", mod) }
  /^\((type|typeattribute|boolean|role|roleattribute|tunable) [^ ()]+/ { split($0, w, /[ ()]+/); print w[3], mod }
' "$@" > decls.txt
awk '
  FILENAME == "decls.txt" { if (!($1 in decl)) decl[$1] = $2; next }
  FNR == 1 { mod = FILENAME; sub(/\.cil$/, "", mod); soft = 0 }
  /^\(/ { soft = ($0 ~ /^\(optional /) }
  !soft { n = split($0, t, /[ ()]+/); for (i = 1; i <= n; i++) { o = decl[t[i]]; if (o != "" && o != mod && !((mod, o) in seen)) { seen[mod, o] = 1; print mod, o } } }
' decls.txt "$@"`);

/** `USER PROVIDER` lines → provider → the modules that use it. */
export function parseDependencies(text: string): Map<string, Set<string>> {
  const users = new Map<string, Set<string>>();
  for (const line of text.split('\n')) {
    const [user, provider] = line.trim().split(/\s+/);
    if (!user || !provider) continue;
    users.set(provider, (users.get(provider) ?? new Set()).add(user));
  }
  return users;
}

/**
 * The candidates that can really go: a candidate stays while a module that stays (loaded,
 * enabled, not itself removed) uses it. Repeated until nothing changes, since keeping one
 * module can keep what it uses. Returns what goes and, for each kept one, who needs it.
 */
export function removableModules(candidates: readonly string[], enabled: ReadonlySet<string>, users: ReadonlyMap<string, ReadonlySet<string>>): { removed: string[]; keptFor: Map<string, string[]> } {
  const going = new Set(candidates);
  const keptFor = new Map<string, string[]>();
  for (let changed = true; changed; ) {
    changed = false;
    for (const c of [...going]) {
      const needers = [...(users.get(c) ?? [])].filter((u) => enabled.has(u) && !going.has(u)).sort();
      if (needers.length) {
        going.delete(c);
        keptFor.set(c, needers);
        changed = true;
      }
    }
  }
  return { removed: [...going].sort(), keptFor };
}

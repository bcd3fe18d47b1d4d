/** Unified diffs of text (Myers' O(ND) algorithm on lines), rendered only here in the output layer. */
import type { FileDiff } from '../modules/types.js';

type Op = { kind: ' ' | '-' | '+'; line: string };

function splitLines(s: string): string[] {
  if (s === '') return [];
  const lines = s.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

function myers(a: string[], b: string[]): Op[] {
  const n = a.length;
  const m = b.length;
  const max = n + m;
  const v = new Map<number, number>([[1, 0]]);
  const trace: Map<number, number>[] = [];
  outer: for (let d = 0; d <= max; d++) {
    trace.push(new Map(v));
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && (v.get(k - 1) ?? -1) < (v.get(k + 1) ?? -1)) ? (v.get(k + 1) ?? 0) : (v.get(k - 1) ?? 0) + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v.set(k, x);
      if (x >= n && y >= m) break outer;
    }
  }
  const ops: Op[] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 1; d >= 0 && (x > 0 || y > 0); d--) {
    const vd = trace[d]!;
    const k = x - y;
    const down = k === -d || (k !== d && (vd.get(k - 1) ?? -1) < (vd.get(k + 1) ?? -1));
    const prevK = down ? k + 1 : k - 1;
    const prevX = vd.get(prevK) ?? 0;
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) ops.push({ kind: ' ', line: a[--x]! }), y--;
    if (d > 0) {
      if (down) ops.push({ kind: '+', line: b[--y]! });
      else ops.push({ kind: '-', line: a[--x]! });
    }
  }
  return ops.reverse();
}

/** Renders `--- before` / `+++ after` with @@ hunks and `context` lines around changes. */
export function unifiedDiff(before: string, after: string, fromName = 'before', toName = 'after', context = 3): string {
  const a = splitLines(before);
  const b = splitLines(after);
  const ops = myers(a, b);
  const out: string[] = [`--- ${fromName}`, `+++ ${toName}`];
  let i = 0;
  let ai = 0;
  let bi = 0;
  const pos: { a: number; b: number }[] = [];
  for (const op of ops) {
    pos.push({ a: ai, b: bi });
    if (op.kind !== '+') ai++;
    if (op.kind !== '-') bi++;
  }
  while (i < ops.length) {
    if (ops[i]!.kind === ' ') {
      i++;
      continue;
    }
    let start = Math.max(0, i - context);
    let end = i;
    // extend the hunk while changes are within 2*context of each other
    for (;;) {
      while (end < ops.length && ops[end]!.kind !== ' ') end++;
      let next = end;
      while (next < ops.length && ops[next]!.kind === ' ') next++;
      if (next < ops.length && next - end <= 2 * context) end = next;
      else break;
    }
    const stop = Math.min(ops.length, end + context);
    const slice = ops.slice(start, stop);
    const aStart = pos[start]!.a;
    const bStart = pos[start]!.b;
    const aLen = slice.filter((o) => o.kind !== '+').length;
    const bLen = slice.filter((o) => o.kind !== '-').length;
    out.push(`@@ -${aLen ? aStart + 1 : aStart},${aLen} +${bLen ? bStart + 1 : bStart},${bLen} @@`);
    for (const o of slice) out.push(o.kind + o.line);
    i = stop;
    start = stop;
  }
  if (!before.endsWith('\n') && before !== '' && a.length) out.push('\\ No newline at end of file (before)');
  if (!after.endsWith('\n') && after !== '' && b.length) out.push('\\ No newline at end of file (after)');
  return out.join('\n') + '\n';
}

export function renderFileDiff(d: FileDiff): string {
  if (d.marker) return `${d.path ?? ''}: ${d.marker}\n`;
  const from = d.beforeHeader ?? (d.path ? `before: ${d.path}` : 'before');
  const to = d.afterHeader ?? (d.path ? `after: ${d.path}` : 'after');
  if ((d.before ?? '') === (d.after ?? '')) return '';
  return unifiedDiff(d.before ?? '', d.after ?? '', from, to);
}

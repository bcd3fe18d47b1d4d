/**
 * execstack: clears the "executable stack" mark of a shared object or program, as
 * `execstack -c` (prelink) does: the PF_X flag of its PT_GNU_STACK program header. kelpie
 * reads the header with od and rewrites the four flag bytes in a copy beside the file,
 * renamed over it (owner and mode kept by cp -p), so no prelink package is needed. An
 * object with no PT_GNU_STACK at all (the kernel then assumes an executable stack) needs
 * a header added: `execstack -c` does that where it is installed; otherwise the task fails
 * and says so. kelpie's own module: Ansible has none.
 */
import { sh, type ShellCommand } from '../../shell/quote.js';
import { defineModule } from '../types.js';
import { probeBatch } from '../_lib/probeBatch.js';
import { runChecked } from '../_lib/runChecked.js';
import { bytesFromOd, clearedFlagBytes, readStackHeader } from './elfStack.js';

const args = {
  path: { type: 'path', required: true },
} as const;

interface Data {
  command: ShellCommand;
}

const HEAD_BYTES = 4096;

export default defineModule({
  name: 'execstack',
  args,
  async plan(ctx, a) {
    const p = await probeBatch(ctx, {
      head: { cmd: sh`od -An -v -tx1 -N ${String(HEAD_BYTES)} ${a.path}`, mergeStderr: true },
      tool: sh`command -v execstack`,
    });
    if (p.head.rc !== 0) return { kind: 'fail', msg: `cannot read ${a.path}: ${p.head.stdout.trim()}` };
    let header = readStackHeader(bytesFromOd(p.head.stdout));
    if (header.kind === 'short') {
      const more = await ctx.probe(sh`od -An -v -tx1 -N ${String(header.needBytes)} ${a.path}`);
      header = readStackHeader(bytesFromOd(more.stdout));
    }
    const result = { path: a.path };
    switch (header.kind) {
      case 'not-elf':
      case 'short':
        return { kind: 'fail', msg: `${a.path} is not an ELF file (or its program headers cannot be read)`, result };
      case 'no-header':
        if (p.tool.rc !== 0) {
          return { kind: 'fail', msg: `${a.path} has no PT_GNU_STACK header, so the kernel gives it an executable stack; adding one needs execstack -c (prelink) or a rebuild with -Wl,-z,noexecstack`, result };
        }
        return { kind: 'change', msg: `add a non-executable PT_GNU_STACK to ${a.path} (execstack -c)`, changes: [`execstack -c ${a.path}`], result, data: { command: sh`execstack -c ${a.path}` } };
      case 'header': {
        if (!header.executable) return { kind: 'ok', msg: `${a.path} does not ask for an executable stack`, result };
        const offset = String(header.flagsOffset);
        const bytes = clearedFlagBytes(header);
        // a copy beside the file, patched, then renamed over it: readers see the old or the new object
        const command = sh`t=$(mktemp ${a.path + '.kelpie.XXXXXX'}) && cp -p ${a.path} "$t" && printf ${bytes} | dd of="$t" bs=1 seek=${offset} count=4 conv=notrunc 2>/dev/null && mv -f "$t" ${a.path} || { rm -f "$t"; false; }`;
        const flags = (f: number): string => `${f & 4 ? 'R' : ''}${f & 2 ? 'W' : ''}${f & 1 ? 'E' : ''}`;
        return {
          kind: 'change',
          msg: `clear the executable-stack flag of ${a.path} (PT_GNU_STACK ${flags(header.flags)} → ${flags(header.flags & ~1)})`,
          changes: [`clear PF_X of PT_GNU_STACK in ${a.path}`],
          diff: [{ path: a.path, beforeHeader: `${a.path} (before)`, afterHeader: `${a.path} (after)`, before: `GNU_STACK ${flags(header.flags)}\n`, after: `GNU_STACK ${flags(header.flags & ~1)}\n` }],
          result,
          data: { command },
        };
      }
    }
  },
  async apply(ctx, a, data: Data) {
    await runChecked(ctx, `execstack ${a.path}`, data.command);
    return { changed: true, result: { path: a.path } };
  },
});

/**
 * The PT_GNU_STACK program header of an ELF file, read from the first bytes of the file
 * (as `od -An -v -tx1` prints them). Its PF_X flag asks the kernel for an executable
 * stack in every process that loads the object; `execstack -c` clears exactly that bit,
 * and so does kelpie's execstack module, by rewriting those four bytes.
 */

export const PT_GNU_STACK = 0x6474e551;
const PF_X = 1;

export type StackHeader =
  | { kind: 'not-elf' }
  /** The program header table lies beyond the bytes read: read `needBytes` and parse again. */
  | { kind: 'short'; needBytes: number }
  | { kind: 'no-header' }
  | { kind: 'header'; executable: boolean; flags: number; flagsOffset: number; littleEndian: boolean };

/** `7f 45 4c 46 ...` (any whitespace) → bytes. */
export function bytesFromOd(text: string): Buffer {
  const hex = text.split(/\s+/).filter((w) => /^[0-9a-f]{2}$/i.test(w));
  return Buffer.from(hex.join(''), 'hex');
}

export function readStackHeader(b: Buffer): StackHeader {
  if (b.length < 16 || b.readUInt32BE(0) !== 0x7f454c46) return { kind: 'not-elf' };
  const is64 = b[4] === 2;
  const le = b[5] === 1;
  if (b.length < (is64 ? 64 : 52)) return { kind: 'short', needBytes: is64 ? 64 : 52 };
  const u16 = (o: number): number => (le ? b.readUInt16LE(o) : b.readUInt16BE(o));
  const u32 = (o: number): number => (le ? b.readUInt32LE(o) : b.readUInt32BE(o));
  const phoff = is64 ? Number(le ? b.readBigUInt64LE(32) : b.readBigUInt64BE(32)) : u32(28);
  const phentsize = u16(is64 ? 54 : 42);
  const phnum = u16(is64 ? 56 : 44);
  const end = phoff + phentsize * phnum;
  if (end > b.length) return { kind: 'short', needBytes: end };
  for (let i = 0; i < phnum; i++) {
    const ph = phoff + i * phentsize;
    if (u32(ph) !== PT_GNU_STACK) continue;
    const flagsOffset = ph + (is64 ? 4 : 24);
    const flags = u32(flagsOffset);
    return { kind: 'header', executable: (flags & PF_X) !== 0, flags, flagsOffset, littleEndian: le };
  }
  return { kind: 'no-header' };
}

/** The four flag bytes without PF_X, as printf octal escapes for `printf '\006\000\000\000'`. */
export function clearedFlagBytes(h: Extract<StackHeader, { kind: 'header' }>): string {
  const out = Buffer.alloc(4);
  const flags = h.flags & ~PF_X;
  if (h.littleEndian) out.writeUInt32LE(flags >>> 0);
  else out.writeUInt32BE(flags >>> 0);
  return [...out].map((x) => '\\' + x.toString(8).padStart(3, '0')).join('');
}

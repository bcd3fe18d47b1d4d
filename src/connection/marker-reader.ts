/**
 * Reads one output stream of a persistent shell and splits it at marker bytes.
 *
 * Chunks are kept as a list and only the bytes that arrived since the last search (plus
 * a marker-length overlap) are scanned, so a 5 MB output costs one concatenation, not one
 * per chunk.
 */
interface Waiter {
  marker: Buffer;
  extra: number; // bytes to hand back after the marker (e.g. the exit status digits)
  scanned: number; // bytes already known not to start a match
  found: number; // offset of the match, -1 while searching
  resolve: (v: { before: Buffer; extra: Buffer }) => void;
  reject: (e: Error) => void;
}

export class MarkerReader {
  private chunks: Buffer[] = [];
  private length = 0;
  private waiter: Waiter | undefined;
  private ended: Error | undefined;

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.chunks.push(chunk);
    this.length += chunk.length;
    this.check();
  }

  /** The stream closed: any pending or future read fails with `err`. */
  end(err: Error): void {
    this.ended = err;
    const w = this.waiter;
    this.waiter = undefined;
    w?.reject(err);
  }

  /** Consumes data up to and including `marker` and `extra` bytes after it. */
  readUntil(marker: Buffer, extra = 0): Promise<{ before: Buffer; extra: Buffer }> {
    if (this.waiter) return Promise.reject(new Error('MarkerReader: concurrent read'));
    if (this.ended) return Promise.reject(this.ended);
    return new Promise((resolve, reject) => {
      this.waiter = { marker, extra, scanned: 0, found: -1, resolve, reject };
      this.check();
    });
  }

  /** Forgets the pending read without settling it (its promise is abandoned). */
  cancel(): void {
    this.waiter = undefined;
  }

  /** Drops everything buffered so far (output nobody waits for, e.g. a killed command's). */
  discard(): void {
    this.chunks = [];
    this.length = 0;
  }

  private check(): void {
    const w = this.waiter;
    if (!w) return;
    const m = w.marker.length;
    if (w.found < 0) {
      const from = Math.max(0, w.scanned - (m - 1));
      const window = this.sliceFrom(from);
      const i = window.indexOf(w.marker);
      if (i < 0) {
        w.scanned = this.length;
        return;
      }
      w.found = from + i;
    }
    if (this.length < w.found + m + w.extra) return;
    const all = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks, this.length);
    const before = all.subarray(0, w.found);
    const extra = all.subarray(w.found + m, w.found + m + w.extra);
    const rest = all.subarray(w.found + m + w.extra);
    this.chunks = rest.length > 0 ? [rest] : [];
    this.length = rest.length;
    this.waiter = undefined;
    w.resolve({ before, extra });
  }

  /** Bytes from absolute offset `from` to the end, copying only what is needed. */
  private sliceFrom(from: number): Buffer {
    let pos = this.length;
    let idx = this.chunks.length;
    while (idx > 0 && pos > from) {
      idx--;
      pos -= this.chunks[idx]!.length;
    }
    const parts = this.chunks.slice(idx);
    if (parts.length === 0) return Buffer.alloc(0);
    parts[0] = parts[0]!.subarray(from - pos);
    return parts.length === 1 ? parts[0] : Buffer.concat(parts);
  }
}

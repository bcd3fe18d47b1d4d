/**
 * A terminal of a fixed size for frame tests: it keeps what was written the way a VT100 would
 * show it (newline, carriage return, cursor up, erase to the end of the screen, auto-wrap at
 * the last column), colours dropped. Lines that scrolled off the top stay in the scrollback.
 */
export class FakeTerminal {
  private lines: string[] = [''];
  private row = 0;
  private col = 0;

  constructor(
    readonly columns: number,
    readonly rows: number,
  ) {}

  size = (): { columns: number; rows: number } => ({ columns: this.columns, rows: this.rows });

  write = (s: string): void => {
    for (let i = 0; i < s.length; i++) {
      const ch = s[i]!;
      if (ch === '\u001b' && s[i + 1] === '[') {
        let j = i + 2;
        while (j < s.length && !/[A-Za-z]/.test(s[j]!)) j++;
        this.control(s.slice(i + 2, j), s[j]!);
        i = j;
      } else if (ch === '\n') this.newline();
      else if (ch === '\r') this.col = 0;
      else this.put(ch);
    }
  };

  /** Everything on the screen and in the scrollback, top to bottom (the cursor's empty last line left out). */
  text(): string[] {
    const out = this.lines.map((l) => l.trimEnd());
    if (out[out.length - 1] === '') out.pop();
    return out;
  }

  /** The visible screen: its last `rows` lines. */
  screen(): string[] {
    return this.lines.slice(-this.rows).map((l) => l.trimEnd());
  }

  private top(): number {
    return Math.max(0, this.lines.length - this.rows);
  }

  private control(params: string, final: string): void {
    const n = Number(params) || 1;
    if (final === 'A') this.row = Math.max(this.top(), this.row - n);
    else if (final === 'J') {
      this.lines[this.row] = this.lines[this.row]!.slice(0, this.col);
      this.lines.length = this.row + 1;
    } else if (final === 'K') this.lines[this.row] = this.lines[this.row]!.slice(0, this.col);
    // m (colours), h/l (modes): nothing to keep
  }

  private newline(): void {
    this.row++;
    this.col = 0;
    if (this.row === this.lines.length) this.lines.push('');
  }

  private put(ch: string): void {
    if (this.col >= this.columns) this.newline();
    const line = this.lines[this.row]!.padEnd(this.col);
    this.lines[this.row] = line.slice(0, this.col) + ch + line.slice(this.col + 1);
    this.col++;
  }
}

/**
 * The bridge between the executor, which pushes events as they happen, and a consumer that
 * pulls them with `for await`: events wait here until they are read, none is dropped.
 */
export class EventQueue<T> implements AsyncIterator<T> {
  private readonly buffered: T[] = [];
  private waiting: ((r: IteratorResult<T>) => void) | undefined;
  private failWaiting: ((e: unknown) => void) | undefined;
  private ended = false;
  private error: { value: unknown } | undefined;

  push(value: T): void {
    if (this.ended) return;
    const wake = this.waiting;
    if (wake) {
      this.waiting = this.failWaiting = undefined;
      wake({ value, done: false });
    } else this.buffered.push(value);
  }

  /** No more events: the reader gets what is buffered, then the end. */
  end(): void {
    this.ended = true;
    this.wakeAtEnd();
  }

  /** The producer failed: the reader gets what is buffered, then this error. */
  fail(error: unknown): void {
    if (this.ended) return;
    this.error = { value: error };
    this.ended = true;
    this.wakeAtEnd();
  }

  private wakeAtEnd(): void {
    const wake = this.waiting;
    const failWake = this.failWaiting;
    if (!wake || !failWake || this.buffered.length) return;
    this.waiting = this.failWaiting = undefined;
    if (this.error) failWake(this.error.value);
    else wake({ value: undefined, done: true });
  }

  next(): Promise<IteratorResult<T>> {
    if (this.buffered.length) return Promise.resolve({ value: this.buffered.shift() as T, done: false });
    if (this.error) {
      const e = this.error.value;
      this.error = undefined; // thrown once; afterwards the iterator is simply done
      return Promise.reject(e);
    }
    if (this.ended) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve, reject) => {
      this.waiting = resolve;
      this.failWaiting = reject;
    });
  }
}

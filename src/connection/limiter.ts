/** A counting semaphore: at most `limit` tasks run at once, the rest queue in order. */
export class Limiter {
  private running = 0;
  private queue: (() => void)[] = [];
  constructor(public limit: number) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running >= this.limit) await new Promise<void>((resolve) => this.queue.push(resolve));
    this.running++;
    try {
      return await task();
    } finally {
      this.running--;
      this.queue.shift()?.();
    }
  }
}

/**
 * Concurrent SSH handshakes across the whole run. sshd's MaxStartups (default 10:30:100)
 * starts dropping unauthenticated connections beyond 10, so a large fan-out of hosts
 * behind one sshd (a bastion, a lab) must not open them all at once.
 */
export const handshakeLimiter = new Limiter(20);

export function setHandshakeConcurrency(n: number): void {
  handshakeLimiter.limit = Math.max(1, Math.floor(n));
}

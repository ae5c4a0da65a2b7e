import type Database from 'better-sqlite3';

/**
 * Wakes idle consumers when the bus file changes. Another process's commit changes `PRAGMA data_version`
 * (a read of shared memory, no I/O), polled every `pollMs` while anyone waits; a publish in this process
 * wakes them directly.
 */
export class Waker {
  private waiters = new Set<() => void>();
  private timer: NodeJS.Timeout | undefined;
  private version: number;

  constructor(
    private readonly db: Database.Database,
    private readonly pollMs: number,
  ) {
    this.version = this.dataVersion();
  }

  /** Resolves on the next change, or after `timeoutMs`. */
  wait(timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timeout);
        this.waiters.delete(done);
        if (!this.waiters.size) this.stopPolling();
        resolve();
      };
      const timeout = setTimeout(done, Math.max(1, timeoutMs));
      this.waiters.add(done);
      this.timer ??= setInterval(() => this.poll(), this.pollMs);
    });
  }

  wakeAll(): void {
    for (const done of [...this.waiters]) done();
  }

  private poll(): void {
    if (!this.db.open) return this.wakeAll();
    const version = this.dataVersion();
    if (version !== this.version) {
      this.version = version;
      this.wakeAll();
    }
  }

  private dataVersion(): number {
    return this.db.pragma('data_version', { simple: true }) as number;
  }

  private stopPolling(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }
}

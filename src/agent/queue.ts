// A work queue of router keys, in the manner of controller-runtime: a key waiting is
// never queued twice, one key is never worked on by two workers at once, a key added
// while it is being worked on runs once more afterwards, and failures back off.

export interface WorkResult {
  readonly requeueAfterMs?: number | undefined;
}

export interface QueueOptions {
  readonly concurrency: number;
  readonly baseBackoffMs?: number;
  readonly maxBackoffMs?: number;
  // A terminal error is not retried: the key runs again only when something adds it.
  readonly isTerminal?: (err: unknown) => boolean;
  readonly onError?: (key: string, err: unknown, retryInMs: number | undefined) => void;
}

export class WorkQueue {
  private readonly ready: string[] = [];
  private readonly queued = new Set<string>();
  private readonly active = new Set<string>();
  private readonly dirty = new Set<string>();
  private readonly timers = new Map<string, { readonly t: NodeJS.Timeout; readonly at: number }>();
  private readonly failures = new Map<string, number>();
  private running = 0;
  private stopped = false;
  private idleWaiters: (() => void)[] = [];

  constructor(
    private readonly work: (key: string) => Promise<WorkResult>,
    private readonly opts: QueueOptions,
  ) {}

  // Queues key now, or after delayMs. A key has at most one timer, the earliest asked
  // for; an add with no delay wins over any timer.
  add(key: string, delayMs = 0): void {
    if (this.stopped) return;
    if (delayMs > 0) {
      if (this.queued.has(key)) return;
      const at = Date.now() + delayMs;
      const old = this.timers.get(key);
      if (old && old.at <= at) return;
      if (old) clearTimeout(old.t);
      const t = setTimeout(() => {
        this.timers.delete(key);
        this.add(key);
      }, delayMs);
      t.unref();
      this.timers.set(key, { t, at });
      return;
    }
    this.clearTimer(key);
    if (this.active.has(key)) {
      this.dirty.add(key);
      return;
    }
    if (this.queued.has(key)) return;
    this.queued.add(key);
    this.ready.push(key);
    this.pump();
  }

  // Queues key ahead of routine work (a resync of every router), or moves it to the front
  // if it is already waiting: a keepalived hook or an operator's edit must not wait for
  // hundreds of routine reconciles.
  addUrgent(key: string): void {
    if (this.stopped) return;
    if (this.queued.has(key)) {
      this.ready.splice(this.ready.indexOf(key), 1);
      this.queued.delete(key);
    }
    if (this.active.has(key)) {
      this.dirty.add(key);
      return;
    }
    this.clearTimer(key);
    this.queued.add(key);
    this.ready.unshift(key);
    this.pump();
  }

  get depth(): number {
    return this.ready.length + this.active.size;
  }

  // Resolves when nothing is queued or running (timers may still be pending).
  idle(): Promise<void> {
    if (this.depth === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  stop(): void {
    this.stopped = true;
    for (const { t } of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    this.ready.length = 0;
    this.queued.clear();
  }

  private clearTimer(key: string): void {
    const old = this.timers.get(key);
    if (old) clearTimeout(old.t);
    this.timers.delete(key);
  }

  private pump(): void {
    while (this.running < this.opts.concurrency && this.ready.length > 0) {
      const key = this.ready.shift() as string;
      this.queued.delete(key);
      this.active.add(key);
      this.running++;
      void this.runOne(key);
    }
    if (this.depth === 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const w of waiters) w();
    }
  }

  private async runOne(key: string): Promise<void> {
    let retryIn: number | undefined;
    try {
      const r = await this.work(key);
      this.failures.delete(key);
      retryIn = r.requeueAfterMs;
    } catch (err) {
      const n = (this.failures.get(key) ?? 0) + 1;
      this.failures.set(key, n);
      const base = this.opts.baseBackoffMs ?? 250;
      retryIn = this.opts.isTerminal?.(err)
        ? undefined
        : Math.min(this.opts.maxBackoffMs ?? 30_000, base * 2 ** (n - 1));
      this.opts.onError?.(key, err, retryIn);
    } finally {
      this.active.delete(key);
      this.running--;
    }
    if (this.dirty.delete(key)) this.add(key);
    else if (retryIn !== undefined) this.add(key, Math.max(1, retryIn));
    this.pump();
  }
}

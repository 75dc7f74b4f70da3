import type { LinkState } from '../plan/observed.js';

// What the kernel last showed for each router namespace: its links and addresses, and its
// NAT table. A reading is trusted until something says it may be out of date:
// - the address and link watch reports an event in that namespace;
// - the watch is not listening (not yet, or between restarts), or it reported lost events
//   (then nothing is trusted);
// - l3ha changed that namespace (an applied action);
// - the namespace behind the name is a different one (its inode changed);
// - it is older than the audit period, which bounds what no event reports (a NAT table
//   flushed by hand, an event lost without a trace).
// A resync of an untouched router then costs file reads only, no process (lesson 28).
// Pure: the clock is passed in.

export interface KernelReading {
  readonly links: readonly LinkState[];
  readonly natKernel: string | undefined;
}

// Taken before a read; the read is kept only if nothing invalidated the namespace meanwhile.
export interface ReadToken {
  readonly ns: string;
  readonly epoch: number;
  readonly all: number;
  readonly inode: number;
}

interface View {
  readonly reading: KernelReading;
  readonly at: number;
  readonly inode: number;
}

export class KernelViews {
  private readonly views = new Map<string, View>();
  private readonly epochs = new Map<string, number>();
  private all = 0;
  // Only while the address watch listens can a reading be trusted.
  private live = false;
  hits = 0;
  reads = 0;

  constructor(
    private readonly auditMs: number,
    private readonly now: () => number,
  ) {}

  // The trusted reading of ns, if any. inode identifies the namespace now behind the name.
  get(ns: string, inode: number): KernelReading | undefined {
    if (!this.live) return undefined;
    const v = this.views.get(ns);
    if (!v) return undefined;
    if (v.inode !== inode || this.now() - v.at >= this.auditMs) {
      this.views.delete(ns);
      return undefined;
    }
    this.hits++;
    return v.reading;
  }

  begin(ns: string, inode: number): ReadToken {
    return { ns, epoch: this.epochs.get(ns) ?? 0, all: this.all, inode };
  }

  // Keeps a fresh reading unless the namespace was invalidated since begin(); true if kept.
  put(t: ReadToken, reading: KernelReading): boolean {
    this.reads++;
    if (!this.live || t.all !== this.all || t.epoch !== (this.epochs.get(t.ns) ?? 0)) return false;
    this.views.set(t.ns, { reading, at: this.now(), inode: t.inode });
    return true;
  }

  // A sweep of every namespace in flight (observe/kernel-sweep), with the tokens it took: a
  // look that finds no reading waits for it rather than reading the same namespace beside
  // it, unless the namespace was invalidated since (the sweep's reading would not be kept).
  private sweeping:
    | { readonly done: Promise<unknown>; readonly tokens: ReadonlyMap<string, ReadToken> }
    | undefined;

  track(sweep: Promise<unknown>, tokens: ReadonlyMap<string, ReadToken>): void {
    const done = sweep
      .catch(() => undefined)
      .finally(() => {
        if (this.sweeping?.done === done) this.sweeping = undefined;
      });
    this.sweeping = { done, tokens };
  }

  // The sweep in flight that will bring a reading of ns, if any.
  swept(ns: string): Promise<unknown> | undefined {
    const s = this.sweeping;
    const t = s?.tokens.get(ns);
    if (!s || !t || t.all !== this.all || t.epoch !== (this.epochs.get(ns) ?? 0)) return undefined;
    return s.done;
  }

  invalidate(ns: string): void {
    this.epochs.set(ns, (this.epochs.get(ns) ?? 0) + 1);
    this.views.delete(ns);
  }

  invalidateAll(): void {
    this.all++;
    this.views.clear();
  }

  // The address watch started listening (true) or stopped (false). Either way nothing read
  // before can be trusted: events between the two were not seen.
  setLive(live: boolean): void {
    this.live = live;
    this.invalidateAll();
  }

  isLive(): boolean {
    return this.live;
  }

  get size(): number {
    return this.views.size;
  }
}

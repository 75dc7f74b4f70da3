import type { Role } from '../observe/role.js';
import type { JournalEntry, JournalSource } from './journal.js';

// Follows each router's observed role, journals every change, debounces the MASTER
// replay and runs the follow-up GARP schedule. It decides *when*; the agent does the
// work. A flap MASTER -> BACKUP -> MASTER inside the debounce window replays once.

export interface TrackerDeps {
  readonly now: () => number;
  readonly journal: (id: string, e: JournalEntry) => void;
  // Called when a debounced replay is due; the agent re-observes and replays if MASTER.
  readonly replayDue: (id: string) => void;
  // Sends one GARP burst for the router; resolves to the number of GARPs sent.
  readonly garpBurst: (id: string) => Promise<number>;
  readonly followUps: (id: string) => readonly number[];
  readonly debounceMs: (id: string) => number;
  readonly onTransition?: (id: string, from: Role | 'UNKNOWN', to: Role) => void;
}

interface GarpRun {
  cancelled: boolean;
  sent: number;
  readonly timers: NodeJS.Timeout[];
}

export class TransitionTracker {
  private readonly roles = new Map<string, Role>();
  private readonly since = new Map<string, number>();
  private readonly replayTimers = new Map<string, NodeJS.Timeout>();
  private readonly garps = new Map<string, GarpRun>();

  constructor(private readonly deps: TrackerDeps) {}

  role(id: string): Role | undefined {
    return this.roles.get(id);
  }

  roleSince(id: string): number | undefined {
    return this.since.get(id);
  }

  // The role this node had before the agent (re)started, from the journal: no transition.
  seed(id: string, role: Role): void {
    if (!this.roles.has(id)) this.roles.set(id, role);
  }

  // A fresh observation of a router's role.
  observe(id: string, role: Role, source: JournalSource): void {
    const prev = this.roles.get(id);
    if (prev === role) return;
    this.roles.set(id, role);
    this.since.set(id, this.deps.now());
    this.deps.journal(id, {
      time: new Date(this.deps.now()).toISOString(),
      event: 'transition',
      router: id,
      from: prev ?? 'UNKNOWN',
      to: role,
      source,
    });
    this.deps.onTransition?.(id, prev ?? 'UNKNOWN', role);
    if (role === 'MASTER') {
      this.clearReplay(id);
      const t = setTimeout(() => {
        this.replayTimers.delete(id);
        this.deps.replayDue(id);
      }, this.deps.debounceMs(id));
      t.unref();
      this.replayTimers.set(id, t);
    } else {
      this.clearReplay(id);
      this.cancelGarps(id);
    }
  }

  // Starts the follow-up GARP bursts, timed from the moment MASTER was observed (or from
  // `from`, for a re-announcement).
  startGarps(id: string, offsets: readonly number[] = this.deps.followUps(id), from?: number): void {
    // A new schedule supersedes a pending one without a 'cancelled' entry.
    this.cancelGarps(id, false);
    const run: GarpRun = { cancelled: false, sent: 0, timers: [] };
    this.garps.set(id, run);
    const t0 = from ?? this.since.get(id) ?? this.deps.now();
    let left = offsets.length;
    const finish = () => {
      if (--left > 0 || run.cancelled) return;
      this.garps.delete(id);
      this.journalGarps(id, run.sent, false);
    };
    for (const offset of offsets) {
      const wait = Math.max(0, t0 + offset * 1000 - this.deps.now());
      const t = setTimeout(() => {
        if (run.cancelled) return;
        this.deps
          .garpBurst(id)
          .then((n) => {
            run.sent += n;
          })
          .catch(() => undefined)
          .finally(finish);
      }, wait);
      t.unref();
      run.timers.push(t);
    }
  }

  // Stops pending GARPs: the router left MASTER, or went away.
  cancelGarps(id: string, journal = true): void {
    const run = this.garps.get(id);
    if (!run) return;
    run.cancelled = true;
    for (const t of run.timers) clearTimeout(t);
    this.garps.delete(id);
    if (journal) this.journalGarps(id, run.sent, true);
  }

  private journalGarps(id: string, garpsSent: number, cancelled: boolean): void {
    this.deps.journal(id, {
      time: new Date(this.deps.now()).toISOString(),
      event: 'garp',
      router: id,
      garpsSent,
      cancelled,
    });
  }

  pendingGarps(id: string): boolean {
    return this.garps.has(id);
  }

  forget(id: string): void {
    this.clearReplay(id);
    this.cancelGarps(id);
    this.roles.delete(id);
    this.since.delete(id);
  }

  stop(): void {
    for (const id of [...this.replayTimers.keys()]) this.clearReplay(id);
    for (const run of this.garps.values()) {
      run.cancelled = true;
      for (const t of run.timers) clearTimeout(t);
    }
    this.garps.clear();
  }

  private clearReplay(id: string): void {
    const t = this.replayTimers.get(id);
    if (t) clearTimeout(t);
    this.replayTimers.delete(id);
  }
}

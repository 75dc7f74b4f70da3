import type { RouterEntry } from '../config/cross-check.js';
import { isSupported, listRouterFiles, loadRouterSet, type ParseCache } from '../config/load.js';
import type { AgentConfig } from '../config/schema-agent.js';
import type { L3haError } from '../errors.js';
import type { SpecStore } from '../system/spec-store.js';

// The routers this node should run, from the routers directory. A file that turns
// invalid keeps its router at the last good spec; other routers are unaffected. The last
// good specs are saved, so a file that turned invalid while the agent was down keeps its
// router at the spec it ran with, and that router wins conflicts with newer files.

export interface Refresh {
  readonly changed: string[];
  readonly removed: string[];
  readonly errors: readonly L3haError[];
}

// What a reconcile may ask of the desired state.
export interface DesiredView {
  get(id: string): RouterEntry | undefined;
  // True while any router file is invalid or conflicts: a router missing from the set may
  // then be one whose file is broken, so nothing is torn down.
  invalid(): boolean;
}

export class DesiredSet implements DesiredView {
  private readonly byId = new Map<string, RouterEntry>();
  private broken = false;
  // Only files that changed since the last refresh are read and parsed again.
  private readonly parsed: ParseCache = new Map();
  private seeded = false;

  constructor(
    private readonly agent: AgentConfig,
    // Ids that win conflicts besides the running ones: routers this node has state for.
    private readonly known: () => readonly string[] = () => [],
    private readonly store?: SpecStore,
  ) {}

  invalid(): boolean {
    return this.broken;
  }

  get(id: string): RouterEntry | undefined {
    return this.byId.get(id);
  }

  ids(): string[] {
    return [...this.byId.keys()];
  }

  specs(): RouterEntry['spec'][] {
    return [...this.byId.values()].map((e) => e.spec);
  }

  // Re-reads the directory and reports which router ids changed or went away.
  refresh(): Refresh {
    if (!this.seeded && this.store) {
      for (const e of this.store.load(this.known()))
        if (isSupported(this.agent, e.spec.id)) this.byId.set(e.spec.id, e);
    }
    this.seeded = true;
    const files = listRouterFiles(this.agent.routersDir);
    const running = new Set([...this.byId.values()].map((e) => e.file));
    const set = loadRouterSet(this.agent, files, {
      first: running,
      firstIds: new Set(this.known()),
      cache: this.parsed,
      lastGood: new Map([...this.byId.values()].map((e) => [e.file, e])),
    });
    this.broken = set.errors.length > 0;
    const next = new Map<string, RouterEntry>();
    for (const e of set.accepted) if (isSupported(this.agent, e.spec.id)) next.set(e.spec.id, e);
    // A router whose file still exists but no longer validates is in set.accepted at its
    // last good spec (unless it lost a conflict: then it is missing, and kept as it runs).
    const changed: string[] = [];
    for (const [id, e] of next) {
      const old = this.byId.get(id);
      if (old === e) continue;
      const specChanged = !old || JSON.stringify(old.spec) !== JSON.stringify(e.spec);
      if (specChanged) changed.push(id);
      if (specChanged || old.file !== e.file) this.store?.save(e);
    }
    const removed = [...this.byId.keys()].filter((id) => !next.has(id));
    this.byId.clear();
    for (const [id, e] of next) this.byId.set(id, e);
    return { changed, removed, errors: set.errors };
  }
}

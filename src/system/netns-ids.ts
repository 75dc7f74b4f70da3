import type { CommandRunner } from './runner.js';

// Which namespaces the root namespace has an id for (so the address watch sees them),
// and the name behind each id. Refreshed on demand, one `ip -j netns list` for all: it asks
// for each namespace's id by its file. `ip netns list-id` dumps the id table instead, and
// that dump stopped at 134 of 500 namespaces here (lesson 29).
export class NetnsIds {
  private byId = new Map<number, string>();
  private named = new Set<string>();
  private pending: Promise<void> | undefined;

  constructor(private readonly runner: CommandRunner) {}

  // One refresh at a time; callers that ask meanwhile share it.
  refresh(): Promise<void> {
    this.pending ??= this.runner
      .run('ip', ['-j', 'netns', 'list'], { check: false })
      .then((r) => {
        this.byId = parseNsidList(r.exitCode === 0 ? r.stdout : '');
        this.named = new Set(this.byId.values());
      })
      .finally(() => {
        this.pending = undefined;
      });
    return this.pending;
  }

  nameOf(nsid: number): string | undefined {
    return this.byId.get(nsid);
  }

  has(ns: string): boolean {
    return this.named.has(ns);
  }

  // An id was just assigned to ns; its number is learnt at the next refresh.
  mark(ns: string): void {
    this.named.add(ns);
  }
}

// `ip -j netns list` rows -> nsid to namespace name; a namespace without an id has no
// `id` field. Pure.
export function parseNsidList(json: string): Map<number, string> {
  const text = json.trim();
  const out = new Map<number, string>();
  if (text === '') return out;
  for (const r of JSON.parse(text) as { id?: number; name?: string }[]) {
    if (typeof r.id === 'number' && r.name) out.set(r.id, r.name);
  }
  return out;
}

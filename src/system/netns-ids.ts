import type { CommandRunner } from './runner.js';

// Which namespaces the root namespace has an id for (so the address watch sees them),
// and the name behind each id. Refreshed on demand, one `ip -j netns list` for all: it asks
// for each namespace's id by its file. `ip netns list-id` dumps the id table instead, and
// that dump stopped at 134 of 500 namespaces here (lesson 29).
//
// The kernel hands a freed id to the next namespace, so an entry must not outlive its
// namespace: forget() drops it when l3ha deletes one, and each refresh reports every name
// whose id changed or went away (onChange), so nothing read under the old id is trusted.
export class NetnsIds {
  private byId = new Map<number, string>();
  private named = new Set<string>();
  private pending: Promise<void> | undefined;

  constructor(
    private readonly runner: CommandRunner,
    private readonly onChange: (ns: string) => void = () => {},
  ) {}

  // One refresh at a time; callers that ask meanwhile share it.
  refresh(): Promise<void> {
    this.pending ??= this.runner
      .run('ip', ['-j', 'netns', 'list'], { check: false })
      .then((r) => {
        const next = parseNsidList(r.exitCode === 0 ? r.stdout : '');
        const idOf = (m: Map<number, string>) => new Map([...m].map(([id, n]) => [n, id]));
        const before = idOf(this.byId);
        const after = idOf(next);
        for (const [name, id] of before) if (after.get(name) !== id) this.onChange(name);
        this.byId = next;
        this.named = new Set(next.values());
      })
      .finally(() => {
        this.pending = undefined;
      });
    return this.pending;
  }

  // A refresh that starts after this call: what changed before it is in the answer.
  async refreshAfter(): Promise<void> {
    await this.pending?.catch(() => undefined);
    await this.refresh();
  }

  nameOf(nsid: number): string | undefined {
    return this.byId.get(nsid);
  }

  has(ns: string): boolean {
    return this.named.has(ns);
  }

  // l3ha deleted ns: its id may go to the next namespace.
  forget(ns: string): void {
    for (const [id, name] of this.byId) if (name === ns) this.byId.delete(id);
    this.named.delete(ns);
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

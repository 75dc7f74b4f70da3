import type { RouterMemory, RouterRequests } from '../plan/observed.js';
import type { Role } from '../plan/role.js';

// The agent's memory of each router between reconciles, and the last error of each.
// Only reconcile writes memory (and the liveness watch forgets dead pids); operators and
// the peer link leave requests that the next reconcile reads. Waiters resolve when a
// router's memory matches.

export interface Problem {
  readonly code: string;
  readonly message: string;
  readonly at: string;
  readonly terminal: boolean;
}

type Waiter = { readonly test: (m: RouterMemory) => boolean; readonly resolve: (m: RouterMemory) => void };

export class RouterStates {
  private readonly memory = new Map<string, RouterMemory>();
  private readonly problems = new Map<string, Problem>();
  private readonly requests = new Map<string, RouterRequests>();
  private readonly waiters = new Map<string, Waiter[]>();

  get(id: string): RouterMemory {
    return this.memory.get(id) ?? {};
  }

  set(id: string, m: RouterMemory): void {
    this.memory.set(id, m);
    const ws = this.waiters.get(id);
    if (!ws) return;
    const left = ws.filter((w) => {
      if (!w.test(m)) return true;
      w.resolve(m);
      return false;
    });
    if (left.length > 0) this.waiters.set(id, left);
    else this.waiters.delete(id);
  }

  update(id: string, f: (m: RouterMemory) => RouterMemory): void {
    this.set(id, f(this.get(id)));
  }

  // Leaves a request for the router's next reconcile.
  request(id: string, r: RouterRequests): void {
    this.requests.set(id, { ...this.requests.get(id), ...r });
  }

  // The pending requests, handed over once.
  takeRequests(id: string): RouterRequests {
    const r = this.requests.get(id) ?? {};
    this.requests.delete(id);
    return r;
  }

  ids(): string[] {
    return [...this.memory.keys()];
  }

  role(id: string): Role | undefined {
    return this.memory.get(id)?.role;
  }

  // Resolves with the memory once test holds, or undefined after timeoutMs.
  until(
    id: string,
    test: (m: RouterMemory) => boolean,
    timeoutMs: number,
  ): Promise<RouterMemory | undefined> {
    const now = this.get(id);
    if (test(now)) return Promise.resolve(now);
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        const ws = this.waiters.get(id) ?? [];
        this.waiters.set(
          id,
          ws.filter((w) => w !== waiter),
        );
        resolve(undefined);
      }, timeoutMs);
      const waiter: Waiter = {
        test,
        resolve: (m) => {
          clearTimeout(t);
          resolve(m);
        },
      };
      this.waiters.set(id, [...(this.waiters.get(id) ?? []), waiter]);
    });
  }

  problem(id: string): Problem | undefined {
    return this.problems.get(id);
  }

  setProblem(id: string, p: Problem | undefined): void {
    if (p) this.problems.set(id, p);
    else this.problems.delete(id);
  }

  forget(id: string): void {
    this.memory.delete(id);
    this.problems.delete(id);
    this.requests.delete(id);
  }
}

// The observed role of each of ids that has one.
export function rolesOf(states: RouterStates, ids: readonly string[]): Record<string, Role> {
  const out: Record<string, Role> = {};
  for (const id of ids) {
    const r = states.role(id);
    if (r) out[id] = r;
  }
  return out;
}

// Routers per role, every role present (the metrics gauge).
export function countRoles(roles: Record<string, Role>): Record<string, number> {
  const counts: Record<string, number> = { MASTER: 0, BACKUP: 0, DOWN: 0, ABSENT: 0 };
  for (const r of Object.values(roles)) counts[r] = (counts[r] ?? 0) + 1;
  return counts;
}

import type { JournalEntry } from '../transitions/journal.js';
import type { Action } from './actions.js';
import type { DesiredRouter } from './desired.js';
import type { RouterMemory } from './observed.js';
import type { Role } from './role.js';

// What a role observation asks for. Pure: the role, the memory and the clock in; the
// journal lines, the replay, the GARP bursts, the next memory and the next wake-up out.
// A flap MASTER -> BACKUP -> MASTER inside the debounce window replays once.

export interface RolePlan {
  readonly actions: Action[];
  readonly memory: RouterMemory;
  readonly wakeInMs: number | undefined;
}

const at = (now: number) => new Date(now).toISOString();

export function planRole(
  d: DesiredRouter,
  role: Role,
  mem: RouterMemory,
  now: number,
  natChanged: boolean,
): RolePlan {
  const actions: Action[] = [];
  const journal = (entry: Omit<JournalEntry, 'time' | 'router'>) =>
    actions.push({
      kind: 'journal',
      path: d.paths.journal,
      entry: { time: at(now), router: d.id, ...entry },
    });
  let m: RouterMemory = mem;

  if (role !== mem.role) {
    journal({ event: 'transition', from: mem.role ?? 'UNKNOWN', to: role });
    // stateDir/routers/<id>/state: the role this node last observed, for tools that read files.
    actions.push({ kind: 'writeFile', path: d.paths.state, content: `${role}\n` });
    m = { ...m, role, roleSince: now };
    if (role === 'MASTER') m = { ...m, replayDueAt: now + d.replayDebounceMs };
    else {
      if (m.garps) journal({ event: 'garp', garpsSent: m.garps.sent, cancelled: true });
      m = { ...m, replayDueAt: undefined, garps: undefined };
    }
  }

  if (role === 'MASTER') {
    if (m.replayDueAt !== undefined && now >= m.replayDueAt) {
      actions.push({
        kind: 'replay',
        ns: d.ns,
        path: d.paths.natNft,
        hash: d.natHash,
        record: d.paths.natApplied,
        flows: d.flows,
        applied: m.natApplied,
      });
      const since = m.roleSince ?? now;
      m = { ...m, replayDueAt: undefined, garps: schedule(d.garpFollowUpsMs.map((o) => since + o)) };
    } else if (natChanged && d.flows.length > 0) {
      // The NAT mapping changed on the MASTER: flows made under the old mapping would keep
      // going to the old fixed IP, so they go; flows whose mapping holds are untouched.
      actions.push({ kind: 'clearFlows', ns: d.ns, flows: d.flows });
    }
    const g = m.garps;
    if (g?.due.some((t) => t <= now)) {
      const rest = g.due.filter((t) => t > now);
      const sent = g.sent + d.garpAddrs.length;
      if (d.garpAddrs.length > 0)
        actions.push({ kind: 'garpBurst', ns: d.ns, addrs: d.garpAddrs, devs: d.garpDevs });
      if (rest.length === 0) journal({ event: 'garp', garpsSent: sent, cancelled: false });
      m = { ...m, garps: rest.length === 0 ? undefined : { due: rest, sent } };
    }
  }

  const next = [m.replayDueAt, m.garps?.due[0]].filter((t): t is number => t !== undefined);
  return {
    actions,
    memory: m,
    wakeInMs: next.length === 0 ? undefined : Math.max(1, Math.min(...next) - now),
  };
}

// A fresh schedule of bursts, earliest first.
export function schedule(due: readonly number[]): RouterMemory['garps'] {
  return due.length === 0 ? undefined : { due: [...due].sort((a, b) => a - b), sent: 0 };
}

// keepalived sends no GARP after a split heals (its issue #166): the node that stayed
// MASTER re-announces at once, then at +0.5 s and +2 s.
export const HEAL_GARPS_MS = [0, 500, 2000];

export function reannounce(mem: RouterMemory, now: number): RouterMemory {
  return mem.role === 'MASTER' ? { ...mem, garps: schedule(HEAL_GARPS_MS.map((o) => now + o)) } : mem;
}

import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { routerPaths } from '../config/paths.js';
import type { LabNode, LabPlan } from '../lab/plan.js';
import type { RouterRoles } from '../lab/roles.js';
import { readJournal } from '../system/journal-file.js';
import { parseJournal } from '../transitions/journal.js';

// After a fault that moves routers, the drill waits until the survivor has taken over every
// router the victim held, before it restores the victim. A fixed hold restored the victim
// while 100 routers were still taking over, and its rebuild (sweep, 100 keepalived starts)
// then competed with the takeover it was measuring (lesson 26). The condition is read from the
// survivor's journals (one MASTER line per router since the fault, written by keepalived's
// notify hook), so polling it spawns nothing.

export function journalPath(n: LabNode, id: string): string {
  return routerPaths({ stateDir: join(n.dir, 'state'), runDir: join(n.dir, 'run') }, id).journal;
}

// The routers whose MASTER was the victim before the fault.
export function heldBy(before: readonly RouterRoles[], victim: LabNode): string[] {
  return before.filter((r) => r.masters.includes(victim.name)).map((r) => r.id);
}

// Pure: has this journal text a MASTER line at or after faultAt?
export function masterSince(text: string, faultAt: number): boolean {
  return parseJournal(text).some((e) => e.to === 'MASTER' && Date.parse(e.time) >= faultAt);
}

// Waits until every router in ids has a MASTER line on the survivor since faultAt; returns
// the ids that did not, when the time ran out.
export async function awaitTakeover(
  survivor: LabNode,
  ids: readonly string[],
  faultAt: number,
  timeoutMs: number,
): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  let pending = [...ids];
  for (;;) {
    pending = pending.filter((id) => !masterSince(readJournal(journalPath(survivor, id)), faultAt));
    if (pending.length === 0 || Date.now() >= deadline) return pending;
    await sleep(100);
  }
}

export const takeoverTimeoutMs = (plan: LabPlan) => 30_000 + plan.routers.length * 200;

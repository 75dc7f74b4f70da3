import { isAlive } from '../system/process.js';
import type { RouterStates } from './router-states.js';

// How often the agent probes keepalived pids; bounds the time to notice a crash.
export const LIVENESS_MS = 200;

// keepalived processes are not our children (they outlive the agent, lesson 6), so their
// exit is noticed by polling their pids: a signal-0 probe per pid, no process spawned.
// Returns the routers whose keepalived is gone; their pids are forgotten, so each crash
// is reported once.
export function exitedKeepalived(states: RouterStates): string[] {
  const out: string[] = [];
  for (const id of states.ids()) {
    const m = states.get(id);
    if ((m.pids ?? []).some((p) => !isAlive(p))) {
      states.set(id, { ...m, pids: [] });
      out.push(id);
    }
  }
  return out;
}

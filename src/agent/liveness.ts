import type { Logger } from '../system/logger.js';
import { isAlive, pidExists } from '../system/process.js';
import type { RouterStates } from './router-states.js';

// How often the agent probes keepalived pids; bounds the time to notice a crash.
export const LIVENESS_MS = 200;
// Pids whose process state (zombie or not) is read per probe, in turn.
export const STATE_READS_PER_PROBE = 50;

// keepalived processes are not our children (they outlive the agent, lesson 6), so their
// exit is noticed by polling their pids, no process spawned. Every probe sends signal 0 to
// every pid: a process that is gone and reaped is seen within one probe. A zombie still
// answers signal 0, so its state is read from /proc too, for STATE_READS_PER_PROBE pids per
// probe in turn (reading it for all 1,000 pids of 500 routers five times a second cost 13 %
// of a core, lesson 31). The routers whose keepalived is gone are returned and their pids
// forgotten, so each crash is reported once.
export class LivenessProbe {
  private cursor = 0;

  constructor(private readonly stateReads = STATE_READS_PER_PROBE) {}

  exited(states: RouterStates): string[] {
    const ids = states.ids();
    const out: string[] = [];
    let reads = 0;
    let advanced = 0;
    for (let k = 0; k < ids.length; k++) {
      const id = ids[(this.cursor + k) % ids.length] as string;
      const m = states.get(id);
      const pids = (m.procs ?? []).map((p) => p.pid);
      let gone = pids.some((p) => !pidExists(p));
      if (!gone && reads < this.stateReads) {
        reads += pids.length;
        advanced = k + 1;
        gone = pids.some((p) => !isAlive(p));
      }
      if (gone) {
        states.set(id, { ...m, procs: [] });
        out.push(id);
      }
    }
    this.cursor = ids.length === 0 ? 0 : (this.cursor + advanced) % ids.length;
    return out;
  }
}

// Probes every LIVENESS_MS; each router whose keepalived exited is logged and woken.
export function probeLiveness(states: RouterStates, log: Logger, wake: (id: string) => void): NodeJS.Timeout {
  const probe = new LivenessProbe();
  return setInterval(() => {
    for (const id of probe.exited(states)) {
      log.warn({ router: id }, 'keepalived exited');
      wake(id);
    }
  }, LIVENESS_MS);
}

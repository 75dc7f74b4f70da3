import type { Action } from './actions.js';
import { planBuild } from './build.js';
import type { DesiredRouter } from './desired.js';
import type { ObservedRouter, ProcId, RouterMemory, RouterRequests } from './observed.js';
import { hasVip, observedRole } from './role.js';
import { planRole, reannounce } from './transitions.js';

// desired + observed + memory + clock -> ordered actions and the next memory. Pure, and
// the whole of what a reconcile decides: why the router was woken is not an input.

export interface Plan {
  readonly actions: Action[];
  // The memory to keep; apply adds what only execution knows (pids, NAT listing).
  readonly memory: RouterMemory;
  // Come back after this long: a spaced SIGHUP, a stray address to confirm, a replay or
  // GARP burst that is due later, a respawn held back.
  readonly requeueAfterMs?: number | undefined;
  // External plumbing that is missing; the agent reports it and changes nothing.
  readonly missing: string[];
  // The respawn of a keepalived that keeps exiting is held back this long.
  readonly backoffMs?: number | undefined;
}

// The keepalived processes the observation shows alive, with their start times.
export function liveProcs(o: ObservedRouter): ProcId[] {
  const k = o.keepalived;
  const out: ProcId[] = [];
  if (k.alive && k.pid !== undefined && k.start !== undefined) out.push({ pid: k.pid, start: k.start });
  if (k.vrrpAlive && k.vrrpPid !== undefined && k.vrrpStart !== undefined)
    out.push({ pid: k.vrrpPid, start: k.vrrpStart });
  return out;
}

// After a (re)start, look again after this many advert intervals.
export const SETTLE_ADVERTS = 4;

export function planRouter(d: DesiredRouter, o: ObservedRouter, mem: RouterMemory, now: number): Plan {
  let m: RouterMemory = { ...mem, procs: liveProcs(o) };
  // A keepalived that keeps dying is respawned with backoff, not in a tight loop.
  if (!o.keepalived.alive) {
    const wait = respawnDelayMs(m.starts ?? [], now);
    if (wait > 0) return { actions: [], memory: m, requeueAfterMs: wait, missing: [], backoffMs: wait };
  }
  // Planned handover: SIGTERM makes keepalived send a priority-0 advert, so the peer takes
  // over after its skew time (tens of ms), not a full detection time. The next pass starts
  // keepalived again; it comes up BACKUP and stays so (nopreempt, lesson 1).
  if (m.handover !== undefined) {
    const procs = liveProcs(o);
    const seq = m.handover;
    if (hasVip(d, o) && procs.length > 0) {
      return {
        actions: [{ kind: 'stopKeepalived', procs, conf: d.paths.keepalivedConf, reason: 'handover' }],
        // A planned stop is not a crash: it does not count towards the respawn backoff.
        memory: {
          ...m,
          handover: undefined,
          handoverDone: { seq, result: 'handed over' },
          starts: [],
          procs: [],
        },
        requeueAfterMs: 1,
        missing: [],
      };
    }
    m = { ...m, handover: undefined, handoverDone: { seq, result: 'not MASTER here; nothing to do' } };
  }
  const build = planBuild(d, o, m, now);
  if (build.missing.length > 0) return { actions: [], memory: m, missing: build.missing };
  // A pass that (re)builds the router changes the kernel: the next look decides the role,
  // once keepalived has had time to settle (its master-down interval is about 3 adverts),
  // whether or not a hook's nudge arrives.
  const rebuilt = build.actions.some((a) => a.kind === 'startKeepalived' || a.kind === 'createNamespace');
  if (rebuilt) {
    const settle = SETTLE_ADVERTS * d.advertMs;
    return { ...build, requeueAfterMs: Math.min(build.requeueAfterMs ?? settle, settle) };
  }
  const natChanged = build.actions.some((a) => a.kind === 'applyNat' && a.hash !== m.natApplied?.hash);
  const role = planRole(d, observedRole(d, o), build.memory, now, natChanged);
  const waits = [build.requeueAfterMs, role.wakeInMs].filter((w): w is number => w !== undefined);
  return {
    actions: [...build.actions, ...role.actions],
    memory: role.memory,
    requeueAfterMs: waits.length === 0 ? undefined : Math.min(...waits),
    missing: [],
  };
}

// Folds pending requests into the memory the planner reads.
export function withRequests(mem: RouterMemory, r: RouterRequests): RouterMemory {
  let m = mem;
  if (r.handover !== undefined) m = { ...m, handover: r.handover };
  if (r.reannounceAt !== undefined) m = reannounce(m, r.reannounceAt);
  return m;
}

// Respawn backoff: free for the first restart in a minute, then 0.5 s doubling to 30 s.
export function respawnDelayMs(starts: readonly number[], now: number): number {
  const recent = starts.filter((t) => now - t < 60_000);
  if (recent.length < 2) return 0;
  const delay = Math.min(30_000, 500 * 2 ** (recent.length - 2));
  const since = now - (recent[recent.length - 1] ?? 0);
  return Math.max(0, delay - since);
}

// Teardown of a router that is no longer wanted: stop keepalived first so the peer takes
// over at once, then the NAT table, then the namespace (managed mode only), then files.
export function planTeardown(
  t: { ns: string; managed: boolean; files: readonly string[]; conf: string },
  o: ObservedRouter,
): Action[] {
  const actions: Action[] = [];
  const live = liveProcs(o);
  if (live.length > 0)
    actions.push({ kind: 'stopKeepalived', procs: live, conf: t.conf, reason: 'router removed' });
  if (o.nsExists) {
    if (o.natKernel !== undefined) actions.push({ kind: 'deleteNat', ns: t.ns });
    if (t.managed) {
      const links = o.links.map((l) => l.ifname).filter((n) => n !== 'lo');
      actions.push({ kind: 'deleteNamespace', ns: t.ns, links });
    }
  }
  actions.push({ kind: 'removeFiles', paths: t.files });
  return actions;
}

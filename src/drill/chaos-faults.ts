import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { controlSocket } from '../config/paths.js';
import {
  addHaLoss,
  editRouterFile,
  freezeKeepalived,
  removeHaLoss,
  restoreFiles,
  startHogs,
  stopHogs,
  thawKeepalived,
} from '../lab/chaos-faults.js';
import { ensureAgent, evacuate, killAgent, killKeepalived, powerCut, reboot } from '../lab/faults.js';
import { agentPid } from '../lab/nodes.js';
import type { LabNode, LabPlan, LabRouter } from '../lab/plan.js';
import type { RouterRoles } from '../lab/roles.js';
import { callControl } from '../system/control-client.js';
import { readJournal } from '../system/journal-file.js';
import { readPidFile, signal } from '../system/process.js';
import type { CommandRunner } from '../system/runner.js';
import { parseJournal } from '../transitions/journal.js';
import type { Violation } from './chaos-invariants.js';
import { peerLinkDown } from './chaos-peer.js';
import type { ChaosFault } from './chaos-schedule.js';
import { holdMs, scenario } from './scenarios.js';
import { awaitTakeover, heldBy, journalPath, takeoverTimeoutMs } from './takeover.js';

// Each chaos fault: inject it into the MASTER node of one router (the victim), hold, heal.
// It returns when the fault is healed, with its time and any checks of its own to run once
// the lab has settled.

export interface FaultContext {
  readonly runner: CommandRunner;
  readonly plan: LabPlan;
  readonly victim: LabNode;
  readonly survivor: LabNode;
  readonly router: LabRouter;
  readonly advertMs: number;
  readonly before: readonly RouterRoles[];
  readonly notes: string[];
}

export interface FaultRun {
  readonly faultAt: number;
  // Fault-specific checks, run after the lab settled.
  readonly check?: () => Violation[];
}

// Waits until the survivor journals MASTER for ids since faultAt (a restore before that
// competes with the takeover, lesson 26); a late takeover is noted, and judged by the checks.
async function takeover(ctx: FaultContext, ids: readonly string[], faultAt: number): Promise<void> {
  if (ids.length === 0) return;
  const late = await awaitTakeover(ctx.survivor, ids, faultAt, takeoverTimeoutMs(ctx.plan));
  if (late.length > 0)
    ctx.notes.push(`no MASTER on ${ctx.survivor.name} before the heal: ${late.join(', ')}`);
}

const soakMs = (ctx: FaultContext) => 3 * holdMs(ctx);
const kaPid = (n: LabNode, id: string) => readPidFile(join(n.dir, 'run', `keepalived-${id}.pid`));
const confOf = (n: LabNode, id: string) => {
  try {
    return readFileSync(join(n.dir, 'state', 'routers', id, 'keepalived.conf'), 'utf8');
  } catch {
    return undefined;
  }
};

// The new MASTER's agent dies a few ms after keepalived's MASTER hook: before, during or
// just after the replay it was about to run. Its successor must finish the job.
async function agentMidReplay(ctx: FaultContext, f: ChaosFault): Promise<FaultRun> {
  const { router: r, survivor } = ctx;
  const faultAt = Date.now();
  const sock = controlSocket({ runDir: join(ctx.victim.dir, 'run') });
  await callControl(sock, 'POST', `/failover?router=${r.id}`, 30_000);
  const path = journalPath(survivor, r.id);
  const deadline = Date.now() + takeoverTimeoutMs(ctx.plan);
  const since = () => parseJournal(readJournal(path)).filter((e) => Date.parse(e.time) >= faultAt);
  while (!since().some((e) => e.event === 'hook' && e.to === 'MASTER') && Date.now() < deadline)
    await sleep(5);
  await sleep(f.killDelayMs ?? 0);
  const pid = agentPid(survivor);
  if (pid !== undefined) {
    signal(pid, 'SIGSTOP');
    signal(pid, 'SIGKILL');
  }
  const replayed = since().some((e) => e.event === 'replay');
  ctx.notes.push(`agent on ${survivor.name} killed ${replayed ? 'after' : 'before'} its replay line`);
  await sleep(holdMs(ctx));
  await ensureAgent(survivor);
  return { faultAt };
}

// A router file edited on both nodes while its keepalived on the MASTER is killed: the
// rendered config must not change and the survivor's keepalived must not restart, whether
// the edit is harmless or refused.
async function fileEdit(ctx: FaultContext, f: ChaosFault): Promise<FaultRun> {
  const { router: r, victim, survivor } = ctx;
  const confs = ctx.plan.nodes.map((n) => confOf(n, r.id));
  const survivorPid = kaPid(survivor, r.id);
  const faultAt = Date.now();
  killKeepalived(victim, r.id);
  const originals = await editRouterFile(ctx.plan, r.id, f.edit ?? 'comment');
  await takeover(ctx, [r.id], faultAt);
  await sleep(holdMs(ctx));
  await restoreFiles(originals);
  await sleep(holdMs(ctx));
  return {
    faultAt,
    check() {
      const out: Violation[] = [];
      ctx.plan.nodes.forEach((n, i) => {
        if (confOf(n, r.id) !== confs[i])
          out.push({
            invariant: 'fault',
            detail: `${r.id}'s keepalived.conf on ${n.name} changed after a ${f.edit} edit`,
          });
      });
      const now = kaPid(survivor, r.id);
      if (now !== survivorPid)
        out.push({
          invariant: 'fault',
          detail: `${r.id}'s keepalived on ${survivor.name} restarted after a ${f.edit} edit (pid ${survivorPid} -> ${now})`,
        });
      return out;
    },
  };
}

async function hold<T>(
  ctx: FaultContext,
  ms: number,
  fault: () => Promise<T>,
  heal: (t: T) => unknown,
): Promise<FaultRun> {
  const faultAt = Date.now();
  const t = await fault();
  await sleep(ms);
  await heal(t);
  await sleep(holdMs(ctx));
  return { faultAt };
}

export async function injectFault(ctx: FaultContext, f: ChaosFault): Promise<FaultRun> {
  const { runner, plan, victim, router: r } = ctx;
  const sctx = { runner, plan, victim, advertMs: ctx.advertMs };
  switch (f.kind) {
    case 'node-loss': {
      const faultAt = Date.now();
      await powerCut(runner, plan, victim);
      await sleep(holdMs(ctx));
      await takeover(ctx, heldBy(ctx.before, victim), faultAt);
      await reboot(runner, plan, victim);
      return { faultAt };
    }
    case 'keepalived-crash':
    case 'graceful': {
      const faultAt = Date.now();
      if (f.kind === 'graceful') await evacuate(victim);
      else killKeepalived(victim, r.id);
      await sleep(holdMs(ctx));
      await takeover(ctx, f.kind === 'graceful' ? heldBy(ctx.before, victim) : [r.id], faultAt);
      return { faultAt };
    }
    case 'agent-crash':
      return hold(
        ctx,
        holdMs(ctx),
        async () => killAgent(victim),
        () => ensureAgent(victim),
      );
    case 'ha-partition':
    case 'flap': {
      const sc = scenario(f.kind);
      if (!sc) throw new Error(`no scenario ${f.kind}`);
      const t = await sc.run(sctx);
      await sc.restore(sctx);
      return { faultAt: t.faultAt };
    }
    case 'keepalived-sigstop':
      return hold(
        ctx,
        soakMs(ctx),
        async () => freezeKeepalived(victim, r.id),
        (pids) => thawKeepalived(pids),
      );
    case 'agent-mid-replay':
      return agentMidReplay(ctx, f);
    case 'file-edit':
      return fileEdit(ctx, f);
    case 'cpu-hog':
      return hold(
        ctx,
        soakMs(ctx),
        () => startHogs(plan, victim, `${victim.nsPrefix}${r.id}`, 2),
        () => stopHogs(plan),
      );
    case 'peer-link-down':
      return peerLinkDown(ctx, soakMs(ctx));
    case 'ha-netem':
      return hold(
        ctx,
        soakMs(ctx),
        async () => {
          const how = await addHaLoss(runner, plan, victim);
          if (how === 'nft-loss') ctx.notes.push('no sch_netem in this kernel: 20% loss by nft, no delay');
        },
        () => removeHaLoss(runner, plan, victim),
      );
  }
}

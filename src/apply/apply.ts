import type { Action } from '../plan/actions.js';
import type { RouterMemory } from '../plan/observed.js';
import { atomicWrite, removePath } from '../system/files.js';
import type { CommandRunner } from '../system/runner.js';
import { clearContradictingFlows } from './conntrack.js';
import { garpBurst } from './garp.js';
import { writeJournal } from './journal.js';
import {
  killPid,
  reloadKeepalived,
  startKeepalived,
  stopKeepalived,
  writeCheckedConf,
} from './keepalived.js';
import { applyNat, deleteNat } from './nat.js';
import {
  addAddress,
  createNamespace,
  createPort,
  deleteLink,
  deleteNamespace,
  removeAddresses,
  setUp,
} from './plumbing.js';
import { type ReplayResult, replay } from './replay.js';
import type { Semaphore } from './semaphore.js';

// Executes one action: the only way the agent changes the node. Returns what only
// execution can know (pids, the kernel's NAT listing, a replay's figures).

export interface ApplyContext {
  readonly runner: CommandRunner;
  readonly keepalivedBinary: string;
  readonly now: () => number;
  // Caps the arping processes of every GARP burst together.
  readonly garps: Semaphore;
}

export interface Outcome {
  readonly remember?: Partial<RouterMemory>;
  readonly replay?: ReplayResult;
  readonly garpsSent?: number;
  readonly conntrackDeleted?: number;
  // Something that went wrong but must not fail the reconcile (a journal line not written).
  readonly warning?: string;
}

const done: Outcome = {};

export async function applyAction(ctx: ApplyContext, a: Action): Promise<Outcome> {
  const { runner } = ctx;
  switch (a.kind) {
    case 'createNamespace':
      await createNamespace(runner, a.ns);
      return done;
    case 'createPort':
      await createPort(runner, a.ns, a.bridgeNs, a.port);
      return done;
    case 'deleteLink':
      await deleteLink(runner, a.ns, a.ifname);
      return done;
    case 'setUp':
      await setUp(runner, a.ns, a.ifname);
      return done;
    case 'addAddress':
      await addAddress(runner, a.ns, a.addr);
      return done;
    case 'removeAddresses':
      await removeAddresses(runner, a.ns, a.addrs);
      return done;
    case 'writeFile':
      await atomicWrite(a.path, a.content, 0o644);
      return done;
    case 'writeKeepalivedConf':
      await writeCheckedConf(runner, ctx.keepalivedBinary, a.ns, a.path, a.content);
      return done;
    case 'applyNat':
      return { remember: { natApplied: { hash: a.hash, listing: await applyNat(runner, a.ns, a.path) } } };
    case 'killPid':
      await killPid(a.pid);
      return done;
    case 'startKeepalived': {
      const pid = await startKeepalived(runner, { binary: ctx.keepalivedBinary, ...a });
      return { remember: { lastReloadAt: ctx.now(), pids: [pid] } };
    }
    case 'reloadKeepalived':
      await reloadKeepalived(a.pid, a.loadedFile, a.hash);
      return { remember: { lastReloadAt: ctx.now() } };
    case 'stopKeepalived':
      await stopKeepalived(a.pids);
      return done;
    case 'deleteNat':
      await deleteNat(runner, a.ns);
      return done;
    case 'deleteNamespace':
      await deleteNamespace(runner, a.ns, a.links);
      return done;
    case 'removeFiles':
      for (const p of a.paths) await removePath(p);
      return done;
    case 'replay': {
      const r = await replay(runner, a);
      return { replay: r, ...(r.natApplied ? { remember: { natApplied: r.natApplied } } : {}) };
    }
    case 'clearFlows':
      return { conntrackDeleted: (await clearContradictingFlows(runner, a.ns, a.flows)).length };
    case 'garpBurst':
      return { garpsSent: await garpBurst(ctx.garps, a.ns, a.addrs) };
    case 'journal':
      try {
        writeJournal(a.path, a.entry);
        return done;
      } catch (err) {
        return { warning: `cannot write journal ${a.path}: ${(err as Error).message}` };
      }
  }
}

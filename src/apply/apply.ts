import type { Action } from '../plan/actions.js';
import type { RouterMemory } from '../plan/observed.js';
import { atomicWrite, removePath } from '../system/files.js';
import type { NetnsIds } from '../system/netns-ids.js';
import type { CommandRunner } from '../system/runner.js';
import { clearContradictingFlows } from './conntrack.js';
import { garpBurst, noteArpNotify } from './garp.js';
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
  createPorts,
  deleteLink,
  deleteNamespace,
  removeAddresses,
  setUp,
  watchNamespace,
} from './plumbing.js';
import { type ReplayResult, replay } from './replay.js';
import type { Semaphore } from './semaphore.js';

// Executes one action: the only way the agent changes the node. Returns what only
// execution can know (pids, the kernel's NAT listing, a replay's figures).

export interface ApplyContext {
  readonly runner: CommandRunner;
  readonly keepalivedBinary: string;
  readonly now: () => number;
  // Caps the GARP bursts (one `ip` each) running at once.
  readonly garps: Semaphore;
  // Which namespaces the address watch sees.
  readonly netns: NetnsIds;
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
// Signals not sent because the pid was not this router's keepalived: reported, not failed.
const refusals = (lines: readonly string[]): Outcome =>
  lines.length === 0 ? done : { warning: lines.join('; ') };
type Handler<K extends Action['kind']> = (
  ctx: ApplyContext,
  a: Extract<Action, { kind: K }>,
) => Promise<Outcome>;

// One handler per action kind.
const HANDLERS: { readonly [K in Action['kind']]: Handler<K> } = {
  // The namespace counts as watched only once a refresh lists its id.
  createNamespace: async (c, a) => {
    await createNamespace(c.runner, a.ns);
    noteArpNotify(a.ns, true);
    await c.netns.refreshAfter();
    return done;
  },
  watchNamespace: async (c, a) => {
    await watchNamespace(c.runner, a.ns);
    await c.netns.refreshAfter();
    return done;
  },
  createPorts: (c, a) => createPorts(c.runner, a.ns, a.bridgeNs, a.ports).then(() => done),
  deleteLink: (c, a) => deleteLink(c.runner, a.ns, a.ifname).then(() => done),
  setUp: (c, a) => setUp(c.runner, a.ns, a.ifname).then(() => done),
  addAddress: (c, a) => addAddress(c.runner, a.ns, a.addr).then(() => done),
  removeAddresses: (c, a) => removeAddresses(c.runner, a.ns, a.addrs).then(() => done),
  writeFile: (_c, a) => atomicWrite(a.path, a.content, 0o644).then(() => done),
  writeKeepalivedConf: (c, a) =>
    writeCheckedConf(c.runner, c.keepalivedBinary, a.ns, a.path, a.content).then(() => done),
  applyNat: async (c, a) => {
    const natApplied = { hash: a.hash, listing: await applyNat(c.runner, a.ns, a.path) };
    await recordNat(a.record, natApplied);
    return { remember: { natApplied } };
  },
  killPid: async (c, a) => refusals(await killPid({ binary: c.keepalivedBinary, conf: a.conf }, a.proc)),
  startKeepalived: async (c, a) => {
    const procs = await startKeepalived(c.runner, { binary: c.keepalivedBinary, ...a });
    return { remember: { lastReloadAt: c.now(), procs } };
  },
  reloadKeepalived: async (c, a) => {
    await reloadKeepalived({ binary: c.keepalivedBinary, conf: a.conf }, a.proc, a.loadedFile, a.hash);
    return { remember: { lastReloadAt: c.now() } };
  },
  stopKeepalived: async (c, a) =>
    refusals(await stopKeepalived({ binary: c.keepalivedBinary, conf: a.conf }, a.procs)),
  deleteNat: (c, a) => deleteNat(c.runner, a.ns).then(() => done),
  deleteNamespace: async (c, a) => {
    await deleteNamespace(c.runner, a.ns, a.links);
    c.netns.forget(a.ns);
    noteArpNotify(a.ns, false);
    return done;
  },
  removeFiles: async (_c, a) => {
    for (const p of a.paths) await removePath(p);
    return done;
  },
  replay: async (c, a) => {
    const r = await replay(c.runner, a);
    if (r.natApplied) await recordNat(a.record, r.natApplied);
    return { replay: r, ...(r.natApplied ? { remember: { natApplied: r.natApplied } } : {}) };
  },
  clearFlows: async (c, a) => ({
    conntrackDeleted: (await clearContradictingFlows(c.runner, a.ns, a.flows)).length,
  }),
  garpBurst: async (c, a) => ({
    garpsSent: await garpBurst(c.runner, c.garps, a.ns, a.devs, a.addrs.length),
  }),
  journal: async (_c, a) => {
    try {
      writeJournal(a.path, a.entry);
      return done;
    } catch (err) {
      return { warning: `cannot write journal ${a.path}: ${(err as Error).message}` };
    }
  },
};

export function applyAction(ctx: ApplyContext, a: Action): Promise<Outcome> {
  const handler = HANDLERS[a.kind] as Handler<Action['kind']>;
  return handler(ctx, a);
}

// Keeps what was applied across agent restarts, so a restarted agent that finds the same
// listing in the kernel applies nothing (and clears no flows).
function recordNat(path: string, applied: { hash: string; listing: string }): Promise<void> {
  return atomicWrite(path, `${JSON.stringify(applied)}\n`, 0o600);
}

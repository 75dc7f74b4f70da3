import type { Action } from '../plan/actions.js';
import type { RouterMemory } from '../plan/observed.js';
import { atomicWrite, removePath } from '../system/files.js';
import type { CommandRunner } from '../system/runner.js';
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

// Executes one action. Returns what the agent should remember afterwards.

export interface ApplyContext {
  readonly runner: CommandRunner;
  readonly keepalivedBinary: string;
  readonly now: () => number;
}

export async function applyAction(ctx: ApplyContext, a: Action): Promise<Partial<RouterMemory>> {
  const { runner } = ctx;
  switch (a.kind) {
    case 'createNamespace':
      await createNamespace(runner, a.ns);
      return {};
    case 'createPort':
      await createPort(runner, a.ns, a.bridgeNs, a.port);
      return {};
    case 'deleteLink':
      await deleteLink(runner, a.ns, a.ifname);
      return {};
    case 'setUp':
      await setUp(runner, a.ns, a.ifname);
      return {};
    case 'addAddress':
      await addAddress(runner, a.ns, a.addr);
      return {};
    case 'removeAddresses':
      await removeAddresses(runner, a.ns, a.addrs);
      return {};
    case 'writeFile':
      await atomicWrite(a.path, a.content, 0o644);
      return {};
    case 'writeKeepalivedConf':
      await writeCheckedConf(runner, ctx.keepalivedBinary, a.ns, a.path, a.content);
      return {};
    case 'applyNat':
      return { natApplied: { hash: a.hash, listing: await applyNat(runner, a.ns, a.path) } };
    case 'killPid':
      await killPid(a.pid);
      return {};
    case 'startKeepalived': {
      const pid = await startKeepalived(runner, { binary: ctx.keepalivedBinary, ...a });
      return { lastReloadAt: ctx.now(), pids: [pid] };
    }
    case 'reloadKeepalived':
      await reloadKeepalived(a.pid, a.loadedFile, a.hash);
      return { lastReloadAt: ctx.now() };
    case 'stopKeepalived':
      await stopKeepalived(a.pids);
      return {};
    case 'deleteNat':
      await deleteNat(runner, a.ns);
      return {};
    case 'deleteNamespace':
      await deleteNamespace(runner, a.ns, a.links);
      return {};
    case 'removeFiles':
      for (const p of a.paths) await removePath(p);
      return {};
  }
}

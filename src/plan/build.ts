import type { Action, AddrOnDev } from './actions.js';
import { type DesiredRouter, sha256 } from './desired.js';
import type { ObservedRouter, RouterMemory } from './observed.js';
import { hasVip } from './role.js';

// The router's build: namespace, ports, HA address, files, NAT and keepalived, from
// desired + observed + memory. Pure: applying it and re-planning yields no actions.

export interface BuildPlan {
  readonly actions: Action[];
  // Come back after this long (a SIGHUP that must wait for its spacing).
  readonly requeueAfterMs?: number;
  // External plumbing that is missing; the agent reports it and changes nothing.
  readonly missing: string[];
  readonly memory: RouterMemory;
}

// A BACKUP holding router addresses must be seen twice, this many advert intervals
// apart, before l3ha removes them: keepalived adds the VIP and the excluded addresses
// one by one, and a look in between must not undo a MASTER that is coming up.
export const STRAY_CONFIRM_ADVERTS = 3;

export function planBuild(d: DesiredRouter, o: ObservedRouter, mem: RouterMemory, now: number): BuildPlan {
  const actions: Action[] = [];
  const missing: string[] = [];

  if (!o.nsExists) {
    if (!d.managed) return { actions, missing: [`namespace ${d.ns}`], memory: mem };
    actions.push({ kind: 'createNamespace', ns: d.ns });
  } else if (!o.watched) {
    actions.push({ kind: 'watchNamespace', ns: d.ns });
  }
  const links = new Map(o.links.map((l) => [l.ifname, l]));
  const absent = d.ports.filter((p) => !links.has(p.inside));
  if (absent.length > 0 && !d.managed) {
    return { actions: [], missing: absent.map((p) => `interface ${p.inside} in ${d.ns}`), memory: mem };
  }
  if (absent.length > 0) actions.push({ kind: 'createPorts', ns: d.ns, bridgeNs: d.bridgeNs, ports: absent });
  for (const port of d.ports) {
    const link = links.get(port.inside);
    if (link && !link.up) actions.push({ kind: 'setUp', ns: d.ns, ifname: port.inside });
  }

  // The node's own HA address is static; keepalived never manages it.
  const ha = d.ports.find((p) => p.kind === 'ha');
  for (const cidr of ha?.addresses ?? []) {
    if (!links.get(ha?.inside ?? '')?.addrs.includes(cidr)) {
      actions.push({ kind: 'addAddress', ns: d.ns, addr: { dev: ha?.inside ?? 'ha', cidr } });
    }
  }

  // A config keepalived -t refused is not tried again until the spec changes; keepalived
  // keeps running (or is started) on the config it last accepted.
  const rejected = mem.rejectedConf === d.confHash;
  const confHash = rejected ? (o.confOnDisk === undefined ? undefined : sha256(o.confOnDisk)) : d.confHash;
  let next: RouterMemory = rejected ? mem : { ...mem, rejectedConf: undefined };
  if (!rejected && o.confOnDisk !== d.keepalivedConf) {
    actions.push({
      kind: 'writeKeepalivedConf',
      ns: d.ns,
      path: d.paths.keepalivedConf,
      content: d.keepalivedConf,
    });
  }
  if (o.natOnDisk !== d.natNft) actions.push({ kind: 'writeFile', path: d.paths.natNft, content: d.natNft });

  // NAT is installed on both nodes, whatever the role (lesson 4), and repaired on drift.
  const natOk =
    mem.natApplied?.hash === d.natHash && o.natKernel !== undefined && o.natKernel === mem.natApplied.listing;
  if (!natOk)
    actions.push({
      kind: 'applyNat',
      ns: d.ns,
      path: d.paths.natNft,
      hash: d.natHash,
      record: d.paths.natApplied,
    });

  let requeueAfterMs: number | undefined;
  const k = o.keepalived;
  if (!k.alive && confHash !== undefined) {
    // An orphaned VRRP child still speaks VRRP for this router: kill it before anything else.
    if (k.vrrpAlive && k.vrrpPid !== undefined && k.vrrpStart !== undefined) {
      const proc = { pid: k.vrrpPid, start: k.vrrpStart };
      actions.push({ kind: 'killPid', proc, conf: d.paths.keepalivedConf, reason: 'orphaned VRRP child' });
    }
    // A keepalived killed with SIGKILL leaves its addresses behind (lesson 7). Remove them
    // before the respawn so this node never answers for an address it does not own.
    const stale = staleAddrs(d, o);
    if (stale.length > 0) {
      actions.push({ kind: 'removeAddresses', ns: d.ns, addrs: stale, reason: 'keepalived is not running' });
    }
    actions.push({
      kind: 'startKeepalived',
      ns: d.ns,
      conf: d.paths.keepalivedConf,
      pidFile: d.paths.pid,
      vrrpPidFile: d.paths.vrrpPid,
      loadedFile: d.paths.loaded,
      hash: confHash,
    });
    next = { ...next, starts: [...(mem.starts ?? []), now].slice(-10) };
  } else if (
    k.alive &&
    !rejected &&
    o.loadedHash !== d.confHash &&
    k.pid !== undefined &&
    k.start !== undefined
  ) {
    // Reload only this router, and never faster than 1.5 x advert (lesson 5).
    const since = mem.lastReloadAt === undefined ? Number.POSITIVE_INFINITY : now - mem.lastReloadAt;
    if (since >= d.reloadSpacingMs) {
      const proc = { pid: k.pid, start: k.start };
      const conf = d.paths.keepalivedConf;
      actions.push({ kind: 'reloadKeepalived', proc, conf, loadedFile: d.paths.loaded, hash: d.confHash });
    } else {
      requeueAfterMs = d.reloadSpacingMs - since;
    }
  }
  if (k.alive) {
    // BACKUP with router addresses (a keepalived that failed to clean up): confirm, then remove.
    const stray = hasVip(d, o) ? [] : staleAddrs(d, o);
    if (stray.length === 0) {
      next = { ...next, straySince: undefined };
    } else if (mem.straySince === undefined) {
      next = { ...next, straySince: now };
      requeueAfterMs = Math.min(
        requeueAfterMs ?? Number.POSITIVE_INFINITY,
        STRAY_CONFIRM_ADVERTS * d.advertMs,
      );
    } else if (now - mem.straySince >= STRAY_CONFIRM_ADVERTS * d.advertMs) {
      actions.push({
        kind: 'removeAddresses',
        ns: d.ns,
        addrs: stray,
        reason: 'router addresses on a BACKUP',
      });
      next = { ...next, straySince: undefined };
    } else {
      requeueAfterMs = STRAY_CONFIRM_ADVERTS * d.advertMs - (now - mem.straySince);
    }
  }
  return { actions, missing, memory: next, ...(requeueAfterMs === undefined ? {} : { requeueAfterMs }) };
}

// Router addresses present on this node's interfaces.
export function staleAddrs(d: DesiredRouter, o: ObservedRouter): AddrOnDev[] {
  const have = new Map(o.links.map((l) => [l.ifname, new Set(l.addrs)]));
  return d.vrrpAddrs.filter((a) => have.get(a.dev)?.has(a.cidr));
}

import type { DerivedPort } from '../config/derive.js';
import type { JournalEntry } from '../transitions/journal.js';
import type { ProcId } from './observed.js';

// What apply/ can do to a node. A plan is an ordered list of these.

// A floating IP and the fixed IP behind it.
export interface FloatingFlow {
  readonly floating: string;
  readonly fixed: string;
}

export interface AddrOnDev {
  readonly dev: string;
  readonly cidr: string;
}

export interface DevMac {
  readonly dev: string;
  readonly mac: string;
}

export type Action =
  | { readonly kind: 'createNamespace'; readonly ns: string }
  // Gives the namespace an id in the root namespace, so the address watch sees it.
  | { readonly kind: 'watchNamespace'; readonly ns: string }
  // Every missing port of one router, made in three `ip -batch` runs (lesson 27).
  | {
      readonly kind: 'createPorts';
      readonly ns: string;
      readonly bridgeNs: string;
      readonly ports: readonly DerivedPort[];
    }
  | { readonly kind: 'deleteLink'; readonly ns: string; readonly ifname: string }
  | { readonly kind: 'setUp'; readonly ns: string; readonly ifname: string }
  | { readonly kind: 'addAddress'; readonly ns: string; readonly addr: AddrOnDev }
  | {
      readonly kind: 'removeAddresses';
      readonly ns: string;
      readonly addrs: readonly AddrOnDev[];
      readonly reason: string;
    }
  | { readonly kind: 'writeFile'; readonly path: string; readonly content: string }
  // Written only after the real keepalived -t accepts it in the router's namespace: a
  // config that keepalived would die on at SIGHUP or respawn never reaches the file.
  | {
      readonly kind: 'writeKeepalivedConf';
      readonly ns: string;
      readonly path: string;
      readonly content: string;
    }
  // record: where the applied hash and the kernel's listing are kept (RouterPaths.natApplied).
  | {
      readonly kind: 'applyNat';
      readonly ns: string;
      readonly path: string;
      readonly hash: string;
      readonly record: string;
    }
  // Signals carry the process's start time and config: apply re-checks that the pid is still
  // this router's keepalived right before each signal, and sends none when it is not.
  | {
      readonly kind: 'killPid';
      readonly proc: ProcId;
      readonly conf: string;
      readonly reason: string;
    }
  | {
      readonly kind: 'startKeepalived';
      readonly ns: string;
      readonly conf: string;
      readonly pidFile: string;
      readonly vrrpPidFile: string;
      readonly loadedFile: string;
      readonly hash: string;
    }
  | {
      readonly kind: 'reloadKeepalived';
      readonly proc: ProcId;
      readonly conf: string;
      readonly loadedFile: string;
      readonly hash: string;
    }
  | {
      readonly kind: 'stopKeepalived';
      readonly procs: readonly ProcId[];
      readonly conf: string;
      readonly reason: string;
    }
  // The MASTER replay: NAT re-asserted atomically, then conntrack entries that contradict
  // it deleted. NAT is already there (lesson 4); this repairs drift.
  | {
      readonly kind: 'replay';
      readonly ns: string;
      readonly path: string;
      readonly hash: string;
      readonly record: string;
      readonly flows: readonly FloatingFlow[];
      // What l3ha last applied here: the replay re-applies only if the kernel differs.
      readonly applied?: { readonly hash: string; readonly listing: string } | undefined;
    }
  // Deletes the conntrack entries that contradict the current floating-IP mapping.
  | { readonly kind: 'clearFlows'; readonly ns: string; readonly flows: readonly FloatingFlow[] }
  // One gratuitous ARP for each address, fired at once (lesson 10) by the kernel: each
  // device's MAC is set to itself, which with arp_notify announces every address on it
  // (lesson 39). devs are the devices of addrs with their MACs.
  | {
      readonly kind: 'garpBurst';
      readonly ns: string;
      readonly addrs: readonly AddrOnDev[];
      readonly devs: readonly DevMac[];
    }
  | { readonly kind: 'journal'; readonly path: string; readonly entry: JournalEntry }
  | { readonly kind: 'deleteNat'; readonly ns: string }
  | { readonly kind: 'deleteNamespace'; readonly ns: string; readonly links: readonly string[] }
  | { readonly kind: 'removeFiles'; readonly paths: readonly string[] };

// One line per action for logs and tests.
export function describe(a: Action): string {
  switch (a.kind) {
    case 'createPorts':
      return `createPorts ${a.ports.map((p) => `${p.inside}<->${p.peer}@${p.bridge}`).join(',')}`;
    case 'addAddress':
      return `addAddress ${a.addr.cidr} dev ${a.addr.dev}`;
    case 'removeAddresses':
      return `removeAddresses ${a.addrs.map((x) => `${x.cidr}@${x.dev}`).join(',')} (${a.reason})`;
    case 'writeFile':
    case 'writeKeepalivedConf':
      return `${a.kind} ${a.path}`;
    case 'killPid':
      return `killPid ${a.proc.pid} (${a.reason})`;
    case 'reloadKeepalived':
      return `reloadKeepalived ${a.proc.pid}`;
    case 'stopKeepalived':
      return `stopKeepalived ${a.procs.map((p) => p.pid).join(',')} (${a.reason})`;
    case 'garpBurst':
      return `garpBurst ${a.addrs.map((x) => x.cidr).join(',')}`;
    case 'journal':
      return `journal ${a.entry.event}${a.entry.to ? ` ${a.entry.to}` : ''}`;
    case 'deleteLink':
    case 'setUp':
      return `${a.kind} ${a.ifname}`;
    default:
      return a.kind;
  }
}

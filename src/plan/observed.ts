import type { Role } from './role.js';

// A process by pid and its start time (clock ticks after boot): a recycled pid has another.
export interface ProcId {
  readonly pid: number;
  readonly start: number;
}

// One interface as observe/ reports it.
export interface LinkState {
  readonly ifname: string;
  readonly up: boolean;
  readonly mac: string;
  readonly master: string | undefined;
  // IPv4 addresses as address/prefix.
  readonly addrs: readonly string[];
}

// What observe/ found for one router on this node.
export interface ObservedRouter {
  readonly nsExists: boolean;
  // The root namespace has an id for it, so the address watch reports its changes.
  readonly watched: boolean;
  readonly links: readonly LinkState[];
  // alive: the pid file names this router's keepalived (root, the configured binary, our
  // config, the recorded start time); start is its start time when alive. refused says why
  // a live process the pid files name is not ours.
  readonly keepalived: {
    readonly pid: number | undefined;
    readonly alive: boolean;
    readonly vrrpPid: number | undefined;
    readonly vrrpAlive: boolean;
    readonly start?: number | undefined;
    readonly vrrpStart?: number | undefined;
    readonly refused?: readonly string[] | undefined;
  };
  readonly loadedHash: string | undefined;
  readonly confOnDisk: string | undefined;
  readonly natOnDisk: string | undefined;
  // `nft list table ip l3ha` as the kernel prints it; undefined when the table is absent.
  readonly natKernel: string | undefined;
}

// Follow-up GARP bursts still to send for this MASTER term: absolute due times (ms).
export interface GarpSchedule {
  readonly due: readonly number[];
  readonly sent: number;
}

// What the agent remembers between reconciles of one router: every timer and every
// "seen before" lives here, read and returned by the planner, so a reconcile does the
// same thing whatever woke it.
export interface RouterMemory {
  // The kernel's listing right after l3ha applied natHash.
  readonly natApplied?: { readonly hash: string; readonly listing: string } | undefined;
  readonly lastReloadAt?: number | undefined;
  // The keepalived processes seen alive at the last reconcile, with their start times: the
  // liveness watch probes the pids, and a later look or signal requires the same start time.
  readonly procs?: readonly ProcId[] | undefined;
  // When keepalived was (re)started, newest last: the respawn backoff reads it.
  readonly starts?: readonly number[] | undefined;
  // When router addresses were first seen on a BACKUP whose keepalived is alive.
  readonly straySince?: number | undefined;
  // The role last observed here, and since when (ms).
  readonly role?: Role | undefined;
  readonly roleSince?: number | undefined;
  // When the debounced MASTER replay is due (ms); undefined when none is pending.
  readonly replayDueAt?: number | undefined;
  readonly garps?: GarpSchedule | undefined;
  // An operator's planned handover (its request number), and the answer to the last one.
  readonly handover?: number | undefined;
  readonly handoverDone?: { readonly seq: number; readonly result: string } | undefined;
  // The hash of a rendered keepalived.conf that keepalived -t refused: not tried again.
  readonly rejectedConf?: string | undefined;
}

// What operators and the peer link ask of a router between reconciles. Kept apart from
// the memory, so a request made while a reconcile runs is read by the next one.
export interface RouterRequests {
  readonly handover?: number | undefined;
  readonly reannounceAt?: number | undefined;
}

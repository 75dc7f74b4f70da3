import type { LinkState } from '../observe/links.js';

// What observe/ found for one router on this node.
export interface ObservedRouter {
  readonly nsExists: boolean;
  readonly links: readonly LinkState[];
  readonly keepalived: {
    readonly pid: number | undefined;
    readonly alive: boolean;
    readonly vrrpPid: number | undefined;
    readonly vrrpAlive: boolean;
  };
  readonly loadedHash: string | undefined;
  readonly confOnDisk: string | undefined;
  readonly natOnDisk: string | undefined;
  // `nft list table ip l3ha` as the kernel prints it; undefined when the table is absent.
  readonly natKernel: string | undefined;
}

// What the agent remembers between reconciles of one router.
export interface RouterMemory {
  // The kernel's listing right after l3ha applied natHash.
  readonly natApplied?: { readonly hash: string; readonly listing: string } | undefined;
  readonly lastReloadAt?: number | undefined;
  // The keepalived pids seen alive at the last reconcile, for the liveness watch.
  readonly pids?: readonly number[] | undefined;
  // When keepalived was (re)started, newest last: the respawn backoff reads it.
  readonly starts?: readonly number[] | undefined;
  // When router addresses were first seen on a BACKUP whose keepalived is alive.
  readonly straySince?: number | undefined;
}

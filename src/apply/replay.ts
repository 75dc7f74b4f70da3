import type { FloatingFlow } from '../plan/actions.js';
import type { CommandRunner } from '../system/runner.js';
import { clearContradictingFlows } from './conntrack.js';
import { applyNat, listNat } from './nat.js';

// The MASTER replay. NAT is already installed on both nodes (lesson 4); the replay reads
// the kernel's table and re-applies it atomically only if it is not the one l3ha applied
// (one `nft list` instead of three processes, lesson 30), then removes conntrack entries
// that contradict it. Errors are collected, not thrown: a replay that half-worked is
// journaled as such.

export interface ReplayResult {
  readonly ms: number;
  // Set when the table had drifted and was applied again.
  readonly natApplied: { hash: string; listing: string } | undefined;
  readonly conntrackDeleted: number;
  readonly errors: string[];
}

export async function replay(
  runner: CommandRunner,
  r: {
    readonly ns: string;
    readonly path: string;
    readonly hash: string;
    readonly flows: readonly FloatingFlow[];
    // What l3ha last applied here, if it knows.
    readonly applied?: { readonly hash: string; readonly listing: string } | undefined;
  },
): Promise<ReplayResult> {
  const t0 = performance.now();
  const errors: string[] = [];
  let natApplied: ReplayResult['natApplied'];
  try {
    const inPlace =
      r.applied !== undefined &&
      r.applied.hash === r.hash &&
      (await listNat(runner, r.ns)) === r.applied.listing;
    if (!inPlace) natApplied = { hash: r.hash, listing: await applyNat(runner, r.ns, r.path) };
  } catch (err) {
    errors.push(`nat: ${(err as Error).message}`);
  }
  let conntrackDeleted = 0;
  try {
    conntrackDeleted = (await clearContradictingFlows(runner, r.ns, r.flows)).length;
  } catch (err) {
    errors.push(`conntrack: ${(err as Error).message}`);
  }
  return { ms: Math.round((performance.now() - t0) * 10) / 10, natApplied, conntrackDeleted, errors };
}

import type { FloatingFlow } from '../plan/actions.js';
import type { CommandRunner } from '../system/runner.js';
import { clearContradictingFlows } from './conntrack.js';
import { applyNat } from './nat.js';

// The MASTER replay. NAT is already installed on both nodes (lesson 4); this re-asserts
// it atomically, repairing drift, and removes conntrack entries that contradict it.
// Errors are collected, not thrown: a replay that half-worked is journaled as such.

export interface ReplayResult {
  readonly ms: number;
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
  },
): Promise<ReplayResult> {
  const t0 = performance.now();
  const errors: string[] = [];
  let natApplied: ReplayResult['natApplied'];
  try {
    natApplied = { hash: r.hash, listing: await applyNat(runner, r.ns, r.path) };
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

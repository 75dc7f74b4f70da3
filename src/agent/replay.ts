import { clearContradictingFlows } from '../apply/conntrack.js';
import { applyNat } from '../apply/nat.js';
import type { RouterSpec } from '../config/schema-router.js';
import type { DesiredRouter } from '../plan/desired.js';
import type { CommandRunner } from '../system/runner.js';

// The MASTER replay. NAT is already installed on both nodes (lesson 4); this re-asserts
// it atomically, repairing drift, and removes conntrack entries that contradict it.
// The follow-up GARPs are scheduled by the transition tracker afterwards.

export interface ReplayResult {
  readonly ms: number;
  readonly natApplied: { hash: string; listing: string } | undefined;
  readonly conntrackDeleted: number;
  readonly errors: string[];
}

export async function replay(
  runner: CommandRunner,
  d: DesiredRouter,
  spec: RouterSpec,
): Promise<ReplayResult> {
  const t0 = performance.now();
  const errors: string[] = [];
  let natApplied: ReplayResult['natApplied'];
  try {
    natApplied = { hash: d.natHash, listing: await applyNat(runner, d.ns, d.paths.natNft) };
  } catch (err) {
    errors.push(`nat: ${(err as Error).message}`);
  }
  let conntrackDeleted = 0;
  try {
    const map = new Map(spec.floatingIps.map((f) => [f.floating, f.fixed]));
    conntrackDeleted = (await clearContradictingFlows(runner, d.ns, map)).length;
  } catch (err) {
    errors.push(`conntrack: ${(err as Error).message}`);
  }
  return { ms: Math.round((performance.now() - t0) * 10) / 10, natApplied, conntrackDeleted, errors };
}

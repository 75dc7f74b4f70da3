import type { FloatingFlow } from '../plan/actions.js';
import { type CommandRunner, inNamespace } from '../system/runner.js';
import { type CtDelete, contradictions, deleteArgs, parseConntrack } from '../transitions/conntrack.js';

// Deletes the conntrack entries in a router namespace that contradict its current NAT.
// Returns the filters it deleted with.
export async function clearContradictingFlows(
  runner: CommandRunner,
  ns: string,
  flows: readonly FloatingFlow[],
): Promise<CtDelete[]> {
  if (flows.length === 0) return [];
  const list = await inNamespace(runner, ns, 'conntrack', ['-L'], { check: false });
  const deletes = contradictions(
    parseConntrack(list.stdout),
    new Map(flows.map((f) => [f.floating, f.fixed])),
  );
  for (const d of deletes) {
    await inNamespace(runner, ns, 'conntrack', deleteArgs(d), { check: false });
  }
  return deletes;
}

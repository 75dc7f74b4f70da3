import type { FloatingFlow } from '../plan/actions.js';
import { type CommandRunner, inNamespace } from '../system/runner.js';
import {
  Contradictions,
  type CtDelete,
  deleteArgs,
  parseConntrack,
  parseConntrackLine,
} from '../transitions/conntrack.js';

// Deletes the conntrack entries in a router namespace that contradict its current NAT.
// Returns the filters it deleted with.
export async function clearContradictingFlows(
  runner: CommandRunner,
  ns: string,
  flows: readonly FloatingFlow[],
): Promise<CtDelete[]> {
  if (flows.length === 0) return [];
  const c = new Contradictions(new Map(flows.map((f) => [f.floating, f.fixed])));
  const argv = ['netns', 'exec', ns, 'conntrack', '-L'];
  if (runner.lines) {
    // Streamed: the table can hold hundreds of thousands of flows; only the filters to
    // delete are kept, and the event loop is never blocked on one huge parse.
    await runner.lines('ip', argv, (line) => {
      const e = parseConntrackLine(line);
      if (e) c.add(e);
    });
  } else {
    for (const e of parseConntrack((await runner.run('ip', argv, { check: false })).stdout)) c.add(e);
  }
  const deletes = c.deletes();
  for (const d of deletes) {
    await inNamespace(runner, ns, 'conntrack', deleteArgs(d), { check: false });
  }
  return deletes;
}

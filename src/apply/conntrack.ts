import type { FloatingFlow } from '../plan/actions.js';
import { type CommandRunner, inNamespace } from '../system/runner.js';
import {
  Contradictions,
  type CtDelete,
  deleteArgs,
  listArgs,
  parseConntrack,
  parseConntrackLine,
} from '../transitions/conntrack.js';

// Deletes the conntrack entries in a router namespace that contradict its current NAT.
// Returns the filters it deleted with. The listings are filtered by conntrack, not by the
// agent, and bounded in number (listArgs, lesson 37).
export async function clearContradictingFlows(
  runner: CommandRunner,
  ns: string,
  flows: readonly FloatingFlow[],
): Promise<CtDelete[]> {
  const nat = new Map(flows.map((f) => [f.floating, f.fixed]));
  const c = new Contradictions(nat);
  const list = async (args: readonly string[]): Promise<void> => {
    const argv = ['netns', 'exec', ns, 'conntrack', ...args];
    if (runner.lines) {
      // Streamed: the IPv4 listing can hold hundreds of thousands of flows; only the
      // filters to delete are kept, and the event loop is never blocked on one huge parse.
      await runner.lines('ip', argv, (line) => {
        const e = parseConntrackLine(line);
        if (e) c.add(e);
      });
    } else {
      for (const e of parseConntrack((await runner.run('ip', argv, { check: false })).stdout)) c.add(e);
    }
  };
  // Two at a time: each is a dump of the whole table inside conntrack.
  const all = listArgs(nat);
  for (let i = 0; i < all.length; i += 2) await Promise.all(all.slice(i, i + 2).map(list));
  const deletes = c.deletes();
  // One process per filter, as before: `conntrack -R -` cannot read a Node pipe (a socket,
  // "Failed to open file /dev/stdin"), and deletes come only after a remap.
  for (const d of deletes) {
    await inNamespace(runner, ns, 'conntrack', deleteArgs(d), { check: false });
  }
  return deletes;
}

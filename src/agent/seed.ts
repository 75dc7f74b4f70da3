import { routerPaths } from '../config/paths.js';
import type { AgentConfig } from '../config/schema-agent.js';
import type { Role } from '../plan/role.js';
import { readText } from '../system/files.js';
import { readJournal } from '../system/journal-file.js';
import { type JournalEntry, parseJournal } from '../transitions/journal.js';
import type { RouterStates } from './router-states.js';

// The last transition a router's journal holds, if any.
export function lastTransition(agent: AgentConfig, id: string): JournalEntry | undefined {
  return parseJournal(readJournal(routerPaths(agent, id).journal))
    .filter((e) => e.event === 'transition')
    .at(-1);
}

// The role this node had before the agent (re)started, from the journal's last
// transition: adopting a running MASTER is not a transition and replays nothing.
export function lastJournaledRole(agent: AgentConfig, id: string): Role | undefined {
  return lastTransition(agent, id)?.to as Role | undefined;
}

// The NAT table this node last applied for the router (hash and the kernel's listing), as
// the apply step recorded it; undefined when missing or not in that shape.
export async function recordedNat(
  agent: AgentConfig,
  id: string,
): Promise<{ hash: string; listing: string } | undefined> {
  const text = await readText(routerPaths(agent, id).natApplied);
  if (text === undefined) return undefined;
  try {
    const v = JSON.parse(text) as { hash?: unknown; listing?: unknown };
    return typeof v.hash === 'string' && typeof v.listing === 'string'
      ? { hash: v.hash, listing: v.listing }
      : undefined;
  } catch {
    return undefined;
  }
}

// What this node had before the agent (re)started, into each router's memory: the role
// (adopting a running MASTER is not a transition) and the NAT table it applied (the same
// table is not applied again, and no flows are cleared).
export async function seedMemory(
  agent: AgentConfig,
  ids: readonly string[],
  states: RouterStates,
): Promise<void> {
  for (const id of ids) {
    const role = lastJournaledRole(agent, id);
    const natApplied = await recordedNat(agent, id);
    if (role || natApplied)
      states.update(id, (m) => ({ ...m, ...(role ? { role } : {}), ...(natApplied ? { natApplied } : {}) }));
  }
}

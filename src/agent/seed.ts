import { routerPaths } from '../config/paths.js';
import type { AgentConfig } from '../config/schema-agent.js';
import type { Role } from '../plan/role.js';
import { readJournal } from '../system/journal-file.js';
import { type JournalEntry, parseJournal } from '../transitions/journal.js';

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

import { routerPaths } from '../config/paths.js';
import type { AgentConfig } from '../config/schema-agent.js';
import type { Role } from '../plan/role.js';
import { readJournal } from '../system/journal-file.js';
import { type JournalEntry, parseJournal } from '../transitions/journal.js';

// A router's journal, oldest first.
export function journalOf(agent: AgentConfig, id: string): JournalEntry[] {
  return parseJournal(readJournal(routerPaths(agent, id).journal));
}

// The role this node had before the agent (re)started, from the journal's last
// transition: adopting a running MASTER is not a transition and replays nothing.
export function lastJournaledRole(agent: AgentConfig, id: string): Role | undefined {
  const last = journalOf(agent, id)
    .filter((e) => e.event === 'transition')
    .at(-1);
  return last?.to as Role | undefined;
}

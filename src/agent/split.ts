import { type ApplyContext, applyAction } from '../apply/apply.js';
import { routerPaths } from '../config/paths.js';
import type { AgentConfig } from '../config/schema-agent.js';
import type { Logger } from '../system/logger.js';
import type { JournalEntry } from '../transitions/journal.js';
import type { Metrics } from './metrics.js';
import type { RouterStates } from './router-states.js';

// What the agent does when the peer link sees a router MASTER on both nodes, and when
// that ends: journal it, count it, and have the node that stayed MASTER re-announce.

export interface SplitDeps {
  readonly agent: AgentConfig;
  readonly log: Logger;
  readonly io: ApplyContext;
  readonly states: RouterStates;
  readonly metrics: Metrics;
  readonly splitCount: () => number;
  readonly wake: (id: string) => void;
}

export function splitHandlers(deps: SplitDeps): {
  onSplit: (ids: string[]) => void;
  onHeal: (ids: string[]) => void;
} {
  const journal = (id: string, entry: Omit<JournalEntry, 'time' | 'router'>) =>
    void applyAction(deps.io, {
      kind: 'journal',
      path: routerPaths(deps.agent, id).journal,
      entry: { time: new Date(deps.io.now()).toISOString(), router: id, ...entry },
    });
  return {
    onSplit(ids) {
      deps.metrics.splitBrain.set(deps.splitCount());
      for (const id of ids) {
        deps.log.error({ router: id }, 'SPLIT: router is MASTER on both nodes');
        journal(id, { event: 'split', to: 'SPLIT' });
      }
    },
    // The re-announce is a request: the router's next reconcile sends the GARP schedule.
    onHeal(ids) {
      deps.metrics.splitBrain.set(deps.splitCount());
      for (const id of ids) {
        const role = deps.states.role(id);
        deps.log.warn({ router: id, role }, 'split healed');
        journal(id, { event: 'heal', to: role });
        deps.states.request(id, { reannounceAt: deps.io.now() });
        deps.wake(id);
      }
    },
  };
}

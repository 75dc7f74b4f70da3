import type { AgentConfig } from '../config/schema-agent.js';
import type { KernelViews } from '../observe/kernel-views.js';
import type { CommandRunner } from '../system/runner.js';
import type { DesiredSet } from './desired-set.js';
import type { RouterStates } from './router-states.js';
import { lastTransition } from './seed.js';
import { routerStatus } from './status.js';

// The agent's answer to `l3ha status`: the node, its memory, and each router observed fresh.

export interface NodeStatusDeps {
  readonly agent: AgentConfig;
  readonly runner: CommandRunner;
  readonly notify: readonly string[];
  readonly desired: DesiredSet;
  readonly states: RouterStates;
  readonly split: () => ReadonlySet<string>;
  readonly startedAt: string;
  readonly views?: KernelViews;
  readonly watched?: (ns: string) => boolean;
}

const mib = (x: number) => Math.round((x / 2 ** 20) * 10) / 10;

export async function nodeStatus(deps: NodeStatusDeps): Promise<unknown> {
  const { agent, runner, notify, desired, states } = deps;
  const routers = [];
  const split = deps.split();
  for (const id of desired.ids().sort()) {
    const entry = desired.get(id);
    if (!entry) continue;
    const lastError = states.problem(id);
    const last = lastTransition(agent, id);
    const s = await routerStatus(runner, agent, entry.spec, notify, states.get(id), {
      ...(lastError ? { lastError } : {}),
      lastTransition: last ?? null,
      ...(deps.views ? { views: deps.views } : {}),
      ...(deps.watched ? { watched: deps.watched } : {}),
    });
    routers.push(split.has(id) ? { ...s, role: 'SPLIT' } : s);
  }
  const m = process.memoryUsage();
  return {
    node: agent.node,
    nodeIndex: agent.nodeIndex,
    pid: process.pid,
    startedAt: deps.startedAt,
    memory: {
      rssMiB: mib(m.rss),
      heapUsedMiB: mib(m.heapUsed),
      heapTotalMiB: mib(m.heapTotal),
      externalMiB: mib(m.external),
    },
    routers,
  };
}

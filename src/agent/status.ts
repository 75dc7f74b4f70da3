import { namespaceOf } from '../config/derive.js';
import { routerPaths } from '../config/paths.js';
import type { AgentConfig } from '../config/schema-agent.js';
import type { RouterSpec } from '../config/schema-router.js';
import type { KernelViews } from '../observe/kernel-views.js';
import { observeRouter } from '../observe/router.js';
import { staleAddrs } from '../plan/build.js';
import { desiredOf } from '../plan/desired.js';
import type { RouterMemory } from '../plan/observed.js';
import { observedRole } from '../plan/role.js';
import { uptimeSeconds } from '../system/process.js';
import type { CommandRunner } from '../system/runner.js';

// The status of one router on this node, observed fresh (or from a kernel reading the
// agent still trusts).

export interface RouterStatus {
  readonly id: string;
  readonly role: string;
  readonly keepalivedPid: number | null;
  readonly keepalivedUptimeS: number | null;
  readonly addresses: string[];
  readonly natInSync: boolean | null;
  readonly lastError: { code: string; message: string; at: string } | null;
  readonly lastTransition: unknown;
}

export async function routerStatus(
  runner: CommandRunner,
  agent: AgentConfig,
  spec: RouterSpec,
  notify: readonly string[],
  mem: RouterMemory | undefined,
  extra: {
    lastError?: RouterStatus['lastError'];
    lastTransition?: unknown;
    views?: KernelViews;
    watched?: (ns: string) => boolean;
  } = {},
): Promise<RouterStatus> {
  const d = desiredOf(agent, spec, notify);
  const o = await observeRouter(runner, namespaceOf(agent, spec.id), routerPaths(agent, spec.id), {
    views: extra.views,
    binary: agent.keepalivedBinary,
    // Without the watch's answer, no reading is kept: nothing would end its trust.
    watched: extra.watched ?? (() => false),
  });
  const pid = o.keepalived.alive ? (o.keepalived.pid ?? null) : null;
  return {
    id: spec.id,
    role: observedRole(d, o),
    keepalivedPid: pid,
    keepalivedUptimeS: pid === null ? null : Math.round(uptimeSeconds(pid) ?? 0),
    addresses: staleAddrs(d, o).map((a) => `${a.cidr}@${a.dev}`),
    natInSync: mem?.natApplied
      ? mem.natApplied.hash === d.natHash && mem.natApplied.listing === o.natKernel
      : null,
    lastError: extra.lastError ?? null,
    lastTransition: extra.lastTransition ?? null,
  };
}

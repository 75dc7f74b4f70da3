import { join } from 'node:path';
import type { AgentConfig } from './schema-agent.js';

// Where a router's files live on this node (docs/design.md, "Files").
export interface RouterPaths {
  readonly dir: string;
  readonly keepalivedConf: string;
  readonly natNft: string;
  // The hash and the kernel's listing of the NAT table l3ha last applied, kept across restarts.
  readonly natApplied: string;
  // The last spec this node accepted for the router, so that a file turned invalid while the
  // agent was down keeps the router at that spec after a restart.
  readonly spec: string;
  readonly state: string;
  readonly journal: string;
  // The hash of the config keepalived last loaded (start or SIGHUP).
  readonly loaded: string;
  readonly pid: string;
  readonly vrrpPid: string;
}

export function routerPaths(agent: Pick<AgentConfig, 'stateDir' | 'runDir'>, id: string): RouterPaths {
  const dir = join(agent.stateDir, 'routers', id);
  return {
    dir,
    keepalivedConf: join(dir, 'keepalived.conf'),
    natNft: join(dir, 'nat.nft'),
    natApplied: join(dir, 'nat.applied.json'),
    spec: join(dir, 'spec.json'),
    state: join(dir, 'state'),
    journal: join(dir, 'transitions.jsonl'),
    loaded: join(dir, 'keepalived.loaded'),
    pid: join(agent.runDir, `keepalived-${id}.pid`),
    vrrpPid: join(agent.runDir, `keepalived-${id}-vrrp.pid`),
  };
}

export const controlSocket = (agent: Pick<AgentConfig, 'runDir'>): string => join(agent.runDir, 'agent.sock');

import { parseAgent } from '../src/config/load.js';
import type { AgentConfig } from '../src/config/schema-agent.js';
import { type RouterSpec, routerSchema } from '../src/config/schema-router.js';
import type { JournalEntry } from '../src/transitions/journal.js';

// Plain inputs shared by unit tests. Each call returns a fresh object to mutate.

export const NOTIFY = ['/usr/bin/node', '/usr/lib/l3ha/dist/cli/main.js'] as const;

export function rawAgent(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    node: 'a',
    nodeIndex: 1,
    peers: [{ name: 'b', nodeIndex: 2 }],
    routersDir: '/etc/l3ha/routers.d',
    profiles: {
      standard: { version: 2, advertInt: 1 },
      fast: { version: 3, advertInt: 0.1 },
    },
    ...over,
  };
}

export function agent(over: Record<string, unknown> = {}): AgentConfig {
  return parseAgent('agent.yaml', rawAgent(over));
}

export function rawRouter(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 'r1',
    vrid: 1,
    profile: 'fast',
    gateway: { addresses: ['203.0.113.1/24'], defaultRoute: '203.0.113.254' },
    internal: [{ name: 'n1', addresses: ['10.0.0.1/24'] }],
    floatingIps: [{ floating: '203.0.113.50', fixed: '10.0.0.5' }],
    snat: true,
    routes: [{ to: '192.168.50.0/24', via: '10.0.0.254' }],
    ...over,
  };
}

export function router(over: Record<string, unknown> = {}): RouterSpec {
  return routerSchema.parse(rawRouter(over));
}

// A transition journal line at second n of a fixed minute.
export const journalEntry = (n: number): JournalEntry => ({
  time: `2025-01-01T00:00:${String(n).padStart(2, '0')}.000Z`,
  event: 'transition',
  router: 'r1',
  from: 'BACKUP',
  to: 'MASTER',
});

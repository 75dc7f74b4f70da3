import { readFileSync } from 'node:fs';
import type { AgentConfig } from '../../src/config/schema-agent.js';
import type { RouterSpec } from '../../src/config/schema-router.js';
import { routerSchema } from '../../src/config/schema-router.js';
import { agent, rawRouter } from '../fixtures.js';

// The golden rendering cases, shared by the byte-for-byte test and the real-tool test.

export interface GoldenCase {
  readonly name: string;
  readonly agent: AgentConfig;
  readonly router: RouterSpec;
}

const fifty = Array.from({ length: 50 }, (_, i) => ({
  floating: `203.0.113.${100 + i}`,
  fixed: `10.0.${i < 25 ? 0 : 1}.${10 + i}`,
}));

export const GOLDEN_CASES: GoldenCase[] = [
  {
    name: 'one-router-standard',
    agent: agent(),
    router: routerSchema.parse(rawRouter({ profile: 'standard' })),
  },
  { name: 'one-router-fast', agent: agent(), router: routerSchema.parse(rawRouter({ profile: 'fast' })) },
  {
    name: 'fifty-floating-ips',
    agent: agent(),
    router: routerSchema.parse(
      rawRouter({
        id: 'big',
        vrid: 200,
        internal: [
          { name: 'web', addresses: ['10.0.0.1/24'] },
          { name: 'db', bridge: 'br-db', addresses: ['10.0.1.1/24', '10.0.2.1/24'] },
        ],
        floatingIps: fifty,
        routes: [
          { to: '192.168.50.0/24', via: '10.0.0.254' },
          { to: '192.168.60.0/24', via: '10.0.1.254' },
          { to: '198.51.100.0/24', via: '203.0.113.253' },
        ],
      }),
    ),
  },
  {
    name: 'multicast',
    agent: agent({ vrrp: { transport: 'multicast' }, peers: [] }),
    router: routerSchema.parse(rawRouter({ id: 'mc', vrid: 7 })),
  },
  {
    name: 'internal-only',
    agent: agent({ node: 'b', nodeIndex: 2, peers: [{ name: 'a', nodeIndex: 1 }] }),
    router: routerSchema.parse({
      id: 'iso',
      vrid: 9,
      internal: [{ name: 'n1', addresses: ['10.1.0.1/24'] }],
    }),
  },
];

export const goldenUrl = (file: string) => new URL(`./golden/${file}`, import.meta.url);
export const readGolden = (file: string) => readFileSync(goldenUrl(file), 'utf8');

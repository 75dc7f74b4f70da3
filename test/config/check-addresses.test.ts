import { describe, expect, it } from 'vitest';
import { checkAcross, type RouterEntry } from '../../src/config/cross-check.js';
import { parseRouterText } from '../../src/config/load.js';
import type { ErrorCode, L3haError } from '../../src/errors.js';
import { agent, rawRouter } from '../fixtures.js';

// Router addresses kept off what the node itself needs, each refused with its code, the
// field and the value. Routers arrive as text, as from files; the first file wins.

function errorsFor(routers: Record<string, unknown>[]): L3haError[] {
  const entries: RouterEntry[] = [];
  const errors: L3haError[] = [];
  routers.forEach((r, i) => {
    const e = parseRouterText(`r${i}.yaml`, JSON.stringify(r));
    if (Array.isArray(e)) errors.push(...e);
    else entries.push(e);
  });
  return [...errors, ...checkAcross(agent(), entries).errors];
}

const r2 = (over: Record<string, unknown> = {}) =>
  rawRouter({
    id: 'r2',
    vrid: 2,
    gateway: { addresses: ['203.0.113.2/24'] },
    floatingIps: [{ floating: '203.0.113.60', fixed: '10.0.0.6' }],
    ...over,
  });

const gw = (addresses: string[], defaultRoute?: string) => ({
  gateway: defaultRoute ? { addresses, defaultRoute } : { addresses },
});
const fip = (floating: string) => ({ floatingIps: [{ floating, fixed: '10.0.0.5' }] });
const internal = (address: string) => ({
  internal: [{ name: 'n1', addresses: [address] }],
  floatingIps: [],
  routes: [],
});

const CASES: [string, Record<string, unknown>[], ErrorCode, string, unknown][] = [
  [
    'a gateway address with prefix 0',
    [rawRouter(gw(['0.0.0.0/0']))],
    'L3HA_RESERVED_ADDRESS',
    'gateway.addresses[0]',
    '0.0.0.0/0',
  ],
  [
    'a gateway /0 of a real address',
    [rawRouter(gw(['203.0.113.1/0']))],
    'L3HA_RESERVED_ADDRESS',
    'gateway.addresses[0]',
    '203.0.113.1/0',
  ],
  [
    'an internal subnet in 0.0.0.0/8',
    [rawRouter(internal('0.1.2.1/24'))],
    'L3HA_RESERVED_ADDRESS',
    'internal[0].addresses[0]',
    '0.1.2.1/24',
  ],
  [
    'an internal subnet in 127.0.0.0/8',
    [rawRouter(internal('127.0.0.1/8'))],
    'L3HA_RESERVED_ADDRESS',
    'internal[0].addresses[0]',
    '127.0.0.1/8',
  ],
  [
    'an internal subnet in 224.0.0.0/4',
    [rawRouter(internal('224.0.0.1/24'))],
    'L3HA_RESERVED_ADDRESS',
    'internal[0].addresses[0]',
    '224.0.0.1/24',
  ],
  [
    'a gateway subnet in 240.0.0.0/4',
    [rawRouter({ ...gw(['250.0.0.1/24']), floatingIps: [] })],
    'L3HA_RESERVED_ADDRESS',
    'gateway.addresses[0]',
    '250.0.0.1/24',
  ],
  [
    'an internal subnet in 169.254.0.0/16',
    [rawRouter(internal('169.254.1.1/24'))],
    'L3HA_RESERVED_ADDRESS',
    'internal[0].addresses[0]',
    '169.254.1.1/24',
  ],
  [
    'an internal subnet inside haNetwork',
    [rawRouter(internal('169.254.200.1/24'))],
    'L3HA_RESERVED_ADDRESS',
    'internal[0].addresses[0]',
    '169.254.200.1/24',
  ],
  [
    'an internal subnet holding haNetwork',
    [rawRouter(internal('169.0.0.1/8'))],
    'L3HA_RESERVED_ADDRESS',
    'internal[0].addresses[0]',
    '169.0.0.1/8',
  ],
  [
    'a floating IP in 224.0.0.0/4',
    [rawRouter(fip('239.1.1.1'))],
    'L3HA_RESERVED_ADDRESS',
    'floatingIps[0].floating',
    '239.1.1.1',
  ],
  [
    'a route inside haNetwork',
    [rawRouter({ routes: [{ to: '169.254.192.0/24', via: '10.0.0.254' }] })],
    'L3HA_RESERVED_ADDRESS',
    'routes[0].to',
    '169.254.192.0/24',
  ],
  // haNetwork 169.254.192.0/18: router r1 (vrid 1) has VIP .8, node 1 .9, node 2 .10.
  [
    "a floating IP that is the router's HA VIP",
    [rawRouter(fip('169.254.192.8'))],
    'L3HA_ADDRESS_CONFLICT',
    'floatingIps[0].floating',
    '169.254.192.8',
  ],
  [
    "a floating IP that is a node's HA address",
    [rawRouter(fip('169.254.192.10'))],
    'L3HA_ADDRESS_CONFLICT',
    'floatingIps[0].floating',
    '169.254.192.10',
  ],
  [
    'a floating IP that is an internal gateway address',
    [rawRouter(fip('10.0.0.1'))],
    'L3HA_ADDRESS_CONFLICT',
    'floatingIps[0].floating',
    '10.0.0.1',
  ],
  [
    'a floating IP that is the gateway network address',
    [rawRouter(fip('203.0.113.0'))],
    'L3HA_ADDRESS_CONFLICT',
    'floatingIps[0].floating',
    '203.0.113.0',
  ],
  [
    'a floating IP that is the gateway broadcast address',
    [rawRouter(fip('203.0.113.255'))],
    'L3HA_ADDRESS_CONFLICT',
    'floatingIps[0].floating',
    '203.0.113.255',
  ],
  [
    "a floating IP inside the router's internal subnet",
    [rawRouter(fip('10.0.0.77'))],
    'L3HA_ADDRESS_CONFLICT',
    'floatingIps[0].floating',
    '10.0.0.77',
  ],
  [
    'a 0.0.0.0/0 route beside gateway.defaultRoute',
    [rawRouter({ routes: [{ to: '0.0.0.0/0', via: '10.0.0.254' }] })],
    'L3HA_DUPLICATE_ROUTE',
    'routes[0].to',
    '0.0.0.0/0',
  ],
  [
    'two 0.0.0.0/0 routes',
    [
      rawRouter({
        ...gw(['203.0.113.1/24']),
        routes: [
          { to: '0.0.0.0/0', via: '10.0.0.254' },
          { to: '0.0.0.0/0', via: '203.0.113.254' },
        ],
      }),
    ],
    'L3HA_DUPLICATE_ROUTE',
    'routes[1].to',
    '0.0.0.0/0',
  ],
  [
    'two routers with one gateway address on br-ex',
    [rawRouter(), r2(gw(['203.0.113.1/24']))],
    'L3HA_ADDRESS_CONFLICT',
    'gateway.addresses[0]',
    '203.0.113.1',
  ],
];

describe('router address rules', () => {
  for (const [name, routers, code, field, value] of CASES) {
    it(`rejects ${name} with ${code}`, () => {
      const errors = errorsFor(routers);
      const hit = errors.find((e) => e.code === code && e.field === field);
      expect(hit, errors.map((e) => e.format()).join('\n') || 'no errors').toBeDefined();
      expect(hit?.value).toEqual(value);
      expect(hit?.file).toMatch(/^r\d\.yaml$/);
    });
  }

  it('refuses the later file and keeps the router that came first', () => {
    const errors = errorsFor([rawRouter(), r2(gw(['203.0.113.1/24']))]);
    expect(errors.map((e) => e.file)).toEqual(['r1.yaml']);
  });

  it('accepts one gateway address on two external bridges', () => {
    expect(
      errorsFor([rawRouter(), r2({ gateway: { bridge: 'br-ex2', addresses: ['203.0.113.1/24'] } })]),
    ).toEqual([]);
  });

  it('accepts a 0.0.0.0/0 route when there is no gateway.defaultRoute', () => {
    const r = rawRouter({ ...gw(['203.0.113.1/24']), routes: [{ to: '0.0.0.0/0', via: '203.0.113.254' }] });
    expect(errorsFor([r])).toEqual([]);
  });

  it('accepts floating IPs at the edges of a /31 and a /32 gateway subnet', () => {
    const r = rawRouter({
      gateway: { addresses: ['203.0.113.0/31', '198.51.100.9/32'] },
      floatingIps: [
        { floating: '203.0.113.1', fixed: '10.0.0.5' },
        { floating: '198.51.100.77', fixed: '10.0.0.6' },
      ],
      routes: [],
    });
    expect(errorsFor([r])).toEqual([]);
  });
});

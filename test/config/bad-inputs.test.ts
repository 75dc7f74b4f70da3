import { describe, expect, it } from 'vitest';
import { checkAcross, checkRouter } from '../../src/config/cross-check.js';
import { parseConfigText } from '../../src/config/document.js';
import { parseAgent, parseRouterText } from '../../src/config/load.js';
import { routerSchema } from '../../src/config/schema-router.js';
import { type ErrorCode, L3haError, L3haErrors } from '../../src/errors.js';
import { agent, rawAgent, rawRouter } from '../fixtures.js';

// Every bad input is rejected with its catalogue code, the field, and (where there is
// one) the bad value. Routers are given as YAML text, as they arrive from files.

type Case =
  | { name: string; router: Record<string, unknown>; code: ErrorCode; field?: string; value?: unknown }
  | { name: string; routers: Record<string, unknown>[]; code: ErrorCode; field?: string; value?: unknown }
  | { name: string; agent: Record<string, unknown>; code: ErrorCode; field?: string; value?: unknown }
  | { name: string; text: string; file?: string; code: ErrorCode; field?: string; value?: unknown };

const toYaml = (o: unknown) => JSON.stringify(o); // JSON is YAML; keeps values exact

function errorsFor(c: Case): L3haError[] {
  if ('agent' in c) {
    try {
      parseAgent('agent.yaml', c.agent);
      return [];
    } catch (err) {
      if (err instanceof L3haErrors) return [...err.errors];
      throw err;
    }
  }
  const texts =
    'text' in c
      ? [{ file: c.file ?? 'r.yaml', text: c.text }]
      : ('routers' in c ? c.routers : [c.router]).map((r, i) => ({ file: `r${i}.yaml`, text: toYaml(r) }));
  const entries = [];
  const errors: L3haError[] = [];
  for (const t of texts) {
    const r = parseRouterText(t.file, t.text);
    if (Array.isArray(r)) errors.push(...r);
    else entries.push(r);
  }
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

const CASES: Case[] = [
  {
    name: 'duplicate vrid',
    routers: [rawRouter(), r2({ vrid: 1 })],
    code: 'L3HA_DUPLICATE_VRID',
    field: 'vrid',
    value: 1,
  },
  {
    name: 'haSegment 8',
    router: rawRouter({ haSegment: 8 }),
    code: 'L3HA_INVALID_VALUE',
    field: 'haSegment',
    value: 8,
  },
  { name: 'vrid 0', router: rawRouter({ vrid: 0 }), code: 'L3HA_INVALID_VALUE', field: 'vrid', value: 0 },
  {
    name: 'vrid 256',
    router: rawRouter({ vrid: 256 }),
    code: 'L3HA_INVALID_VALUE',
    field: 'vrid',
    value: 256,
  },
  {
    name: 'vrid as a string',
    router: rawRouter({ vrid: '1' }),
    code: 'L3HA_INVALID_VALUE',
    field: 'vrid',
    value: '1',
  },
  { name: 'missing vrid', router: rawRouter({ vrid: undefined }), code: 'L3HA_MISSING_FIELD', field: 'vrid' },
  {
    name: 'malformed CIDR (prefix 33)',
    router: rawRouter({ gateway: { addresses: ['203.0.113.1/33'] } }),
    code: 'L3HA_BAD_ADDRESS',
    field: 'gateway.addresses[0]',
    value: '203.0.113.1/33',
  },
  {
    name: 'malformed CIDR (three octets)',
    router: rawRouter({ internal: [{ name: 'n1', addresses: ['10.0.0/24'] }] }),
    code: 'L3HA_BAD_ADDRESS',
    field: 'internal[0].addresses[0]',
    value: '10.0.0/24',
  },
  {
    name: 'floating IP with a leading zero',
    router: rawRouter({ floatingIps: [{ floating: '203.0.113.050', fixed: '10.0.0.5' }] }),
    code: 'L3HA_BAD_ADDRESS',
    field: 'floatingIps[0].floating',
    value: '203.0.113.050',
  },
  {
    name: 'route destination with host bits set',
    router: rawRouter({ routes: [{ to: '192.168.50.1/24', via: '10.0.0.254' }] }),
    code: 'L3HA_BAD_ADDRESS',
    field: 'routes[0].to',
    value: '192.168.50.1/24',
  },
  {
    name: 'floating IP used by two routers',
    routers: [rawRouter(), r2({ floatingIps: [{ floating: '203.0.113.50', fixed: '10.0.0.6' }] })],
    code: 'L3HA_FLOATING_IP_REUSED',
    field: 'floatingIps[0].floating',
    value: '203.0.113.50',
  },
  {
    name: 'floating IP used twice in one router',
    router: rawRouter({
      floatingIps: [
        { floating: '203.0.113.50', fixed: '10.0.0.5' },
        { floating: '203.0.113.50', fixed: '10.0.0.6' },
      ],
    }),
    code: 'L3HA_FLOATING_IP_REUSED',
    field: 'floatingIps[1].floating',
    value: '203.0.113.50',
  },
  {
    name: 'floating IP that is also the gateway address',
    router: rawRouter({ floatingIps: [{ floating: '203.0.113.1', fixed: '10.0.0.5' }] }),
    code: 'L3HA_ADDRESS_CONFLICT',
    field: 'floatingIps[0].floating',
    value: '203.0.113.1',
  },
  {
    name: "floating IP that is another router's gateway address",
    routers: [rawRouter(), r2({ floatingIps: [{ floating: '203.0.113.1', fixed: '10.0.0.6' }] })],
    code: 'L3HA_ADDRESS_CONFLICT',
    field: 'floatingIps[0].floating',
    value: '203.0.113.1',
  },
  {
    name: 'two floating IPs for one fixed IP',
    router: rawRouter({
      floatingIps: [
        { floating: '203.0.113.50', fixed: '10.0.0.5' },
        { floating: '203.0.113.51', fixed: '10.0.0.5' },
      ],
    }),
    code: 'L3HA_ADDRESS_CONFLICT',
    field: 'floatingIps[1].fixed',
    value: '10.0.0.5',
  },
  {
    name: 'id with ;',
    router: rawRouter({ id: 'r1;reboot' }),
    code: 'L3HA_BAD_ID',
    field: 'id',
    value: 'r1;reboot',
  },
  {
    name: 'id with a space',
    router: rawRouter({ id: 'r 1' }),
    code: 'L3HA_BAD_ID',
    field: 'id',
    value: 'r 1',
  },
  { name: 'id with /', router: rawRouter({ id: 'r/1' }), code: 'L3HA_BAD_ID', field: 'id', value: 'r/1' },
  { name: 'id ..', router: rawRouter({ id: '..' }), code: 'L3HA_BAD_ID', field: 'id', value: '..' },
  {
    name: 'id with a newline',
    router: rawRouter({ id: 'r1\nx' }),
    code: 'L3HA_BAD_ID',
    field: 'id',
    value: 'r1\nx',
  },
  { name: 'id too long', router: rawRouter({ id: 'abcdefghijkl' }), code: 'L3HA_BAD_ID', field: 'id' },
  {
    name: 'duplicate router id',
    routers: [rawRouter(), r2({ id: 'r1' })],
    code: 'L3HA_DUPLICATE_ROUTER_ID',
    field: 'id',
    value: 'r1',
  },
  {
    name: 'unknown key',
    router: rawRouter({ colour: 'red' }),
    code: 'L3HA_UNKNOWN_KEY',
    field: 'colour',
  },
  {
    name: 'unknown nested key',
    router: rawRouter({ gateway: { addresses: ['203.0.113.1/24'], bridgee: 'br-ex' } }),
    code: 'L3HA_UNKNOWN_KEY',
    field: 'gateway.bridgee',
  },
  {
    name: 'fixed IP outside the internal subnets',
    router: rawRouter({ floatingIps: [{ floating: '203.0.113.50', fixed: '10.9.0.5' }] }),
    code: 'L3HA_FIXED_IP_OUTSIDE_SUBNET',
    field: 'floatingIps[0].fixed',
    value: '10.9.0.5',
  },
  {
    name: 'route next hop in no connected subnet',
    router: rawRouter({ routes: [{ to: '192.168.50.0/24', via: '10.7.0.254' }] }),
    code: 'L3HA_NEXTHOP_UNREACHABLE',
    field: 'routes[0].via',
    value: '10.7.0.254',
  },
  {
    name: 'default route outside the gateway subnet',
    router: rawRouter({ gateway: { addresses: ['203.0.113.1/24'], defaultRoute: '198.51.100.1' } }),
    code: 'L3HA_NEXTHOP_UNREACHABLE',
    field: 'gateway.defaultRoute',
    value: '198.51.100.1',
  },
  {
    name: 'unknown profile',
    router: rawRouter({ profile: 'gold' }),
    code: 'L3HA_UNKNOWN_PROFILE',
    field: 'profile',
    value: 'gold',
  },
  {
    name: 'port name whose derived interface name exceeds 15 characters',
    router: rawRouter({ internal: [{ name: 'abcdefghijkl', addresses: ['10.0.0.1/24'] }] }),
    code: 'L3HA_IFNAME_TOO_LONG',
    field: 'internal[0].name',
  },
  {
    name: 'duplicate internal port name',
    router: rawRouter({
      internal: [
        { name: 'n1', addresses: ['10.0.0.1/24'] },
        { name: 'n1', addresses: ['10.0.1.1/24'] },
      ],
    }),
    code: 'L3HA_DUPLICATE_NAME',
    field: 'internal[1].name',
    value: 'n1',
  },
  {
    name: 'floating IPs without a gateway',
    router: rawRouter({ gateway: undefined, snat: false, routes: [] }),
    code: 'L3HA_MISSING_FIELD',
    field: 'gateway',
  },
  {
    name: 'advertInt 0.5 with VRRPv2',
    agent: rawAgent({ profiles: { standard: { version: 2, advertInt: 0.5 } } }),
    code: 'L3HA_BAD_ADVERT_INT',
    field: 'profiles.standard.advertInt',
    value: 0.5,
  },
  {
    name: 'advertInt 0.001 with VRRPv3',
    agent: rawAgent({
      profiles: { standard: { version: 2, advertInt: 1 }, fast: { version: 3, advertInt: 0.001 } },
    }),
    code: 'L3HA_BAD_ADVERT_INT',
    field: 'profiles.fast.advertInt',
    value: 0.001,
  },
  {
    name: 'VRRP version 4',
    agent: rawAgent({ profiles: { standard: { version: 4, advertInt: 1 } } }),
    code: 'L3HA_INVALID_VALUE',
    field: 'profiles.standard.version',
    value: 4,
  },
  {
    name: 'HA network too small',
    agent: rawAgent({ haNetwork: '169.254.192.0/24' }),
    code: 'L3HA_HA_NETWORK_TOO_SMALL',
    field: 'haNetwork',
  },
  {
    name: 'peer with our own nodeIndex',
    agent: rawAgent({ peers: [{ name: 'b', nodeIndex: 1 }] }),
    code: 'L3HA_DUPLICATE_NODE_INDEX',
    field: 'peers[0].nodeIndex',
    value: 1,
  },
  {
    name: 'nodeIndex 8',
    agent: rawAgent({ nodeIndex: 8 }),
    code: 'L3HA_INVALID_VALUE',
    field: 'nodeIndex',
    value: 8,
  },
  {
    name: 'node name with capitals',
    agent: rawAgent({ node: 'NodeA' }),
    code: 'L3HA_BAD_ID',
    field: 'node',
    value: 'NodeA',
  },
  {
    name: 'unicast with no peers',
    agent: rawAgent({ peers: [] }),
    code: 'L3HA_MISSING_FIELD',
    field: 'peers',
  },
  {
    name: 'routersDir with ..',
    agent: rawAgent({ routersDir: '/etc/../tmp' }),
    code: 'L3HA_INVALID_VALUE',
    field: 'routersDir',
  },
  {
    name: 'unknown agent key',
    agent: rawAgent({ nodeIdx: 1 }),
    code: 'L3HA_UNKNOWN_KEY',
    field: 'nodeIdx',
  },
  { name: 'empty file', text: '', code: 'L3HA_FILE_EMPTY' },
  { name: 'file of only comments', text: '# nothing here\n', code: 'L3HA_FILE_EMPTY' },
  { name: 'YAML syntax error', text: 'id: r1\nvrid: [1, 2\n', code: 'L3HA_SYNTAX' },
  { name: 'YAML duplicate key', text: 'id: r1\nid: r2\nvrid: 1\n', code: 'L3HA_SYNTAX' },
  { name: 'JSON syntax error', text: '{"id": "r1",', file: 'r.json', code: 'L3HA_SYNTAX' },
  {
    name: 'a list instead of a mapping',
    text: '- id: r1\n',
    code: 'L3HA_INVALID_VALUE',
    field: '(document)',
  },
  { name: 'a 5 MB file', text: `# ${'x'.repeat(5 * 1024 * 1024)}\nid: r1\n`, code: 'L3HA_FILE_TOO_LARGE' },
];

describe('bad input is rejected with a code, the field and the value', () => {
  it('has at least 20 cases', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(20);
  });

  for (const c of CASES) {
    it(`rejects ${c.name} with ${c.code}`, () => {
      const errors = errorsFor(c);
      const hit = errors.find((e) => e.code === c.code && (c.field === undefined || e.field === c.field));
      expect(hit, errors.map((e) => e.format()).join('\n') || 'no errors').toBeDefined();
      if (hit && 'value' in c) expect(hit.value).toEqual(c.value);
      expect(hit?.file).toBeTruthy();
      expect(hit?.format()).toContain(hit?.file ?? '');
    });
  }

  it('rejects a segment that does not fit in haNetwork', () => {
    const small = agent({ haNetwork: '169.254.192.0/21' });
    const errs = checkRouter(small, {
      file: 'r.yaml',
      spec: routerSchema.parse(rawRouter({ haSegment: 1 })),
    });
    expect(errs.map((e) => [e.code, e.field, e.value])).toEqual([
      ['L3HA_HA_NETWORK_TOO_SMALL', 'haSegment', 1],
    ]);
  });

  it('accepts one vrid on two HA segments', () => {
    expect(
      errorsFor({
        name: 'ok',
        routers: [rawRouter(), r2({ vrid: 1, haSegment: 1 })],
        code: 'L3HA_INVALID_VALUE',
      }),
    ).toEqual([]);
  });

  it('accepts the good router the cases start from', () => {
    expect(errorsFor({ name: 'good', routers: [rawRouter(), r2()], code: 'L3HA_INVALID_VALUE' })).toEqual([]);
  });

  it('formats an error as file: field: message (got value)', () => {
    const [e] = errorsFor(CASES.find((c) => c.name === 'vrid 0') as Case);
    expect(e?.format()).toMatch(/^r0\.yaml: vrid: .+ \(got 0\) \[L3HA_INVALID_VALUE\]$/);
  });

  it('never echoes a huge value whole', () => {
    const e = new L3haError('L3HA_INVALID_VALUE', 'bad', { value: 'y'.repeat(10_000) });
    expect(e.format().length).toBeLessThan(200);
  });

  it('rejects an oversized document before parsing it', () => {
    expect(() => parseConfigText('big.yaml', 'a'.repeat(2 * 1024 * 1024))).toThrowError(
      expect.objectContaining({ code: 'L3HA_FILE_TOO_LARGE' }),
    );
  });
});

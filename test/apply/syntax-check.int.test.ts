import { execaSync } from 'execa';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type CheckItem, SCRATCH_PREFIX, syntaxCheck } from '../../src/apply/syntax-check.js';
import { checkRouter } from '../../src/config/cross-check.js';
import { portsOf } from '../../src/config/derive.js';
import { routerSchema } from '../../src/config/schema-router.js';
import { renderRouter } from '../../src/render/router.js';
import { ExecaRunner } from '../../src/system/runner.js';
import { agent, NOTIFY } from '../fixtures.js';
import { GOLDEN_CASES, readGolden } from '../render/golden-cases.js';

// The real keepalived -t and nft -c accept what l3ha renders, and reject what is broken.

const runner = new ExecaRunner();
const tools = { keepalived: '/usr/sbin/keepalived', nft: '/usr/sbin/nft' };

function scratchNamespaces(): string[] {
  const out = execaSync('ip', ['netns', 'list']).stdout;
  return out
    .split('\n')
    .map((l) => l.split(' ')[0] ?? '')
    .filter((n) => n.startsWith(`${SCRATCH_PREFIX}${process.pid}-`));
}

describe('rendered output passes the real tools', () => {
  it('accepts every golden keepalived.conf and nat.nft', async () => {
    const items: CheckItem[] = GOLDEN_CASES.map((c) => ({
      file: c.name,
      keepalivedConf: readGolden(`${c.name}.keepalived.conf`),
      natNft: readGolden(`${c.name}.nat.nft`),
      interfaces: portsOf(c.agent, c.router).map((p) => p.inside),
    }));
    expect(await syntaxCheck(runner, items, tools)).toEqual([]);
    expect(scratchNamespaces()).toEqual([]);
  });

  it('rejects a config whose interface is missing and a ruleset with a syntax error', async () => {
    const c = GOLDEN_CASES[0];
    if (!c) throw new Error('no case');
    const conf = readGolden(`${c.name}.keepalived.conf`);
    const errors = await syntaxCheck(
      runner,
      [
        {
          file: 'broken',
          keepalivedConf: conf,
          natNft: 'table ip l3ha { chain x { bogus } }\n',
          interfaces: ['gw'],
        },
      ],
      tools,
    );
    expect(errors.map((e) => e.code).sort()).toEqual(['L3HA_KEEPALIVED_REJECTED', 'L3HA_NFT_REJECTED']);
    expect(scratchNamespaces()).toEqual([]);
  });

  it('accepts any valid generated router (property test)', async () => {
    const a = agent();
    const arbRouter = fc
      .record({
        vrid: fc.integer({ min: 1, max: 255 }),
        nets: fc.uniqueArray(fc.integer({ min: 0, max: 250 }), { minLength: 1, maxLength: 4 }),
        floats: fc.uniqueArray(fc.integer({ min: 2, max: 250 }), { maxLength: 20 }),
        snat: fc.boolean(),
        profile: fc.constantFrom('standard', 'fast'),
        defaultRoute: fc.boolean(),
        routes: fc.uniqueArray(fc.integer({ min: 0, max: 255 }), { maxLength: 5 }),
      })
      .map((g) =>
        routerSchema.parse({
          id: `p${g.vrid}`,
          vrid: g.vrid,
          profile: g.profile,
          gateway: {
            addresses: ['203.0.113.1/24'],
            ...(g.defaultRoute ? { defaultRoute: '203.0.113.254' } : {}),
          },
          internal: g.nets.map((n, i) => ({ name: `n${i}`, addresses: [`10.${n}.0.1/24`] })),
          floatingIps: g.floats.map((f, i) => ({
            floating: `198.51.100.${f}`,
            fixed: `10.${g.nets[i % g.nets.length]}.0.${10 + i}`,
          })),
          snat: g.snat,
          routes: g.routes.map((r) => ({ to: `192.168.${r}.0/24`, via: '203.0.113.253' })),
        }),
      );
    await fc.assert(
      fc.asyncProperty(fc.array(arbRouter, { minLength: 1, maxLength: 6 }), async (routers) => {
        const items: CheckItem[] = routers.map((r) => {
          expect(checkRouter(a, { file: r.id, spec: r })).toEqual([]);
          return {
            file: r.id,
            ...renderRouter(a, r, NOTIFY),
            interfaces: portsOf(a, r).map((p) => p.inside),
          };
        });
        expect(await syntaxCheck(runner, items, tools)).toEqual([]);
      }),
      { numRuns: 8, seed: 4242 },
    );
    expect(scratchNamespaces()).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import {
  Contradictions,
  type CtEntry,
  contradictions,
  deleteArgs,
  EXACT_LISTING_MAX,
  listArgs,
  parseConntrack,
  parseConntrackLine,
} from '../../src/transitions/conntrack.js';

// Addresses: F is the floating IP, now mapped to fixed X; Y held F before. G is the
// router's gateway address (SNAT for VMs without a floating IP); C is an outside client.
const F = '198.51.100.1';
const F_OLD = '198.51.100.2';
const X = '10.1.0.5';
const Y = '10.1.0.9';
const G = '203.0.113.1';
const C = '203.0.113.254';

const LISTING = [
  `tcp      6 431999 ESTABLISHED src=${C} dst=${F} sport=40000 dport=7001 src=${X} dst=${C} sport=7001 dport=40000 [ASSURED] mark=0 use=1`,
  `icmp     1 29 src=${C} dst=${F} type=8 code=0 id=12 src=${X} dst=${C} type=0 code=0 id=12 mark=0 use=1`,
  'conntrack v1.4.7 (conntrack-tools): garbage without a flow',
  '',
  `udp      17 29 src=10.1.0.6 dst=${C} sport=5000 dport=53 [UNREPLIED] src=${C} dst=${G} sport=53 dport=5000 mark=0 use=1`,
  '',
].join('\n');

const flow = (origSrc: string, origDst: string, replySrc: string, replyDst: string): CtEntry => ({
  proto: 'tcp',
  origSrc,
  origDst,
  replySrc,
  replyDst,
});

const nat = new Map([[F, X]]);

describe('parseConntrack', () => {
  it('reads the original and reply tuples of tcp, icmp and udp flows and skips other lines', () => {
    expect(parseConntrack(LISTING)).toEqual([
      { proto: 'tcp', origSrc: C, origDst: F, replySrc: X, replyDst: C },
      { proto: 'icmp', origSrc: C, origDst: F, replySrc: X, replyDst: C },
      { proto: 'udp', origSrc: '10.1.0.6', origDst: C, replySrc: C, replyDst: G },
    ]);
  });

  it('returns nothing for empty output', () => {
    expect(parseConntrack('')).toEqual([]);
    expect(parseConntrack('\n\n')).toEqual([]);
  });

  it('skips a line that has only the original tuple', () => {
    expect(parseConntrack(`tcp 6 10 SYN_SENT src=${C} dst=${F} sport=1 dport=2`)).toEqual([]);
  });
});

describe('contradictions', () => {
  it('keeps an inbound flow to the floating IP answered by its current fixed IP', () => {
    expect(contradictions([flow(C, F, X, C)], nat)).toEqual([]);
  });

  it('deletes an inbound flow to the floating IP answered by an old fixed IP', () => {
    const ds = contradictions([flow(C, F, Y, C)], nat);
    expect(ds.map(deleteArgs)).toEqual([['-D', '--orig-dst', F, '--reply-src', Y]]);
  });

  it('keeps an outbound flow from the fixed IP translated to its current floating IP', () => {
    expect(contradictions([flow(X, C, C, F)], nat)).toEqual([]);
  });

  it.each([
    ['the gateway address', G],
    ['an old floating IP', F_OLD],
  ])('deletes an outbound flow from the fixed IP translated to %s', (_name, addr) => {
    const ds = contradictions([flow(X, C, C, addr)], nat);
    expect(ds.map(deleteArgs)).toEqual([['-D', '--orig-src', X, '--reply-dst', addr]]);
  });

  it('keeps flows that involve no floating IP, such as gateway SNAT of another VM', () => {
    const entries = parseConntrack(LISTING).filter((e) => e.proto === 'udp');
    expect(entries).toHaveLength(1);
    expect(contradictions(entries, nat)).toEqual([]);
    expect(contradictions([flow('10.1.0.7', C, C, G), flow(C, G, G, C)], nat)).toEqual([]);
  });

  it('keeps an outbound flow from the fixed IP that was not translated at all', () => {
    expect(contradictions([flow(X, '10.1.0.6', '10.1.0.6', X)], nat)).toEqual([]);
  });

  it('produces one delete for several flows matched by the same filter', () => {
    const stale = [
      flow(C, F, Y, C),
      { ...flow('192.0.2.7', F, Y, '192.0.2.7'), proto: 'udp' },
      flow(C, F, Y, C),
    ];
    const ds = contradictions(stale, nat);
    expect(ds).toEqual([{ kind: 'inbound', origDst: F, replySrc: Y }]);
  });

  it('reports inbound and outbound contradictions from one listing separately', () => {
    const ds = contradictions([flow(C, F, Y, C), flow(X, C, C, G), flow(C, F, X, C)], nat);
    expect(ds.map(deleteArgs)).toEqual([
      ['-D', '--orig-dst', F, '--reply-src', Y],
      ['-D', '--orig-src', X, '--reply-dst', G],
    ]);
  });

  it('deletes an outbound flow from the old fixed IP still translated to the floating IP that moved on', () => {
    const d = contradictions([flow(Y, C, C, F)], nat);
    expect(d.map(deleteArgs)).toEqual([['-D', '--orig-src', Y, '--reply-dst', F]]);
  });

  it('finds nothing when the router has no floating IPs', () => {
    expect(contradictions(parseConntrack(LISTING), new Map())).toEqual([]);
    expect(contradictions([flow(C, F, Y, C), flow(X, C, C, G)], new Map())).toEqual([]);
  });
});

describe('Contradictions fed line by line', () => {
  it('keeps only the filters to delete from a 262,144-flow table', () => {
    const c = new Contradictions(new Map([['203.0.113.50', '10.0.0.5']]));
    const line = (i: number, replySrc: string) =>
      `tcp      6 431999 ESTABLISHED src=198.51.100.${i % 250} dst=203.0.113.50 sport=${1024 + (i % 60000)} dport=80 src=${replySrc} dst=198.51.100.${i % 250} sport=80 dport=${1024 + (i % 60000)} [ASSURED] mark=0 use=1`;
    const before = process.memoryUsage().heapUsed;
    for (let i = 0; i < 262_144; i++) {
      const e = parseConntrackLine(line(i, i % 100_000 === 7 ? '10.0.0.9' : '10.0.0.5'));
      if (e) c.add(e);
    }
    // Three stale flows, all answered by 10.0.0.9: one filter.
    expect(c.deletes()).toEqual([{ kind: 'inbound', origDst: '203.0.113.50', replySrc: '10.0.0.9' }]);
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(64 * 2 ** 20);
  });
});

describe('listArgs', () => {
  it('lists nothing for a router without floating IPs', () => {
    expect(listArgs(new Map())).toEqual([]);
  });

  it('asks conntrack for each address that a contradicting flow must carry', () => {
    expect(listArgs(nat)).toEqual([
      ['-L', '-f', 'ipv4', '--orig-dst', F],
      ['-L', '-f', 'ipv4', '--reply-dst', F],
      ['-L', '-f', 'ipv4', '--orig-src', X],
    ]);
  });

  it('lists a fixed IP behind two floating IPs once', () => {
    const two = new Map([
      [F, X],
      [F_OLD, X],
    ]);
    expect(listArgs(two)).toHaveLength(5);
  });

  it('falls back to one IPv4 listing past the exact bound, however many floating IPs', () => {
    for (const n of [EXACT_LISTING_MAX + 1, 4096]) {
      const many = new Map(
        Array.from({ length: n }, (_, i) => [`198.51.${100 + (i >> 8)}.${i & 255}`, `10.1.0.${i & 255}`]),
      );
      expect(listArgs(many)).toEqual([['-L', '-f', 'ipv4']]);
    }
  });

  it('every contradiction found in a full listing is found in the exact listings too', () => {
    // Each kind of contradiction carries one of the listed addresses in the listed field.
    const stale = [flow(C, F, Y, C), flow(X, C, C, G), flow(Y, C, C, F)];
    const field = { '--orig-dst': 'origDst', '--reply-dst': 'replyDst', '--orig-src': 'origSrc' } as const;
    const seen = listArgs(nat).flatMap(([, , , key, addr]) =>
      stale.filter((e) => e[field[key as keyof typeof field]] === addr),
    );
    expect(new Set(contradictions(seen, nat).map((d) => deleteArgs(d).join(' ')))).toEqual(
      new Set(contradictions(stale, nat).map((d) => deleteArgs(d).join(' '))),
    );
    expect(contradictions(stale, nat)).toHaveLength(3);
  });
});

describe('parseConntrackLine', () => {
  it('reads a line with leading spaces and a tab-free layout, and refuses a lone tuple', () => {
    expect(
      parseConntrackLine(`  udp 17 29 src=${C} dst=${F} sport=1 dport=2 src=${X} dst=${C} sport=2 dport=1`),
    ).toEqual({
      proto: 'udp',
      origSrc: C,
      origDst: F,
      replySrc: X,
      replyDst: C,
    });
    expect(parseConntrackLine(`tcp 6 10 src=${C} dst=${F} src=${X}`)).toBeUndefined();
    expect(parseConntrackLine('')).toBeUndefined();
  });
});

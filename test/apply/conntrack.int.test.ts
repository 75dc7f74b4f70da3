import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clearContradictingFlows } from '../../src/apply/conntrack.js';
import { ExecaRunner, inNamespace } from '../../src/system/runner.js';
import { EXACT_LISTING_MAX } from '../../src/transitions/conntrack.js';

// clearContradictingFlows against the real conntrack table of a scratch namespace, through
// the per-address listings and through the one IPv4 listing (lesson 37).

const runner = new ExecaRunner();
const ns = `l3t${process.pid}ct`;
const C = '203.0.113.254';
const G = '203.0.113.1';
const [F, X, Y] = ['198.51.100.1', '10.1.0.5', '10.1.0.9'];

const ct = (args: string[]) => inNamespace(runner, ns, 'conntrack', args, { check: false });
const tcp = (src: string, dst: string, rsrc: string, rdst: string, port: number) =>
  ct(
    [
      '-I',
      '-p',
      'tcp',
      '-s',
      src,
      '-d',
      dst,
      '-r',
      rsrc,
      '-q',
      rdst,
      '--sport',
      String(port),
      '--dport',
      '80',
    ].concat([
      '--reply-port-src',
      '80',
      '--reply-port-dst',
      String(port),
      '--state',
      'ESTABLISHED',
      '-t',
      '600',
    ]),
  );
const listing = async () => (await ct(['-L'])).stdout;

beforeAll(async () => {
  await runner.run('ip', ['netns', 'add', ns]);
});
afterAll(async () => {
  await runner.run('ip', ['netns', 'del', ns], { check: false });
});

describe.each([
  ['per address', 1],
  ['one IPv4 listing', EXACT_LISTING_MAX + 1],
])('clearContradictingFlows, %s', (_name, pairs) => {
  it('deletes the flows made under an older mapping and keeps every other one', async () => {
    await ct(['-F']);
    await tcp(C, F, Y, C, 1000); // inbound, answered by the old fixed IP
    await tcp(C, F, X, C, 1001); // inbound, answered by the current one
    await tcp(X, C, C, G, 1002); // outbound from X, SNATed to the gateway address
    await tcp(Y, C, C, F, 1003); // outbound from the old fixed IP, still SNATed to F
    await tcp(X, C, C, F, 1004); // outbound from X through F: right
    for (let i = 0; i < 50; i++) await tcp(`10.2.0.${i + 10}`, C, C, G, 2000 + i); // gateway SNAT of others
    const flows = [{ floating: F, fixed: X }];
    for (let i = 1; i < pairs; i++) flows.push({ floating: `198.51.100.${i + 1}`, fixed: `10.1.1.${i}` });
    const deletes = await clearContradictingFlows(runner, ns, flows);
    expect(deletes).toHaveLength(3);
    const after = await listing();
    for (const port of [1000, 1002, 1003]) expect(after).not.toContain(`sport=${port} `);
    for (const port of [1001, 1004, 2000, 2049]) expect(after).toContain(`sport=${port} `);
    expect(after.trim().split('\n')).toHaveLength(52);
  });
});

import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI, l3ha } from '../helpers/cli.js';

// `l3ha check` and `l3ha render` as an operator runs them: exit codes, messages, and
// no writes on bad input.

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function setup(routers: Record<string, string>, agentExtra = ''): { config: string; root: string } {
  const root = mkdtempSync(join(tmpdir(), 'l3ha-test-'));
  dirs.push(root);
  const rdir = join(root, 'routers.d');
  mkdirSync(rdir);
  for (const [name, text] of Object.entries(routers)) writeFileSync(join(rdir, name), text);
  const config = join(root, 'agent.yaml');
  writeFileSync(
    config,
    `node: a\nnodeIndex: 1\npeers: [{ name: b, nodeIndex: 2 }]\nroutersDir: ${rdir}\nstateDir: ${root}/state\nrunDir: ${root}/run\n${agentExtra}`,
  );
  return { config, root };
}

const GOOD =
  'id: r1\nvrid: 1\ngateway: { addresses: [203.0.113.1/24] }\ninternal: [{ name: n1, addresses: [10.0.0.1/24] }]\nfloatingIps: [{ floating: 203.0.113.50, fixed: 10.0.0.5 }]\n';

describe('l3ha check', () => {
  it('accepts the shipped examples with the real keepalived -t and nft -c', async () => {
    const r = await l3ha(['check', '--config', 'deploy/examples/agent.yaml']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/3 router\(s\) valid; keepalived -t, nft -c/);
  });

  it.each([
    [
      'a duplicate vrid',
      { 'r2.yaml': GOOD.replace('r1', 'r2').replace('203.0.113.50', '203.0.113.51') },
      'L3HA_DUPLICATE_VRID',
      'vrid',
      '(got 1)',
    ],
    [
      'a malformed CIDR',
      { 'r2.yaml': 'id: r2\nvrid: 2\ninternal: [{ name: n1, addresses: [10.0.0.300/24] }]\n' },
      'L3HA_BAD_ADDRESS',
      'internal[0].addresses[0]',
      '10.0.0.300/24',
    ],
    [
      'an id with a shell metacharacter',
      { 'r2.yaml': 'id: "r2;rm -rf /"\nvrid: 2\n' },
      'L3HA_BAD_ID',
      'id',
      'r2;rm -rf /',
    ],
    ['a YAML syntax error', { 'r2.yaml': 'id: r2\nvrid: [2\n' }, 'L3HA_SYNTAX', 'r2.yaml', 'line'],
    ['an empty file', { 'r2.yaml': '' }, 'L3HA_FILE_EMPTY', 'r2.yaml', 'empty'],
  ])(
    'rejects %s with exit 2, the code, the field and the value, writing nothing',
    async (_n, extra, code, field, value) => {
      const { config, root } = setup({ 'r1.yaml': GOOD, ...extra });
      const before = readdirSync(root).sort();
      const r = await l3ha(['check', '--config', config]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(code);
      expect(r.stderr).toContain(field);
      expect(r.stderr).toContain(value);
      expect(r.stderr).toContain(join(root, 'routers.d', 'r2.yaml'));
      expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
      expect(readdirSync(root).sort()).toEqual(before);
      expect(existsSync(join(root, 'state'))).toBe(false);
    },
  );

  it('refuses a symlink to a root-only file without echoing a byte of it', async () => {
    const { config, root } = setup({ 'r1.yaml': GOOD });
    const secret = join(root, 'shadow');
    writeFileSync(secret, 'root:$6$SECRETHASH:19000:0:99999:7:::\nkey: SECRETVALUE\n', { mode: 0o600 });
    symlinkSync(secret, join(root, 'routers.d', 'r2.yaml'));
    const r = await l3ha(['check', '--config', config, '--no-tools']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${join(root, 'routers.d', 'r2.yaml')}: `);
    expect(r.stderr).toContain('L3HA_NOT_REGULAR_FILE');
    expect(r.stderr).not.toMatch(/SECRET/);
  });

  it('refuses a fifo promptly, and a file or directory others can write, naming owner and mode', async () => {
    const { config, root } = setup({ 'r1.yaml': GOOD });
    const rdir = join(root, 'routers.d');
    execFileSync('mkfifo', [join(rdir, 'r2.yaml')]);
    writeFileSync(join(rdir, 'r3.yaml'), GOOD.replace('r1', 'r3'));
    chmodSync(join(rdir, 'r3.yaml'), 0o664);
    const t0 = Date.now();
    const r = await l3ha(['check', '--config', config, '--no-tools']);
    expect(Date.now() - t0).toBeLessThan(20_000);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/r2\.yaml: .*fifo.*\[L3HA_NOT_REGULAR_FILE\]/);
    expect(r.stderr).toMatch(/r3\.yaml: .*\(got "uid 0, mode 0664"\) \[L3HA_INSECURE_FILE\]/);
    chmodSync(rdir, 0o777);
    const d = await l3ha(['check', '--config', config, '--no-tools']);
    expect(d.code).toBe(2);
    expect(d.stderr).toContain(`${rdir}: `);
    expect(d.stderr).toContain('(got "uid 0, mode 0777") [L3HA_INSECURE_FILE]');
  });

  it('--warn-routers reports bad router files and an insecure dir without failing, but not a bad agent config', async () => {
    const { config, root } = setup({ 'r1.yaml': GOOD, 'r2.yaml': 'id: r2\nvrid: 0\n' });
    const r = await l3ha(['check', '--config', config, '--no-tools', '--warn-routers']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/^warning: .*r2\.yaml: vrid: .*\[L3HA_INVALID_VALUE\]$/m);
    expect(r.stdout).toMatch(/1 router\(s\) valid, 1 router problem\(s\) reported above/);
    chmodSync(join(root, 'routers.d'), 0o777);
    const d = await l3ha(['check', '--config', config, '--no-tools', '--warn-routers']);
    expect(d.code, d.stderr).toBe(0);
    expect(d.stderr).toContain('[L3HA_INSECURE_FILE]');
    const bad = setup({ 'r1.yaml': GOOD }, 'bogusKey: 1\n');
    const a = await l3ha(['check', '--config', bad.config, '--no-tools', '--warn-routers']);
    expect(a.code).toBe(2);
    expect(a.stderr).toContain('bogusKey');
    expect(a.stderr).toContain('[L3HA_UNKNOWN_KEY]');
  });

  it('rejects a bad agent config naming the agent file and field', async () => {
    const { config } = setup({ 'r1.yaml': GOOD }, 'profiles: { standard: { version: 2, advertInt: 0.5 } }\n');
    const r = await l3ha(['check', '--config', config]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${config}: profiles.standard.advertInt:`);
    expect(r.stderr).toContain('(got 0.5) [L3HA_BAD_ADVERT_INT]');
  });

  it('reports a missing config file with exit 2', async () => {
    const r = await l3ha(['check', '--config', '/nonexistent/agent.yaml']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('L3HA_FILE_UNREADABLE');
  });

  it('exits 2 on an unknown option or command', async () => {
    expect((await l3ha(['check', '--bogus'])).code).toBe(2);
    expect((await l3ha(['frobnicate'])).code).toBe(2);
  });

  it('prints help for every command and exits 0', async () => {
    for (const cmd of [[], ['check'], ['render']]) {
      const r = await l3ha([...cmd, '--help']);
      expect(r.code, cmd.join(' ')).toBe(0);
      expect(r.stdout).toContain('Usage: l3ha');
    }
  });
});

describe('l3ha render', () => {
  it('prints one router when asked', async () => {
    const r = await l3ha(['render', '--config', 'deploy/examples/agent.yaml', '--router', 'r2']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('# ==> r2/keepalived.conf <==');
    expect(r.stdout).toContain('virtual_router_id 2');
    expect(r.stdout).not.toContain('r1/keepalived.conf');
  });

  it('ends quietly with exit 0 when its reader closes the pipe early (render | head)', () => {
    // 1,500 floating IPs: about 150 KiB, more than a pipe holds, so render is still writing
    // when head has read its 10 bytes and gone.
    const fl = Array.from(
      { length: 1500 },
      (_, i) =>
        `{ floating: 10.64.${Math.floor(i / 250)}.${(i % 250) + 1}, fixed: 10.1.${Math.floor(i / 250)}.${(i % 250) + 1} }`,
    );
    const { config } = setup({
      'r1.yaml': `id: r1\nvrid: 1\ngateway: { addresses: [10.64.255.1/16] }\ninternal: [{ name: n1, addresses: [10.1.255.1/16] }]\nfloatingIps: [${fl.join(', ')}]\n`,
    });
    const out = execFileSync(
      'bash',
      [
        '-o',
        'pipefail',
        '-c',
        `"$0" "$1" render --config "$2" 2>&1 | head -c 10 >/dev/null; echo "rc=$?"`,
        process.execPath,
        CLI,
        config,
      ],
      { encoding: 'utf8' },
    );
    expect(out.trim()).toBe('rc=0');
  });

  it('refuses an unknown router with exit 2', async () => {
    const r = await l3ha(['render', '--config', 'deploy/examples/agent.yaml', '--router', 'nope']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('L3HA_ROUTER_NOT_FOUND');
    expect(r.stderr).toContain('--router');
  });
});

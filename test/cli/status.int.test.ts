import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI, l3ha } from '../helpers/cli.js';

// `l3ha --version` and `l3ha status --watch` as an operator runs them (agent down: status
// observes the node itself).

const root = mkdtempSync(join(tmpdir(), 'l3ha-test-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
mkdirSync(join(root, 'routers.d'));
writeFileSync(
  join(root, 'routers.d', 'r1.yaml'),
  'id: r1\nvrid: 1\ngateway: { addresses: [203.0.113.1/24] }\ninternal: [{ name: n1, addresses: [10.0.0.1/24] }]\n',
);
const config = join(root, 'agent.yaml');
writeFileSync(
  config,
  `node: a\nnodeIndex: 1\npeers: [{ name: b, nodeIndex: 2 }]\nroutersDir: routers.d\nstateDir: ${root}/state\nrunDir: ${root}/run\nnamespacePrefix: l3tw-\n`,
);
const CLEAR = '\u001b[H\u001b[2J';

describe('l3ha --version', () => {
  it("prints package.json's version and exits 0", async () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    for (const flag of ['--version', '-V']) {
      const r = await l3ha([flag]);
      expect(r.code).toBe(0);
      expect(r.stdout.trim()).toBe(pkg.version);
    }
  });
});

describe('l3ha status --watch', () => {
  it('redraws in place until Ctrl-C, then exits 0', async () => {
    const child = execa(
      process.execPath,
      [CLI, 'status', '--config', config, '--watch', '--interval', '0.3'],
      {
        reject: false,
        timeout: 60_000,
      },
    );
    let out = '';
    await new Promise<void>((resolve, reject) => {
      child.stdout?.on('data', (b: Buffer) => {
        out += String(b);
        if (out.split(CLEAR).length > 3) resolve();
      });
      void child.then(() => reject(new Error(`status --watch ended early: ${out}`)));
    });
    child.kill('SIGINT');
    const r = await child;
    expect(r.exitCode).toBe(0);
    const frames = out.split(CLEAR).slice(1);
    expect(frames.length).toBeGreaterThanOrEqual(3);
    for (const f of frames.slice(0, 3)) {
      expect(f).toMatch(/^every 0\.3s: l3ha status/);
      expect(f).toContain('node a (agent down)');
      expect(f).toMatch(/^r1\s+ABSENT\s/m);
    }
  });

  it('takes no --json and no --interval without --watch (exit 2)', async () => {
    expect((await l3ha(['status', '--config', config, '--watch', '--json'])).code).toBe(2);
    const r = await l3ha(['status', '--config', config, '--interval', '1']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('L3HA_BAD_ARGUMENT');
  });
});
